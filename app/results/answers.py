"""A submitted assessment's answers in words: what the board chose, as the questionnaire names it.

Pure: the questionnaire version that was answered, the stored answer values and the profile facts
stored with them in, plain values out (no Flask, no database). Questions hidden by their ``show_if``
condition (on an answer or on the cooperative's kind or sector) were never asked, so they are left
out; an optional question left empty says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.assessments.progress import asked
from app.assessments.questionnaire import Profile, Question, Questionnaire
from app.assessments.scoring import UNKNOWN_PROFILE, Answers, AnswerValue, is_answered, is_visible


def plain_number(value: float) -> str:
    """12 for 12.0, 2.5 for 2.5 (pages pass the locale's own number format instead)."""
    return f"{value:g}"


@dataclass(frozen=True)
class AnsweredQuestion:
    """One question and its answer in words: one line per chosen option (several for a checklist),
    the number with its unit, or the text as typed; empty when it was left unanswered."""

    code: str
    number: int
    text: str
    kind: str
    words: tuple[str, ...]

    @property
    def answered(self) -> bool:
        return bool(self.words)


@dataclass(frozen=True)
class AreaAnswers:
    code: str
    title: str
    questions: tuple[AnsweredQuestion, ...]


def in_words(question: Question, value: AnswerValue | None, locale: str,
             number: Callable[[float], str] = plain_number) -> tuple[str, ...]:
    """The answer as the person gave it: the chosen options' labels, the number and unit, the text."""
    if not is_answered(question, value):
        return ()
    if question.kind == "text":
        return (str(value),)
    if question.kind == "number":
        unit = question.unit(locale) if question.unit else ""
        return (f"{number(float(value))} {unit}".strip(),)  # type: ignore[arg-type]
    codes = value if isinstance(value, list) else [str(value)]
    return tuple(option.label(locale) for code in codes if (option := question.option(code)) is not None)


def answer_sheet(questionnaire: Questionnaire, answers: Answers, locale: str,
                 number: Callable[[float], str] = plain_number, *,
                 profile: Profile = UNKNOWN_PROFILE) -> tuple[AreaAnswers, ...]:
    """Every area with the questions that were asked of a cooperative with ``profile`` (the profile
    stored with the assessment), numbered as the answering pages number them."""
    return tuple(
        AreaAnswers(
            code=dimension.code,
            title=dimension.title(locale),
            questions=tuple(
                AnsweredQuestion(code=question.code, number=position, text=question.text(locale), kind=question.kind,
                                 words=in_words(question, answers.get(question.code), locale, number))
                for position, question in enumerate(asked(questionnaire, dimension, profile), start=1)
                if is_visible(questionnaire, question, answers, profile=profile)
            ),
        )
        for dimension in questionnaire.dimensions
    )


def typed_answers(sheet: tuple[AreaAnswers, ...]) -> tuple[tuple[str, AnsweredQuestion], ...]:
    """The answers typed in the board's own words (difficulties, support needed), with their area."""
    return tuple((area.title, question) for area in sheet for question in area.questions
                 if question.kind == "text" and question.answered)
