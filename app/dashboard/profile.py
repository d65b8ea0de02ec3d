"""A cooperative's page for staff preparing a visit; and the cooperative table's narrowing labels and
sort choices.

One place: the profile, every submitted round with its change per area, the answers of one round
(read-only, as stored), the alliance's reviews, training certificates, difficulties and whether it
is a model. A constant number of queries, however many rounds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.assessments import versions
from app.assessments.models import SUBMITTED, Answer, Assessment, DimensionScore
from app.assessments.questionnaire import Questionnaire
from app.auth.models import User
from app.cooperatives.models import Cooperative
from app.dashboard.filters import Assessed
from app.dashboard.overview import quarter_label
from app.dashboard.setting import Setting
from app.difficulties import categories
from app.difficulties.threads import difficulties_of
from app.exemplars.forms import MarkForm, UnmarkForm
from app.exemplars.marking import current_exemplar
from app.extensions import db
from app.numbers import row_id
from app.results.chart import whole
from app.standings.answer_facts import WEAK_BELOW
from app.standings.models import QuestionScore
from app.standings.shown_answers import answer_text
from app.training import store as training_store
from app.training.models import Certificate


@dataclass(frozen=True)
class Round:
    """One submitted assessment in the history, its scores as shown and the change per area."""

    assessment: Assessment
    overall: int | None
    level_name: str
    areas: Mapping[str, int | None]
    changes: Mapping[str, int | None]
    overall_change: int | None
    reviewer: User | None


@dataclass(frozen=True)
class ShownAnswer:
    question: str
    answer: str
    strength: str  # "full", "partial", "weak" or "" (not scored)


@dataclass(frozen=True)
class AnswerGroup:
    title: str
    answers: Sequence[ShownAnswer]


def strength(score: float | None) -> str:
    if score is None:
        return ""
    return "full" if score >= 1 else "weak" if score < WEAK_BELOW else "partial"


def answer_groups(questionnaire: Questionnaire, answers: Mapping[str, Any], scores: Mapping[str, float],
                  locale: str) -> list[AnswerGroup]:
    """The answers of one submitted round, area by area, in questionnaire order."""
    groups = []
    for dimension in questionnaire.dimensions:
        shown = [ShownAnswer(question.text(locale), answer_text(question, answers[question.code], locale),
                             strength(scores.get(question.code)))
                 for question in dimension.questions if answers.get(question.code) not in (None, "", [])]
        if shown:
            groups.append(AnswerGroup(dimension.title(locale), shown))
    return groups


def rounds_of(cooperative: Cooperative, locale: str) -> tuple[list[Assessment], list[Round]]:
    """The submitted assessments, newest first, with their stored scores (three queries)."""
    submitted = list(db.session.scalars(
        select(Assessment).options(selectinload(Assessment.version))
        .where(Assessment.cooperative_id == cooperative.id, Assessment.status == SUBMITTED)
        .order_by(Assessment.id.desc())))
    scores: dict[int, dict[str, int]] = {assessment.id: {} for assessment in submitted}
    if submitted:
        for assessment_id, code, score in db.session.execute(
                select(DimensionScore.assessment_id, DimensionScore.dimension_code, DimensionScore.score)
                .where(DimensionScore.assessment_id.in_(list(scores)))):
            scores[assessment_id][code] = whole(score)
    reviewer_ids = {a.reviewed_by_id for a in submitted if a.reviewed_by_id}
    reviewers = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(reviewer_ids)))} \
        if reviewer_ids else {}
    rounds = []
    for index, assessment in enumerate(submitted):
        questionnaire = versions.questionnaire_of(assessment.version)
        before = submitted[index + 1] if index + 1 < len(submitted) else None
        own = scores[assessment.id]
        earlier = scores[before.id] if before else {}
        overall = None if assessment.overall_score is None else whole(assessment.overall_score)
        previous_overall = None if before is None or before.overall_score is None else whole(before.overall_score)
        level = next((item for item in questionnaire.levels if item.level == assessment.level), None)
        rounds.append(Round(
            assessment=assessment, overall=overall, level_name=level.name(locale) if level else "",
            areas=own,
            # Compared by area code, so rounds on different questionnaire versions still line up.
            changes={code: own[code] - earlier[code] if code in earlier else None for code in own},
            overall_change=overall - previous_overall if overall is not None and previous_overall is not None
            else None,
            reviewer=reviewers.get(assessment.reviewed_by_id) if assessment.reviewed_by_id else None,
        ))
    return submitted, rounds


def chosen_round(submitted: Sequence[Assessment], args: Mapping[str, str]) -> Assessment | None:
    """The round whose answers are shown: ``?round=<id>`` among the cooperative's, else the latest."""
    chosen = row_id(args.get("round"))
    return next((a for a in submitted if a.id == chosen), submitted[0] if submitted else None)


