"""Content-hashed static names (pure)."""

import pytest

from app.assets import hashed_name, split_hashed


@pytest.mark.parametrize(("filename", "digest", "expected"), [
    ("css/app.css", "0123456789ab", "css/app.0123456789ab.css"),
    ("vendor/htmx-2.0.11.min.js", "0123456789ab", "vendor/htmx-2.0.11.min.0123456789ab.js"),
    ("favicon.svg", "ffffffffffff", "favicon.ffffffffffff.svg"),
])
def test_hashed_names_round_trip(filename, digest, expected):
    assert hashed_name(filename, digest) == expected
    assert split_hashed(expected) == (filename, digest)


@pytest.mark.parametrize("name", [
    "css/app.css", "vendor/htmx-2.0.11.min.js", "css/app.0123456789a.css", "css/app.0123456789AB.css",
    "css/app.0123456789abc.css", ".0123456789ab.css",
])
def test_plain_names_are_not_hashed(name):
    assert split_hashed(name) == (name, None)
