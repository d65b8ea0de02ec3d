"""The register of cooperatives."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

from app.rendering import render_page

bp = Blueprint("cooperatives", __name__, url_prefix="/cooperatives")


@bp.get("/")
@login_required
def index() -> str:
    return render_page("main/index.html")


@bp.get("/<int:cooperative_id>")
@login_required
def detail(cooperative_id: int) -> str:
    return render_page("main/index.html")


@bp.get("/new")
@login_required
def create() -> str:
    return render_page("main/index.html")


@bp.get("/register")
def register() -> str:
    return render_page("main/index.html")
