"""A phone shared by several people: after one logs out, Back shows none of their pages, and an
invitation opened on it asks before switching accounts."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from app.database import utcnow
from app.extensions import db
from app.invitations.models import Invitation
from app.tokens import new_token
from tests.e2e.conftest import open_menu

LOGOUT_BUTTON = "form[action$='/auth/logout'] button"


def test_back_after_logging_out_shows_no_page_of_the_person(page: Page, make, login, console_errors):
    user = make.user("coop_manager", cooperative=make.cooperative(), name="Chủ Nhiệm Riêng Tư",
                     email="rieng@htx.vn")
    login(page, user)
    opened = page.goto("/auth/account")
    expect(page.locator("main")).to_contain_text("rieng@htx.vn")
    # Neither the browser's cache nor its back-forward cache may keep the page.
    assert opened is not None and opened.headers["cache-control"] == "no-store"

    open_menu(page)
    page.locator(LOGOUT_BUTTON).click()
    page.wait_for_url(re.compile(r"/$"))
    page.go_back()
    page.wait_for_load_state()

    # The browser asked the server again, which sent it to the log-in form.
    expect(page).to_have_url(re.compile(r"/auth/login"))
    expect(page.locator("body")).not_to_contain_text("rieng@htx.vn")
    expect(page.locator("body")).not_to_contain_text("Chủ Nhiệm Riêng Tư")
    assert console_errors == []


def test_an_invitation_opened_while_logged_in_asks_before_switching(app, page: Page, make, login, console_errors):
    cooperative = make.cooperative("Hợp tác xã Nông nghiệp Tân Hòa")
    manager = make.user("coop_manager", cooperative=cooperative)
    someone = make.user("coop_member", cooperative=make.cooperative("HTX Khác"), name="Người Đang Dùng")
    token, token_hash = new_token()
    with app.app_context():
        db.session.add(Invitation(token_hash=token_hash, role="coop_member", cooperative_id=cooperative.id,
                                  created_by_id=manager.id, expires_at=utcnow() + timedelta(days=1)))
        db.session.commit()
    login(page, someone)

    page.goto(f"/invitations/{token}")
    expect(page.locator("main")).to_contain_text(
        "Anh/chị đang đăng nhập với tài khoản Người Đang Dùng")
    expect(page.locator("input[name='password']")).to_have_count(0)

    page.get_by_role("link", name="Vẫn giữ đăng nhập").click()
    page.wait_for_url(re.compile(r"/home$"))
    expect(page.locator("main")).to_contain_text("Người Đang Dùng")

    page.goto(f"/invitations/{token}")
    page.get_by_role("button", name="Đăng xuất và tiếp tục").click()
    page.wait_for_url(re.compile(re.escape(f"/invitations/{token}") + "$"))
    expect(page.locator("input[name='password']").first).to_be_visible()
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
    assert console_errors == []
