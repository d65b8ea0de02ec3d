"""What a person typed or ticked for one question, turned into an answer value (and back).

A form sends every question as a list of strings under the question's code: one option code
for a radio group, the ticked option codes for a checklist, the typed text for a number or a
text. ``parse`` turns that list into the value ``scoring`` reads, ``None`` for "no answer", or
raises ``AnswerError`` with a reason and a translatable message. Pure: no Flask, no database.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.assessments.questionnaire import Question
from app.assessments.scoring import AnswerValue
from app.characters import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from app.cooperatives.whole_numbers import (REASON_DECIMAL, REASON_NEGATIVE, REASON_TOO_LARGE, WholeNumberError,
                                            parse_whole_number)
from app.numbers import MAX_DIGITS

RADIO_KINDS = ("scale", "single", "boolean")
MAX_TEXT = 2000
# Far above any count or amount a questionnaire asks about; stops a slip of the finger early.
MAX_NUMBER = 10**9

# ASCII digits only, and not more of them than a number needs ("١,٥" or 5,000 digits are refused).
_DECIMAL = re.compile(rf"([0-9]{{1,{MAX_DIGITS}}})[.,]([0-9]{{1,{MAX_DIGITS}}})")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class Reason(StrEnum):
    UNKNOWN_OPTION = "unknown_option"
    SEVERAL_CHOICES = "several_choices"
    ALONE_ONLY = "alone_only"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    TOO_LONG = "too_long"
    CONTROL_CHARACTERS = "control_characters"


MESSAGES = {
    Reason.UNKNOWN_OPTION: _l("This choice is not one of the answers to this question. Reload the page and choose "
                              "again."),
    Reason.SEVERAL_CHOICES: _l("Choose only one answer."),
    Reason.ALONE_ONLY: _l("“%(option)s” cannot be ticked together with other items."),
    Reason.NOT_A_NUMBER: _l("Enter a number using digits only, for example 12."),
    Reason.NEGATIVE: _l("The number cannot be negative."),
    Reason.TOO_LARGE: _l("This number is too large. Check the number of zeros."),
    Reason.TOO_LONG: _l("Keep the answer to %(limit)s characters or fewer (it has %(length)s)."),
    Reason.CONTROL_CHARACTERS: CONTROL_CHARACTERS_MESSAGE,
}


class AnswerError(ValueError):
    """Why the submitted values are not an answer to the question."""

    def __init__(self, reason: Reason, **details: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details

    @property
    def message(self) -> str:
        """The explanation in the current language."""
        text = MESSAGES[self.reason]
        return str(text % self.details) if self.details else str(text)


def untouched(question: Question, values: Sequence[str]) -> bool:
    """True when the form says nothing about the question.

    A radio group sends nothing until one is chosen, and a chosen radio cannot be unchosen,
    so an absent radio value means "leave the answer as it is" (it may be someone else's).
    """
    return question.kind in RADIO_KINDS and not values


def parse(question: Question, values: Sequence[str], *, locale: str = "vi") -> AnswerValue | None:
    """The answer value for ``values`` sent under ``question.code``; ``None`` clears the answer."""
    if question.kind in RADIO_KINDS:
        return _choice(question, values)
    if question.kind == "multi":
        return _checklist(question, values, locale)
    text = _single(values)
    if question.kind == "number":
        return _number(text)
    return _text(text)


def _single(values: Sequence[str]) -> str:
    """Number and text questions have one input; a second value can only come from a forged form."""
    if len(values) > 1:
        raise AnswerError(Reason.SEVERAL_CHOICES)
    return values[0] if values else ""


def _choice(question: Question, values: Sequence[str]) -> str | None:
    chosen = [value for value in values if value != ""]
    if not chosen:
        return None
    if len(set(chosen)) > 1:
        raise AnswerError(Reason.SEVERAL_CHOICES)
    if question.option(chosen[0]) is None:
        raise AnswerError(Reason.UNKNOWN_OPTION)
    return chosen[0]


def _checklist(question: Question, values: Sequence[str], locale: str) -> list[str] | None:
    ticked = {value for value in values if value != ""}
    if not ticked:
        return None
    if any(question.option(code) is None for code in ticked):
        raise AnswerError(Reason.UNKNOWN_OPTION)
    # Keep the questionnaire's order, so the same ticks always store the same list.
    ordered = [option for option in question.options if option.code in ticked]
    alone = next((option for option in ordered if option.exclusive or option.not_applicable), None)
    if alone is not None and len(ordered) > 1:
        raise AnswerError(Reason.ALONE_ONLY, option=alone.label(locale))
    return [option.code for option in ordered]


def _number(raw: str) -> int | float | None:
    text = _SPACES.sub(" ", raw).strip()
    if not text:
        return None
    try:
        return parse_whole_number(text, maximum=MAX_NUMBER)
    except WholeNumberError as error:
        if error.reason == REASON_NEGATIVE:
            raise AnswerError(Reason.NEGATIVE) from error
        if error.reason == REASON_TOO_LARGE:
            raise AnswerError(Reason.TOO_LARGE) from error
        if error.reason != REASON_DECIMAL:
            raise AnswerError(Reason.NOT_A_NUMBER) from error
    # "2,5" or "2.5": one decimal mark, no thousands separators.
    match = _DECIMAL.fullmatch(text)
    if match is None:
        raise AnswerError(Reason.NOT_A_NUMBER)
    value = float(f"{match.group(1)}.{match.group(2)}")
    if value > MAX_NUMBER:
        raise AnswerError(Reason.TOO_LARGE)
    # "5,0" is the same answer as "5", so both store (and compare) as 5.
    return int(value) if value.is_integer() else value


def _text(raw: str) -> str | None:
    # Browsers send line ends as CR LF but count them as one character against ``maxlength``.
    text = raw.replace("\r\n", "\n").strip()
    if not text:
        return None
    if has_control_characters(text, multiline=True):
        raise AnswerError(Reason.CONTROL_CHARACTERS)
    if len(text) > MAX_TEXT:
        raise AnswerError(Reason.TOO_LONG, limit=MAX_TEXT, length=len(text))
    return text


def form_values(question: Question, value: AnswerValue | None, *, locale: str = "vi") -> list[str]:
    """What the form shows for a stored ``value``: the inverse of ``parse``."""
    if value is None:
        return []
    if question.kind == "multi":
        return [str(code) for code in value] if isinstance(value, list) else []
    if question.kind == "number" and isinstance(value, float):
        # Vietnamese writes the decimal mark as a comma.
        return [repr(value).replace(".", ",") if locale == "vi" else repr(value)]
    return [str(value)]


def fingerprint(value: AnswerValue | None) -> str:
    """A short, stable digest of a value: the form sends back what it showed, so saving the
    page writes only the questions the person changed, never a colleague's newer answer."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
