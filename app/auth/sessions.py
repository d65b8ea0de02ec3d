"""How a session cookie maps to a user, and how sessions end."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db


def load_user(session_token: str) -> User | None:
    """Only the current token of an active user opens a session (see ``User.end_sessions``)."""
    user = db.session.scalar(select(User).where(User.session_token == session_token))
    if user is None or not user.active:
        return None
    return user


def configure(login_manager: LoginManager) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
