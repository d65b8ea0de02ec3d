"""How far a draft is: per dimension, the required questions that show and how many are answered.

A question hidden by its ``show_if`` condition (on an answer or on the cooperative's profile) does
not count; an optional question never holds the draft back. When every dimension is complete the
draft can be submitted (the same rule as ``scoring.missing_required``). Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from app.assessments.questionnaire import Condition, Dimension, Profile, Question, Questionnaire
from app.assessments.scoring import UNKNOWN_PROFILE, Answers, fits_profile, is_answered, is_visible


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered >= self.total

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.answered / self.total)


def dimension_progress(questionnaire: Questionnaire, dimension: Dimension, answers: Answers, *,
                       profile: Profile = UNKNOWN_PROFILE) -> Progress:
    """Answered of the required questions of ``dimension`` that show with ``answers`` and ``profile``."""
    to_answer = [question for question in dimension.questions
                 if question.required and is_visible(questionnaire, question, answers, profile=profile)]
    answered = sum(1 for question in to_answer if is_answered(question, answers.get(question.code)))
    return Progress(answered=answered, total=len(to_answer))


def overall_progress(questionnaire: Questionnaire, answers: Answers, *,
                     profile: Profile = UNKNOWN_PROFILE) -> Progress:
    """The dimensions' progress added up: complete exactly when the draft can be submitted."""
    parts = [dimension_progress(questionnaire, dimension, answers, profile=profile)
             for dimension in questionnaire.dimensions]
    return Progress(answered=sum(p.answered for p in parts), total=sum(p.total for p in parts))


def unconfirmed(questionnaire: Questionnaire, dimension: Dimension, answers: Answers, carried: Set[str], *,
                profile: Profile = UNKNOWN_PROFILE) -> int:
    """How many answers of ``dimension`` were carried over from the last round and not yet confirmed
    (chosen again, changed, or confirmed): a question hidden by its condition does not count."""
    return sum(1 for question in dimension.questions
               if question.code in carried and is_visible(questionnaire, question, answers, profile=profile))


def visibility(questionnaire: Questionnaire, dimension: Dimension, answers: Answers, *,
               profile: Profile = UNKNOWN_PROFILE) -> dict[str, bool]:
    """Whether each question of ``dimension`` that depends on another answer shows, by question code
    (the questions an answer can show or hide while the page is open, among those that fit ``profile``)."""
    return {question.code: is_visible(questionnaire, question, answers, profile=profile)
            for question in dimension.questions
            if isinstance(question.show_if, Condition) and fits_profile(questionnaire, question, profile)}


def asked(questionnaire: Questionnaire, dimension: Dimension, profile: Profile) -> list[Question]:
    """The questions of ``dimension`` a cooperative with ``profile`` is asked (shown or shown by a
    later answer); the others never show to it and are left off its pages."""
    return [question for question in dimension.questions if fits_profile(questionnaire, question, profile)]


def neighbours(questionnaire: Questionnaire, code: str) -> tuple[Dimension | None, Dimension | None]:
    """The dimensions before and after ``code`` (None at either end)."""
    codes = [dimension.code for dimension in questionnaire.dimensions]
    index = codes.index(code)
    before = questionnaire.dimensions[index - 1] if index > 0 else None
    after = questionnaire.dimensions[index + 1] if index + 1 < len(codes) else None
    return before, after
