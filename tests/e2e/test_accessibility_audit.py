"""The accessibility audit that every browser test runs on every page it visits: it really fails a
test on a serious axe violation or a small tap target, says where, and covers pages with JavaScript off."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import Auditor


def test_a_serious_violation_fails_at_the_next_action_with_rule_impact_target_and_address(
        page: Page, accessibility: Auditor, live_server):
    page.goto("/")
    # An image with no text alternative: axe's image-alt, critical.
    page.evaluate("""document.querySelector("main").insertAdjacentHTML("beforeend",
        '<img id="no-alt" src="/static/favicon.svg" width="40" height="40">')""")

    with pytest.raises(AssertionError) as failure:
        page.reload()

    report = str(failure.value)
    assert "image-alt (critical)" in report and "#no-alt" in report
    assert f"{live_server.url}/" in report


def test_a_tap_target_under_24_px_fails(page: Page, accessibility: Auditor):
    page.goto("/")
    page.evaluate("""() => {
        const link = document.createElement("a");
        link.href = "/auth/login"; link.id = "tiny"; link.textContent = "x";
        link.style.display = "inline"; link.style.fontSize = "8px";
        document.querySelector("main").append(link);
    }""")

    with pytest.raises(AssertionError) as failure:
        accessibility.audit(page)

    assert "tap target" in str(failure.value) and "a#tiny" in str(failure.value)


def test_each_document_is_audited_once(page: Page, accessibility: Auditor):
    page.goto("/")
    accessibility.audit(page)
    page.evaluate("""document.querySelector("main").insertAdjacentHTML("beforeend", '<img src="/static/favicon.svg">')""")

    accessibility.audit(page)  # the same document: not audited again, so its new flaw goes unreported


def test_a_page_without_javascript_is_audited_through_a_copy_with_javascript(new_context, accessibility: Auditor):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/auth/login")
    expect(page.locator("input[name='login']")).to_be_visible()

    accessibility.audit(page)

    assert accessibility.audited[page] == (page.url, 0)
