"""Stored module versions, and each person's lessons done, quiz attempts and certificates.

Progress is keyed by module and lesson codes, so it survives content changes; attempts and
certificates point to the module version they were made on and keep that record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utcnow
from app.extensions import db


class ModuleVersion(db.Model):
    __tablename__ = "module_versions"
    __table_args__ = (UniqueConstraint("code", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    # Loaded only when a version is first parsed (see store.module_of): it is large.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_code", "lesson_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    module_code: Mapped[str] = mapped_column(String(60))
    lesson_code: Mapped[str] = mapped_column(String(60))
    done_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempts"
    __table_args__ = (Index("ix_quiz_attempts_user_module", "user_id", "module_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Sent with the quiz form: the same attempt submitted twice is stored once.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    module_code: Mapped[str] = mapped_column(String(60))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    correct: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    percent: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    module_version: Mapped[ModuleVersion] = relationship()


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("user_id", "module_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    module_code: Mapped[str] = mapped_column(String(60))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    # As printed on the day it was issued.
    holder_name: Mapped[str] = mapped_column(String(120))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)

    module_version: Mapped[ModuleVersion] = relationship()
    cooperative = relationship("Cooperative")
