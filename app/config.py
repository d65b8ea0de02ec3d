"""Configuration: defaults, then the environment, then explicit overrides.

Secrets and addresses come from the environment (``SECRET_KEY``, ``DATABASE_URL``,
``RATELIMIT_STORAGE_URI``, any ``FLASK_*`` variable); everything else has a safe default.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from app.numbers import is_digits

DEV_SECRET = "dev-only-not-secret"


class Defaults:
    """Settings that hold unless the environment or the caller says otherwise."""

    ENV_NAME = "production"
    SECRET_KEY = DEV_SECRET
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}

    # A board member may leave a questionnaire open over lunch: the CSRF token
    # lives as long as the session, and the session lasts a month.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "coopdx_session"
    REMEMBER_COOKIE_SECURE = True

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # While the shared counter store (Redis) is unreachable, each server counts in its own memory
    # (the same limits, per server) and tries the store again after a while: no request fails.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_LIMIT_PER_ADDRESS = "60 per 15 minutes"
    # Public forms that make an account (cooperative registration, invitation acceptance), per address:
    # refused attempts count too, since they probe the register; a person correcting a form a few
    # times stays far below it.
    REGISTRATION_LIMIT_PER_ADDRESS = "30 per hour"

    # Uploads: nothing larger is read at all (an import file is far smaller, see IMPORT_MAX_BYTES).
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # Register import limits: the file, its rows, one cell, and what a workbook may unpack into.
    IMPORT_MAX_BYTES = 5 * 1024 * 1024
    IMPORT_MAX_ROWS = 5_000
    IMPORT_MAX_CELL = 1_000
    IMPORT_MAX_UNZIPPED = 50 * 1024 * 1024

    INVITATION_DAYS = 7
    PASSWORD_RESET_HOURS = 48
    PER_PAGE = 20

    # Number of proxies in front of the app that set X-Forwarded-*; 0 means none.
    PROXY_COUNT = 0

    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SENDER = "no-reply@htxso.vn"

    # Province shown first on the public registration form.
    DEFAULT_PROVINCE_CODE = 82

    # Seconds a request waits for a database lock (SQLite's write lock, a PostgreSQL row lock) before
    # it gives up with 503: shorter than the browser's request timeout (``rendering.htmx_config``),
    # so an autosave that waited too long is answered, and retried, rather than abandoned while it
    # may still be written.
    DATABASE_LOCK_TIMEOUT = 10


def _coerce(value: str) -> Any:
    lowered = value.lower()
    if lowered in {"true", "false"}:
        return lowered == "true"
    if is_digits(value):
        return int(value)
    return value


def from_environment(environ: dict[str, str]) -> dict[str, Any]:
    """Read settings from environment variables (``FLASK_X`` sets ``X``)."""
    settings: dict[str, Any] = {
        key.removeprefix("FLASK_"): _coerce(value)
        for key, value in environ.items()
        if key.startswith("FLASK_") and key not in {"FLASK_APP", "FLASK_DEBUG", "FLASK_RUN_PORT", "FLASK_RUN_HOST"}
    }
    for key in ("SECRET_KEY", "DATABASE_URL", "RATELIMIT_STORAGE_URI", "MAIL_SERVER", "MAIL_USERNAME",
                "MAIL_PASSWORD", "PROXY_COUNT"):
        if key in environ:
            settings[key] = _coerce(environ[key]) if key == "PROXY_COUNT" else environ[key]
    if "DATABASE_URL" in settings:
        settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(settings.pop("DATABASE_URL"))
    return settings


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def finalise(config: dict[str, Any], instance_path: str) -> None:
    """Fill in derived settings and refuse an unsafe production configuration."""
    env_name = config.get("ENV_NAME", "production")
    relaxed = env_name in {"development", "testing"}
    if not relaxed and config.get("SECRET_KEY") in {None, "", DEV_SECRET}:
        raise RuntimeError(
            "SECRET_KEY must be set to a long random value outside development and testing "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if relaxed:
        config["SESSION_COOKIE_SECURE"] = False
        config["REMEMBER_COOKIE_SECURE"] = False
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        path = Path(instance_path) / "coopdx.sqlite3"
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith(("redis://", "rediss://")):
        # A Redis that stops answering must not hold requests: give up on it quickly.
        config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 0.5, "socket_timeout": 0.5})
    lock_timeout = config["DATABASE_LOCK_TIMEOUT"]
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options.pop("pool_pre_ping", None)
        options.setdefault("connect_args", {"timeout": lock_timeout})
    elif config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options.setdefault("connect_args", {"options": f"-c lock_timeout={int(lock_timeout * 1000)}"})
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options

