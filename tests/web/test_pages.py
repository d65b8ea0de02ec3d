"""Pages every visitor sees: language, headers, error pages, the htmx set-up."""

import html
import json
import re

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db


def test_home_page_explains_the_service_and_offers_log_in_and_registration(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert 'href="/auth/login"' in page
    assert 'href="/cooperatives/register"' in page


def test_security_headers_and_strict_csp(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_htmx_is_vendored_and_configured_for_a_strict_csp(client):
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'src="/static/vendor/htmx-2\.0\.11\.min\.[0-9a-f]{12}\.js"', page)
    assert "<script>" not in page and " onclick=" not in page
    config = json.loads(html.unescape(page.split('name="htmx-config" content="', 1)[1].split('"', 1)[0]))
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["includeIndicatorStyles"] is False
    assert config["historyCacheSize"] == 0
    assert {"code": "422", "swap": True} in config["responseHandling"]
    response = client.get("/static/vendor/htmx-2.0.11.min.js")
    assert response.status_code == 200
    assert response.get_data().startswith(b"var htmx=")
    response.close()


def test_visitor_language_choice_is_remembered_by_cookie(client):
    response = client.post("/language", data={"language": "en", "next": "/?x=1"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/?x=1"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    client.post("/language", data={"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)


def test_unknown_language_and_foreign_next_are_ignored(client):
    response = client.post("/language", data={"language": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert client.get_cookie("lang") is None


def test_signed_in_users_language_follows_them_to_another_device(app, client, auth, make):
    user = make.user("alliance")
    auth.login(user.email)
    client.post("/language", data={"language": "en", "next": "/home"})
    with app.app_context():
        assert db.session.scalar(select(User.locale).where(User.id == user.id)) == "en"
    other_device = app.test_client()
    other_device.post("/auth/login", data={"login": user.email, "password": "lúa chín vàng đồng"})
    assert '<html lang="en">' in other_device.get("/home").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/no-such-page", "/auth/reset/no-such-token"])
def test_not_found_page_is_a_whole_translated_page(client, auth, make, path):
    auth.login(make.user("alliance").email)
    response = client.get(path)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "404" in page


def test_method_not_allowed_gets_a_page(client):
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert '<html lang="vi">' in response.get_data(as_text=True)


def test_server_error_page_rolls_back_and_is_translated(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert '<html lang="vi">' in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/cooperatives/99999999999999999999999", "/cooperatives/0",
                                  "/admin/users/99999999999999999999", "/assessments/99999999999999999999/results"])
def test_ids_that_cannot_exist_are_not_found(client, auth, make, path):
    auth.login(make.user("admin").email)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("page", ["99999999999999999999", "-3", "abc", "٣"])
def test_odd_page_numbers_still_show_a_page(client, auth, make, page):
    auth.login(make.user("admin").email)
    for path in ("/cooperatives/", "/admin/users", "/assessments/reviews", "/training/completions"):
        assert client.get(f"{path}?page={page}").status_code == 200, path


def test_a_visitors_session_outlives_the_browser(client):
    response = client.get("/cooperatives/register")
    cookie = response.headers.get("Set-Cookie", "")
    assert "coopdx_session=" in cookie and "Expires=" in cookie
