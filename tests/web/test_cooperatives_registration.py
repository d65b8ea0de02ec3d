"""Public self-registration: a pending cooperative and an inactive manager, opened by approval."""

import re

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
    ({"tax_code": "0102595741"}, "This tax code is not valid: its last digit"),
    ({"tax_code": "010259574"}, "10 digits"),
    ({"tax_code": ""}, "Enter the tax code"),
    ({"charter_capital": "-1.000.000"}, "cannot be negative"),
    ({"revenue_last_year": "1.500.000,5"}, "without a decimal part"),
    ({"members": ""}, "number of members"),
    ({"members": "2.5"}, "People are counted in whole numbers: write for example 45, not 2.5."),
    ({"employees": "2,5"}, "People are counted in whole numbers"),
    ({"members": "bốn mươi"}, "Enter the number of people using digits only, for example 45."),
    ({"founded_year": "năm 2018"}, "Enter the year with four digits, for example 2018."),
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


def page_text(response) -> str:
    """The page without its per-session form tokens, to compare two answers word for word."""
    return re.sub(r"[\w-]{20,}\.[\w-]+\.[\w-]+", "TOKEN", response.get_data(as_text=True))


@pytest.mark.parametrize("taken", [{"email": "taken@example.vn"}, {"phone": "+84 987 654 321"},
                                   {"email": "taken@example.vn", "phone": "0987654321"}])
def test_a_login_that_has_an_account_gets_the_same_answer_as_a_free_one(app, make, taken):
    make.user("alliance", email="taken@example.vn", phone="0987654321")
    free = app.test_client().post("/cooperatives/register", data=registration(tax_code="0100109106"))
    used = app.test_client().post("/cooperatives/register", data=registration(
        tax_code="0102595740", **{"email": "binh@example.vn", "phone": "0912000002", **taken}))
    assert (used.status_code, used.headers["Location"]) == (free.status_code, free.headers["Location"]) == \
        (303, "/cooperatives/register/thanks")
    assert page_text(app.test_client().get(used.headers["Location"])) == \
        page_text(app.test_client().get(free.headers["Location"]))
    with app.app_context():
        assert db.session.scalars(select(Cooperative.status)).all() == ["pending", "pending"]
        made = db.session.execute(select(User.email, User.phone).where(User.role == "coop_manager")
                                  .order_by(User.id)).all()
    # The new account logs in with what was free, and is not made when nothing was.
    expected = [("an@example.vn", "0912345678")]
    if "email" in taken and "phone" not in taken:
        expected.append((None, "0912000002"))
    elif "phone" in taken and "email" not in taken:
        expected.append(("binh@example.vn", None))
    assert made == expected


def test_the_owner_of_a_login_given_again_is_told_by_email(app, client, make, smtp):
    app.config["MAIL_SERVER"] = "smtp.example.vn"
    make.user("alliance", email="taken@example.vn", name="Chị Hoa")
    with client.post("/cooperatives/register", data=registration(email="fresh@example.vn")) as response:
        assert response.status_code == 303
    assert smtp.sent == []  # a free email: nobody to tell
    with client.post("/cooperatives/register",
                     data=registration(tax_code="0100109106", email="taken@example.vn", phone="")) as response:
        assert response.status_code == 303
        assert smtp.sent == []  # sent only once the answer has gone
    [message] = smtp.sent
    assert message["To"] == "taken@example.vn"
    body = message.get_content()
    assert "Chị Hoa" in body and "Hợp tác xã Dịch vụ Nông nghiệp Mỹ An" in body
    assert "tài khoản của anh/chị không thay đổi" in body  # in the owner's language (Vietnamese by default)


