"""The placements list for the alliance: filters kept in the URL, and the two lists that matter each
month (placements ending within 60 days, placements with no report for last month). Every query is
limited by ``app.tenancy`` and runs a constant number of times per page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.orm import contains_eager, selectinload

from app.auth.models import User
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.characters import query_text
from app.numbers import row_id
from app.placements.models import ACTIVE, COMPLETED, ENDED_EARLY, OPEN_STATUSES, PLANNED, MonthlyReport, Placement
from app.placements.reporting import FILED, month_start
from app.placements.terms import add_months
from app.tenancy import visible_placements

ENDING_WITHIN_DAYS = 60
# The monthly lists are meant to be read through; past this many a filter narrows them.
MONTHLY_LIST_LIMIT = 100


@dataclass(frozen=True)
class Filters:
    """The list's filters, parsed from the URL (``None``: not filtered)."""

    status: str | None = None
    cooperative_id: int | None = None
    ward_code: int | None = None
    field: str = ""

    def as_args(self) -> dict[str, str]:
        """The filters as URL arguments, for links that keep them."""
        args = {"status": self.status or "", "cooperative": str(self.cooperative_id or ""),
                "ward": str(self.ward_code or ""), "field": self.field}
        return {key: value for key, value in args.items() if value}


def whole_number(raw: object) -> int | None:
    return row_id(raw)


def parse_filters(args: Mapping[str, str]) -> Filters:
    """Filters from the query string; anything odd is ignored, never an error (the URL may be old)."""
    status = args.get("status")
    return Filters(status=status if status in (PLANNED, ACTIVE, COMPLETED, ENDED_EARLY) else None,
                   cooperative_id=whole_number(args.get("cooperative")), ward_code=whole_number(args.get("ward")),
                   field=query_text(args, "field", max_length=120))


def status_condition(status: str, today: date) -> ColumnElement[bool]:
    """An open placement is planned before its start and active from it, whatever was stored when
    it was written; a closed one is what it was closed as."""
    is_open = Placement.status.in_(OPEN_STATUSES)
    if status == PLANNED:
        return and_(is_open, Placement.starts_on > today)
    if status == ACTIVE:
        return and_(is_open, Placement.starts_on <= today)
    return Placement.status == status


def with_people(statement: Select) -> Select:
    """Load each placement's host (already joined) and graduate with it."""
    return statement.options(contains_eager(Placement.cooperative), selectinload(Placement.graduate))


def filtered(user: User, filters: Filters, today: date) -> Select[tuple[Placement]]:
    """The placements ``user`` may see that pass ``filters``, the soonest to end first."""
    statement = visible_placements(user)
    if filters.status:
        statement = statement.where(status_condition(filters.status, today))
    if filters.cooperative_id:
        statement = statement.where(Placement.cooperative_id == filters.cooperative_id)
    if filters.ward_code:
        statement = statement.where(Cooperative.ward_code == filters.ward_code)
    if filters.field:
        statement = statement.where(Placement.field_of_study.icontains(filters.field, autoescape=True))
    return with_people(statement).order_by(Placement.ends_on, Placement.id)


def ending_soon(user: User, today: date) -> Select[tuple[Placement]]:
    """Open placements whose planned end falls within the next 60 days."""
    return with_people(visible_placements(user).where(
        Placement.status.in_(OPEN_STATUSES), Placement.ends_on >= today,
        Placement.ends_on <= today + timedelta(days=ENDING_WITHIN_DAYS),
    )).order_by(Placement.ends_on, Placement.id).limit(MONTHLY_LIST_LIMIT)


def last_month(today: date) -> date:
    return add_months(month_start(today), -1)


def missing_report(user: User, today: date) -> Select[tuple[Placement]]:
    """Placements that ran during last month and whose graduate has filed no report for it."""
    month = last_month(today)
    filed = exists().where(MonthlyReport.placement_id == Placement.id, MonthlyReport.month == month,
                           MonthlyReport.status.in_(FILED))
    return with_people(visible_placements(user).where(
        Placement.graduate_id.is_not(None),
        Placement.starts_on < month_start(today),
        func.coalesce(Placement.ended_on, Placement.ends_on) >= month,
        ~filed,
    )).order_by(Cooperative.search_name, Placement.id).limit(MONTHLY_LIST_LIMIT)


def reports_waiting(placement_ids: list[int], status: str) -> dict[int, list[MonthlyReport]]:
    """Per placement: its reports in ``status`` (waiting for someone), oldest month first (one query)."""
    waiting: dict[int, list[MonthlyReport]] = {placement_id: [] for placement_id in placement_ids}
    if placement_ids:
        for report in db.session.scalars(select(MonthlyReport).where(
                MonthlyReport.placement_id.in_(placement_ids), MonthlyReport.status == status)
                .order_by(MonthlyReport.month)):
            waiting[report.placement_id].append(report)
    return waiting
