"""Monthly reports, pure: the months reported on, due days and lateness, what each field accepts."""

from datetime import date

import pytest

from app.placements.reporting import FieldError, Reason, clean, due_on, is_late, missing, report_months

D = date


@pytest.mark.parametrize(
    ("starts_on", "last_day", "today", "months"),
    [
        (D(2026, 9, 15), D(2027, 9, 14), D(2026, 11, 20), [D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1)]),
        (D(2026, 9, 15), D(2026, 10, 3), D(2026, 12, 20), [D(2026, 9, 1), D(2026, 10, 1)]),  # ended early
        (D(2026, 12, 1), D(2027, 11, 30), D(2026, 11, 20), []),  # not begun
        (D(2026, 11, 30), D(2027, 11, 29), D(2026, 11, 30), [D(2026, 11, 1)]),
    ],
)
def test_the_months_a_placement_reports_on(starts_on, last_day, today, months):
    assert report_months(starts_on, last_day, today) == months


@pytest.mark.parametrize(
    ("month", "due_day", "due"),
    [
        (D(2026, 10, 1), 5, D(2026, 11, 5)),
        (D(2026, 12, 1), 5, D(2027, 1, 5)),
        (D(2027, 1, 1), 28, D(2027, 2, 28)),
        (D(2028, 1, 1), 31, D(2028, 2, 29)),  # a due day past the month's end is its last day
    ],
)
def test_a_report_is_due_on_a_day_of_the_following_month(month, due_day, due):
    assert due_on(month, due_day) == due


@pytest.mark.parametrize(
    ("first_submitted_on", "today", "late"),
    [
        (D(2026, 11, 5), D(2026, 12, 1), False),  # on the due day
        (D(2026, 11, 6), D(2026, 12, 1), True),
        (None, D(2026, 11, 5), False),  # not yet due
        (None, D(2026, 11, 6), True),  # overdue and still not submitted
    ],
)
def test_lateness_counts_the_first_submission(first_submitted_on, today, late):
    assert is_late(D(2026, 10, 1), 5, first_submitted_on, today) is late


@pytest.mark.parametrize(
    ("field", "raw", "stored"),
    [
        ("activities", "  Lập sổ\r\nGhi hóa đơn  ", "Lập sổ\nGhi hóa đơn"),
        ("results", "Tab\tđược giữ", "Tab\tđược giữ"),
        ("hours", " 120 ", "120"),
        ("hours", "1.200", None),
        ("hours", "", ""),
        ("difficulties", "", ""),
    ],
)
def test_fields_are_stored_cleaned(field, raw, stored):
    if stored is None:
        with pytest.raises(FieldError) as refused:
            clean(field, raw)
        assert refused.value.reason is Reason.TOO_MANY_HOURS
    else:
        assert clean(field, raw) == stored


@pytest.mark.parametrize(
    ("field", "raw", "reason"),
    [
        ("hours", "tám mươi", Reason.NOT_HOURS),
        ("hours", "12,5", Reason.NOT_HOURS),
        ("hours", "-3", Reason.NOT_HOURS),
        ("hours", "745", Reason.TOO_MANY_HOURS),
        ("activities", "a\x00b", Reason.CONTROL),
        ("results", "\x1b[31m", Reason.CONTROL),
        ("difficulties", "x" * 4001, Reason.TOO_LONG),
    ],
)
def test_fields_refuse_what_they_cannot_hold(field, raw, reason):
    with pytest.raises(FieldError) as refused:
        clean(field, raw)
    assert refused.value.reason is reason


def test_activities_and_hours_are_needed_to_submit():
    assert missing({"activities": "", "hours": "80", "results": "x"}) == ["activities"]
    assert missing({"activities": "Lập sổ", "hours": "0"}) == []
