"""The placement term rules: dates and a province's limits in, refusals with their figures out."""

from datetime import date

import pytest

from app.placements.terms import (Refusal, Rule, Span, Term, TermLimits, add_months, add_years, budget_days, check,
                                  latest_end, remaining, span_between)

DEFAULT = TermLimits()  # 3 years per person, 2 new placements per cooperative per year
D = date


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (D(2024, 3, 1), 3, D(2027, 3, 1)),
        (D(2024, 2, 29), 1, D(2025, 2, 28)),  # no 29 February in 2025
        (D(2024, 2, 29), 4, D(2028, 2, 29)),
        (D(2023, 2, 28), 1, D(2024, 2, 28)),
    ],
)
def test_add_years(day, years, expected):
    assert add_years(day, years) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2026, 11, 15), 3, D(2027, 2, 15)),
        (D(2026, 3, 31), 12, D(2027, 3, 31)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("after", "through", "expected"),
    [
        (D(2026, 3, 1), D(2026, 7, 13), Span(4, 12)),
        (D(2026, 1, 31), D(2026, 2, 28), Span(1, 0)),  # all of February
        (D(2026, 2, 28), D(2027, 2, 28), Span(12, 0)),
        (D(2026, 5, 10), D(2026, 5, 11), Span(0, 1)),
        (D(2026, 5, 10), D(2026, 5, 10), Span(0, 0)),
        (D(2026, 5, 10), D(2026, 4, 1), Span(0, 0)),  # nothing left
    ],
)
def test_span_between_counts_whole_months_then_days(after, through, expected):
    assert span_between(after, through) == expected


@pytest.mark.parametrize(
    ("first_start", "limits", "days"),
    [
        (D(2024, 3, 1), DEFAULT, 1095),
        (D(2023, 3, 1), DEFAULT, 1096),  # the three years include 29 February 2024
        (D(2024, 2, 29), DEFAULT, 1095),
        (D(2026, 1, 1), TermLimits(max_years=2), 730),
    ],
)
def test_a_persons_limit_in_days_counts_leap_years(first_start, limits, days):
    assert budget_days(first_start, limits) == days


@pytest.mark.parametrize(
    ("term", "latest"),
    [
        (Term(D(2024, 3, 1), D(2024, 3, 2)), D(2027, 2, 28)),
        (Term(D(2024, 2, 29), D(2024, 3, 1)), D(2027, 2, 27)),
        (Term(D(2023, 3, 1), D(2023, 3, 2)), D(2026, 2, 28)),
    ],
)
def test_one_unbroken_term_may_last_exactly_the_limit(term, latest):
    assert latest_end(term.starts_on, [], DEFAULT) == latest
    assert check(Term(term.starts_on, latest), [], DEFAULT) == []


CURRENT_END = D(2026, 2, 28)  # a placement from 1 March 2024, extended below


@pytest.mark.parametrize(
    ("new_end", "refusals"),
    [
        (D(2026, 12, 31), []),
        (D(2027, 2, 28), []),  # exactly at the limit
        (D(2027, 3, 1), [Refusal(Rule.PERSON_LIMIT, starts_on=D(2024, 3, 1), ends_on=D(2027, 3, 1), max_years=3,
                                 remaining=Span(12, 0), latest_end=D(2027, 2, 28), over_days=1)]),
        (D(2027, 7, 13), [Refusal(Rule.PERSON_LIMIT, starts_on=D(2024, 3, 1), ends_on=D(2027, 7, 13), max_years=3,
                                  remaining=Span(12, 0), latest_end=D(2027, 2, 28), over_days=135)]),
    ],
)
def test_an_extension_may_reach_the_limit_but_not_a_day_past_it(new_end, refusals):
    assert check(Term(D(2024, 3, 1), new_end), [], DEFAULT, since=CURRENT_END) == refusals


def test_what_remains_is_counted_from_the_current_end():
    term = Term(D(2026, 3, 2), D(2028, 10, 17))
    assert remaining(term, [], DEFAULT) == Span(4, 12)  # to 1 March 2029 inclusive


