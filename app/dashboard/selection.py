"""Which cooperatives a filter selects, as SQL: shared by the dashboard's figures and the table.

Everything is read through the pointer to each cooperative's latest submitted assessment
(``LatestAssessment``, which also carries the cooperative's place and latest scores) and the scores
stored at submit time; nothing is scored here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, exists, extract, func, literal, not_, or_, select
from sqlalchemy.orm import aliased

from app.assessments.models import SUBMITTED, Assessment, DimensionScore
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.cooperatives.register_query import RegisterFilter
from app.dashboard.filters import Assessed, ProvinceFilter, Quarter
from app.database import LOCAL_ZONE
from app.difficulties.models import OPEN, Difficulty
from app.extensions import db
from app.standings.answer_facts import WEAK_BELOW
from app.standings.models import LatestAssessment, QuestionScore
from app.tenancy import Scope, scope_filter
from app.training.models import Certificate

ANY_MODULE = "any"

# The latest submitted assessment of each cooperative, reached through its pointer (for what the
# pointer does not carry: whether it was reviewed).
latest = aliased(Assessment, name="latest")


def utc_offset() -> timedelta:
    """Vietnam's offset from UTC (no daylight saving time)."""
    return LOCAL_ZONE.utcoffset(datetime(2026, 1, 1)) or timedelta(0)


def local_midnight_in_utc(day: date) -> datetime:
    """The UTC time at which ``day`` starts in Vietnam, as stored times are naive UTC."""
    return datetime(day.year, day.month, day.day) - utc_offset()


def place_conditions(scope: Scope, selected: ProvinceFilter, place: Any, cooperative_id: ColumnElement[int], *,
                     with_status: bool = True) -> list[ColumnElement[bool]]:
    """The filter's province, ward, sector and kind (and status), within ``scope``, as conditions on
    ``place``: the cooperatives, or the pointers that carry a copy of their place."""
    conditions = [scope_filter(scope, place.province_code, cooperative_id),
                  place.province_code == selected.province_code]
    if selected.ward_code is not None:
        conditions.append(place.ward_code == selected.ward_code)
    if selected.sector is not None:
        conditions.append(place.sector == selected.sector.value)
    if selected.kind is not None:
        conditions.append(place.kind == selected.kind.value)
    if with_status and selected.status is not None:
        conditions.append(place.status == selected.status.value)
    return conditions


def cooperative_conditions(scope: Scope, selected: ProvinceFilter, *,
                           with_status: bool = True) -> list[ColumnElement[bool]]:
    """The cooperatives the filter selects, within ``scope``."""
    return place_conditions(scope, selected, Cooperative, Cooperative.id, with_status=with_status)


def pointer_conditions(scope: Scope, selected: ProvinceFilter) -> list[ColumnElement[bool]]:
    """The pointers of the active cooperatives the filter selects (those with a submission)."""
    return place_conditions(scope, replace(selected, status=Status.ACTIVE), LatestAssessment,
                            LatestAssessment.cooperative_id)


def in_period(since: datetime | None) -> ColumnElement[bool]:
    """The latest submission (its pointer, joined) counts in the period."""
    if since is None:
        return LatestAssessment.cooperative_id.is_not(None)
    return LatestAssessment.submitted_at >= since


def target_of(targets: Mapping[str, float]) -> ColumnElement[float]:
    """Each stored area score's province target, as an SQL expression on ``DimensionScore``."""
    if not targets:
        return literal(100.0)
    return case(*((DimensionScore.dimension_code == code, value) for code, value in sorted(targets.items())),
                else_=literal(100.0))


