"""What a province's yearly report reads from the database, as the plain values of ``yearly.YearFacts``.

The year is Vietnam's calendar year. Figures count active cooperatives, as the dashboard does, and
read what submissions stored (levels, area scores, answer scores: never recomputed). A year's
self-assessments are each cooperative's latest submission made in that year, so a past year's
report stays what it was after a cooperative submits again; the dashboard's own helpers rank the
weak answers, count the register, pick the models and measure the hosts.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime

from sqlalchemy import Select, and_, case, distinct, func, select

from app.assessments.models import SUBMITTED, Assessment, DimensionScore
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.dashboard import figures
from app.dashboard.filters import ProvinceFilter
from app.dashboard.selection import cooperative_conditions, local_midnight_in_utc, target_of, utc_offset
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
from app.standings.models import QuestionScore
from app.tenancy import Scope
from app.training.models import Certificate

FILED = (SUBMITTED_REPORT, CONFIRMED, RETURNED)  # a monthly report sent at least once


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The stored (UTC) times at which the year starts and ends in Vietnam."""
    return local_midnight_in_utc(date(year, 1, 1)), local_midnight_in_utc(date(year + 1, 1, 1))


def province_filter(province_code: int) -> ProvinceFilter:
    """The whole province's active cooperatives: the report ignores the dashboard's narrower filters."""
    return ProvinceFilter(province_code=province_code, status=Status.ACTIVE)


def latest_in_year(scope: Scope, selected: ProvinceFilter, year: int) -> Select:
    """Each selected cooperative's latest submitted assessment of the year: id, cooperative, overall, level."""
    starts, ends = year_bounds(year)
    rank = func.row_number().over(partition_by=Assessment.cooperative_id,
                                  order_by=(Assessment.submitted_at.desc(), Assessment.id.desc()))
    ranked = (select(Assessment.id, Assessment.cooperative_id, Assessment.overall_score, Assessment.level,
                     rank.label("rank"))
              .join(Cooperative, Cooperative.id == Assessment.cooperative_id)
              .where(*cooperative_conditions(scope, selected), Assessment.status == SUBMITTED,
                     Assessment.submitted_at >= starts, Assessment.submitted_at < ends)
              .subquery("ranked"))
    return select(ranked.c.id, ranked.c.cooperative_id, ranked.c.overall_score, ranked.c.level).where(ranked.c.rank == 1)


def submissions(latest: Select) -> dict[int, Submission]:
    """The year's latest submissions by assessment id (read once: the figures below take their ids)."""
    return {assessment_id: Submission(cooperative_id, overall, level)
            for assessment_id, cooperative_id, overall, level in db.session.execute(latest)}


def area_figures(assessment_ids: Collection[int], targets: Mapping[str, float]) -> dict[str, figures.AreaFigure]:
    """Per area, over the year's submissions: the average score, how many, how many below the target."""
    if not assessment_ids:
        return {}
    rows = db.session.execute(
        select(DimensionScore.dimension_code, func.avg(DimensionScore.score), func.count(),
               func.count(case((DimensionScore.score < target_of(targets), 1))))
        .where(DimensionScore.assessment_id.in_(assessment_ids))
        .group_by(DimensionScore.dimension_code))
    return {code: figures.AreaFigure(float(average), count, below) for code, average, count, below in rows}


def weak_answers(assessment_ids: Collection[int]) -> list[figures.WeakAnswer]:
    """The questions most often answered weakly in the year's submissions, ranked as the dashboard does."""
    if not assessment_ids:
        return []
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
    """The years a report can be made for, newest first: from the province's first submitted
    self-assessment (or this year) to this year."""
    first = db.session.scalar(
        select(func.min(Assessment.submitted_at)).join(Cooperative, Cooperative.id == Assessment.cooperative_id)
        .where(*cooperative_conditions(scope, province_filter(province_code), with_status=False),
               Assessment.status == SUBMITTED))
    first_year = min((first + utc_offset()).year, this_year) if first else this_year
    return list(range(this_year, first_year - 1, -1))


def year_facts(scope: Scope, setting: Setting, year: int, *, today: date, locale: str) -> YearFacts:
    """Everything the report of ``year`` reads for the setting's province."""
    selected = province_filter(setting.selected.province_code)
    latest, before = submissions(latest_in_year(scope, selected, year)), \
        submissions(latest_in_year(scope, selected, year - 1))
    modules, people, cooperatives = training(scope, selected, year)
    return YearFacts(
        year=year,
        register=figures.kind_and_status(scope, selected),
        submissions=list(latest.values()),
        previous_submissions=list(before.values()),
        areas=area_figures(list(latest), setting.targets),
        previous_areas=area_figures(list(before), setting.targets),
        targets=setting.targets,
        area_order=setting.areas,
        levels=setting.levels,
        weak_answers=weak_answers(list(latest)),
        models=models(scope, selected, year, locale),
        difficulties=difficulties(scope, selected, year),
        categories=categories.codes(),
        placements=placements(scope, selected, year, today),
        training=modules,
        trained_people=people,
        trained_cooperatives=cooperatives,
    )