@pytest.mark.parametrize(
    ("others", "starts_on", "latest"),
    [
        # A whole leap year in one host (366 days); the limit counts from that first start.
        ([Term(D(2024, 1, 1), D(2024, 12, 31))], D(2025, 6, 1), D(2027, 5, 31)),
        # Two earlier hosts; the days between them do not count.
        ([Term(D(2022, 1, 1), D(2022, 6, 30)), Term(D(2023, 1, 1), D(2023, 12, 31))], D(2025, 1, 1),
         D(2026, 7, 4)),
        # A placement that ended before it began counts no day.
        ([Term(D(2025, 5, 1), D(2025, 4, 30))], D(2025, 6, 1), D(2028, 5, 31)),
    ],
)
def test_terms_in_every_host_add_up(others, starts_on, latest):
    assert latest_end(starts_on, others, DEFAULT) == latest


def test_a_limit_used_up_refuses_any_new_term():
    others = [Term(D(2021, 1, 1), D(2023, 12, 31))]  # 1,095 days = the limit from 1 January 2021
    [refusal] = check(Term(D(2025, 1, 1), D(2025, 6, 30)), others, DEFAULT)
    assert refusal.rule is Rule.PERSON_LIMIT
    assert refusal.latest_end < refusal.starts_on
    assert refusal.remaining == Span(0, 0)


@pytest.mark.parametrize(
    ("term", "rule"),
    [
        (Term(D(2026, 5, 1), D(2026, 5, 1)), Rule.END_AFTER_START),
        (Term(D(2026, 5, 1), D(2026, 4, 30)), Rule.END_AFTER_START),
    ],
)
def test_the_end_comes_after_the_start(term, rule):
    assert [refusal.rule for refusal in check(term, [], DEFAULT, started_at_host=5)] == [rule]


EARLIER = Term(D(2025, 1, 1), D(2025, 12, 31))


@pytest.mark.parametrize(
    ("term", "overlapping"),
    [
        (Term(D(2025, 12, 31), D(2026, 6, 30)), [EARLIER]),  # shares one day
        (Term(D(2024, 6, 1), D(2025, 1, 1)), [EARLIER]),
        (Term(D(2025, 3, 1), D(2025, 4, 1)), [EARLIER]),  # inside it
        (Term(D(2026, 1, 1), D(2026, 6, 30)), []),  # the next day
        (Term(D(2024, 1, 1), D(2024, 12, 31)), []),  # the day before
    ],
)
def test_one_persons_placements_never_overlap(term, overlapping):
    refusals = check(term, [EARLIER], DEFAULT)
    assert [refusal.other for refusal in refusals if refusal.rule is Rule.NO_OVERLAP] == overlapping


@pytest.mark.parametrize(
    ("limits", "started", "refused"),
    [
        (DEFAULT, 0, False),
        (DEFAULT, 1, False),  # the second placement of the year at this cooperative
        (DEFAULT, 2, True),  # a third is refused
        (DEFAULT, None, False),  # not a new placement (an extension, an edit in the same year)
        (TermLimits(max_years=3, max_new_per_year=1), 1, True),
        (TermLimits(max_years=3, max_new_per_year=4), 3, False),
    ],
)
def test_new_placements_per_cooperative_per_calendar_year(limits, started, refused):
    term = Term(D(2026, 9, 1), D(2027, 8, 31))
    refusals = check(term, [], limits, started_at_host=started)
    expected = [Refusal(Rule.YEARLY_COUNT, starts_on=term.starts_on, year=2026, count=started,
                        maximum=limits.max_new_per_year)] if refused else []
    assert refusals == expected


@pytest.mark.parametrize(
    ("limits", "ends_on", "allowed"),
    [
        (TermLimits(max_years=2, max_new_per_year=2), D(2028, 2, 29), True),
        (TermLimits(max_years=2, max_new_per_year=2), D(2028, 3, 1), False),
        (TermLimits(max_years=5, max_new_per_year=2), D(2031, 2, 28), True),
        (DEFAULT, D(2029, 2, 28), True),
        (DEFAULT, D(2029, 3, 1), False),
    ],
)
def test_a_province_with_other_settings(limits, ends_on, allowed):
    assert (check(Term(D(2026, 3, 1), ends_on), [], limits) == []) is allowed


def test_every_broken_rule_is_reported_in_order():
    term = Term(D(2025, 6, 1), D(2029, 1, 1))
    rules = [refusal.rule for refusal in check(term, [EARLIER], DEFAULT, started_at_host=2)]
    assert rules == [Rule.NO_OVERLAP, Rule.PERSON_LIMIT, Rule.YEARLY_COUNT]