def narrowing(selected: ProvinceFilter, since: datetime | None,
              targets: Mapping[str, float]) -> list[ColumnElement[bool]]:
    """The table's conditions beyond the dashboard's filters: what the figure behind a link means.
    They expect ``LatestAssessment`` outer-joined to ``Cooperative`` (``with_latest``)."""
    conditions: list[ColumnElement[bool]] = []
    if selected.text:
        register_filter = RegisterFilter(text=selected.text)
        matches = Cooperative.search_name.contains(register_filter.folded_text, autoescape=True)
        if register_filter.tax_code_prefix:
            matches = matches | Cooperative.tax_code.startswith(register_filter.tax_code_prefix, autoescape=True)
        conditions.append(matches)
    if selected.assessed is Assessed.YES:
        conditions.append(in_period(since))
    elif selected.assessed is Assessed.NO:
        conditions.append(or_(LatestAssessment.cooperative_id.is_(None), not_(in_period(since))))
    elif selected.assessed is Assessed.NEVER:
        conditions.append(LatestAssessment.cooperative_id.is_(None))
    if selected.level is not None:
        conditions += [in_period(since), LatestAssessment.level == selected.level]
    if selected.below is not None:
        conditions += [in_period(since), exists().where(
            DimensionScore.assessment_id == LatestAssessment.assessment_id,
            DimensionScore.dimension_code == selected.below,
            DimensionScore.score < targets.get(selected.below, 100.0))]
    if selected.weak is not None:
        # Weak answers are counted on every latest submission, whenever it was made (see figures).
        conditions.append(exists().where(
            QuestionScore.assessment_id == LatestAssessment.assessment_id,
            QuestionScore.question_code == selected.weak, QuestionScore.score < WEAK_BELOW))
    if selected.difficulty is not None:
        conditions.append(exists().where(Difficulty.cooperative_id == Cooperative.id,
                                         Difficulty.category == selected.difficulty, Difficulty.status.in_(OPEN)))
    if selected.trained is not None:
        conditions.append(exists().where(*trained(selected.trained, since)))
    if selected.quarter is not None:
        conditions.append(exists().where(*submitted_in(selected.quarter)))
    return conditions


def trained(module_code: str, since: datetime | None) -> list[ColumnElement[bool]]:
    """A certificate of the cooperative (of ``module_code``, or any) issued in the period."""
    conditions = [Certificate.cooperative_id == Cooperative.id]
    if module_code != ANY_MODULE:
        conditions.append(Certificate.module_code == module_code)
    if since is not None:
        conditions.append(Certificate.issued_at >= since)
    return conditions


def submitted_in(quarter: Quarter) -> list[ColumnElement[bool]]:
    """A submitted assessment of the cooperative in ``quarter`` (Vietnam's calendar)."""
    other = aliased(Assessment, name="in_quarter")
    return [other.cooperative_id == Cooperative.id, other.status == SUBMITTED,
            other.submitted_at >= local_midnight_in_utc(quarter.starts),
            other.submitted_at < local_midnight_in_utc(quarter.ends)]


def with_latest(statement):  # noqa: ANN001, ANN201 - a Select
    """``statement`` over ``Cooperative`` with its pointer outer-joined."""
    return statement.outerjoin(LatestAssessment, LatestAssessment.cooperative_id == Cooperative.id)


def quarter_key(column: ColumnElement[datetime]) -> ColumnElement[int]:
    """``year * 10 + quarter`` of a stored UTC time, in Vietnam's calendar."""
    hours = int(utc_offset().total_seconds() // 3600)
    if db.session.get_bind().dialect.name == "sqlite":
        modifier = f"{hours:+d} hours"
        year = func.cast(func.strftime("%Y", column, modifier), db.Integer)
        month = func.cast(func.strftime("%m", column, modifier), db.Integer)
        return year * 10 + (month + 2) // 3
    shifted = column + timedelta(hours=hours)
    return func.cast(extract("year", shifted) * 10 + extract("quarter", shifted), db.Integer)


def open_difficulties() -> ColumnElement[int]:
    """The number of open difficulties of the cooperative (a correlated count)."""
    return (select(func.count()).where(Difficulty.cooperative_id == Cooperative.id, Difficulty.status.in_(OPEN))
            .correlate(Cooperative).scalar_subquery())


def sort_expression(column: str) -> tuple[ColumnElement, bool]:
    """The SQL value a table column sorts by, and whether it needs ``latest`` joined.
    Area columns are handled by the caller (they need their own join)."""
    expressions = {
        "overall": LatestAssessment.overall_score,
        "level": LatestAssessment.level,
        "date": LatestAssessment.submitted_at,
        "change": LatestAssessment.overall_score - LatestAssessment.previous_overall_score,
        "difficulties": open_difficulties(),
        "review": case((latest.reviewed_at.is_not(None), 1), (latest.id.is_not(None), 0)),
    }
    return expressions[column], column == "review"
