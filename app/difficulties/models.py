"""A difficulty or proposal raised by a cooperative, and the thread of replies under it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utcnow
from app.extensions import db

NEW = "new"
IN_PROGRESS = "in_progress"
RESOLVED = "resolved"
FORWARDED = "forwarded"
STATUSES = (NEW, IN_PROGRESS, RESOLVED, FORWARDED)
OPEN = (NEW, IN_PROGRESS, FORWARDED)  # forwarded is still waiting for the higher body's answer


class Difficulty(db.Model):
    __tablename__ = "difficulties"
    __table_args__ = (
        CheckConstraint("status IN ('new', 'in_progress', 'resolved', 'forwarded')", name="status_known"),
        CheckConstraint("status <> 'forwarded' OR (forwarded_to IS NOT NULL AND forwarded_on IS NOT NULL)",
                        name="forwarded_names_body"),
        Index("ix_difficulties_cooperative_status", "cooperative_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    category: Mapped[str] = mapped_column(String(30), index=True)
    description: Mapped[str] = mapped_column(Text)
    # The description folded, so "thue dien tu" finds "thuế điện tử".
    search_text: Mapped[str] = mapped_column(Text)
    # The question of the cooperative's assessment it concerns, if any (by stable code).
    question_code: Mapped[str | None] = mapped_column(String(80))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    status: Mapped[str] = mapped_column(String(12), default=NEW)
    forwarded_to: Mapped[str | None] = mapped_column(String(200))
    forwarded_on: Mapped[date | None] = mapped_column(Date)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Sent with the form: the same form sent twice (a double tap, a replay) stores one difficulty.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    cooperative = relationship("Cooperative")
    raised_by = relationship("User", foreign_keys=[raised_by_id])
    replies: Mapped[list[DifficultyReply]] = relationship(back_populates="difficulty",
                                                          order_by="DifficultyReply.id")


class DifficultyReply(db.Model):
    """A message in a difficulty's thread; a staff reply may also move the difficulty's status."""

    __tablename__ = "difficulty_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    difficulty_id: Mapped[int] = mapped_column(ForeignKey("difficulties.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text, default="")
    # The status this reply set, when it changed it.
    status: Mapped[str | None] = mapped_column(String(12))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    difficulty: Mapped[Difficulty] = relationship(back_populates="replies")
    author = relationship("User")
