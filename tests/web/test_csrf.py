"""CSRF protection stays on here: a form without its token fails, htmx sends it in a header."""

import html
import json

import pytest

from tests.conftest import csrf_token_from
from tests.factories import PASSWORD

pytestmark = pytest.mark.csrf


def test_post_without_token_is_refused_with_a_translated_page(client, make):
    user = make.user("alliance")
    response = client.post("/auth/login", data={"login": user.email, "password": PASSWORD})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert client.get("/home").status_code == 302


def test_form_post_with_its_token_succeeds(client, make):
    user = make.user("alliance")
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"login": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303


def test_htmx_post_with_the_body_header_token_succeeds(client):
    page = client.get("/").get_data(as_text=True)
    headers = json.loads(html.unescape(page.split('<body hx-boost="true" hx-headers="', 1)[1].split('"', 1)[0]))
    token = headers["X-CSRFToken"]
    refused = client.post("/language", data={"language": "en", "next": "/"}, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    accepted = client.post("/language", data={"language": "en", "next": "/"},
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert accepted.status_code == 303
    assert client.get_cookie("lang").value == "en"
