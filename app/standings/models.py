"""Rows written in the transaction of a submission, so pages read them instead of scanning submissions.

Submitted scores never change, so these rows only change when a cooperative submits again (or
moves to another province, ward, kind, sector or status): ``LatestAssessment`` points at each
cooperative's latest and previous submitted assessments and carries what a province's figures filter
and count by; ``ScoreTotal`` sums those latest scores, and ``AnswerTotal`` counts their answers, per
province, kind, sector and status; ``QuarterTotal`` counts submissions per quarter; ``YearLatest``
points at each cooperative's latest submission of each year; ``QuestionScore``
keeps each answer's score, and ``WrittenAnswer`` what a board wrote in words, folded for
accent-insensitive search.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

# ``ScoreTotal.dimension_code`` of the overall score (a dimension code is never empty).
OVERALL = ""


class LatestAssessment(db.Model):
    """A cooperative's latest submitted assessment and the one before it, with the cooperative's
    place in the register and the latest scores, so a province's figures read one narrow table."""

    __tablename__ = "latest_assessments"
    __table_args__ = (Index("ix_latest_assessments_province", "province_code", "status", "submitted_at"),)

    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), primary_key=True,
                                                autoincrement=False)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), unique=True)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    # The cooperative's, kept in step when it changes.
    province_code: Mapped[int] = mapped_column(Integer)
    ward_code: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    sector: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))
    # The latest submission's, as stored when it was submitted.
    submitted_at: Mapped[datetime] = mapped_column()
    overall_score: Mapped[float | None] = mapped_column(Float)
    level: Mapped[int | None] = mapped_column(Integer)
    previous_overall_score: Mapped[float | None] = mapped_column(Float)


class ScoreTotal(db.Model):
    """Sum and count of the latest submitted scores of the cooperatives of one province, kind, sector
    and register status, per dimension (and ``OVERALL``)."""

    __tablename__ = "score_totals"
    __table_args__ = (
        UniqueConstraint("province_code", "kind", "sector", "status", "dimension_code"),
        Index("ix_score_totals_kind_sector", "kind", "sector"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    sector: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))
    dimension_code: Mapped[str] = mapped_column(String(40))
    contributors: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[float] = mapped_column(Float, default=0.0)


class AnswerTotal(db.Model):
    """How many latest submissions of the cooperatives of one province, kind, sector and status
    answered a question (by code) with an option (``""`` for questions without one), weakly or not."""

    __tablename__ = "answer_totals"
    __table_args__ = (
        UniqueConstraint("province_code", "kind", "sector", "status", "question_code", "option_code", "weak"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    sector: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))
    question_code: Mapped[str] = mapped_column(String(80))
    option_code: Mapped[str] = mapped_column(String(60))
    weak: Mapped[bool] = mapped_column(Boolean)
    answers: Mapped[int] = mapped_column(Integer, default=0)


class QuarterTotal(db.Model):
    """Submissions made in one quarter (``year * 10 + quarter``, Vietnam's calendar) by cooperatives of
    one province, kind and sector as they were when they submitted, and the sum of their overall scores."""

    __tablename__ = "quarter_totals"
    __table_args__ = (UniqueConstraint("province_code", "kind", "sector", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    sector: Mapped[str] = mapped_column(String(20))
    quarter: Mapped[int] = mapped_column(Integer)
    submissions: Mapped[int] = mapped_column(Integer, default=0)
    scored: Mapped[int] = mapped_column(Integer, default=0)  # submissions with an overall score
    total: Mapped[float] = mapped_column(Float, default=0.0)


class YearLatest(db.Model):
    """A cooperative's latest submitted assessment of one year (Vietnam's calendar) and its stored
    overall score and level, so a year's report reads one row per cooperative."""

    __tablename__ = "year_latest_assessments"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), primary_key=True,
                                                autoincrement=False)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), unique=True)
    overall_score: Mapped[float | None] = mapped_column(Float)
    level: Mapped[int | None] = mapped_column(Integer)


class QuestionScore(db.Model):
    """One scored answer of a submitted assessment: its score ``s ∈ [0, 1]`` and, for a
    single-choice question, the option chosen, so weak answers are counted in SQL."""

    __tablename__ = "question_scores"
    __table_args__ = (
        # Also covers the dashboard's count of weak answers (PostgreSQL reads it without the rows).
        Index("uq_question_scores_assessment_question", "assessment_id", "question_code", unique=True,
              postgresql_include=["score", "option_code"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_code: Mapped[str] = mapped_column(String(80))
    score: Mapped[float] = mapped_column(Float)
    option_code: Mapped[str | None] = mapped_column(String(60))


class WrittenAnswer(db.Model):
    """A text answer of a submitted assessment (difficulties, support wanted), searchable folded."""

    __tablename__ = "written_answers"
    __table_args__ = (UniqueConstraint("assessment_id", "question_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_code: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    search_body: Mapped[str] = mapped_column(Text)

    assessment = relationship("Assessment")
