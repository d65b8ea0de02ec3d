"""Comparisons on the results page, read from the totals kept at submit time.

Other cooperatives' answers are never read or rescored here, and no submission is scanned:
``standings.ScoreTotal`` holds, per province, kind, sector and status, the sum and count of every
cooperative's latest submitted scores. A peer average is the active cooperatives' sum over the
province (or over the same kind and sector in every province), less the cooperative itself, and
is shown only when enough cooperatives contribute that no single one can be made out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, literal, or_, select, union_all

from app.assessments.models import Assessment, DimensionScore
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.extensions import db
from app.standings.models import OVERALL, LatestAssessment, ScoreTotal

MIN_PEERS = 3  # an average over fewer other cooperatives is not shown


@dataclass(frozen=True)
class PeerAverage:
    """An average over other cooperatives; empty when fewer than ``MIN_PEERS`` contribute."""

    contributors: int
    overall: float | None = None
    dimensions: Mapping[str, float] = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return self.contributors >= MIN_PEERS


@dataclass(frozen=True)
class PeerAverages:
    province: PeerAverage
    same_kind_and_sector: PeerAverage


def peer_average(contributors: int, overall: float | None,
                 dimensions: Iterable[tuple[str, int, float | None]]) -> PeerAverage:
    """Keep an average only where at least ``MIN_PEERS`` cooperatives contribute (overall, and per
    dimension: ``(code, contributors, average)``)."""
    if contributors < MIN_PEERS:
        return PeerAverage(contributors)
    return PeerAverage(
        contributors,
        overall,
        {code: float(average) for code, count, average in dimensions if count >= MIN_PEERS and average is not None},
    )


def averages(sums: Mapping[str, tuple[int, float]]) -> PeerAverage:
    """A ``PeerAverage`` from code → (contributors, sum), the overall under ``OVERALL``."""
    contributors, total = sums.get(OVERALL, (0, 0.0))
    return peer_average(contributors, total / contributors if contributors else None,
                        ((code, count, value / count if count else None)
                         for code, (count, value) in sums.items() if code != OVERALL))


def peer_averages(cooperative: Cooperative) -> PeerAverages:
    """The province's average and the average of the same kind and sector (every province), each
    over the other active cooperatives' latest submitted assessments: two small queries whatever
    the number of cooperatives."""
    in_province = ScoreTotal.province_code == cooperative.province_code
    same_kind = and_(ScoreTotal.kind == cooperative.kind, ScoreTotal.sector == cooperative.sector)
    province: dict[str, list] = {}
    kind: dict[str, list] = {}
    for code, province_count, province_total, kind_count, kind_total in db.session.execute(
            select(ScoreTotal.dimension_code,
                   func.sum(case((in_province, ScoreTotal.contributors), else_=0)),
                   func.sum(case((in_province, ScoreTotal.total), else_=0.0)),
                   func.sum(case((same_kind, ScoreTotal.contributors), else_=0)),
                   func.sum(case((same_kind, ScoreTotal.total), else_=0.0)))
            .where(ScoreTotal.status == Status.ACTIVE.value, or_(in_province, same_kind))
            .group_by(ScoreTotal.dimension_code)):
        province[code] = [int(province_count or 0), float(province_total or 0)]
        kind[code] = [int(kind_count or 0), float(kind_total or 0)]
    # The cooperative's own latest scores are in both sums when it is active: take them out.
    for code, score in db.session.execute(own_latest(cooperative)):
        for sums in (province, kind):
            if code in sums:
                sums[code][0] -= 1
                sums[code][1] -= score
    return PeerAverages(province=averages({code: (count, total) for code, (count, total) in province.items()}),
                        same_kind_and_sector=averages({code: (count, total) for code, (count, total) in kind.items()}))


def own_latest(cooperative: Cooperative):  # noqa: ANN201 - a Select
    """``(dimension code, score)`` of the cooperative's latest submission, overall under ``OVERALL``,
    when it counts in the totals (an active cooperative)."""
    counted = and_(Cooperative.id == cooperative.id, Cooperative.status == Status.ACTIVE.value)
    dimensions = (select(DimensionScore.dimension_code, DimensionScore.score)
                  .join(LatestAssessment, LatestAssessment.assessment_id == DimensionScore.assessment_id)
                  .join(Cooperative, Cooperative.id == LatestAssessment.cooperative_id).where(counted))
    overall = (select(literal(OVERALL), Assessment.overall_score)
               .join(LatestAssessment, LatestAssessment.assessment_id == Assessment.id)
               .join(Cooperative, Cooperative.id == LatestAssessment.cooperative_id)
               .where(counted, Assessment.overall_score.is_not(None)))
    return union_all(dimensions, overall)


def stored_scores(assessment_ids: Iterable[int]) -> dict[int, dict[str, DimensionScore]]:
    """Assessment id → dimension code → the score row stored at submit, in one query."""
    ids = sorted(set(assessment_ids))
    scores: dict[int, dict[str, DimensionScore]] = {assessment_id: {} for assessment_id in ids}
    if ids:
        for row in db.session.scalars(select(DimensionScore).where(DimensionScore.assessment_id.in_(ids))):
            scores[row.assessment_id][row.dimension_code] = row
    return scores
