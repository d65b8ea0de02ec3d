"""Results of submitted assessments, history and the alliance's review."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("results", __name__, url_prefix="/assessments")
