"""What a submitted assessment's results page shows, in the order a board reads it (the presenter).

The level and what it means; the areas still short of their target ("Còn thiếu so với mục tiêu");
the next steps, each with its advice, its training modules and whether the viewer completed them;
the comparison (by area, with the last round and with other cooperatives); the history of rounds.
Every number is the one stored at submit time (``drafts.stored_answers_and_result``), shown through
``chart.whole``, in a constant number of queries whatever the number of cooperatives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from app.assessments import drafts, scoring, versions
from app.assessments.models import SUBMITTED, Assessment
from app.assessments.questionnaire import Level, Questionnaire, differing_dimensions
from app.auth.models import User
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.i18n import current_locale, number
from app.results import comparison
from app.results.answers import AnsweredQuestion, answer_sheet, typed_answers
from app.results.chart import BarChart, ChartInput, bar_chart, shown, whole
from app.training import progress
from app.training import store as training_store

REVIEWER_ROLES = frozenset({Role.ALLIANCE, Role.ADMIN})
HISTORY_ROUNDS = 5  # the rounds listed on the page; the history page lists them all
SHORTFALLS_SHOWN = 3  # the weakest areas named first; the table below has them all


def is_reviewer(user: User) -> bool:
    return user.role_enum in REVIEWER_ROLES


def level_of(questionnaire: Questionnaire, assessment: Assessment) -> Level:
    return scoring.stored_level(questionnaire, assessment.level, assessment.overall_score)


@dataclass(frozen=True)
class Summary:
    """What a list shows of a submitted assessment: its overall score and its level."""

    score: int | None
    level: int
    level_name: str


def summaries(assessments: Iterable[Assessment]) -> dict[int, Summary]:
    """Assessment id → its summary, in the user's language (submitted assessments only)."""
    locale = current_locale()
    listed = {}
    for assessment in assessments:
        if assessment.status == SUBMITTED:
            level = level_of(versions.questionnaire_of(assessment.version), assessment)
            listed[assessment.id] = Summary(shown(assessment.overall_score), level.level, level.name(locale))
    return listed


@dataclass(frozen=True)
class AreaRow:
    """One area of the comparison, as the whole numbers the page shows."""

    code: str
    title: str
    score: int | None
    target: int | None
    previous: int | None
    change: int | None
    province: int | None
    same_kind_and_sector: int | None


@dataclass(frozen=True)
class Shortfall:
    """An area below its target, with how far below (the shown numbers subtract)."""

    code: str
    title: str
    score: int
    target: int
    gap: int


@dataclass(frozen=True)
class ModuleLink:
    code: str
    title: str
    minutes: int
    completed: bool | None  # None: the viewer's own training says nothing about this cooperative


@dataclass(frozen=True)
class Step:
    """A next step: the question (its code and its text), the advice, the area's gain and the modules."""

    code: str
    question: str
    area: str
    gain: int
    advice: str | None
    modules: tuple[ModuleLink, ...]


@dataclass(frozen=True)
class Round:
    assessment: Assessment
    summary: Summary
    current: bool


@dataclass(frozen=True)
class Report:
    assessment: Assessment
    cooperative: Cooperative
    questionnaire_title: str
    overall: int | None
    level: Level
    next_level: Level | None
    previous: Assessment | None
    previous_overall: int | None
    overall_change: int | None
    partial_comparison: str  # the areas whose questions differ from the previous round's version
    shortfalls: tuple[Shortfall, ...]
    steps: tuple[Step, ...]
    rows: tuple[AreaRow, ...]
    chart: BarChart
    peers: comparison.PeerAverages
    province_overall: int | None
    same_kind_overall: int | None
    rounds: tuple[Round, ...]
    more_rounds: bool
    reviewer: User | None
    typed: tuple[tuple[str, AnsweredQuestion], ...]

    @property
    def min_peers(self) -> int:
        return comparison.MIN_PEERS

    @property
    def shortfalls_shown(self) -> int:
        return SHORTFALLS_SHOWN


def difference(now: int | None, before: int | None) -> int | None:
    """The change between two shown numbers, so what the page shows adds up for its readers."""
    return now - before if now is not None and before is not None else None


def shortfalls(rows: Sequence[AreaRow], weights: dict[str, float]) -> tuple[Shortfall, ...]:
    """The areas whose shown score is below their shown target, the highest priority (gap × weight) first."""
    short = [Shortfall(row.code, row.title, row.score, row.target, row.target - row.score)
             for row in rows if row.score is not None and row.target is not None and row.score < row.target]
    return tuple(sorted(short, key=lambda item: (-item.gap * weights.get(item.code, 1.0), item.score)))


