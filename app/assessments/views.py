"""Answering a self-assessment."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("assessments", __name__, url_prefix="/assessments")
