"""The demo data is plausible, complete and the same on every run (no database needed)."""

from collections import Counter
from statistics import mean

import pytest

from app import phones
from app.auth import passwords
from app.cooperatives import tax_code
from app.cooperatives.vocabulary import Kind, Sector
from app.demo.seed import COOPERATIVES, DEMO_PASSWORD, USERS, cooperative_values, ward_code
from app.locations import ward_in_province

VALUES = cooperative_values()


def test_the_same_data_on_every_run():
    assert cooperative_values() == VALUES


def test_demo_password_passes_the_rules_for_every_login():
    assert passwords.problems(DEMO_PASSWORD, logins=tuple(user.login for user in USERS)) == []


@pytest.mark.parametrize(("province", "least", "most"), [(82, 24, 100), (86, 3, 4)])
def test_each_province_has_its_share(province, least, most):
    assert least <= sum(row["province_code"] == province for row in VALUES) <= most


def test_every_kind_and_every_named_sector_appears_in_the_demo_province():
    home = [row for row in VALUES if row["province_code"] == 82]
    assert {row["kind"] for row in home} == set(Kind)
    assert {row["sector"] for row in home} == set(Sector) - {Sector.OTHER}
    sectors = Counter(row["sector"] for row in home)
    assert sectors.most_common(1)[0][0] == Sector.AGRICULTURE
    assert all(row["sector"] == Sector.CREDIT for row in home if row["kind"] == Kind.QTDND)


def test_wards_are_real_and_in_their_province():
    assert all(ward_in_province(row["ward_code"], row["province_code"]) for row in VALUES)
    with pytest.raises(LookupError):
        ward_code(82, "Xã Thạnh Phú Đông")


def test_tax_codes_are_valid_unique_and_missing_only_for_groups():
    codes = [row["tax_code"] for row in VALUES if row["tax_code"]]
    assert all(str(tax_code.parse(code)) == code for code in codes)
    assert len(set(codes)) == len(codes)
    assert all(row["kind"] == Kind.THT for row in VALUES if row["tax_code"] is None)
    assert any(row["tax_code"] is None for row in VALUES)


def test_names_are_unique():
    names = [demo.name for demo in COOPERATIVES]
    assert len(set(names)) == len(names)


def test_figures_are_plausible():
    htx_revenue = [row["revenue_last_year"] for row in VALUES
                   if row["kind"] == Kind.HTX and row["revenue_last_year"] is not None]
    assert 5_000_000_000 <= mean(htx_revenue) <= 15_000_000_000
    for row in VALUES:
        assert 1950 < row["founded_year"] <= 2026
        assert row["members"] > 0 and row["employees"] >= 0
        assert row["charter_capital"] > 0
        assert row["phone"] is None or phones.normalise(row["phone"]) == row["phone"]
        assert row["address"].startswith(("Ấp ", "Khóm "))


def test_every_person_belongs_somewhere_real_with_a_unique_login():
    names = {demo.name for demo in COOPERATIVES}
    assert all(user.cooperative in names for user in USERS if user.cooperative)
    logins = [user.login for user in USERS]
    assert len(set(logins)) == len(logins)
    assert all(phones.normalise(user.phone) == user.phone for user in USERS if user.phone)
