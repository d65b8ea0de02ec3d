"""The dashboard's figures, each aggregated in SQL over what submissions stored.

One query per figure, whatever the number of cooperatives: status and kind counts, how many
assessed in the period (and which never did) and at which levels, area averages against the
province's targets, the commonest weak answers by question code (so questionnaire versions
combine), the average by quarter, difficulties by category and status, and training completions.
Figures count active cooperatives and read each one's latest submission in the period from the
pointers kept at submit; a whole province's weak answers and quarters read the totals kept beside
them (a commune or ward, its few rows).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import case, distinct, func, select

from app.assessments.models import SUBMITTED, Assessment, DimensionScore
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.dashboard.filters import ProvinceFilter, Quarter, last_quarters
from app.dashboard.selection import (cooperative_conditions, in_period, local_midnight_in_utc, pointer_conditions,
                                     quarter_key, target_of, with_latest)
from app.difficulties.models import OPEN, Difficulty
from app.extensions import db
from app.standings.answer_facts import WEAK_BELOW
from app.standings.models import AnswerTotal, LatestAssessment, QuarterTotal, QuestionScore
from app.tenancy import Scope
from app.training.models import Certificate

NEVER_LISTED = 10  # never-assessed cooperatives named on the dashboard; the table has them all
WEAK_LISTED = 8
TREND_QUARTERS = 8


@dataclass(frozen=True)
class Coverage:
    active: int
    assessed: int  # latest submission in the period
    never: int

    @property
    def not_assessed(self) -> int:
        return self.active - self.assessed


@dataclass(frozen=True)
class AreaFigure:
    average: float
    contributors: int
    below_target: int


@dataclass(frozen=True)
class WeakAnswer:
    question_code: str
    weak: int
    answered: int
    commonest_option: str | None = None

    @property
    def share(self) -> float:
        return self.weak / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class QuarterFigure:
    quarter: Quarter
    submissions: int
    average: float | None


@dataclass(frozen=True)
class ModuleFigure:
    module_code: str
    certificates: int
    people: int
    cooperatives: int


@dataclass(frozen=True)
class Picture:
    """Every figure of the dashboard, as plain values."""

    by_kind_and_status: Mapping[tuple[str, str], int]
    coverage: Coverage
    never_assessed: Sequence[Cooperative]
    levels: Mapping[int, int]
    overall_average: float | None
    areas: Mapping[str, AreaFigure]
    weak_answers: Sequence[WeakAnswer]
    trend: Sequence[QuarterFigure]
    open_difficulties: Mapping[str, int]  # by category, whenever raised
    difficulties_in_period: Mapping[str, int]  # by status, raised in the period
    training: Sequence[ModuleFigure]


def picture(scope: Scope, selected: ProvinceFilter, *, now: datetime, today: date,
            targets: Mapping[str, float]) -> Picture:
    """Every figure for the filter, in a constant number of queries."""
    active = replace(selected, status=Status.ACTIVE)
    since = active.since(now)
    by_kind_and_status = kind_and_status(scope, active)
    levels, overall_average, assessed, with_submission = latest_levels(scope, active, since)
    open_by_category, in_period_by_status = difficulty_counts(scope, active, since)
    active_count = sum(count for (_, status), count in by_kind_and_status.items() if status == Status.ACTIVE.value)
    return Picture(
        by_kind_and_status=by_kind_and_status,
        coverage=Coverage(active_count, assessed, active_count - with_submission),
        never_assessed=never_assessed(scope, active),
        levels=levels,
        overall_average=overall_average,
        areas=area_averages(scope, active, since, targets),
        weak_answers=weak_answers(scope, active),
        trend=trend(scope, active, today),
        open_difficulties=open_by_category,
        difficulties_in_period=in_period_by_status,
        training=training(scope, active, since),
    )


def kind_and_status(scope: Scope, selected: ProvinceFilter) -> dict[tuple[str, str], int]:
    rows = db.session.execute(
        select(Cooperative.kind, Cooperative.status, func.count())
        .where(*cooperative_conditions(scope, selected, with_status=False))
        .group_by(Cooperative.kind, Cooperative.status))
    return {(kind, status): count for kind, status, count in rows}


def never_assessed(scope: Scope, selected: ProvinceFilter) -> list[Cooperative]:
    return list(db.session.scalars(
        with_latest(select(Cooperative))
        .where(*cooperative_conditions(scope, selected), LatestAssessment.cooperative_id.is_(None))
        .order_by(Cooperative.search_name, Cooperative.id).limit(NEVER_LISTED)))


def latest_levels(scope: Scope, selected: ProvinceFilter,
                  since: datetime | None) -> tuple[dict[int, int], float | None, int, int]:
    """From the active cooperatives' pointers alone: cooperatives per level and the average overall
    score of the latest submissions in the period, how many those are, and how many have any."""
    counted = in_period(since)
    rows = db.session.execute(
        select(LatestAssessment.level, counted, func.count(), func.sum(LatestAssessment.overall_score),
               func.count(LatestAssessment.overall_score))
        .where(*pointer_conditions(scope, selected))
        .group_by(LatestAssessment.level, counted)).all()
    recent = [row for row in rows if row[1]]
    scored = sum(row[4] for row in recent)
    total = sum(row[3] or 0.0 for row in recent)
    levels: dict[int, int] = {}
    for level, _, count, _, _ in recent:
        if level is not None:
            levels[level] = levels.get(level, 0) + count
    return (levels, total / scored if scored else None, sum(row[2] for row in recent),
            sum(row[2] for row in rows))


def area_averages(scope: Scope, selected: ProvinceFilter, since: datetime | None,
                  targets: Mapping[str, float]) -> dict[str, AreaFigure]:
    """Per area: the average latest score, how many contribute, and how many are below the target."""
    rows = db.session.execute(
        select(DimensionScore.dimension_code, func.avg(DimensionScore.score), func.count(),
               func.count(case((DimensionScore.score < target_of(targets), 1))))
        .select_from(LatestAssessment)
        .join(DimensionScore, DimensionScore.assessment_id == LatestAssessment.assessment_id)
        .where(*pointer_conditions(scope, selected), in_period(since))
        .group_by(DimensionScore.dimension_code))
    return {code: AreaFigure(float(average), count, below) for code, average, count, below in rows}


def weak_answers(scope: Scope, selected: ProvinceFilter) -> list[WeakAnswer]:
    """The questions most often answered weakly (below half their points) in the latest submission of
    each active cooperative, whenever it was made, by question code (so questionnaire versions
    combine), with the weak option chosen most often. A whole province (or kind, or sector) is read
    from the answer totals kept at submit; a commune or ward, from its few pointers' answer scores."""
    if selected.ward_code is None and scope.covers_province(selected.province_code):
        conditions = [AnswerTotal.province_code == selected.province_code, AnswerTotal.status == Status.ACTIVE.value]
        if selected.sector is not None:
            conditions.append(AnswerTotal.sector == selected.sector.value)
        if selected.kind is not None:
            conditions.append(AnswerTotal.kind == selected.kind.value)
        rows = db.session.execute(
            select(AnswerTotal.question_code, AnswerTotal.option_code, AnswerTotal.weak, func.sum(AnswerTotal.answers))
            .where(*conditions)
            .group_by(AnswerTotal.question_code, AnswerTotal.option_code, AnswerTotal.weak)).all()
    else:
        is_weak = QuestionScore.score < WEAK_BELOW
        rows = db.session.execute(
            select(QuestionScore.question_code, QuestionScore.option_code, is_weak, func.count())
            .select_from(LatestAssessment)
            .join(QuestionScore, QuestionScore.assessment_id == LatestAssessment.assessment_id)
            .where(*pointer_conditions(scope, selected))
            .group_by(QuestionScore.question_code, QuestionScore.option_code, is_weak)).all()
    return ranked_weak_answers(rows)


