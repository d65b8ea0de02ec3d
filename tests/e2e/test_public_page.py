"""The public home page under the real CSP, on a phone-sized screen."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import MOBILE_VIEWPORT


def test_public_home_page_loads_cleanly_on_a_phone(page: Page, console_errors):
    response = page.goto("/")

    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE_VIEWPORT["width"]
    assert console_errors == []
