"""Fixtures: one real database per run (an SQLite file, or PostgreSQL from TEST_DATABASE_URL),
built by the migrations, emptied after every test."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_report_header() -> str:
    return f"database: {'PostgreSQL (TEST_DATABASE_URL)' if TEST_DATABASE_URL else 'SQLite file'}"


def base_config(database_url: str) -> dict[str, object]:
    return {
        "TESTING": True,
        "ENV_NAME": "testing",
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
    }


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Build the schema once, with the migrations, exactly as production does."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'coopdx-test.sqlite3'}"
    app = create_app(base_config(url))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.session.remove()
        db.engine.dispose()
    return url


def empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        # Append-only tables (the audit log) refuse deletes by trigger: lift the triggers meanwhile.
        triggers = db.session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
        for name, _sql in triggers:
            db.session.execute(text(f'DROP TRIGGER "{name}"'))
        for table in tables:
            db.session.execute(table.delete())
        for _name, sql in triggers:
            db.session.execute(text(sql))
    db.session.commit()


@pytest.fixture
def app(database_url: str, request: pytest.FixtureRequest) -> Iterator[Flask]:
    config = base_config(database_url)
    if request.node.get_closest_marker("csrf"):
        config["WTF_CSRF_ENABLED"] = True
    app = create_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        empty_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # noqa: ANN201 - FlaskCliRunner
    return app.test_cli_runner()


class Maker:
    """Calls a factory inside an app context and hands back a detached, fully loaded row."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def __getattr__(self, name: str):  # noqa: ANN204
        factory = getattr(factories, f"make_{name}")

        def call(*args: object, **kwargs: object):  # noqa: ANN202
            with self.app.app_context():
                row = factory(*args, **kwargs)
                db.session.refresh(row)
                db.session.expunge(row)
                return row

        return call


@pytest.fixture
def make(app: Flask) -> Maker:
    """``make.user("alliance")``, ``make.cooperative("HTX A")``: real rows for a test."""
    return Maker(app)


class Auth:
    """Logs a test client in and out through the real log-in form."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, login: str, password: str = factories.PASSWORD, **kwargs: object):  # noqa: ANN201
        return self.client.post("/auth/login", data={"login": login, "password": password}, **kwargs)

    def logout(self):  # noqa: ANN201
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


def csrf_token_from(html: str) -> str:
    """The CSRF token a page embeds in its forms."""
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)
