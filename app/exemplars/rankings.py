"""Rankings of a province's cooperatives, and what each model cooperative does best.

Only submitted results the alliance has reviewed count: a cooperative ranks by its latest
submitted assessment when that one is reviewed. Improvement compares it with the cooperative's
previous submission of the same questionnaire (by code, so versions combine). Everything reads
the scores stored at submit time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased, selectinload

from app.assessments import versions
from app.assessments.models import Answer, Assessment, DimensionScore, QuestionnaireVersion
from app.assessments.questionnaire import Questionnaire
from app.cooperatives.models import Cooperative
from app.dashboard.filters import ProvinceFilter
from app.dashboard.selection import cooperative_conditions, in_period, latest
from app.exemplars.models import Exemplar
from app.extensions import db
from app.results.chart import whole
from app.standings.models import LatestAssessment, QuestionScore
from app.standings.shown_answers import answer_text
from app.tenancy import Scope

RANKED = 10
STRENGTHS = 2  # areas shown as what a model does best
ANSWERS_PER_STRENGTH = 4


@dataclass(frozen=True)
class Ranked:
    cooperative: Cooperative
    assessment_id: int
    overall: int
    change: int | None
    exemplar: bool


def _reviewed_latest(scope: Scope, selected: ProvinceFilter, since: datetime | None):  # noqa: ANN202
    is_exemplar = exists().where(Exemplar.cooperative_id == Cooperative.id, Exemplar.ended_at.is_(None))
    return (select(Cooperative, LatestAssessment.assessment_id, LatestAssessment.overall_score,
                   LatestAssessment.previous_overall_score, is_exemplar)
            .join(LatestAssessment, LatestAssessment.cooperative_id == Cooperative.id)
            .join(latest, latest.id == LatestAssessment.assessment_id)
            .where(*cooperative_conditions(scope, selected), in_period(since), latest.reviewed_at.is_not(None),
                   LatestAssessment.overall_score.is_not(None)))


def _ranked(rows: Sequence[Any]) -> list[Ranked]:
    ranked = []
    for cooperative, assessment_id, overall, before, exemplar in rows:
        shown = whole(overall)
        ranked.append(Ranked(cooperative, assessment_id, shown,
                             shown - whole(before) if before is not None else None, bool(exemplar)))
    return ranked


def by_score(scope: Scope, selected: ProvinceFilter, since: datetime | None) -> list[Ranked]:
    """The highest latest overall scores (reviewed)."""
    return _ranked(db.session.execute(
        _reviewed_latest(scope, selected, since)
        .order_by(LatestAssessment.overall_score.desc(), Cooperative.search_name, Cooperative.id).limit(RANKED)).all())


def by_improvement(scope: Scope, selected: ProvinceFilter, since: datetime | None) -> list[Ranked]:
    """The largest rises of the overall score between the last two submissions of one questionnaire."""
    previous = aliased(Assessment, name="previous")
    latest_version = aliased(QuestionnaireVersion, name="latest_version")
    previous_version = aliased(QuestionnaireVersion, name="previous_version")
    change = LatestAssessment.overall_score - LatestAssessment.previous_overall_score
    return _ranked(db.session.execute(
        _reviewed_latest(scope, selected, since).join(previous, previous.id == LatestAssessment.previous_id)
        .join(latest_version, latest_version.id == latest.version_id)
        .join(previous_version, previous_version.id == previous.version_id)
        .where(latest_version.code == previous_version.code, LatestAssessment.previous_overall_score.is_not(None),
               change > 0)
        .order_by(change.desc(), Cooperative.search_name, Cooperative.id).limit(RANKED)).all())


@dataclass(frozen=True)
class Strength:
    area: str
    score: int
    answers: Sequence[tuple[str, str]]  # (question, the answer that earns full points)


@dataclass(frozen=True)
class Model:
    exemplar: Exemplar
    cooperative: Cooperative
    overall: int | None
    strengths: Sequence[Strength]


def models(visible: Any, locale: str) -> list[Model]:
    """The current models among the cooperatives ``visible`` selects (an SQL condition), each with
    its strongest areas and the answers behind them, in a constant number of queries."""
    rows = db.session.execute(
        select(Exemplar, Cooperative, LatestAssessment.assessment_id)
        .join(Cooperative, Cooperative.id == Exemplar.cooperative_id)
        .outerjoin(LatestAssessment, LatestAssessment.cooperative_id == Cooperative.id)
        .where(visible, Exemplar.ended_at.is_(None))
        .order_by(Exemplar.marked_at.desc(), Exemplar.id.desc())).all()
    assessment_ids = [row[2] for row in rows if row[2] is not None]
    assessments = {a.id: a for a in db.session.scalars(
        select(Assessment).options(selectinload(Assessment.version)).where(Assessment.id.in_(assessment_ids)))} \
        if assessment_ids else {}
    scores: dict[int, dict[str, float]] = {}
    full: dict[int, list[str]] = {}
    answers: dict[int, dict[str, Any]] = {}
    if assessment_ids:
        for assessment_id, code, score in db.session.execute(
                select(DimensionScore.assessment_id, DimensionScore.dimension_code, DimensionScore.score)
                .where(DimensionScore.assessment_id.in_(assessment_ids))):
            scores.setdefault(assessment_id, {})[code] = score
        for assessment_id, code in db.session.execute(
                select(QuestionScore.assessment_id, QuestionScore.question_code)
                .where(QuestionScore.assessment_id.in_(assessment_ids), QuestionScore.score >= 1)
                .order_by(QuestionScore.id)):
            full.setdefault(assessment_id, []).append(code)
        for assessment_id, code, value in db.session.execute(
                select(Answer.assessment_id, Answer.question_code, Answer.value)
                .join(QuestionScore, (QuestionScore.assessment_id == Answer.assessment_id)
                      & (QuestionScore.question_code == Answer.question_code))
                .where(Answer.assessment_id.in_(assessment_ids), QuestionScore.score >= 1)):
            answers.setdefault(assessment_id, {})[code] = value
    found = []
    for exemplar, cooperative, assessment_id in rows:
        assessment = assessments.get(assessment_id) if assessment_id else None
        strengths: list[Strength] = []
        if assessment is not None:
            strengths = strongest(versions.questionnaire_of(assessment.version), scores.get(assessment.id, {}),
                                  full.get(assessment.id, []), answers.get(assessment.id, {}), locale)
        overall = assessment.overall_score if assessment is not None else None
        found.append(Model(exemplar, cooperative, None if overall is None else whole(overall), strengths))
    return found


def strongest(questionnaire: Questionnaire, scores: Mapping[str, float], full_codes: Sequence[str],
              answers: Mapping[str, Any], locale: str) -> list[Strength]:
    """The ``STRENGTHS`` best-scored areas (questionnaire order breaks ties), each with the answers
    that earned full points there."""
    order = {d.code: index for index, d in enumerate(questionnaire.dimensions)}
    best = sorted((code for code in scores if code in order), key=lambda code: (-scores[code], order[code]))
    strengths = []
    for code in best[:STRENGTHS]:
        dimension = questionnaire.dimension(code)
        shown = []
        for question_code in full_codes:
            question = questionnaire.question(question_code)
            if question is None or question.dimension != code or question_code not in answers:
                continue
            shown.append((question.text(locale), answer_text(question, answers[question_code], locale)))
        strengths.append(Strength(dimension.title(locale) if dimension else code, whole(scores[code]),
                                  shown[:ANSWERS_PER_STRENGTH]))
    return strengths
