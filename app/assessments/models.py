"""Questionnaire versions, assessments, their answers and the scores stored at submit time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utcnow
from app.extensions import db

DRAFT = "draft"
SUBMITTED = "submitted"


class QuestionnaireVersion(db.Model):
    """One frozen version of a questionnaire's content; never edited once it has assessments."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("code", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60))
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    # Loaded only when a version is first parsed (see versions.questionnaire_of): it is large.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assessment(db.Model):
    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'submitted')", name="status_known"),
        # One open draft per cooperative.
        Index("uq_assessments_one_draft", "cooperative_id", unique=True,
              sqlite_where=text("status = 'draft'"), postgresql_where=text("status = 'draft'")),
        Index("ix_assessments_cooperative_status", "cooperative_id", "status"),
        # A cooperative's submitted assessments, newest first (its latest, the one before).
        Index("ix_assessments_submitted_by_cooperative", "cooperative_id", "id",
              sqlite_where=text("status = 'submitted'"), postgresql_where=text("status = 'submitted'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=DRAFT, index=True)
    graduate_may_answer: Mapped[bool] = mapped_column(default=False)
    prefilled_from_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    overall_score: Mapped[float | None] = mapped_column(Float)
    level: Mapped[int | None] = mapped_column(Integer)
    # The cooperative's profile facts (kind, sector) the questions were chosen for, stored at submit:
    # a submitted result is read back with them even after the cooperative's kind changes.
    profile: Mapped[dict[str, str] | None] = mapped_column(JSON)
    feedback: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # When the cooperative's own people last opened the results after the feedback: newer feedback is "new".
    feedback_seen_at: Mapped[datetime | None] = mapped_column()

    cooperative = relationship("Cooperative")
    version: Mapped[QuestionnaireVersion] = relationship()

    @property
    def submitted(self) -> bool:
        return self.status == SUBMITTED


class Answer(db.Model):
    """The latest answer to one question of one assessment.

    Saves are ordered per question: each write raises ``revision``, and a save carries the
    revision it last saw, so an older save arriving late cannot overwrite a newer one. A cleared
    answer keeps its row (``value`` NULL) so that its revision, and with it the order, survives.
    """

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_id", "question_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_code: Mapped[str] = mapped_column(String(80))
    # An option code, a list of option codes, a number or a text, by the question's kind; NULL once cleared.
    value: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    carried_over: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DimensionScore(db.Model):
    """A dimension's score, stored when the assessment is submitted, for SQL aggregation."""

    __tablename__ = "dimension_scores"
    __table_args__ = (
        UniqueConstraint("assessment_id", "dimension_code"),
        # Covers the scores of many assessments read by id, without visiting the rows.
        Index("ix_dimension_scores_assessment_score", "assessment_id", "dimension_code", "score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    dimension_code: Mapped[str] = mapped_column(String(40), index=True)
    score: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
    target: Mapped[float] = mapped_column(Float)
    gap: Mapped[float] = mapped_column(Float)


class DimensionTarget(db.Model):
    """A score a cooperative, or the alliance for its province, aims at in one dimension."""

    __tablename__ = "dimension_targets"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "dimension_code"),
        UniqueConstraint("province_code", "dimension_code"),
        CheckConstraint("(cooperative_id IS NULL) <> (province_code IS NULL)", name="one_owner"),
        CheckConstraint("target >= 0 AND target <= 100", name="target_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperatives.id"))
    province_code: Mapped[int | None] = mapped_column(Integer)
    dimension_code: Mapped[str] = mapped_column(String(40))
    target: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
