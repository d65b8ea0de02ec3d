"""Monthly reports (pure): which months a placement reports on, when each report is due and when it
is late, what each field of a report accepts, and what a report needs before it is submitted.

A report is written as a draft, submitted by the graduate, then confirmed by the host's manager or
returned with a comment, after which the graduate edits and submits it again. It is late when its
first submission came after the due day of the following month (the province sets that day), or
when it is still not submitted after it.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from app.characters import has_control_characters
from app.cooperatives.whole_numbers import REASON_TOO_LARGE, WholeNumberError, parse_whole_number
from app.placements.terms import add_months

DRAFT = "draft"
SUBMITTED = "submitted"
CONFIRMED = "confirmed"
RETURNED = "returned"
EDITABLE = (DRAFT, RETURNED)
FILED = (SUBMITTED, CONFIRMED, RETURNED)

ACTIVITIES = "activities"
RESULTS = "results"
HOURS = "hours"
DIFFICULTIES = "difficulties"
FIELDS = (ACTIVITIES, RESULTS, HOURS, DIFFICULTIES)
REQUIRED = (ACTIVITIES, HOURS)
MAX_TEXT = 4000
# Hours in the longest month: a slip of the finger is caught, any real figure is not.
MAX_HOURS = 31 * 24
# Line ends and tabs are part of a text; every other control character is refused.


def month_start(day: date) -> date:
    return day.replace(day=1)


def report_months(starts_on: date, last_day: date, today: date) -> list[date]:
    """The months a placement reports on so far: from its first month through the month of its
    last day, or through this month while it runs; none before it starts."""
    first, last = month_start(starts_on), month_start(min(last_day, today))
    months = []
    while first <= last:
        months.append(first)
        first = add_months(first, 1)
    return months


def due_on(month: date, due_day: int) -> date:
    """The last day to submit the report on ``month``: ``due_day`` of the following month."""
    following = add_months(month_start(month), 1)
    return following.replace(day=min(due_day, monthrange(following.year, following.month)[1]))


def is_late(month: date, due_day: int, first_submitted_on: date | None, today: date) -> bool:
    """Submitted for the first time after the due day, or not submitted and the due day is past."""
    return (first_submitted_on or today) > due_on(month, due_day)


def goal_field(goal_id: int) -> str:
    return f"goal-{goal_id}"


class Reason(StrEnum):
    TOO_LONG = "too_long"
    CONTROL = "control"
    NOT_HOURS = "not_hours"
    TOO_MANY_HOURS = "too_many_hours"


MESSAGES = {
    Reason.TOO_LONG: _l("Keep this to %(limit)s characters or fewer (it has %(length)s)."),
    Reason.CONTROL: _l("This text contains an invisible control character. Delete it or type the text again."),
    Reason.NOT_HOURS: _l("Enter the hours as a whole number, for example 80."),
    Reason.TOO_MANY_HOURS: _l("A month has at most %(limit)s hours. Check the number."),
}


class FieldError(ValueError):
    """Why a value cannot be stored in a report field."""

    def __init__(self, reason: Reason, **details: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details

    @property
    def message(self) -> str:
        """The explanation in the current language, numbers written as it writes them."""
        text = MESSAGES[self.reason]
        return str(text % {key: format_decimal(value) for key, value in self.details.items()})


def clean_text(raw: str, limit: int = MAX_TEXT) -> str:
    """The text as stored: one kind of line end, no spaces around; refused when too long or when it
    holds a control character (PostgreSQL refuses NUL, and none of them is meant)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if has_control_characters(text, multiline=True):
        raise FieldError(Reason.CONTROL)
    if len(text) > limit:
        raise FieldError(Reason.TOO_LONG, limit=limit, length=len(text))
    return text


def clean_hours(raw: str) -> str:
    """Hours worked in the month as a whole number ("" when left empty)."""
    text = raw.strip()
    if not text:
        return ""
    try:
        return str(parse_whole_number(text, maximum=MAX_HOURS))
    except WholeNumberError as error:
        if error.reason == REASON_TOO_LARGE:
            raise FieldError(Reason.TOO_MANY_HOURS, limit=MAX_HOURS) from error
        raise FieldError(Reason.NOT_HOURS) from error


def clean(field: str, raw: str) -> str:
    """The stored form of what was typed into ``field``; raises ``FieldError``."""
    return clean_hours(raw) if field == HOURS else clean_text(raw)


def missing(values: Mapping[str, str]) -> list[str]:
    """The fields a report cannot be submitted without."""
    return [field for field in REQUIRED if not values.get(field)]
