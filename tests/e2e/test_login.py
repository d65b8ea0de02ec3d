"""Logging in and out in a real browser: each role's home, dead sessions, the rate limit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import HOME_URL, MOBILE_VIEWPORT, open_menu, submit_login_form
from tests.factories import OTHER_PROVINCE, PROVINCE

LOGOUT_BUTTON = "form[action$='/auth/logout'] button"
LOGIN_FORM = "form:has(input[name='password'])"
SESSION_COOKIE = "coopdx_session"


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("role", ["admin", "alliance", "coop_manager", "coop_member", "graduate"])
def test_each_role_logs_in_and_sees_its_home(page: Page, make, login, console_errors, role):
    home = make.cooperative("Hợp tác xã Dịch vụ Nông nghiệp Mỹ An", province_code=PROVINCE)
    make.cooperative("Hợp tác xã Thủy sản Bình Minh", province_code=OTHER_PROVINCE)
    user = make.user(role, cooperative=home if role in {"coop_manager", "coop_member", "graduate"} else None)

    login(page, user)

    expect(page).to_have_url(HOME_URL)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    open_menu(page)
    expect(page.locator(LOGOUT_BUTTON)).to_be_visible()
    main = page.locator("main")
    if role == "admin":
        expect(page.locator("header a[href$='/admin/users']")).to_be_visible()
    elif role == "alliance":
        expect(main.locator("h1")).to_contain_text("Đồng Tháp")
    else:
        expect(main).to_contain_text(home.name)
        expect(main).not_to_contain_text("Bình Minh")
    assert page_width(page) <= MOBILE_VIEWPORT["width"]
    assert console_errors == []


def open_home_with(new_context, cookie: dict) -> Page:
    """``/home`` in a fresh browser that carries only ``cookie``."""
    other = new_context()
    other.add_cookies([cookie])
    other_page = other.new_page()
    other_page.goto("/home")
    return other_page


def test_session_cookie_is_refused_after_logging_out(page: Page, new_context, make, login, live_server):
    user = make.user("coop_manager", cooperative=make.cooperative())
    login(page, user)
    old_cookie = next(c for c in page.context.cookies() if c["name"] == SESSION_COOKIE)
    # The copied cookie opens the home while the session lives, so its refusal below means something.
    expect(open_home_with(new_context, old_cookie)).to_have_url(HOME_URL)

    open_menu(page)
    page.locator(LOGOUT_BUTTON).click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)

    replayed = open_home_with(new_context, old_cookie)
    expect(replayed).to_have_url(re.compile(r"/auth/login"))
    expect(replayed.locator(LOGIN_FORM)).to_be_visible()
    expect(replayed.locator(LOGOUT_BUTTON)).to_have_count(0)


def test_repeated_wrong_passwords_are_stopped_with_a_translated_page(page: Page, make, live_server):
    user = make.user("coop_manager", cooperative=make.cooperative())
    allowed = 3

    with live_server.configured(LOGIN_LIMIT_PER_ACCOUNT=f"{allowed} per 15 minutes"):
        statuses = [submit_login_form(page, user.email, "not the password").status for _ in range(allowed + 1)]

    assert statuses == [422] * allowed + [429]
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("main h1")).not_to_be_empty()
    expect(page.locator("main")).to_contain_text("429")
    expect(page.locator(LOGIN_FORM)).to_have_count(0)
