"""Reading the register list's state from the URL: bad values fall back, good ones are kept."""

import pytest

from app.cooperatives.register_query import RegisterFilter, Sort, parse_filter
from app.cooperatives.vocabulary import Kind, Sector, Status
from app.locations import wards

PROVINCE = 82
OTHER_PROVINCE = 86
WARD = wards(PROVINCE)[0][0]
OTHER_WARD = wards(OTHER_PROVINCE)[0][0]


def test_empty_query_means_everything_by_name():
    assert parse_filter({}) == RegisterFilter()


def test_every_value_read():
    parsed = parse_filter({"q": "  Tân   Hòa ", "kind": "tht", "sector": "trade", "status": "pending",
                           "province_code": str(PROVINCE), "ward_code": str(WARD), "sort": "members",
                           "page": "3"})
    assert parsed == RegisterFilter(text="Tân Hòa", kind=Kind.THT, sector=Sector.TRADE, status=Status.PENDING,
                                    province_code=PROVINCE, ward_code=WARD, sort=Sort.MEMBERS, page=3)


@pytest.mark.parametrize(("args", "expected"), [
    ({"kind": "bank"}, RegisterFilter()),
    ({"sector": "AGRICULTURE"}, RegisterFilter()),
    ({"status": "deleted"}, RegisterFilter()),
    ({"sort": "price"}, RegisterFilter()),
    ({"page": "abc"}, RegisterFilter()),
    ({"page": "0"}, RegisterFilter()),
    ({"page": "-2"}, RegisterFilter()),
    ({"page": "²"}, RegisterFilter()),
    ({"page": "99999999999"}, RegisterFilter(page=100_000)),
    ({"province_code": "999"}, RegisterFilter()),
    ({"province_code": "x"}, RegisterFilter()),
    ({"ward_code": str(WARD)}, RegisterFilter()),  # a ward needs its province
    ({"province_code": str(PROVINCE), "ward_code": str(OTHER_WARD)}, RegisterFilter(province_code=PROVINCE)),
    ({"q": "x" * 300}, RegisterFilter(text="x" * 100)),
])
def test_bad_values_fall_back(args, expected):
    assert parse_filter(args) == expected


def test_fixed_province_wins_over_the_url():
    parsed = parse_filter({"province_code": str(OTHER_PROVINCE), "ward_code": str(OTHER_WARD)},
                          fixed_province=PROVINCE)
    assert (parsed.province_code, parsed.ward_code) == (PROVINCE, None)
    assert parse_filter({"ward_code": str(WARD)}, fixed_province=PROVINCE).ward_code == WARD


@pytest.mark.parametrize(("text", "folded", "prefix"), [
    ("Hợp Tác Xã", "hop tac xa", None),
    ("0102", "0102", "0102"),
    ("0102.595", "0102.595", "0102595"),
    ("0100109106-0", "0100109106-0", "0100109106-0"),
    ("HTX 19/5", "htx 19/5", None),
])
def test_search_text_as_name_and_as_tax_code(text, folded, prefix):
    parsed = RegisterFilter(text=text)
    assert parsed.folded_text == folded
    assert parsed.tax_code_prefix == prefix


def test_query_args_round_trip_without_defaults_or_page():
    parsed = RegisterFilter(text="tan hoa", kind=Kind.HTX, province_code=PROVINCE, ward_code=WARD,
                            sort=Sort.NEWEST, page=4)
    args = parsed.query_args()
    assert args == {"q": "tan hoa", "kind": "htx", "province_code": PROVINCE, "ward_code": WARD, "sort": "newest"}
    assert parse_filter({k: str(v) for k, v in args.items()}) == RegisterFilter(
        text="tan hoa", kind=Kind.HTX, province_code=PROVINCE, ward_code=WARD, sort=Sort.NEWEST)
    assert "province_code" not in parsed.query_args(include_province=False)
    assert RegisterFilter().query_args() == {}
