"""Whole numbers typed the way people write money in Vietnamese and English."""

import pytest

from app.cooperatives.whole_numbers import (REASON_DECIMAL, REASON_FORMAT, REASON_NEGATIVE, REASON_TOO_LARGE,
                                            WholeNumberError, parse_whole_number)


@pytest.mark.parametrize(("raw", "value"), [
    ("1500000", 1_500_000),
    ("1.500.000", 1_500_000),
    ("1 500 000", 1_500_000),
    ("1\u00a0500\u00a0000", 1_500_000),
    ("1,500,000", 1_500_000),
    ("1.500.000 đ", 1_500_000),
    ("1.500.000₫", 1_500_000),
    ("2.000.000 VND", 2_000_000),
    ("  42 ", 42),
    ("0", 0),
    ("999", 999),
    ("1.000", 1000),
])
def test_accepted(raw, value):
    assert parse_whole_number(raw) == value


@pytest.mark.parametrize(("raw", "reason"), [
    ("-5", REASON_NEGATIVE),
    ("−1.500.000", REASON_NEGATIVE),
    ("- 200", REASON_NEGATIVE),
    ("-1,5", REASON_NEGATIVE),
    ("1,5", REASON_DECIMAL),
    ("1.5", REASON_DECIMAL),
    ("1500.50", REASON_DECIMAL),
    ("1.500.000,50", REASON_DECIMAL),
    ("1.500,000", REASON_DECIMAL),   # mixed separators are not a grouping
    ("1.50.000", REASON_DECIMAL),
    ("abc", REASON_FORMAT),
    ("1tr5", REASON_FORMAT),
    ("", REASON_FORMAT),
    ("12a", REASON_FORMAT),
])
def test_refused_with_a_reason(raw, reason):
    with pytest.raises(WholeNumberError) as error:
        parse_whole_number(raw)
    assert error.value.reason == reason


def test_maximum():
    assert parse_whole_number("1.000", maximum=1000) == 1000
    with pytest.raises(WholeNumberError) as error:
        parse_whole_number("1.001", maximum=1000)
    assert error.value.reason == REASON_TOO_LARGE
