"""A placement plan's goals and what they can be tied to (pure): the host's areas, weakest first,
and the questions behind its next steps, read from its latest submitted result.

A goal's tie travels in forms as one value: ``dimension:<code>``, ``question:<code>`` or empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.assessments.questionnaire import Questionnaire
from app.assessments.scoring import DimensionResult, Result

DIMENSION = "dimension"
QUESTION = "question"


@dataclass(frozen=True)
class Tie:
    """What a goal aims at: an area, a question (and its area), or nothing."""

    dimension_code: str | None = None
    question_code: str | None = None

    @property
    def value(self) -> str:
        if self.question_code:
            return f"{QUESTION}:{self.question_code}"
        if self.dimension_code:
            return f"{DIMENSION}:{self.dimension_code}"
        return ""


def parse_tie(value: str, questionnaire: Questionnaire | None) -> Tie:
    """The tie a form value names (nothing when it names nothing known)."""
    kind, _, code = (value or "").partition(":")
    if questionnaire is None:
        return Tie()
    if kind == QUESTION and (question := questionnaire.question(code)) is not None:
        return Tie(dimension_code=question.dimension, question_code=question.code)
    if kind == DIMENSION and questionnaire.dimension(code) is not None:
        return Tie(dimension_code=code)
    return Tie()


def weakest_first(result: Result) -> list[DimensionResult]:
    """The areas with a score, the furthest below their target (by priority) first."""
    scored = [d for d in result.dimensions if d.score is not None]
    return sorted(scored, key=lambda d: (-d.priority, d.score, d.code))


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def tie_choices(questionnaire: Questionnaire | None, result: Result | None, locale: str, free_label: str,
                area_label: str, kept: Iterable[Tie] = ()) -> list[Choice]:
    """The choices of a goal's tie: free, each area weakest first, each next step's question, and
    the ties goals already have (so editing a goal keeps its tie even after the host moved on).
    ``area_label`` formats an area's title (``%(title)s``)."""
    choices = [Choice("", free_label)]
    if questionnaire is None:
        return choices
    seen = {""}
    dimensions = weakest_first(result) if result is not None else []
    listed = [d.code for d in dimensions] + [d.code for d in questionnaire.dimensions]
    questions = [step.question_code for step in result.next_steps] if result is not None else []
    questions += [tie.question_code for tie in kept if tie.question_code]
    for code in listed:
        dimension = questionnaire.dimension(code)
        value = Tie(dimension_code=code).value
        if dimension is not None and value not in seen:
            seen.add(value)
            choices.append(Choice(value, area_label % {"title": dimension.title(locale)}))
    for code in questions:
        question = questionnaire.question(code)  # type: ignore[arg-type]
        value = Tie(question_code=code).value
        if question is not None and value not in seen:
            seen.add(value)
            choices.append(Choice(value, question.text(locale)))
    return choices