def ranked_weak_answers(rows: Sequence[tuple[str, str | None, bool, int]]) -> list[WeakAnswer]:
    """``(question, option, weak, count)`` rows ranked by the share of weak answers (pure)."""
    answered: dict[str, int] = {}
    weak: dict[str, int] = {}
    commonest: dict[str, tuple[int, str]] = {}
    for code, option, weak_answer, count in rows:
        count = int(count or 0)
        answered[code] = answered.get(code, 0) + count
        if weak_answer and count:
            weak[code] = weak.get(code, 0) + count
            if option and (code not in commonest or (count, option) > commonest[code]):
                commonest[code] = (count, option)
    ranked = sorted(weak, key=lambda code: (-weak[code] / answered[code], -weak[code], code))
    return [WeakAnswer(code, weak[code], answered[code], commonest[code][1] if code in commonest else None)
            for code in ranked[:WEAK_LISTED]]


def trend(scope: Scope, selected: ProvinceFilter, today: date) -> list[QuarterFigure]:
    """Submissions and their average overall score per quarter, over the last ``TREND_QUARTERS``, by
    cooperatives of any status (what was submitted then). A whole province (or kind, or sector) is
    read from the quarter totals kept at submit; a commune or ward, from its few submissions."""
    quarters = last_quarters(today, TREND_QUARTERS)
    first = quarters[0].year * 10 + quarters[0].number
    if selected.ward_code is None and scope.covers_province(selected.province_code):
        conditions = [QuarterTotal.province_code == selected.province_code, QuarterTotal.quarter >= first]
        if selected.sector is not None:
            conditions.append(QuarterTotal.sector == selected.sector.value)
        if selected.kind is not None:
            conditions.append(QuarterTotal.kind == selected.kind.value)
        rows = db.session.execute(
            select(QuarterTotal.quarter, func.sum(QuarterTotal.submissions), func.sum(QuarterTotal.scored),
                   func.sum(QuarterTotal.total))
            .where(*conditions).group_by(QuarterTotal.quarter)).all()
        found = {int(quarter): (int(count), total / scored if scored else None)
                 for quarter, count, scored, total in rows}
    else:
        key = quarter_key(Assessment.submitted_at)
        rows = db.session.execute(
            select(key, func.count(), func.avg(Assessment.overall_score))
            .join(Cooperative, Cooperative.id == Assessment.cooperative_id)
            .where(*cooperative_conditions(scope, selected, with_status=False), Assessment.status == SUBMITTED,
                   Assessment.submitted_at >= local_midnight_in_utc(quarters[0].starts))
            .group_by(key)).all()
        found = {int(code): (count, average) for code, count, average in rows}
    figures = []
    for quarter in quarters:
        count, average = found.get(quarter.year * 10 + quarter.number, (0, None))
        figures.append(QuarterFigure(quarter, count, None if average is None else float(average)))
    return figures


