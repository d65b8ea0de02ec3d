"""Comparisons on the results page, aggregated in SQL over the scores stored at submit time.

Other cooperatives' answers are never read or rescored here: each peer average is taken
over the stored ``DimensionScore`` rows and ``Assessment.overall_score`` of the latest
submitted assessment of every other active cooperative, and is shown only when enough
cooperatives contribute that no single one can be made out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Subquery, and_, case, func, or_, select

from app.assessments.models import SUBMITTED, Assessment, DimensionScore
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.extensions import db

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


def latest_submitted() -> Subquery:
    """``(cooperative_id, assessment_id)`` of every cooperative's latest submitted assessment."""
    return (
        select(Assessment.cooperative_id, func.max(Assessment.id).label("assessment_id"))
        .where(Assessment.status == SUBMITTED)
        .group_by(Assessment.cooperative_id)
        .subquery("latest_submitted")
    )


def peer_averages(cooperative: Cooperative) -> PeerAverages:
    """The province's average and the average of the same kind and sector (every province), each
    over the other cooperatives' latest submitted assessments: two queries whatever the numbers."""
    latest = latest_submitted()
    in_province = Cooperative.province_code == cooperative.province_code
    same_kind = and_(Cooperative.kind == cooperative.kind, Cooperative.sector == cooperative.sector)
    peers = and_(latest.c.cooperative_id != cooperative.id, Cooperative.status == Status.ACTIVE.value,
                 or_(in_province, same_kind))

    def counted(group: ColumnElement[bool]) -> ColumnElement[int]:
        return func.count(case((group, latest.c.cooperative_id)))

    def averaged(group: ColumnElement[bool], value: ColumnElement[float]) -> ColumnElement[float]:
        return func.avg(case((group, value)))

    overall = db.session.execute(
        select(counted(in_province), averaged(in_province, Assessment.overall_score),
               counted(same_kind), averaged(same_kind, Assessment.overall_score))
        .select_from(latest)
        .join(Assessment, Assessment.id == latest.c.assessment_id)
        .join(Cooperative, Cooperative.id == latest.c.cooperative_id)
        .where(peers)
    ).one()
    by_dimension = db.session.execute(
        select(DimensionScore.dimension_code,
               counted(in_province), averaged(in_province, DimensionScore.score),
               counted(same_kind), averaged(same_kind, DimensionScore.score))
        .select_from(latest)
        .join(DimensionScore, DimensionScore.assessment_id == latest.c.assessment_id)
        .join(Cooperative, Cooperative.id == latest.c.cooperative_id)
        .where(peers)
        .group_by(DimensionScore.dimension_code)
    ).all()
    return PeerAverages(
        province=peer_average(overall[0], overall[1], ((row[0], row[1], row[2]) for row in by_dimension)),
        same_kind_and_sector=peer_average(overall[2], overall[3], ((row[0], row[3], row[4]) for row in by_dimension)),
    )


def stored_scores(assessment_ids: Iterable[int]) -> dict[int, dict[str, DimensionScore]]:
    """Assessment id → dimension code → the score row stored at submit, in one query."""
    ids = sorted(set(assessment_ids))
    scores: dict[int, dict[str, DimensionScore]] = {assessment_id: {} for assessment_id in ids}
    if ids:
        for row in db.session.scalars(select(DimensionScore).where(DimensionScore.assessment_id.in_(ids))):
            scores[row.assessment_id][row.dimension_code] = row
    return scores
