"""What a province's yearly report reads from the database, as the plain values of ``yearly.YearFacts``.

The year is Vietnam's calendar year. Figures count active cooperatives, as the dashboard does, and
read what submissions stored (levels, area scores, answer scores: never recomputed). A year's
self-assessments are each cooperative's latest submission made in that year (``YearLatest``, kept at
submit), so a past year's report stays what it was after a cooperative submits again; the
dashboard's own helpers rank the weak answers, count the register, pick the models and measure the
hosts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, case, distinct, func, select

from app.assessments.models import DimensionScore
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.dashboard import figures
from app.dashboard.filters import ProvinceFilter
from app.dashboard.selection import cooperative_conditions, local_midnight_in_utc, target_of
from app.dashboard.setting import Setting
from app.difficulties import categories
from app.difficulties.models import Difficulty
from app.exemplars import rankings
from app.exemplars.models import Exemplar
from app.extensions import db
from app.placements import host_progress
from app.placements.models import MonthlyReport, Placement
from app.placements.reporting import CONFIRMED, RETURNED
from app.placements.reporting import SUBMITTED as SUBMITTED_REPORT
from app.reports.yearly import ModelFacts, PlacementFacts, Submission, YearFacts
from app.standings.answer_facts import WEAK_BELOW
from app.standings.models import QuarterTotal, QuestionScore, YearLatest
from app.tenancy import Scope
from app.training.models import Certificate

FILED = (SUBMITTED_REPORT, CONFIRMED, RETURNED)  # a monthly report sent at least once


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The stored (UTC) times at which the year starts and ends in Vietnam."""
    return local_midnight_in_utc(date(year, 1, 1)), local_midnight_in_utc(date(year + 1, 1, 1))


def province_filter(province_code: int) -> ProvinceFilter:
    """The whole province's active cooperatives: the report ignores the dashboard's narrower filters."""
    return ProvinceFilter(province_code=province_code, status=Status.ACTIVE)


def in_year(scope: Scope, selected: ProvinceFilter, year: int, *columns: Any) -> Select:
    """``columns`` of each selected cooperative's latest submission of the year (its ``YearLatest``)."""
    return (select(*columns).join(Cooperative, Cooperative.id == YearLatest.cooperative_id)
            .where(*cooperative_conditions(scope, selected), YearLatest.year == year))


def submissions(scope: Scope, selected: ProvinceFilter, year: int) -> list[Submission]:
    """The year's latest submissions, as stored at submit."""
    return [Submission(cooperative_id, overall, level) for cooperative_id, overall, level in db.session.execute(
        in_year(scope, selected, year, YearLatest.cooperative_id, YearLatest.overall_score, YearLatest.level))]


def area_figures(assessment_ids: Select, targets: Mapping[str, float]) -> dict[str, figures.AreaFigure]:
    """Per area, over the submissions ``assessment_ids`` selects: the average score, how many, how many
    below the target."""
    rows = db.session.execute(
        select(DimensionScore.dimension_code, func.avg(DimensionScore.score), func.count(),
               func.count(case((DimensionScore.score < target_of(targets), 1))))
        .where(DimensionScore.assessment_id.in_(assessment_ids))
        .group_by(DimensionScore.dimension_code))
    return {code: figures.AreaFigure(float(average), count, below) for code, average, count, below in rows}


def weak_answers(assessment_ids: Select) -> list[figures.WeakAnswer]:
    """The questions most often answered weakly in the submissions ``assessment_ids`` selects, ranked
    as the dashboard does."""
    is_weak = QuestionScore.score < WEAK_BELOW
    rows = db.session.execute(
        select(QuestionScore.question_code, QuestionScore.option_code, is_weak, func.count())
        .where(QuestionScore.assessment_id.in_(assessment_ids))
        .group_by(QuestionScore.question_code, QuestionScore.option_code, is_weak)).all()
    return figures.ranked_weak_answers(rows)


def models(scope: Scope, selected: ProvinceFilter, year: int, locale: str) -> list[ModelFacts]:
    """The province's current models named by the end of the year, with the areas each does best."""
    _, ends = year_bounds(year)
    visible = and_(*cooperative_conditions(scope, selected), Exemplar.marked_at < ends)
    return [ModelFacts(model.cooperative.name, model.overall,
                       tuple((strength.area, strength.score) for strength in model.strengths))
            for model in rankings.models(visible, locale)]


def difficulties(scope: Scope, selected: ProvinceFilter, year: int) -> dict[tuple[str, str], int]:
    """Difficulties raised in the year, by category and status (as they stand now)."""
    starts, ends = year_bounds(year)
    rows = db.session.execute(
        select(Difficulty.category, Difficulty.status, func.count())
        .join(Cooperative, Cooperative.id == Difficulty.cooperative_id)
        .where(*cooperative_conditions(scope, selected), Difficulty.created_at >= starts, Difficulty.created_at < ends)
        .group_by(Difficulty.category, Difficulty.status))
    return {(category, status): count for category, status, count in rows}