def test_every_registration_attempt_counts_towards_the_limit(client, app):
    app.config["REGISTRATION_LIMIT_PER_ADDRESS"] = "3 per hour"
    assert client.post("/cooperatives/register", data=registration(tax_code="123")).status_code == 422
    assert client.post("/cooperatives/register", data=registration(tax_code="0100109106")).status_code == 303
    # Updating the ward list is no attempt.
    for _ in range(3):
        refresh = client.post("/cooperatives/register", data=registration(refresh_wards="1"))
        assert refresh.status_code == 200
    assert client.post("/cooperatives/register", data=registration(tax_code="456")).status_code == 422
    limited = client.post("/cooperatives/register", data=registration(tax_code="0102595740", email="b@example.vn"))
    assert limited.status_code == 429
    page = limited.get_data(as_text=True)
    assert '<html lang="vi">' in page and "Quá nhiều lần thử" in page
    elsewhere = app.test_client().post("/cooperatives/register", environ_base={"REMOTE_ADDR": "10.9.8.7"},
                                       data=registration(tax_code="0102595740", email="b@example.vn"))
    assert elsewhere.status_code == 303
    assert counts(app) == (2, 2)


def test_without_javascript_the_ward_list_follows_the_province_on_request(client, app):
    page = client.get("/cooperatives/register").get_data(as_text=True)
    assert 'name="refresh_wards"' in page and "data-without-js" in page
    # Enter in a field sends the registration: the first button of the form is the registration's.
    form = page[page.index('<form method="post" action="/cooperatives/register"'):]
    assert re.search(r"<button[^>]*>", form).group(0).startswith('<button type="submit" class="default-action"')

    response = client.post("/cooperatives/register", data=registration(
        province_code=str(OTHER_PROVINCE), ward_code=str(WARD), members="", password="", confirm="",
        refresh_wards="1"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<option selected value="{OTHER_PROVINCE}">' in page
    assert f'<option value="{OTHER_WARD}">' in page and f'value="{WARD}"' not in page
    assert "Hợp tác xã Dịch vụ Nông nghiệp Mỹ An" in page and "Ấp Mỹ Phú" in page  # kept as typed
    # Nothing is checked and nobody is blamed: no error, not even for the empty fields.
    assert "error-summary" not in page and 'aria-invalid' not in page and 'class="error"' not in page
    assert counts(app) == (0, 0)


def test_the_error_summary_follows_the_order_of_the_page(client):
    response = client.post("/cooperatives/register", data=registration(
        name="", tax_code="123", ward_code="", members="2,5", person_name="", email="", phone="",
        password="short", confirm="other"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    summary = page[page.index('class="error-summary"'):page.index("</ul>")]
    linked = re.findall(r'<a href="#([\w-]+)">', summary)
    on_page = [name for name in re.findall(r'<(?:input|select|textarea)[^>]* id="([\w-]+)"', page)
               if name in linked]
    assert linked == on_page
    assert linked[:3] == ["name", "tax_code", "ward_code"] and linked[-1] == "confirm"


def test_vietnamese_wording_of_the_registration_form(client):
    page = client.get("/cooperatives/register").get_data(as_text=True)
    assert '<label for="password">Mật khẩu</label>' in page
    assert '<label for="confirm">Nhập lại mật khẩu</label>' in page
    assert "Mật khẩu mới" not in page
    refused = client.post("/cooperatives/register", data=registration(
        tax_code="0102595741", members="2,5", employees="mười", name="Hợp tác xã " + "A" * 200,
        charter_capital="1,5 tỷ")).get_data(as_text=True)
    assert "Mã số thuế này không hợp lệ" in refused and "không tồn tại" not in refused
    assert "Số người phải là số nguyên: ví dụ ghi 45, không ghi 2,5." in refused
    assert "Nhập số người chỉ bằng chữ số, ví dụ 45." in refused
    assert "Nhập số tiền (đồng) chỉ bằng chữ số, ví dụ 1.500.000.000." in refused
    assert "Tối đa 200 ký tự." in refused


def test_a_reason_too_long_names_its_limit_the_vietnamese_way(client, auth, make):
    cooperative = make.cooperative(status="pending")
    auth.login(make.user("alliance").email)
    response = client.post(f"/cooperatives/{cooperative.id}/reject", data={"reject-reason": "x" * 2001})
    assert response.status_code == 422
    assert "Tối đa 2.000 ký tự." in response.get_data(as_text=True)
