"""The progress view of one placement, for the graduate, the host's manager and the alliance: the term
as a timeline, the plan's goals, training completed, monthly reports filed, confirmed and late, and
the host's stored scores at the start against its latest (the graduate's contribution shows as the
host's progress). ``timeline``, ``report_rows`` and ``tally`` are pure; ``gather`` reads the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.assessments import versions
from app.assessments.models import Assessment
from app.database import local_today
from app.extensions import db
from app.i18n import current_locale
from app.placements import reporting, service
from app.placements.host_progress import HostProgress, dimension_scores, host_progress, local_date
from app.placements.models import Goal, MonthlyReport, Placement
from app.placements.term_messages import remaining_sentence
from app.placements.terms import Span
from app.placements.vocabulary import GOAL_STATUS_LABELS, REPORT_STATUS_LABELS
from app.province_settings.models import settings_for
from app.training import store as training_store
from app.training.models import Certificate


@dataclass(frozen=True)
class Timeline:
    starts_on: date
    ends_on: date  # planned end
    last_day: date  # the day it ended, or the planned end while it runs
    today: date
    total_days: int
    elapsed_days: int
    days_left: int | None  # None once the placement is closed
    limit_end: date | None  # the last day the person's limit allows (open placements)
    limit_remaining: Span | None

    @property
    def started(self) -> bool:
        return self.today >= self.starts_on


def timeline(starts_on: date, ends_on: date, last_day: date, today: date, *, is_open: bool,
             limit_end: date | None = None, limit_remaining: Span | None = None) -> Timeline:
    """The term as a timeline on ``today`` (pure)."""
    total = max(0, (last_day - starts_on).days + 1)
    elapsed = min(total, max(0, (today - starts_on).days + 1))
    return Timeline(starts_on=starts_on, ends_on=ends_on, last_day=last_day, today=today, total_days=total,
                    elapsed_days=elapsed,
                    # Before the start every day of the term is still ahead, not the days until it begins.
                    days_left=max(0, (ends_on - max(today, starts_on - timedelta(days=1))).days) if is_open else None,
                    limit_end=limit_end, limit_remaining=limit_remaining)


@dataclass(frozen=True)
class ReportRow:
    """One month of the placement and its report (if started)."""

    month: date
    report_id: int | None
    status: str | None
    due_on: date
    late: bool

    @property
    def filed(self) -> bool:
        return self.status in reporting.FILED


def report_rows(months: Sequence[date], reports: Mapping[date, tuple[int, str, date | None]], due_day: int,
                today: date) -> list[ReportRow]:
    """Each month with its report (id, status, first submission day) and whether it is late (pure)."""
    rows = []
    for month in months:
        report_id, status, first_submitted_on = reports.get(month, (None, None, None))
        rows.append(ReportRow(month=month, report_id=report_id, status=status,
                              due_on=reporting.due_on(month, due_day),
                              late=reporting.is_late(month, due_day, first_submitted_on, today)))
    return rows


@dataclass(frozen=True)
class Tally:
    filed: int
    confirmed: int
    late: int
    missing: int  # past their due day and not filed


def tally(rows: Sequence[ReportRow]) -> Tally:
    """The reports counted as the progress view shows them (pure)."""
    return Tally(filed=sum(row.filed for row in rows),
                 confirmed=sum(row.status == reporting.CONFIRMED for row in rows),
                 late=sum(row.late for row in rows),
                 missing=sum(row.late and not row.filed for row in rows))


@dataclass(frozen=True)
class DimensionChange:
    code: str
    title: str
    at_start: float | None
    latest: float | None

    @property
    def change(self) -> float | None:
        return None if self.at_start is None or self.latest is None else self.latest - self.at_start


def reports_of(placement_id: int) -> dict[date, tuple[int, str, date | None]]:
    """The placement's reports by month: id, status, first submission day."""
    rows = db.session.execute(select(MonthlyReport.month, MonthlyReport.id, MonthlyReport.status,
                                     MonthlyReport.first_submitted_at)
                              .where(MonthlyReport.placement_id == placement_id))
    return {month: (report_id, status, local_date(first) if first else None)
            for month, report_id, status, first in rows}


