"""Phone numbers, safe redirects, database URLs and the page/fragment decision."""

import pytest
from htmx_flask.requests import HtmxHeaders
from werkzeug.datastructures import Headers

from app import phones
from app.config import normalise_database_url
from app.rendering import wants_fragment
from app.safe_redirect import safe_next


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("02773 851 234", "02773851234"),
        ("091234567", None),
        ("1912345678", None),
        ("abc", None),
        ("", None),
    ],
)
def test_phone_normalise(raw, expected):
    assert phones.normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0912 345 678", True), ("+84912345678", True), ("an@htx.vn", False), ("", False), ("an", False)],
)
def test_looks_like_phone(raw, expected):
    assert phones.looks_like_phone(raw) is expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/home", "/home"),
        ("/cooperatives/?q=a&page=2", "/cooperatives/?q=a&page=2"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("home", None),
        ("javascript:alert(1)", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_next(target, expected):
    assert safe_next(target) == expected


@pytest.mark.parametrize(
    ("headers", "target", "expected"),
    [
        ({}, None, False),
        ({"HX-Request": "true"}, None, True),
        ({"HX-Request": "true", "HX-Target": "results"}, "results", True),
        ({"HX-Request": "true", "HX-Target": "main"}, "results", False),
        ({"HX-Request": "true", "HX-Boosted": "true", "HX-Target": "results"}, "results", False),
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, None, False),
    ],
)
def test_wants_fragment(headers, target, expected):
    assert wants_fragment(HtmxHeaders(Headers(headers)), target) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql+psycopg://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("sqlite:////tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
    ],
)
def test_database_url_uses_psycopg3(url, expected):
    assert normalise_database_url(url) == expected
