"""Database engine settings, committing with one retry, and the clock (UTC now, today in Vietnam)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from app.extensions import db


# The app serves Vietnam: "today" is the date there, whatever the server's own time zone.
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """The current time in UTC, as a naive value (stored as UTC everywhere)."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    """Today's date in Vietnam (Asia/Ho_Chi_Minh)."""
    return datetime.now(LOCAL_ZONE).date()


T = TypeVar("T")


def commit_retrying(change: Callable[[], T]) -> T:
    """Make ``change`` and commit. When a concurrent request inserted the same unique row first
    (a first answer, a lesson done, a target, a draft), roll back and make the change once more:
    ``change`` finds that row this time, so nothing is stored twice and nothing is lost."""
    try:
        result = change()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        result = change()
        db.session.commit()
    return result


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[..., None]:
    def set_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API objects
        cursor = dbapi_connection.cursor()
        # WAL lets readers go on while one writer writes; foreign keys are off by default in SQLite.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return set_pragmas


def configure_engine_events(app: Flask) -> None:
    """Turn on WAL, foreign keys and the lock timeout (``DATABASE_LOCK_TIMEOUT``) for every SQLite connection."""
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas(int(app.config["DATABASE_LOCK_TIMEOUT"] * 1000)))


def is_lock_timeout(error: OperationalError) -> bool:
    """True when the statement gave up waiting for a lock (SQLite's "database is locked", PostgreSQL's
    lock_timeout): the request may simply be tried again."""
    return "database is locked" in str(error.orig) or getattr(error.orig, "sqlstate", None) == "55P03"
