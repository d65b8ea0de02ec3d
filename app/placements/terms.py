"""Term rules of young graduates' placements (pure: dates and settings in, refusals out).

A province sets the limits (policy is data, DESIGN §2); the defaults follow the 2021–2025
programme (Decision 1804/QĐ-TTg): at most 3 years per person, at most 2 new placements per
cooperative per calendar year.

Days count inclusively: a term from 1 March 2024 to 28 February 2027 lasts exactly 3 years.
One person's limit is a number of days: from the start of their first placement to the same
date N years later (29 February counts to 28 February). Their terms in every host add up; the
days between two terms do not count. A term that ended before it began counts no day.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

DEFAULT_MAX_YEARS = 3
DEFAULT_MAX_NEW_PER_YEAR = 2


@dataclass(frozen=True)
class TermLimits:
    """A province's placement limits."""

    max_years: int = DEFAULT_MAX_YEARS
    max_new_per_year: int = DEFAULT_MAX_NEW_PER_YEAR


@dataclass(frozen=True)
class Term:
    """One placement's days: from ``starts_on`` through ``ends_on`` (the actual last day of an
    ended placement, the planned one otherwise)."""

    starts_on: date
    ends_on: date

    @property
    def days(self) -> int:
        return max(0, (self.ends_on - self.starts_on).days + 1)

    def overlaps(self, other: Term) -> bool:
        return bool(self.days and other.days) and self.starts_on <= other.ends_on and other.starts_on <= self.ends_on


class Rule(StrEnum):
    END_AFTER_START = "end_after_start"
    NO_OVERLAP = "no_overlap"
    PERSON_LIMIT = "person_limit"
    YEARLY_COUNT = "yearly_count"


@dataclass(frozen=True)
class Span:
    """A length of time as people say it: whole months and the days left over."""

    months: int
    days: int


@dataclass(frozen=True)
class Refusal:
    """A rule a term breaks, with the figures that show why."""

    rule: Rule
    starts_on: date | None = None
    ends_on: date | None = None
    # NO_OVERLAP: the other placement's term.
    other: Term | None = None
    # PERSON_LIMIT: what remained of the limit (from ``since``), the last day it allows, and by how
    # many days the term goes past it.
    max_years: int = 0
    remaining: Span | None = None
    latest_end: date | None = None
    over_days: int = 0
    # YEARLY_COUNT: the calendar year and the placements the host already has in it.
    year: int = 0
    count: int = 0
    maximum: int = 0


def add_years(day: date, years: int) -> date:
    """The same date ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the last day of that month when it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def span_between(after: date, through: date) -> Span:
    """The time from the day after ``after`` through ``through``: whole months, then days."""
    if through <= after:
        return Span(0, 0)
    months = 0
    while add_months(after, months + 1) <= through:
        months += 1
    return Span(months, (through - add_months(after, months)).days)


def budget_days(first_start: date, limits: TermLimits) -> int:
    """The number of days one person may be placed, counted from their first placement's start."""
    return (add_years(first_start, limits.max_years) - first_start).days


def latest_end(starts_on: date, others: Sequence[Term], limits: TermLimits) -> date:
    """The last day a term starting on ``starts_on`` may reach, given the person's other terms
    (before ``starts_on`` itself when the limit is already used up)."""
    first_start = min([starts_on, *(term.starts_on for term in others if term.days)])
    used = sum(term.days for term in others)
    return starts_on + timedelta(days=budget_days(first_start, limits) - used - 1)


def remaining(term: Term, others: Sequence[Term], limits: TermLimits) -> Span:
    """What is left of the person's limit after ``term`` (as it stands) and their other terms."""
    return span_between(term.ends_on, latest_end(term.starts_on, others, limits))


def check(term: Term, others: Sequence[Term], limits: TermLimits, *, since: date | None = None,
          started_at_host: int | None = None) -> list[Refusal]:
    """Every rule ``term`` breaks, in a fixed order (empty when it may stand).

    ``others`` are the same person's other placements, in every host. ``since`` is the day after
    which "what remains" is counted in a refusal (the current end for an extension; the day
    before the start otherwise). ``started_at_host`` is the number of other placements the host
    already has starting in the term's year; give it only for a new placement or a start moved
    into another year, since the yearly limit is about new placements.
    """
    if term.ends_on <= term.starts_on:
        return [Refusal(Rule.END_AFTER_START, starts_on=term.starts_on, ends_on=term.ends_on)]
    refusals = [Refusal(Rule.NO_OVERLAP, starts_on=term.starts_on, ends_on=term.ends_on, other=other)
                for other in sorted(others, key=lambda t: t.starts_on) if term.overlaps(other)]
    last = latest_end(term.starts_on, others, limits)
    if term.ends_on > last:
        since = since if since is not None else term.starts_on - timedelta(days=1)
        refusals.append(Refusal(
            Rule.PERSON_LIMIT, starts_on=term.starts_on, ends_on=term.ends_on, max_years=limits.max_years,
            remaining=span_between(since, last), latest_end=last, over_days=(term.ends_on - last).days))
    if started_at_host is not None and started_at_host >= limits.max_new_per_year:
        refusals.append(Refusal(Rule.YEARLY_COUNT, starts_on=term.starts_on, year=term.starts_on.year,
                                count=started_at_host, maximum=limits.max_new_per_year))
    return refusals
