"""The schema comes only from the migrations, and the app refuses unsafe production settings."""

import pytest
from sqlalchemy import inspect

from app import create_app
from app.extensions import db


def test_migrations_build_an_empty_database_and_match_the_models(tmp_path):
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert {"users", "cooperatives", "invitations", "password_resets", "placements", "audit_entries"} <= tables
    check = runner.invoke(args=["db", "check"])
    assert check.exit_code == 0, check.output
    with app.app_context():
        db.engine.dispose()


def test_the_test_database_matches_the_models(app):
    """The same check on the suite's own database (PostgreSQL in CI)."""
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path):
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.sqlite3'}"})
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == app.config["DATABASE_LOCK_TIMEOUT"] * 1000
        db.engine.dispose()


def test_default_database_is_a_file_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"ENV_NAME": "testing"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/coopdx.sqlite3"


@pytest.mark.parametrize("secret", [None, "", "dev-only-not-secret"])
def test_production_refuses_to_start_without_a_real_secret(monkeypatch, secret):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = {"ENV_NAME": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    if secret is not None:
        config["SECRET_KEY"] = secret
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_environment_configures_database_and_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-the-environment")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setenv("FLASK_PER_PAGE", "50")
    app = create_app({"ENV_NAME": "production"})
    assert app.config["SECRET_KEY"] == "a-real-secret-from-the-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite3")
    assert app.config["PER_PAGE"] == 50
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    with app.app_context():
        db.engine.dispose()
