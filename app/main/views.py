"""The public home page, each role's home, and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.auth.roles import Role
from app.extensions import db
from app.i18n import LANGUAGE_COOKIE
from app.main import home_data
from app.rendering import render_page
from app.safe_redirect import safe_next

bp = Blueprint("main", __name__)

HOME_TEMPLATES = {
    Role.ADMIN: "main/home_admin.html",
    Role.ALLIANCE: "main/home_alliance.html",
    Role.COOP_MANAGER: "main/home_cooperative.html",
    Role.COOP_MEMBER: "main/home_cooperative.html",
    Role.GRADUATE: "main/home_graduate.html",
}


@bp.get("/")
def index() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return render_page("main/index.html")


@bp.get("/home")
@login_required
def home() -> Response:
    role = current_user.role_enum
    return render_page(HOME_TEMPLATES[role], **home_data.for_user(current_user))


@bp.post("/language")
def set_language() -> Response:
    language = request.form.get("language", "")
    target = safe_next(request.form.get("next")) or url_for("main.index")
    response = redirect(target, code=303)
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
        if current_user.is_authenticated:
            current_user.locale = language
            db.session.commit()
    return response
