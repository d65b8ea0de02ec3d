"""How a session cookie maps to a user, and how sessions end."""

from __future__ import annotations

from flask import Flask, Response, flash, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_babel import gettext as _
from flask_login import LoginManager, current_user
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.rendering import wants_fragment


def load_user(session_token: str) -> User | None:
    """Only the current token of an active user opens a session (see ``User.end_sessions``)."""
    user = db.session.scalar(select(User).where(User.session_token == session_token))
    if user is None or not user.active:
        return None
    return user


def unauthorized() -> Response:
    """An htmx request of a page (an autosave) gets a bare 401 its script can act on; a page
    request is sent to the log-in form, and back here afterwards."""
    if wants_fragment(request.htmx):
        return Response(_("Your session has ended. Log in again."), status=401, mimetype="text/plain")
    flash(_("Please log in to see this page."), "info")
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def keep_session() -> None:
    """Every session lasts ``PERMANENT_SESSION_LIFETIME``, a visitor's too: a phone that closes the
    browser in the middle of the registration form still holds the form's CSRF token. Static files
    leave the session alone, so they carry no cookie and stay cacheable."""
    if request.endpoint != "static" and not session.permanent:
        session.permanent = True


class QuietSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, renewed on pages but not re-sent with every small reply: a
    static file carries no session at all (it is cached for a year, for everyone), and an htmx
    fragment (an autosave) only sends the cookie when the session changed — the next page renews it."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if request.endpoint == "static":
            return
        super().save_session(app, session, response)

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if session.modified:
            return True
        return (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]
                and not wants_fragment(request.htmx))


def forbid_storing_personal_pages(response: Response) -> Response:
    """Nothing shown to a logged-in person is kept by the browser or a proxy: on a shared phone, Back
    after log-out asks the server again instead of showing the previous person's pages."""
    if request.endpoint != "static" and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


def configure(login_manager: LoginManager) -> None:
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    login_manager.session_protection = "basic"
