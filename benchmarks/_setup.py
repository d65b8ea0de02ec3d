"""A throw-away database with the real content and cooperatives whose managers have open drafts."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.assessments import drafts, versions
from app.auth import passwords
from app.auth.models import User
from app.cooperatives import tax_code
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.locations import wards
from app.training import store

PASSWORD = "benchmark password 2026"


def prepared_app(folder: str | None = None, cooperatives: int = 1, **config: object) -> tuple[Flask, dict[str, object]]:
    """An app on a fresh database with the real questionnaire and modules loaded, and
    ``cooperatives`` cooperatives, each with a manager and an open draft: an SQLite file, or the
    PostgreSQL database named by BENCH_DATABASE_URL (its public schema is rebuilt)."""
    folder = folder or tempfile.mkdtemp(prefix="coopdx-bench-")
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    settings = {"ENV_NAME": "testing", "SECRET_KEY": "benchmark", "SQLALCHEMY_DATABASE_URI": url,
                "LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute", "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute"}
    settings.update(config)
    app = create_app(settings)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        versions.load()
        db.session.flush()
        store.load()
        password_hash = passwords.hash_password(PASSWORD)
        drafts_by_login = {}
        for n in range(cooperatives):
            cooperative = Cooperative(name=f"Hợp tác xã Nông nghiệp Thử Nghiệm {n + 1}", kind="htx",
                                      sector="agriculture", tax_code=tax_code.with_check_digit(f"19{n:07d}"),
                                      province_code=82, ward_code=wards(82)[n % 20][0], status="active")
            db.session.add(cooperative)
            db.session.flush()
            manager = User(name=f"Người quản lý {n + 1}", email=f"bench{n + 1}@htx.vn", role="coop_manager",
                           cooperative_id=cooperative.id, password_hash=password_hash)
            db.session.add(manager)
            db.session.flush()
            drafts_by_login[manager.email] = drafts.start(cooperative, manager.id).id
        db.session.commit()
        questionnaire = versions.questionnaire_of(versions.latest_version("digital-readiness"))
        first_login = next(iter(drafts_by_login))
        facts = {"assessment_id": drafts_by_login[first_login], "login": first_login, "password": PASSWORD,
                 "drafts": drafts_by_login, "dimensions": [d.code for d in questionnaire.dimensions],
                 "first_question": questionnaire.dimensions[1].questions[0],
                 "database": settings["SQLALCHEMY_DATABASE_URI"]}
    return app, facts
