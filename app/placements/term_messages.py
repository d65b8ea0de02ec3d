"""The term rules' refusals as sentences in the reader's language, each naming its rule and the
arithmetic behind it ("còn 4 tháng 12 ngày trong hạn mức 3 năm")."""

from __future__ import annotations

from datetime import date as date_type

from flask_babel import gettext as _
from flask_babel import ngettext

from app.i18n import date, number
from app.placements.terms import Refusal, Rule, Span


def days_text(days: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", days, count=number(days))


def span_text(span: Span) -> str:
    """``Span(4, 12)`` → "4 tháng 12 ngày" / "4 months 12 days"."""
    months = ngettext("%(count)s month", "%(count)s months", span.months, count=number(span.months))
    if not span.days and span.months:
        return months
    if not span.months:
        return days_text(span.days)
    return _("%(months)s %(days)s", months=months, days=days_text(span.days))


def message(refusal: Refusal) -> str:
    """Why the term is refused, with its figures."""
    if refusal.rule is Rule.END_AFTER_START:
        return _("The end date (%(end)s) must come after the start date (%(start)s).",
                 end=date(refusal.ends_on), start=date(refusal.starts_on))
    if refusal.rule is Rule.NO_OVERLAP:
        other = refusal.other
        return _("This person already has a placement from %(start)s to %(end)s: one person's placements "
                 "cannot overlap.", start=date(other.starts_on if other else None),
                 end=date(other.ends_on if other else None))
    if refusal.rule is Rule.PERSON_LIMIT:
        assert refusal.latest_end is not None and refusal.starts_on is not None and refusal.remaining is not None
        if refusal.latest_end < refusal.starts_on:
            return _("Limit of %(years)s years per person: this person has already used all of it in "
                     "earlier placements.", years=refusal.max_years)
        return _("Limit of %(years)s years per person: %(remaining)s remain of the %(years)s-year limit "
                 "(up to %(latest)s, all hosts together); the end date asked for goes %(over)s beyond it.",
                 years=refusal.max_years, remaining=span_text(refusal.remaining), latest=date(refusal.latest_end),
                 over=days_text(refusal.over_days))
    return ngettext("Limit of %(maximum)s new placements per cooperative per year: this cooperative already has "
                    "%(num)s placement starting in %(year)s.",
                    "Limit of %(maximum)s new placements per cooperative per year: this cooperative already has "
                    "%(num)s placements starting in %(year)s.",
                    refusal.count, maximum=refusal.maximum, year=refusal.year)


def messages(refusals: list[Refusal]) -> list[str]:
    return [message(refusal) for refusal in refusals]


def remaining_sentence(remaining: Span, max_years: int, latest_end: date_type) -> str:
    """What remains of a person's limit after a placement's planned end, said with its arithmetic."""
    if not remaining.months and not remaining.days:
        return _("Nothing remains of the %(years)s-year limit: the placement cannot end later than %(latest)s.",
                 years=max_years, latest=date(latest_end))
    return _("%(remaining)s remain of the %(years)s-year limit: the placement can run until %(latest)s at the latest.",
             remaining=span_text(remaining), years=max_years, latest=date(latest_end))