def round_answers(assessment: Assessment, locale: str) -> list[AnswerGroup]:
    """One round's answers as stored, with each scored answer's stored strength (two queries)."""
    answers = dict(db.session.execute(select(Answer.question_code, Answer.value)
                                      .where(Answer.assessment_id == assessment.id)).all())
    scores = dict(db.session.execute(select(QuestionScore.question_code, QuestionScore.score)
                                     .where(QuestionScore.assessment_id == assessment.id)).all())
    return answer_groups(versions.questionnaire_of(assessment.version), answers, scores, locale)


def profile_context(cooperative: Cooperative, args: Mapping[str, str], *, locale: str) -> dict[str, Any]:
    """Everything the cooperative's page shows."""
    submitted, rounds = rounds_of(cooperative, locale)
    shown_round = chosen_round(submitted, args)
    latest_questionnaire = versions.questionnaire_of(submitted[0].version) if submitted else None
    modules = training_store.current_modules()
    certificates = list(db.session.scalars(
        select(Certificate).where(Certificate.cooperative_id == cooperative.id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))
    exemplar = current_exemplar(cooperative.id)
    return {
        "cooperative": cooperative,
        "rounds": rounds,
        "areas": [(d.code, d.title(locale)) for d in latest_questionnaire.dimensions] if latest_questionnaire
        else [],
        "shown_round": shown_round,
        "answer_groups": round_answers(shown_round, locale) if shown_round else [],
        "certificates": certificates,
        "module_titles": {code: module.title(locale) for code, module in modules.items()},
        "difficulties": difficulties_of([cooperative.id]),
        "exemplar": exemplar,
        "may_mark": bool(rounds) and rounds[0].assessment.reviewed_at is not None,
        "mark_form": MarkForm(),
        "unmark_form": UnmarkForm(),
    }


@dataclass(frozen=True)
class Chip:
    """One narrowing of the table, and the table's arguments without it."""

    label: str
    args: Mapping[str, Any]


def narrowing_labels(setting: Setting, locale: str) -> list[Chip]:
    """What narrows the table beyond the dashboard's filters, each removable."""
    selected = setting.selected
    assessed = {Assessed.YES: _("Assessed in the period"), Assessed.NO: _("Not assessed in the period"),
                Assessed.NEVER: _("Never assessed")}
    modules = training_store.current_modules() if selected.trained else {}
    labels: list[tuple[str, str | None]] = [
        ("assessed", assessed[selected.assessed] if selected.assessed else None),
        ("level", _("Level %(number)s: %(name)s", number=selected.level,
                    name=setting.level_name(selected.level, locale)) if selected.level is not None else None),
        ("below", _("Below the province's target in %(area)s", area=setting.area_title(selected.below, locale))
         if selected.below else None),
        ("weak", _("Weak answer to: %(question)s", question=setting.question_text(selected.weak, locale))
         if selected.weak else None),
        ("difficulty", _("Open difficulty: %(category)s", category=categories.label(selected.difficulty, locale))
         if selected.difficulty else None),
        ("trained", (_("Completed: %(module)s", module=modules[selected.trained].title(locale))
                     if selected.trained in modules else _("Completed a training module"))
         if selected.trained else None),
        ("quarter", _("Submitted in %(quarter)s", quarter=quarter_label(selected.quarter))
         if selected.quarter else None),
    ]
    return [Chip(label, replace(selected, **{name: None}).query_args()) for name, label in labels if label]


def sort_choices(setting: Setting, locale: str) -> list[tuple[str, str]]:
    """The table's columns, as the choices of its "sort by" select (the headings sort too)."""
    return ([("name", _("Name")), ("overall", _("Overall score")), ("level", _("Level"))]
            + [(code, setting.area_title(code, locale)) for code in setting.areas]
            + [("date", _("Date of the last self-assessment")), ("change", _("Change since the previous one")),
               ("difficulties", _("Open difficulties")), ("review", _("Review"))])
