"""Invitation links."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

from app.rendering import render_page

bp = Blueprint("invitations", __name__, url_prefix="/invitations")


@bp.get("/new/<int:cooperative_id>")
@login_required
def create(cooperative_id: int) -> str:
    return render_page("main/index.html")
