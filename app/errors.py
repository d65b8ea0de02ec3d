"""Translated error pages (400, 403, 404, 410, 429, 500, 503)."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.database import is_lock_timeout
from app.extensions import db

MESSAGES = {
    400: (_l("The request could not be understood"),
          _l("Something in the request was not right. Go back, reload the page and try again.")),
    403: (_l("You cannot do this"),
          _l("Your account does not have permission for this action.")),
    404: (_l("Page not found"),
          _l("The page does not exist, or it is not part of what your account may see.")),
    405: (_l("The request could not be understood"),
          _l("Something in the request was not right. Go back, reload the page and try again.")),
    410: (_l("This link can no longer be used"),
          _l("The link has already been used or has expired. Ask for a new one.")),
    429: (_l("Too many attempts"),
          _l("There were too many attempts in a short time. Please wait a few minutes and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("The error has been recorded. Please try again in a moment.")),
    503: (_l("The service is busy"),
          _l("Nothing was saved by this request. Please try again in a moment.")),
}
# Seconds a client waits before trying again after a 503.
RETRY_AFTER = 2


def render_error(status: int, detail: str | None = None) -> tuple[str, int]:
    title, message = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
    return render_template("errors/error.html", status=status, title=title, message=detail or message), status


def handle_http_error(error: HTTPException) -> tuple[str, int]:
    return render_error(error.code or 500)


def handle_csrf_error(_error: CSRFError) -> tuple[str, int]:
    return render_error(400, str(_l("The form had expired or was sent twice. Reload the page and try again.")))


def handle_server_error(_error: Exception) -> tuple[str, int]:
    db.session.rollback()
    return render_error(500)


def handle_database_error(error: OperationalError) -> tuple[str, int, dict[str, str]] | tuple[str, int]:
    """A lock waited for too long is a 503 to retry (the autosave retries it); anything else a 500."""
    db.session.rollback()
    if is_lock_timeout(error):
        return (*render_error(503), {"Retry-After": str(RETRY_AFTER)})
    return render_error(500)


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    for code in MESSAGES:
        if code != 500:
            app.register_error_handler(code, handle_http_error)
    app.register_error_handler(InternalServerError, handle_server_error)
    app.register_error_handler(OperationalError, handle_database_error)
