"""The province picture's filter read from the URL, its links and its periods (pure)."""

from datetime import date, datetime

import pytest

from app.cooperatives.vocabulary import Sector, Status
from app.dashboard.filters import (Assessed, Direction, Period, ProvinceFilter, Quarter, last_quarters, months_before,
                                   parse_filter)
from app.characters import has_control_characters

KNOWN = {"provinces": {82, 86}, "wards": {30001, 30002}, "areas": {"finance", "security"},
         "categories": {"etax", "market"}, "levels": {0, 1, 2, 3, 4, 5}}


def parsed(args, fixed=82):
    return parse_filter(args, fixed_province=fixed, **KNOWN)


@pytest.mark.parametrize("args, expected", [
    ({}, ProvinceFilter(province_code=82)),
    ({"province_code": "86"}, ProvinceFilter(province_code=82)),  # alliance staff keep their province
    ({"ward_code": "30002", "sector": "trade", "period": "24"},
     ProvinceFilter(province_code=82, ward_code=30002, sector=Sector.TRADE, period=Period.MONTHS_24)),
    ({"ward_code": "99999", "sector": "mining", "period": "7", "level": "9", "below": "people",
      "difficulty": "lottery", "quarter": "2026-q5", "sort": "drop table", "dir": "up", "page": "abc",
      "assessed": "maybe", "status": "gone", "weak": "Finance.ETAX!"},
     ProvinceFilter(province_code=82)),
    ({"level": "3", "below": "finance", "weak": "finance.etax_filing", "difficulty": "market", "quarter": "2026-q2",
      "assessed": "never", "status": "any", "sort": "security", "dir": "desc", "q": "  hop   tac ", "page": "3"},
     ProvinceFilter(province_code=82, level=3, below="finance", weak="finance.etax_filing", difficulty="market",
                    quarter=Quarter(2026, 2), assessed=Assessed.NEVER, status=None, sort="security",
                    direction=Direction.DESC, text="hop tac", page=3)),
])
def test_filter_from_the_url(args, expected):
    assert parsed(args) == expected


def test_an_administrator_picks_any_known_province():
    assert parsed({"province_code": "86"}, fixed=None).province_code == 86
    assert parsed({"province_code": "87"}, fixed=None).province_code is None
    assert parsed({"province_code": "86"}, fixed=None).base_args() == {"province_code": 86}


def test_links_keep_the_dashboards_filters_and_add_the_figures_meaning():
    selected = ProvinceFilter(province_code=82, sector=Sector.TRADE, period=Period.ALL, level=2, text="x")
    assert selected.link(below="finance") == {"sector": "trade", "period": "all", "below": "finance"}
    assert selected.query_args() == {"sector": "trade", "period": "all", "q": "x", "level": 2}
    assert ProvinceFilter(province_code=82, status=Status.DISSOLVED).query_args() == {"status": "dissolved"}


@pytest.mark.parametrize("current, direction, column, expected", [
    ("name", Direction.ASC, "name", {"dir": "desc"}),
    ("name", Direction.ASC, "overall", {"sort": "overall", "dir": "desc"}),
    ("overall", Direction.DESC, "overall", {"sort": "overall"}),
    ("overall", Direction.DESC, "name", {}),
])
def test_a_column_heading_sorts_and_sorts_back(current, direction, column, expected):
    assert ProvinceFilter(province_code=82, sort=current, direction=direction).sorted_by(column) == expected


@pytest.mark.parametrize("moment, months, expected", [
    (datetime(2026, 11, 30, 9), 12, datetime(2025, 11, 30, 9)),
    (datetime(2026, 3, 31), 1, datetime(2026, 2, 28)),
    (datetime(2026, 1, 15), 24, datetime(2024, 1, 15)),
    (datetime(2024, 8, 31), 6, datetime(2024, 2, 29)),
])
def test_months_before(moment, months, expected):
    assert months_before(moment, months) == expected


def test_quarters():
    assert [q.code for q in last_quarters(date(2026, 2, 3), 3)] == ["2025-q3", "2025-q4", "2026-q1"]
    assert (Quarter(2026, 4).starts, Quarter(2026, 4).ends) == (date(2026, 10, 1), date(2027, 1, 1))


@pytest.mark.parametrize("text, refused", [("Dòng một\nDòng hai\tcột", False), ("a\x00b", True), ("a\x1bb", True),
                                          ("Thuế điện tử", False)])
def test_control_characters_are_refused(text, refused):
    assert has_control_characters(text, multiline=True) is refused