def goals_of(placement_id: int) -> list[Goal]:
    return list(db.session.scalars(select(Goal).where(Goal.placement_id == placement_id)
                                   .order_by(Goal.target_month.is_(None), Goal.target_month, Goal.id)))


def dimension_changes(progress: HostProgress) -> list[DimensionChange]:
    """The host's stored score per area at the start and now, named as the latest version names them."""
    if progress.latest is None:
        return []
    latest = db.session.get(Assessment, progress.latest.assessment_id)
    questionnaire = versions.questionnaire_of(latest.version)  # type: ignore[union-attr]
    start_id = progress.at_start.assessment_id if progress.measured_since_start else None  # type: ignore[union-attr]
    scores = dimension_scores([progress.latest.assessment_id, *([start_id] if start_id else [])])
    locale = current_locale()
    return [DimensionChange(code=d.code, title=d.title(locale),
                            at_start=scores[start_id].get(d.code) if start_id else None,
                            latest=scores[progress.latest.assessment_id].get(d.code))
            for d in questionnaire.dimensions]


def completed_modules(graduate_id: int | None) -> list[str]:
    """Titles of the training modules the graduate completed (certificates), in the reader's language."""
    if graduate_id is None:
        return []
    codes = list(db.session.scalars(select(Certificate.module_code).where(Certificate.user_id == graduate_id)
                                    .order_by(Certificate.issued_at)))
    if not codes:
        return []
    modules = training_store.current_modules()
    locale = current_locale()
    return [modules[code].title(locale) if code in modules else code for code in codes]


def gather(placement: Placement, today: date) -> dict[str, Any]:
    """Everything the progress view shows about ``placement`` on ``today``."""
    settings = settings_for(placement.cooperative.province_code)
    limit_end = limit_remaining = None
    if placement.is_open:
        limit_end, limit_remaining = service.extension_limit(placement)
    due_day = settings.report_due_day
    rows = report_rows(reporting.report_months(placement.starts_on, placement.last_day, today),
                       reports_of(placement.id), due_day, today)
    goals = goals_of(placement.id)
    progress = host_progress([placement])[placement.id]
    return {
        "timeline": timeline(placement.starts_on, placement.ends_on, placement.last_day, today,
                             is_open=placement.is_open, limit_end=limit_end, limit_remaining=limit_remaining),
        "goals": goals,
        "goals_done": sum(goal.status == "done" for goal in goals),
        "goals_open": sum(goal.status in ("planned", "in_progress") for goal in goals),
        "modules_completed": completed_modules(placement.graduate_id),
        "report_rows": list(reversed(rows)),
        "tally": tally(rows),
        "host": progress,
        "dimensions": dimension_changes(progress),
        "limit_sentence": remaining_sentence(limit_remaining, settings.placement_max_years, limit_end)
        if limit_end is not None and limit_remaining is not None else None,
        "goal_labels": GOAL_STATUS_LABELS,
        "report_labels": REPORT_STATUS_LABELS,
    }


def leading(graduate_id: int, today: date | None = None) -> dict[str, Any]:
    """What a graduate's home leads with: the progress of their current placement (else the next one
    planned, else the last one), or ``placement=None`` when they have none."""
    today = today or local_today()
    placements = db.session.scalars(select(Placement).where(Placement.graduate_id == graduate_id)).all()
    if not placements:
        return {"placement": None}
    current = [p for p in placements if p.current_on(today)]
    planned = [p for p in placements if p.is_open and p.starts_on > today]
    placement = (max(current, key=lambda p: p.starts_on) if current
                 else min(planned, key=lambda p: p.starts_on) if planned
                 else max(placements, key=lambda p: p.last_day))
    # The home shows the latest months; the placement's page has them all.
    return {"placement": placement, "may_start_reports": True, "report_limit": 3, **gather(placement, today)}
