"""Placements of young graduates in host cooperatives, their extensions, plans and monthly reports.

A placement's planned term runs from ``starts_on`` through ``ends_on``; an approved extension
moves ``ends_on`` and keeps the request as history. A completed or early-ended placement keeps
its planned end and records the last day actually worked in ``ended_on``. A graduate invited
without an account yet has no ``graduate_id`` until they accept the invitation.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (BigInteger, CheckConstraint, ColumnElement, Date, ForeignKey, Index, String, Text,
                        UniqueConstraint, and_, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import local_today, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.cooperatives.models import Cooperative

PLANNED = "planned"
ACTIVE = "active"
COMPLETED = "completed"
ENDED_EARLY = "ended_early"
OPEN_STATUSES = (PLANNED, ACTIVE)
STATUSES = (PLANNED, ACTIVE, COMPLETED, ENDED_EARLY)


class Placement(db.Model):
    """A young graduate placed in a host cooperative for a term."""

    __tablename__ = "placements"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'active', 'completed', 'ended_early')", name="status_known"),
        Index("ix_placements_cooperative_starts_on", "cooperative_id", "starts_on"),
        Index("ix_placements_status_ends_on", "status", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    # The invitation link the graduate creates their account with, while they have none.
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"), index=True)
    invitee_name: Mapped[str] = mapped_column(String(120), default="")
    field_of_study: Mapped[str] = mapped_column(String(120), default="", index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default=ACTIVE)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)
    funding_note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    graduate: Mapped[User | None] = relationship(back_populates="placements", foreign_keys=[graduate_id])
    cooperative: Mapped[Cooperative] = relationship()
    extensions: Mapped[list[Extension]] = relationship(back_populates="placement", order_by="Extension.id")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def last_day(self) -> date:
        """The last day of the term: the day it ended, or the planned end while it runs."""
        return self.ended_on if self.ended_on is not None else self.ends_on

    def current_on(self, today: date) -> bool:
        """The row-by-row form of ``placed_now``."""
        return self.is_open and self.starts_on <= today <= self.ends_on

    @property
    def person_name(self) -> str:
        return self.graduate.name if self.graduate is not None else self.invitee_name


def placed_now(today: date | None = None) -> ColumnElement[bool]:
    """The one rule for "placed there now": an open placement whose term includes today (in Vietnam)."""
    today = today or local_today()
    return and_(Placement.status.in_(OPEN_STATUSES), Placement.starts_on <= today, Placement.ends_on >= today)


PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"


class Extension(db.Model):
    """A request to move a placement's end date, and the alliance's decision on it."""

    __tablename__ = "placement_extensions"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status_known"),
        # One request waits at a time; a second click or a replay finds it.
        Index("uq_placement_extensions_one_pending", "placement_id", unique=True,
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    previous_ends_on: Mapped[date] = mapped_column(Date)
    new_ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    comment: Mapped[str | None] = mapped_column(Text)

    placement: Mapped[Placement] = relationship(back_populates="extensions")
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


GOAL_STATUSES = ("planned", "in_progress", "done", "dropped")


class Goal(db.Model):
    """One goal of a graduate's placement plan, tied to an area or a question of the host's
    submitted self-assessment, or free."""

    __tablename__ = "placement_goals"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_progress', 'done', 'dropped')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # The assessment the goal was chosen from, and the area (and question) it aims at.
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    dimension_code: Mapped[str | None] = mapped_column(String(40))
    question_code: Mapped[str | None] = mapped_column(String(80))
    target_month: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="planned")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PlanComment(db.Model):
    """The host manager's comment on a graduate's plan."""

    __tablename__ = "placement_plan_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()


class MonthlyReport(db.Model):
    """A graduate's report for one month of a placement; its text lives in ``ReportEntry`` rows."""

    __tablename__ = "monthly_reports"
    __table_args__ = (
        UniqueConstraint("placement_id", "month"),
        CheckConstraint("status IN ('draft', 'submitted', 'confirmed', 'returned')", name="status_known"),
        Index("ix_monthly_reports_month_status", "month", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)  # the first day of the month reported on
    status: Mapped[str] = mapped_column(String(12), default="draft")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The first submission decides whether the report was late; a resubmission after a return does not.
    first_submitted_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)

    placement: Mapped[Placement] = relationship()


class ReportEntry(db.Model):
    """One field of a monthly report (activities, results, hours, difficulties, a goal's progress).

    ``revision`` orders the saves of the field: a save carrying a revision not above the stored
    one is older than what is stored and never overwrites it.
    """

    __tablename__ = "monthly_report_entries"
    __table_args__ = (UniqueConstraint("report_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_reports.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportEvent(db.Model):
    """What happened to a report: submitted, returned with a comment, confirmed."""

    __tablename__ = "monthly_report_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_reports.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship()
