"""User administration."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

from app.rendering import render_page

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@login_required
def users() -> str:
    return render_page("main/index.html")
