"""Numbers and codes read from text: ASCII digits only, of bounded length, wherever they are parsed."""

import pytest

from app import phones
from app.characters import has_control_characters, query_text
from app.cooperatives import tax_code
from app.cooperatives.register_query import parse_filter
from app.cooperatives.whole_numbers import REASON_FORMAT, REASON_TOO_LARGE, WholeNumberError, parse_whole_number
from app.numbers import digits_only, is_digits, optional_id, parse_digits, row_id
from app.paging import MAX_PAGE, page_number

HUGE = "9" * 5000  # int() refuses more than 4,300 digits with a ValueError
OTHER_SCRIPTS = ["١٤١٩٩٨٥٠٠٤", "１４１９９８５００４", "۱۲", "१२", "²", "①", "12²"]


@pytest.mark.parametrize(("raw", "expected"), [
    ("0", 0),
    ("42", 42),
    (" 42 ", 42),
    ("007", 7),
    ("9" * 18, 10**18 - 1),
    ("9" * 19, None),
    (HUGE, None),
    ("", None),
    ("   ", None),
    (None, None),
    ("-1", None),
    ("+1", None),
    ("1.0", None),
    ("1e3", None),
    ("4 2", None),
    ("0x1f", None),
    ("1_000", None),
    *((raw, None) for raw in OTHER_SCRIPTS),
])
def test_parse_digits(raw, expected):
    assert parse_digits(raw) == expected


@pytest.mark.parametrize(("text", "max_digits", "expected"), [
    ("123", 3, True),
    ("1234", 3, False),
    (HUGE, None, True),
    ("", None, False),
    ("١٢", None, False),
    ("12\n", None, False),
])
def test_is_digits(text, max_digits, expected):
    assert is_digits(text, max_digits=max_digits) is expected


def test_digits_only_keeps_ascii_digits():
    assert digits_only("0912 345.678") == "0912345678"
    assert digits_only("１２3") == "3"


@pytest.mark.parametrize(("value", "expected"), [("", None), (None, None), ("82", 82), (82, 82)])
def test_optional_id(value, expected):
    assert optional_id(value) == expected


@pytest.mark.parametrize(("raw", "expected"), [("42", 42), (" 7 ", 7), ("999999999", 999_999_999),
                                             # PostgreSQL's INTEGER ends at 2,147,483,647: a longer id names no row.
                                             ("2147483648", None), ("9999999999", None), ("0", None), ("-3", None),
                                             ("٤٢", None), ("", None), (None, None), (HUGE, None)])
def test_row_id_fits_an_integer_column(raw, expected):
    assert row_id(raw) == expected


@pytest.mark.parametrize("value", ["²", "٨٢", "-1", HUGE, "82 x"])
def test_optional_id_refuses_what_is_not_an_id(value):
    with pytest.raises(ValueError):
        optional_id(value)


@pytest.mark.parametrize(("raw", "expected"), [
    ("3", 3),
    ("0", 1),
    ("-3", 1),
    ("abc", 1),
    ("٣", 1),
    ("３", 1),
    ("²", 1),
    ("", 1),
    (str(MAX_PAGE + 1), MAX_PAGE),
    (HUGE, MAX_PAGE),
])
def test_page_number(raw, expected):
    assert page_number({"page": raw}) == expected


@pytest.mark.parametrize("raw", ["１４１９９８５００４", "١٤١٩٩٨٥٠٠٤", "0102595740-００１", HUGE])
def test_a_tax_code_in_other_digits_is_not_a_tax_code(raw):
    with pytest.raises(tax_code.TaxCodeError) as error:
        tax_code.parse(raw)
    assert error.value.reason == tax_code.REASON_FORMAT


@pytest.mark.parametrize("raw", ["０９１２３４５６７８", "٠٩١٢٣٤٥٦٧٨", "09１2345678", "0" + HUGE])
def test_a_phone_in_other_digits_is_not_a_phone(raw):
    assert phones.normalise(raw) is None


@pytest.mark.parametrize(("raw", "reason"), [
    ("١٥٠٠", REASON_FORMAT),
    ("１.５００.０００", REASON_FORMAT),
    ("²", REASON_FORMAT),
    (HUGE, REASON_TOO_LARGE),
    ("9" * 19, REASON_TOO_LARGE),
    ("1." + ".".join(["000"] * 2000), REASON_TOO_LARGE),
])
def test_whole_numbers_are_ascii_and_bounded(raw, reason):
    with pytest.raises(WholeNumberError) as error:
        parse_whole_number(raw)
    assert error.value.reason == reason


@pytest.mark.parametrize(("args", "province", "ward"), [
    ({"province_code": HUGE, "ward_code": HUGE}, None, None),
    ({"province_code": "٨٢"}, None, None),
    ({"province_code": "８２"}, None, None),
    ({"province_code": "82", "ward_code": "²"}, 82, None),
])
def test_register_filter_ignores_numbers_it_cannot_read(args, province, ward):
    register_filter = parse_filter(args)
    assert (register_filter.province_code, register_filter.ward_code) == (province, ward)


@pytest.mark.parametrize(("text", "multiline", "refused"), [
    ("Hợp tác xã Tân Hòa", False, False),
    ("a\x00b", False, True),
    ("a\x00b", True, True),
    ("a\tb", False, True),
    ("a\tb", True, False),
    ("line\r\nline", True, False),
    ("line\nline", False, True),
    ("bell\x07", True, True),
    ("escape\x1b[0m", True, True),
    ("del\x7f", False, True),
    ("c1\x85", False, True),
    ("lone \ud800 surrogate", True, True),
    ("emoji 🌾 and ₫", False, False),
    ("zero\u200bwidth", False, False),
])
def test_control_characters(text, multiline, refused):
    assert has_control_characters(text, multiline=multiline) is refused


@pytest.mark.parametrize(("args", "expected"), [
    ({"q": "  hợp   tác "}, "hợp tác"),
    ({"q": "a\x00b"}, ""),
    ({"q": "a\tb"}, ""),
    ({"q": "x" * 500}, "x" * 100),
    ({}, ""),
])
def test_query_text(args, expected):
    assert query_text(args, "q", max_length=100) == expected
