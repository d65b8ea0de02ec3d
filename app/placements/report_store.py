"""Monthly reports in the database: starting one, saving its fields in order, submitting and
reviewing it (the caller commits).

Every field is upserted one row per report × field, carrying the revision the page gave it: a save
whose revision is not above the stored one is older than what is stored and never overwrites it
(a late, abandoned request arriving after its retry); if it says what is stored anyway it is simply
acknowledged. Each write starts by locking the report row while it may still change, so a save can
never land after the submission that froze the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import insert, select, update

from app.database import utcnow
from app.extensions import db
from app.placements import reporting
from app.placements.models import MonthlyReport, ReportEntry, ReportEvent


class NotEditable(ValueError):
    """The report was submitted or confirmed: its fields cannot change now."""


class Outcome(StrEnum):
    SAVED = "saved"
    UNCHANGED = "unchanged"  # the stored value already is this one
    STALE = "stale"  # a newer save of another value is stored


@dataclass(frozen=True)
class Stored:
    value: str
    revision: int


def start(placement_id: int, month: date) -> MonthlyReport:
    """The placement's report on ``month``, created as a draft when there is none (one per month)."""
    existing = db.session.scalar(select(MonthlyReport).where(MonthlyReport.placement_id == placement_id,
                                                              MonthlyReport.month == month))
    if existing is not None:
        return existing
    report = MonthlyReport(placement_id=placement_id, month=month, status=reporting.DRAFT)
    db.session.add(report)
    db.session.flush()
    return report


def entries_of(report_id: int) -> dict[str, Stored]:
    return {field: Stored(value, revision) for field, value, revision in db.session.execute(
        select(ReportEntry.field, ReportEntry.value, ReportEntry.revision).where(ReportEntry.report_id == report_id))}


def claim(report_id: int, statuses: tuple[str, ...]) -> bool:
    """Lock the report row while its status is one of ``statuses``; False otherwise (a no-op
    update: a row lock on PostgreSQL, the write lock on SQLite)."""
    return bool(db.session.execute(
        update(MonthlyReport).where(MonthlyReport.id == report_id, MonthlyReport.status.in_(statuses))
        .values(status=MonthlyReport.status).execution_options(synchronize_session=False)
    ).rowcount)


def save_field(report_id: int, field: str, value: str, revision: int) -> Outcome:
    """Store ``value`` in ``field`` if ``revision`` is newer than the stored one (``NotEditable`` once
    the report left the graduate's hands)."""
    if not claim(report_id, reporting.EDITABLE):
        raise NotEditable(report_id)
    existing = db.session.execute(select(ReportEntry.id, ReportEntry.value, ReportEntry.revision).where(
        ReportEntry.report_id == report_id, ReportEntry.field == field)).first()
    if existing is None:
        if not value:
            return Outcome.UNCHANGED  # an empty field is what an absent one already says
        db.session.execute(insert(ReportEntry).values(report_id=report_id, field=field, value=value,
                                                      revision=revision, updated_at=utcnow()))
        return Outcome.SAVED
    if revision > existing.revision:
        db.session.execute(update(ReportEntry).where(ReportEntry.id == existing.id).values(
            value=value, revision=revision, updated_at=utcnow()))
        return Outcome.SAVED
    return Outcome.UNCHANGED if value == existing.value else Outcome.STALE


def save_fields(report_id: int, values: Mapping[str, tuple[str, int]]) -> dict[str, Outcome]:
    """Save several fields (value, revision) in one transaction; the outcome of each."""
    return {field: save_field(report_id, field, value, revision) for field, (value, revision) in values.items()}


def submit(report: MonthlyReport, actor_id: int) -> list[str] | None:
    """Submit a draft or returned report; the required fields still empty instead (nothing changes),
    or None once it is submitted. Submitting twice submits once."""
    if not claim(report.id, reporting.EDITABLE):
        return None
    missing = reporting.missing({field: stored.value for field, stored in entries_of(report.id).items()})
    if missing:
        return missing
    now = utcnow()
    report.status = reporting.SUBMITTED
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    db.session.add(ReportEvent(report_id=report.id, action=reporting.SUBMITTED, actor_id=actor_id, at=now))
    return None


def review(report: MonthlyReport, *, confirm: bool, comment: str | None, actor_id: int) -> bool:
    """Confirm a submitted report, or return it with a comment; False when it is no longer waiting."""
    if not claim(report.id, (reporting.SUBMITTED,)):
        return False
    now = utcnow()
    report.status = reporting.CONFIRMED if confirm else reporting.RETURNED
    report.reviewed_at = now
    report.reviewed_by_id = actor_id
    report.review_comment = comment or None
    db.session.add(ReportEvent(report_id=report.id, action=report.status, actor_id=actor_id, at=now,
                               comment=comment or None))
    return True


def events_of(report_id: int) -> list[ReportEvent]:
    return list(db.session.scalars(select(ReportEvent).where(ReportEvent.report_id == report_id)
                                   .order_by(ReportEvent.at, ReportEvent.id)))
