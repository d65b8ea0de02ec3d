"""Logging in and out, sessions, password changes and the log-in rate limit."""

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.auth import passwords
from app.auth.models import User
from app.extensions import db
from tests.factories import PASSWORD


@pytest.fixture
def manager(make):
    return make.user("coop_manager", cooperative=make.cooperative(), phone="0912345678", email="chu@htx.vn")


def test_login_by_email_lands_on_home(client, auth, manager):
    response = auth.login("  CHU@htx.vn ")
    assert response.status_code == 303
    assert response.headers["Location"] == "/home"
    assert client.get("/home").status_code == 200


@pytest.mark.parametrize("typed", ["0912345678", "0912 345 678", "+84 912 345 678"])
def test_login_by_phone_as_people_type_it(client, auth, manager, typed):
    assert auth.login(typed).status_code == 303


@pytest.mark.parametrize(("login", "password"), [("chu@htx.vn", "wrong password"), ("nobody@htx.vn", PASSWORD)])
def test_wrong_login_or_password_gets_one_message_and_no_session(client, auth, manager, login, password):
    response = auth.login(login, password)
    assert response.status_code == 422
    assert "The login or the password is wrong." in response.get_data(as_text=True) or \
        "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert login.strip() in response.get_data(as_text=True)  # what was typed is kept
    assert client.get("/home").status_code == 302


def test_deactivated_account_cannot_log_in(client, auth, make):
    user = make.user("coop_member", cooperative=make.cooperative(), active=False)
    response = auth.login(user.email)
    assert response.status_code == 422
    assert client.get("/home").status_code == 302


def test_login_starts_a_fresh_session(client, auth, manager):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login(manager.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == manager.session_token


def test_logout_kills_a_copied_cookie(app, client, auth, manager):
    auth.login(manager.email)
    stolen = client.get_cookie("coopdx_session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("coopdx_session", stolen)
    response = thief.get("/home")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_change_password_keeps_this_device_and_ends_the_others(app, client, auth, manager):
    other_device = app.test_client()
    other_device.post("/auth/login", data={"login": manager.email, "password": PASSWORD})
    assert other_device.get("/home").status_code == 200
    auth.login(manager.email)
    response = client.post("/auth/account", data={
        "current_password": PASSWORD, "password": "cánh đồng mẫu lớn", "confirm": "cánh đồng mẫu lớn"})
    assert response.status_code == 303
    assert client.get("/home").status_code == 200
    assert other_device.get("/home").status_code == 302
    auth.logout()
    assert auth.login(manager.email).status_code == 422
    assert auth.login(manager.email, "cánh đồng mẫu lớn").status_code == 303


@pytest.mark.parametrize(
    ("form", "field_error"),
    [
        ({"current_password": "wrong one!", "password": "cánh đồng mẫu lớn", "confirm": "cánh đồng mẫu lớn"},
         "current_password-error"),
        ({"current_password": PASSWORD, "password": "short", "confirm": "short"}, "password-error"),
        ({"current_password": PASSWORD, "password": "password123", "confirm": "password123"}, "password-error"),
        ({"current_password": PASSWORD, "password": "0912345678", "confirm": "0912345678"}, "password-error"),
        ({"current_password": PASSWORD, "password": "cánh đồng mẫu lớn", "confirm": "cánh đồng khác"},
         "confirm-error"),
    ],
)
def test_bad_password_change_changes_nothing(client, auth, manager, form, field_error):
    auth.login(manager.email)
    response = client.post("/auth/account", data=form)
    assert response.status_code == 422
    assert f'id="{field_error}"' in response.get_data(as_text=True)
    auth.logout()
    assert auth.login(manager.email).status_code == 303


def test_login_rehashes_a_weaker_hash(app, client, auth, manager):
    with app.app_context():
        user = db.session.get(User, manager.id)
        user.password_hash = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
        db.session.commit()
    assert auth.login(manager.email).status_code == 303
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.id == manager.id))
    assert not passwords.needs_rehash(stored)
    assert passwords.verify(stored, PASSWORD)


def test_next_only_follows_local_paths(client, manager):
    data = {"login": manager.email, "password": PASSWORD}
    response = client.post("/auth/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/home"
    client.post("/auth/logout")
    response = client.post("/auth/login?next=/auth/account", data=data)
    assert response.headers["Location"] == "/auth/account"


def test_pages_behind_login_send_visitors_to_login(client):
    response = client.get("/auth/account")
    assert response.status_code == 302
    assert "/auth/login?next=" in response.headers["Location"]


def test_failed_logins_are_limited_per_account_with_a_translated_page(app, client, manager):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
    for _ in range(3):
        assert client.post("/auth/login", data={"login": manager.email, "password": "wrong!!!"}).status_code == 422
    response = client.post("/auth/login", data={"login": manager.email, "password": PASSWORD})
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Retry-After" in response.headers
    # Another account from the same address is not locked out by this one.
    other = client.post("/auth/login", data={"login": "0987654321", "password": "wrong!!!"})
    assert other.status_code == 422


def test_failed_logins_are_limited_per_address(app, client, manager):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "4 per 15 minutes"
    for n in range(4):
        client.post("/auth/login", data={"login": f"guess{n}@htx.vn", "password": "wrong!!!"})
    assert client.post("/auth/login", data={"login": manager.email, "password": PASSWORD}).status_code == 429
    elsewhere = app.test_client()
    response = elsewhere.post("/auth/login", data={"login": manager.email, "password": PASSWORD},
                              environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 303


def test_successful_logins_do_not_count_towards_the_limit(app, client, auth, manager):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "2 per 15 minutes"
    for _ in range(4):
        assert auth.login(manager.email).status_code == 303
        auth.logout()


def test_writing_a_phone_number_differently_does_not_escape_the_limit(app, client, manager):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
    for typed in ("0912345678", "0912 345 678", "+84 912 345 678"):
        assert client.post("/auth/login", data={"login": typed, "password": "wrong!!!"}).status_code == 422
    assert client.post("/auth/login", data={"login": "(0912) 345.678", "password": PASSWORD}).status_code == 429


def test_guesses_for_one_account_from_many_addresses_are_limited(app, manager):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
    guesses = [("0912345678", "10.0.0.1"), ("+84 912 345 678", "10.0.0.2"), ("chu@htx.vn", "10.0.0.3")]
    for login, address in guesses:
        response = app.test_client().post("/auth/login", data={"login": login, "password": "wrong!!!"},
                                          environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 422
    # A fourth address, and even the right password, meets the account's limit.
    response = app.test_client().post("/auth/login", data={"login": "CHU@htx.vn", "password": PASSWORD},
                                      environ_base={"REMOTE_ADDR": "10.0.0.4"})
    assert response.status_code == 429
    # The per-address limit still stands apart: other accounts from those addresses are not locked.
    other = app.test_client().post("/auth/login", data={"login": "someone@htx.vn", "password": "wrong!!!"},
                                   environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert other.status_code == 422


@pytest.mark.parametrize("path", ["/home", "/auth/account", "/training/", "/cooperatives/register"])
def test_every_page_for_a_logged_in_person_is_never_stored(client, auth, manager, path):
    auth.login(manager.email)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_for_visitors_and_static_files_may_be_stored(client, auth, manager):
    assert "no-store" not in client.get("/auth/login").headers.get("Cache-Control", "")
    auth.login(manager.email)
    static = client.get("/static/css/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
