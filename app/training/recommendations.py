"""Which training modules to take next, and why, from a cooperative's submitted results (pure).

The modules linked to the top next steps come first, in next-step order; then the modules
serving the weakest areas (by priority, then score), within an area those that fix its
lowest-scoring answers first. Modules the person completed are left out, none twice.

Each recommendation carries its reason as plain values in the reader's language (the area, its
score as shown on the results page, the question and the answer given); the page puts them into
a translated sentence. No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Set
from dataclasses import dataclass

from app.assessments.questionnaire import Dimension, Profile, Question, Questionnaire
from app.assessments.scoring import AnswerValue, Answers, Result, applicable, question_score
from app.results.chart import whole
from app.training.modules import Module

LIMIT = 4


@dataclass(frozen=True)
class Reason:
    """Why a module is recommended: the area's score and, when one shows it, the answer behind it."""

    area: str
    score: int
    target: int
    question: str | None = None
    answer: str | None = None


@dataclass(frozen=True)
class Recommendation:
    module: Module
    reason: Reason


def plain_number(value: float) -> str:
    """12 for 12.0, 2.5 for 2.5: the default way a number answer is written into a reason."""
    return f"{value:g}"


def answer_text(question: Question, value: AnswerValue | None, locale: str,
                number: Callable[[float], str] = plain_number) -> str | None:
    """The answer as the person chose it: the option's label, the ticked labels, or the number and unit."""
    if value is None or value == "" or question.kind == "text":
        return None
    if question.kind == "number":
        unit = question.unit(locale) if question.unit else ""
        return f"{number(float(value))} {unit}".strip()  # type: ignore[arg-type]
    codes = value if isinstance(value, list) else [str(value)]
    labels = [option.label(locale) for code in codes if (option := question.option(code)) is not None]
    return ", ".join(labels) or None


def _weak_questions(questionnaire: Questionnaire, dimension: Dimension, answers: Answers,
                    profile: Profile) -> Iterator[Question]:
    """The dimension's applicable questions answered below full points, those that would gain most first."""
    scored = []
    for position, question in enumerate(dimension.questions):
        if not applicable(questionnaire, question, answers, profile=profile):
            continue
        s = question_score(question, answers.get(question.code))
        if s is not None and s < 1:
            scored.append((-question.weight * (1 - s), position, question))
    for _gain, _position, question in sorted(scored, key=lambda item: item[:2]):
        yield question


def recommend(questionnaire: Questionnaire, answers: Answers, result: Result | None,
              modules: Mapping[str, Module], completed: Set[str], locale: str, *, limit: int = LIMIT,
              number: Callable[[float], str] = plain_number) -> list[Recommendation]:
    """Up to ``limit`` modules to take next, with their reasons; none without a submitted result."""
    if result is None:
        return []
    chosen: dict[str, Recommendation] = {}

    def reason(dimension_code: str, question: Question | None) -> Reason | None:
        dimension, scored = questionnaire.dimension(dimension_code), result.dimension(dimension_code)
        if dimension is None or scored is None or scored.score is None:
            return None
        return Reason(
            area=dimension.title(locale), score=whole(scored.score), target=whole(scored.target),
            question=question.text(locale) if question else None,
            answer=answer_text(question, answers.get(question.code), locale, number) if question else None,
        )

    def offer(code: str, dimension_code: str, question: Question | None) -> None:
        module = modules.get(code)
        if module is None or code in completed or code in chosen or len(chosen) >= limit:
            return
        why = reason(dimension_code, question)
        if why is not None:
            chosen[code] = Recommendation(module, why)

    for step in result.next_steps:
        for code in step.modules:
            offer(code, step.dimension_code, questionnaire.question(step.question_code))

    weakest = sorted((d for d in result.dimensions if d.score is not None and d.score < 100),
                     key=lambda d: (-d.priority, d.score, d.code))
    by_code = sorted(modules.values(), key=lambda module: module.code)
    for scored in weakest:
        dimension = questionnaire.dimension(scored.code)
        if dimension is None:
            continue
        for question in _weak_questions(questionnaire, dimension, answers, result.profile):
            # The questionnaire's own links in its order, then modules that name the question.
            for code in question.modules:
                offer(code, dimension.code, question)
            for module in by_code:
                if question.code in module.questions:
                    offer(module.code, dimension.code, question)
        for module in by_code:
            if dimension.code in module.dimensions:
                offer(module.code, dimension.code, None)
    return list(chosen.values())
