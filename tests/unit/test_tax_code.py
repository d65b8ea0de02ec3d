"""Vietnamese tax codes: format, check digit, branch suffix, normalisation."""

import pytest

from app.cooperatives.tax_code import (REASON_BRANCH, REASON_CHECK_DIGIT, REASON_FORMAT, TaxCodeError, check_digit,
                                       parse, with_check_digit)


@pytest.mark.parametrize(("raw", "normalised"), [
    ("0102595740", "0102595740"),
    ("0100109106", "0100109106"),
    ("0100109106-001", "0100109106-001"),
    ("0102.595.740", "0102595740"),
    (" 0102 595 740 ", "0102595740"),
    ("0100 109 106-001", "0100109106-001"),
])
def test_valid_codes_are_normalised(raw, normalised):
    assert str(parse(raw)) == normalised


@pytest.mark.parametrize(("raw", "reason"), [
    ("010259574", REASON_FORMAT),         # 9 digits
    ("01025957400", REASON_FORMAT),       # 11 digits
    ("01025957A0", REASON_FORMAT),        # a letter
    ("", REASON_FORMAT),
    ("0102595740-01", REASON_FORMAT),     # branch needs 3 digits
    ("0102595740/001", REASON_FORMAT),
    ("0102595741", REASON_CHECK_DIGIT),   # wrong check digit
    ("0100109107-001", REASON_CHECK_DIGIT),
    ("0100109106-000", REASON_BRANCH),
])
def test_invalid_codes_say_why(raw, reason):
    with pytest.raises(TaxCodeError) as error:
        parse(raw)
    assert error.value.reason == reason


def test_branch_is_kept_apart_from_the_main_code():
    code = parse("0100109106-001")
    assert (code.main, code.branch) == ("0100109106", "001")


@pytest.mark.parametrize(("first_nine", "digit"), [("010259574", 0), ("010010910", 6)])
def test_check_digit(first_nine, digit):
    assert check_digit(first_nine) == digit
    assert with_check_digit(first_nine) == f"{first_nine}{digit}"