def build(assessment: Assessment, cooperative: Cooperative, viewer: User) -> Report:
    """Everything the results page of ``assessment`` shows to ``viewer``."""
    locale = current_locale()
    questionnaire = drafts.questionnaire_for(assessment)
    answers, result = drafts.stored_answers_and_result(assessment)
    previous = drafts.last_submitted(cooperative.id, before_id=assessment.id)
    scores = comparison.stored_scores([assessment.id] + ([previous.id] if previous else []))
    own = scores[assessment.id]
    before = scores[previous.id] if previous else {}
    peers = comparison.peer_averages(cooperative)

    rows = []
    for dimension in questionnaire.dimensions:
        stored, earlier = own.get(dimension.code), before.get(dimension.code)
        score = shown(stored.score) if stored else None
        was = shown(earlier.score) if earlier else None
        rows.append(AreaRow(
            code=dimension.code, title=dimension.title(locale), score=score,
            target=shown(stored.target) if stored else None, previous=was, change=difference(score, was),
            province=shown(peers.province.dimensions.get(dimension.code)),
            same_kind_and_sector=shown(peers.same_kind_and_sector.dimensions.get(dimension.code)),
        ))
    chart = bar_chart([
        ChartInput(code=dimension.code, label=dimension.title(locale),
                   score=stored.score if (stored := own.get(dimension.code)) else None,
                   target=stored.target if stored else None,
                   previous=earlier.score if (earlier := before.get(dimension.code)) else None)
        for dimension in questionnaire.dimensions
    ])

    modules = training_store.current_modules()
    # A reviewer's own training says nothing about the cooperative: no completion marks for them.
    completed = None if is_reviewer(viewer) else progress.completed_codes(viewer.id, modules)
    steps = []
    for step in result.next_steps:
        question = questionnaire.question(step.question_code)
        dimension = questionnaire.dimension(step.dimension_code)
        steps.append(Step(
            code=step.question_code,
            question=question.text(locale) if question else step.question_code,
            area=dimension.title(locale) if dimension else step.dimension_code,
            # "Up to 0 more points" would say nothing: a step gains at least a little.
            gain=max(1, whole(step.gain)),
            advice=step.advice(locale) if step.advice else None,
            modules=tuple(ModuleLink(code, modules[code].title(locale), modules[code].minutes,
                                     None if completed is None else code in completed)
                          for code in step.modules if code in modules),
        ))

    rounds = list(db.session.scalars(
        select(Assessment).where(Assessment.cooperative_id == cooperative.id, Assessment.status == SUBMITTED)
        .order_by(Assessment.id.desc()).limit(HISTORY_ROUNDS + 1)))
    listed = summaries(rounds)
    level = level_of(questionnaire, assessment)
    overall = shown(assessment.overall_score)
    previous_overall = shown(previous.overall_score) if previous else None
    # Across questionnaire versions the change is per dimension code both share; say where it is partial.
    partial = [] if previous is None or previous.version_id == assessment.version_id else [
        questionnaire.dimension(code).title(locale)
        for code in differing_dimensions(drafts.questionnaire_for(previous), questionnaire)]
    return Report(
        assessment=assessment,
        cooperative=cooperative,
        questionnaire_title=questionnaire.title(locale),
        overall=overall,
        level=level,
        next_level=next((item for item in questionnaire.levels if item.level == level.level + 1), None),
        previous=previous,
        previous_overall=previous_overall,
        overall_change=difference(overall, previous_overall),
        partial_comparison=", ".join(partial),
        shortfalls=shortfalls(rows, {dimension.code: dimension.weight for dimension in questionnaire.dimensions}),
        steps=tuple(steps),
        rows=tuple(rows),
        chart=chart,
        peers=peers,
        province_overall=shown(peers.province.overall),
        same_kind_overall=shown(peers.same_kind_and_sector.overall),
        rounds=tuple(Round(item, listed[item.id], item.id == assessment.id) for item in rounds[:HISTORY_ROUNDS]),
        more_rounds=len(rounds) > HISTORY_ROUNDS,
        reviewer=db.session.get(User, assessment.reviewed_by_id) if assessment.reviewed_by_id else None,
        typed=typed_answers(answer_sheet(questionnaire, answers, locale, number, profile=result.profile))
        if is_reviewer(viewer) else (),
    )
