"""Rows written in the transaction of a submission, so pages read them instead of scanning submissions.

Submitted scores never change, so these rows only change when a cooperative submits again (or
moves to another province, kind or sector): ``LatestAssessment`` points at each cooperative's
latest and previous submitted assessments, ``ScoreTotal`` sums those latest scores per province,
kind and sector, ``QuestionScore`` keeps each answer's score for the province's weak points, and
``WrittenAnswer`` keeps what a board wrote in words, folded for accent-insensitive search.
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

# ``ScoreTotal.dimension_code`` of the overall score (a dimension code is never empty).
OVERALL = ""


class LatestAssessment(db.Model):
    """A cooperative's latest submitted assessment, and the one before it."""

    __tablename__ = "latest_assessments"

    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), primary_key=True,
                                                autoincrement=False)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), unique=True)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))


class ScoreTotal(db.Model):
    """Sum and count of the latest submitted scores of the cooperatives of one province, kind and
    sector, per dimension (and ``OVERALL``): whatever their status, which is applied when read."""

    __tablename__ = "score_totals"
    __table_args__ = (
        UniqueConstraint("province_code", "kind", "sector", "dimension_code"),
        Index("ix_score_totals_kind_sector", "kind", "sector"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    sector: Mapped[str] = mapped_column(String(20))
    dimension_code: Mapped[str] = mapped_column(String(40))
    contributors: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[float] = mapped_column(Float, default=0.0)


class QuestionScore(db.Model):
    """One scored answer of a submitted assessment: its score ``s ∈ [0, 1]`` and, for a
    single-choice question, the option chosen, so weak answers are counted in SQL."""

    __tablename__ = "question_scores"
    __table_args__ = (
        # Covers the dashboard's count of weak answers over a province's latest assessments.
        UniqueConstraint("assessment_id", "question_code"),
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