def difficulty_counts(scope: Scope, selected: ProvinceFilter,
                      since: datetime | None) -> tuple[dict[str, int], dict[str, int]]:
    """Open difficulties by category (whenever raised), and difficulties raised in the period by status."""
    recent = Difficulty.created_at >= since if since is not None else Difficulty.id.is_not(None)
    rows = db.session.execute(
        select(Difficulty.category, Difficulty.status, func.count(), func.count(case((recent, 1))))
        .join(Cooperative, Cooperative.id == Difficulty.cooperative_id)
        .where(*cooperative_conditions(scope, selected))
        .group_by(Difficulty.category, Difficulty.status))
    open_by_category: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for category, status, count, in_period_count in rows:
        if status in OPEN:
            open_by_category[category] = open_by_category.get(category, 0) + count
        by_status[status] = by_status.get(status, 0) + in_period_count
    return open_by_category, by_status


def training(scope: Scope, selected: ProvinceFilter, since: datetime | None) -> list[ModuleFigure]:
    """Certificates issued in the period per module: how many, to how many people, in how many cooperatives."""
    conditions = cooperative_conditions(scope, selected)
    if since is not None:
        conditions.append(Certificate.issued_at >= since)
    rows = db.session.execute(
        select(Certificate.module_code, func.count(), func.count(distinct(Certificate.user_id)),
               func.count(distinct(Certificate.cooperative_id)))
        .join(Cooperative, Cooperative.id == Certificate.cooperative_id)
        .where(*conditions)
        .group_by(Certificate.module_code)
        .order_by(func.count().desc(), Certificate.module_code))
    return [ModuleFigure(*row) for row in rows]