def placements(scope: Scope, selected: ProvinceFilter, year: int, today: date) -> PlacementFacts:
    """Graduates at work in the province's cooperatives during the year (up to today), the monthly
    reports they filed for its months, and each host's score change since its first placement of the year."""
    last_day = min(date(year, 12, 31), today)
    found = list(db.session.scalars(
        select(Placement).join(Cooperative, Cooperative.id == Placement.cooperative_id)
        .where(*cooperative_conditions(scope, selected), Placement.graduate_id.is_not(None),
               Placement.starts_on <= last_day,
               func.coalesce(Placement.ended_on, Placement.ends_on) >= date(year, 1, 1))
        .order_by(Placement.starts_on, Placement.id)))
    if not found:
        return PlacementFacts()
    ids = [placement.id for placement in found]
    filed, confirmed = db.session.execute(
        select(func.count(), func.count(case((MonthlyReport.status == CONFIRMED, 1))))
        .where(MonthlyReport.placement_id.in_(ids), MonthlyReport.status.in_(FILED),
               MonthlyReport.month >= date(year, 1, 1), MonthlyReport.month <= date(year, 12, 1))).one()
    progress = host_progress.host_progress(found)
    first_of_host: dict[int, int] = {}
    for placement in found:  # oldest first: each host is measured from its first placement of the year
        first_of_host.setdefault(placement.cooperative_id, placement.id)
    changes = tuple(change for placement_id in first_of_host.values()
                    if (change := progress[placement_id].change) is not None)
    return PlacementFacts(placements=len(found), graduates=len({p.graduate_id for p in found}),
                          hosts=len(first_of_host), reports_filed=filed, reports_confirmed=confirmed,
                          host_changes=changes)


def training(scope: Scope, selected: ProvinceFilter, year: int) -> tuple[list[figures.ModuleFigure], int, int]:
    """Certificates issued in the year per module (as the dashboard counts them), and how many
    people and cooperatives earned at least one."""
    starts, ends = year_bounds(year)
    conditions = [*cooperative_conditions(scope, selected), Certificate.issued_at >= starts,
                  Certificate.issued_at < ends]
    rows = db.session.execute(
        select(Certificate.module_code, func.count(), func.count(distinct(Certificate.user_id)),
               func.count(distinct(Certificate.cooperative_id)))
        .join(Cooperative, Cooperative.id == Certificate.cooperative_id)
        .where(*conditions).group_by(Certificate.module_code)
        .order_by(func.count().desc(), Certificate.module_code))
    people, cooperatives = db.session.execute(
        select(func.count(distinct(Certificate.user_id)), func.count(distinct(Certificate.cooperative_id)))
        .join(Cooperative, Cooperative.id == Certificate.cooperative_id).where(*conditions)).one()
    return [figures.ModuleFigure(*row) for row in rows], people, cooperatives


def years_with_data(scope: Scope, province_code: int, this_year: int) -> list[int]:
    """The years a report can be made for, newest first: from the year of the province's first
    submitted self-assessment (read from the quarter totals; or this year) to this year."""
    first = db.session.scalar(
        select(func.min(QuarterTotal.quarter))
        .where(QuarterTotal.province_code == province_code, QuarterTotal.submissions > 0)) \
        if scope.covers_province(province_code) else None
    first_year = min(first // 10, this_year) if first else this_year
    return list(range(this_year, first_year - 1, -1))


def year_facts(scope: Scope, setting: Setting, year: int, *, today: date, locale: str) -> YearFacts:
    """Everything the report of ``year`` reads for the setting's province."""
    selected = province_filter(setting.selected.province_code)
    chosen, before = (in_year(scope, selected, each, YearLatest.assessment_id) for each in (year, year - 1))
    modules, people, cooperatives = training(scope, selected, year)
    return YearFacts(
        year=year,
        register=figures.kind_and_status(scope, selected),
        submissions=submissions(scope, selected, year),
        previous_submissions=submissions(scope, selected, year - 1),
        areas=area_figures(chosen, setting.targets),
        previous_areas=area_figures(before, setting.targets),
        targets=setting.targets,
        area_order=setting.areas,
        levels=setting.levels,
        weak_answers=weak_answers(chosen),
        models=models(scope, selected, year, locale),
        difficulties=difficulties(scope, selected, year),
        categories=categories.codes(),
        placements=placements(scope, selected, year, today),
        training=modules,
        trained_people=people,
        trained_cooperatives=cooperatives,
    )
