"""The cooperative table: each cooperative's latest scores, level, date, change, open difficulties
and review state, filtered, searched, sorted and paged in SQL.

A page takes five queries whatever the province's size: the count and the page's ids (sorted and
narrowed in SQL), then the page's rows, their area scores and the models among them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.orm import aliased

from app.assessments.models import DimensionScore
from app.cooperatives.models import Cooperative
from app.dashboard.filters import Direction, ProvinceFilter
from app.dashboard.selection import (cooperative_conditions, latest, narrowing, open_difficulties, sort_expression,
                                     with_latest)
from app.exemplars.models import Exemplar
from app.extensions import db
from app.results.chart import whole
from app.standings.models import LatestAssessment
from app.tenancy import Scope


@dataclass(frozen=True)
class TableRow:
    cooperative: Cooperative
    assessment_id: int | None
    overall: int | None
    level: int | None
    submitted_at: datetime | None
    change: int | None
    areas: Mapping[str, int | None]
    open_difficulties: int
    reviewed: bool | None  # None: nothing submitted yet
    exemplar: bool


def _ordered(statement, selected: ProvinceFilter, areas: Sequence[str]):  # noqa: ANN001, ANN202
    """``statement`` ordered by the filter's column: cooperatives without a value last, then by name."""
    descending = selected.direction is Direction.DESC
    if selected.sort == "name":
        name = Cooperative.search_name.desc() if descending else Cooperative.search_name
        return statement.order_by(name, Cooperative.id)
    if selected.sort in areas:
        area = aliased(DimensionScore, name="sort_area")
        statement = statement.outerjoin(area, and_(area.assessment_id == LatestAssessment.assessment_id,
                                                   area.dimension_code == selected.sort))
        value: ColumnElement = area.score
    else:
        value, needs_latest = sort_expression(selected.sort)
        if needs_latest:
            statement = statement.outerjoin(latest, latest.id == LatestAssessment.assessment_id)
    return statement.order_by(value.is_(None), value.desc() if descending else value, Cooperative.search_name,
                              Cooperative.id)


def table_page(scope: Scope, selected: ProvinceFilter, *, areas: Sequence[str], targets: Mapping[str, float],
               now: datetime, per_page: int) -> tuple[Pagination, list[TableRow]]:
    """One page of the table for the filter, and its rows."""
    since = selected.since(now)
    ids = _ordered(with_latest(select(Cooperative.id).select_from(Cooperative))
                   .where(*cooperative_conditions(scope, selected), *narrowing(selected, since, targets)),
                   selected, areas)
    page = db.paginate(ids, page=selected.page, per_page=per_page, error_out=False)
    return page, rows_for(list(page.items), areas)


def rows_for(cooperative_ids: Sequence[int], areas: Sequence[str]) -> list[TableRow]:
    """The table's rows of these cooperatives, in this order (three queries)."""
    if not cooperative_ids:
        return []
    is_exemplar = exists().where(Exemplar.cooperative_id == Cooperative.id, Exemplar.ended_at.is_(None))
    found = {
        row[0].id: row for row in db.session.execute(
            with_latest(select(Cooperative, LatestAssessment.assessment_id, LatestAssessment.overall_score,
                               LatestAssessment.level, LatestAssessment.submitted_at, latest.reviewed_at,
                               LatestAssessment.previous_overall_score, open_difficulties(), is_exemplar)
                        .select_from(Cooperative))
            .outerjoin(latest, latest.id == LatestAssessment.assessment_id)
            .where(Cooperative.id.in_(cooperative_ids)))
    }
    assessment_ids = [row[1] for row in found.values() if row[1] is not None]
    scores: dict[int, dict[str, int]] = {}
    if assessment_ids:
        for assessment_id, code, score in db.session.execute(
                select(DimensionScore.assessment_id, DimensionScore.dimension_code, DimensionScore.score)
                .where(DimensionScore.assessment_id.in_(assessment_ids))):
            scores.setdefault(assessment_id, {})[code] = whole(score)
    rows = []
    for cooperative_id in cooperative_ids:
        cooperative, assessment_id, overall, level, submitted_at, reviewed_at, before, difficulties, exemplar = \
            found[cooperative_id]
        shown = None if overall is None else whole(overall)
        rows.append(TableRow(
            cooperative=cooperative, assessment_id=assessment_id, overall=shown, level=level,
            submitted_at=submitted_at,
            # The change between the whole numbers shown, as on the results page.
            change=shown - whole(before) if shown is not None and before is not None else None,
            areas={code: scores.get(assessment_id, {}).get(code) for code in areas},
            open_difficulties=difficulties, reviewed=None if assessment_id is None else reviewed_at is not None,
            exemplar=bool(exemplar),
        ))
    return rows
