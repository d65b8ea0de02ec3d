"""Public self-registration: a pending cooperative and an inactive manager, opened by approval."""

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.locations import ward_name, wards
from tests.factories import OTHER_PROVINCE, PROVINCE

WARD = wards(PROVINCE)[0][0]
OTHER_WARD = wards(OTHER_PROVINCE)[0][0]
NEW_PASSWORD = "mùa nước nổi về đồng"


def registration(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Hợp tác xã Dịch vụ Nông nghiệp Mỹ An",
        "kind": "htx",
        "sector": "agriculture",
        "tax_code": "0102.595.740",
        "founded_year": "2018",
        "members": "35",
        "employees": "4",
        "charter_capital": "1.500.000.000",
        "revenue_last_year": "2 300 000 000",
        "province_code": str(PROVINCE),
        "ward_code": str(WARD),
        "address": "Ấp Mỹ Phú",
        "office_phone": "0277 3851 234",
        "person_name": "Nguyễn Văn An",
        "email": "An@Example.vn",
        "phone": "0912 345 678",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Cooperative)),
                db.session.scalar(select(func.count()).select_from(User)))


def test_form_defaults_to_the_configured_province_and_lists_its_wards(client, app):
    page = client.get("/cooperatives/register").get_data(as_text=True)
    assert f'<option selected value="{PROVINCE}">' in page
    assert ward_name(WARD) in page
    assert ward_name(OTHER_WARD) not in page
    # Changing the province reloads the ward options through htmx.
    assert 'hx-get="/cooperatives/wards"' in page
    assert 'hx-target="#ward_code"' in page


def test_ward_options_follow_the_province(client):
    response = client.get(f"/cooperatives/wards?province_code={OTHER_PROVINCE}")
    options = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in options
    assert f'<option value="{OTHER_WARD}">{ward_name(OTHER_WARD)}</option>' in options
    assert ward_name(WARD) not in options
    assert client.get("/cooperatives/wards?province_code=abc").get_data(as_text=True).count("<option") == 1


def test_registration_creates_a_pending_cooperative_and_an_inactive_manager(client, app):
    response = client.post("/cooperatives/register", data=registration())
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/cooperatives/register/thanks")
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "review" in thanks or "xem xét" in thanks
    with app.app_context():
        cooperative = db.session.scalars(select(Cooperative)).one()
        assert (cooperative.status, cooperative.tax_code) == ("pending", "0102595740")
        assert (cooperative.charter_capital, cooperative.revenue_last_year) == (1_500_000_000, 2_300_000_000)
        assert (cooperative.province_code, cooperative.ward_code) == (PROVINCE, WARD)
        assert cooperative.phone == "02773851234"
        assert cooperative.search_name == "hop tac xa dich vu nong nghiep my an"
        user = db.session.scalars(select(User)).one()
        assert (user.role, user.active, user.cooperative_id) == ("coop_manager", False, cooperative.id)
        assert (user.email, user.phone, user.name) == ("an@example.vn", "0912345678", "Nguyễn Văn An")


def test_registrant_logs_in_only_after_approval(client, app, make, auth):
    client.post("/cooperatives/register", data=registration())
    waiting = auth.login("an@example.vn", NEW_PASSWORD)
    assert waiting.status_code == 422
    assert "waiting for the alliance" in waiting.get_data(as_text=True) or \
        "chờ" in waiting.get_data(as_text=True)
    with app.app_context():
        cooperative_id = db.session.scalar(select(Cooperative.id))
    alliance = make.user("alliance")
    auth.login(alliance.email)
    assert client.post(f"/cooperatives/{cooperative_id}/approve").status_code == 303
    auth.logout()
    assert auth.login("0912 345 678", NEW_PASSWORD).status_code == 303


@pytest.mark.parametrize(("overrides", "message"), [
    ({"tax_code": "0102595741"}, "last digit"),
    ({"tax_code": "010259574"}, "10 digits"),
    ({"tax_code": ""}, "Enter the tax code"),
    ({"charter_capital": "-1.000.000"}, "cannot be negative"),
    ({"revenue_last_year": "1.500.000,5"}, "without a decimal part"),
    ({"members": ""}, "number of members"),
    ({"founded_year": "2999"}, "Enter a year between"),
    ({"office_phone": "12345"}, "Vietnamese phone number"),
    ({"email": "", "phone": ""}, "Give an email address or a phone number"),
    ({"confirm": "something else entirely"}, "The two passwords differ"),
    ({"kind": "bank"}, "Choose a kind"),
])
def test_invalid_registration_is_refused_as_typed(client, app, overrides, message):
    client.set_cookie("lang", "en")
    response = client.post("/cooperatives/register", data=registration(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert "Hợp tác xã Dịch vụ Nông nghiệp Mỹ An" in page  # what was typed is still there
    assert "Ấp Mỹ Phú" in page
    for field in ("tax_code", "charter_capital", "revenue_last_year", "founded_year"):
        if overrides.get(field):
            assert f'value="{overrides[field]}"' in page
    assert counts(app) == (0, 0)


def test_tax_code_group_may_register_without_a_tax_code(client, app):
    response = client.post("/cooperatives/register", data=registration(kind="tht", tax_code=""))
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Cooperative.tax_code)) is None


def test_duplicate_tax_code_is_refused_and_nothing_changes(client, app, make):
    existing = make.cooperative("HTX Đã Có", tax_code="0102595740")
    client.set_cookie("lang", "en")
    response = client.post("/cooperatives/register", data=registration(tax_code="0102 595 740"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "already registered" in page
    assert counts(app) == (1, 0)
    with app.app_context():
        assert db.session.get(Cooperative, existing.id).name == "HTX Đã Có"


@pytest.mark.parametrize(("overrides", "message"), [
    ({"email": "taken@example.vn"}, "An account with this email already exists"),
    ({"phone": "+84 987 654 321"}, "An account with this phone number already exists"),
])
def test_duplicate_login_is_refused(client, app, make, overrides, message):
    make.user("alliance", email="taken@example.vn")
    make.user("alliance", phone="0987654321")
    client.set_cookie("lang", "en")
    response = client.post("/cooperatives/register", data=registration(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert counts(app) == (0, 2)


def test_ward_of_another_province_asks_to_choose_again(client, app):
    client.set_cookie("lang", "en")
    # Without JavaScript the ward list still shows the first province's wards when the province changes.
    response = client.post("/cooperatives/register",
                           data=registration(province_code=str(OTHER_PROVINCE), ward_code=str(WARD)))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose the commune or ward again" in page
    assert f'<option selected value="{OTHER_PROVINCE}">' in page
    assert f'value="{OTHER_WARD}"' in page       # the chosen province's wards
    assert f'value="{WARD}"' not in page
    assert counts(app) == (0, 0)


def test_registrations_from_one_address_are_limited_but_corrections_are_not(client, app):
    app.config["REGISTRATION_LIMIT_PER_ADDRESS"] = "2 per hour"
    for attempt in range(3):  # refused forms do not count
        assert client.post("/cooperatives/register", data=registration(tax_code="123")).status_code == 422
    first = registration(tax_code="0100109106", email="a1@example.vn", phone="0912000001")
    second = registration(tax_code="0102595740", email="a2@example.vn", phone="0912000002")
    assert client.post("/cooperatives/register", data=first).status_code == 303
    assert client.post("/cooperatives/register", data=second).status_code == 303
    third = registration(tax_code="0100109106-001", email="a3@example.vn", phone="0912000003")
    assert client.post("/cooperatives/register", data=third).status_code == 429
    assert counts(app) == (2, 2)
