"""An invitation in a real browser: a manager makes the link, another person opens it in
their own browser, creates an account and lands at home; the link then works no more."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.e2e.conftest import HOME_URL, MOBILE_VIEWPORT, open_menu, watch_console_errors

COOPERATIVE = "Hợp tác xã Nông nghiệp Tân Hòa"
INVITEE = "Lê Thị Hoa"
INVITEE_PHONE = "0912 345 678"
INVITEE_PASSWORD = "sen nở trong đầm tháp mười"
LOGOUT_BUTTON = "form[action$='/auth/logout'] button"


def create_invitation_link(page: Page, cooperative_id: int, live_server_url: str) -> str:
    """From the manager's home: follow "invite a colleague", ask for a member, read the link."""
    invite_path = f"/invitations/new/{cooperative_id}"
    page.locator(f"main a[href$='{invite_path}']").click()
    page.wait_for_url(re.compile(re.escape(invite_path) + "$"))
    form = page.locator(f"form[action$='{invite_path}']")
    form.locator("select[name='role']").select_option("coop_member")
    form.locator("button[type='submit']").click()

    link_box = page.locator("#invitation-link")
    expect(link_box).to_be_visible()
    expect(link_box).not_to_be_editable()
    link = link_box.input_value()
    assert re.fullmatch(re.escape(live_server_url) + r"/invitations/[^/?#]{20,}", link), link
    return link


def test_a_colleague_accepts_an_invitation_and_lands_at_home(
        page: Page, new_context, make, login, live_server, console_errors):
    cooperative = make.cooperative(COOPERATIVE)
    make.cooperative("Hợp tác xã Thủy sản Bình Minh")
    login(page, make.user("coop_manager", cooperative=cooperative))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    link = create_invitation_link(page, cooperative.id, live_server.url)

    copy = page.locator("button[data-copy-target='invitation-link']")
    expect(copy).to_be_visible()
    copied_label = copy.get_attribute("data-copied-label")
    assert copied_label
    copy.click()
    expect(copy).to_have_text(copied_label)
    assert page.evaluate("navigator.clipboard.readText()") == link
    expect(page.locator("#open-invitations li")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE_VIEWPORT["width"]
    assert console_errors == []

    invitee = new_context().new_page()
    invitee_errors = watch_console_errors(invitee)
    assert invitee.viewport_size == MOBILE_VIEWPORT
    opened = invitee.goto(link)
    assert opened is not None and opened.status == 200
    expect(invitee.locator("main h1")).to_contain_text(COOPERATIVE)
    expect(invitee.locator(LOGOUT_BUTTON)).to_have_count(0)

    form = invitee.locator(f"form[action='{urlsplit(link).path}']")
    form.locator("input[name='name']").fill(INVITEE)
    form.locator("input[name='phone']").fill(INVITEE_PHONE)
    form.locator("input[name='password']").fill(INVITEE_PASSWORD)
    form.locator("input[name='confirm']").fill(INVITEE_PASSWORD)
    with invitee.expect_response(lambda r: r.request.method == "POST" and r.url == link) as answer:
        form.locator("button[type='submit']").click()

    assert answer.value.status == 303
    invitee.wait_for_url(HOME_URL)
    main = invitee.locator("main")
    expect(main.locator("h1")).to_contain_text(INVITEE)
    expect(main).to_contain_text(COOPERATIVE)
    expect(main).not_to_contain_text("Bình Minh")
    open_menu(invitee)
    expect(invitee.locator(LOGOUT_BUTTON)).to_be_visible()
    # A member does not invite: the manager's link is not on their home.
    expect(main.locator("a[href*='/invitations/new/']")).to_have_count(0)
    assert invitee_errors == []

    reopened = invitee.goto(link)

    assert reopened is not None and reopened.status == 410
    expect(invitee.locator("main h1")).not_to_be_empty()
    expect(invitee.locator("main a[href$='/auth/login']")).to_be_visible()
    expect(invitee.locator("input[name='password']")).to_have_count(0)
    # Chromium reports every 4xx page as a failed load; nothing else may appear.
    assert len(invitee_errors) == 1 and "410" in invitee_errors[0], invitee_errors

    page.reload()
    expect(page.locator("#open-invitations")).to_be_visible()
    expect(page.locator("#open-invitations li")).to_have_count(0)
    assert console_errors == []


SHARE_BUTTON = "Chia sẻ qua Zalo, Messenger…"


def test_the_new_link_is_shown_once_and_shared_through_the_phone(
        page: Page, make, login, live_server, console_errors):
    cooperative = make.cooperative(COOPERATIVE)
    # A phone's share sheet (Chromium on a desktop has none): it records what it is given.
    page.add_init_script("window.shared = []; navigator.share = function (data) {"
                         " window.shared.push(data); return Promise.resolve(); };")
    login(page, make.user("coop_manager", cooperative=cooperative))

    link = create_invitation_link(page, cooperative.id, live_server.url)
    share = page.get_by_role("button", name=SHARE_BUTTON)
    expect(share).to_be_visible()
    share.click()
    shared = page.evaluate("window.shared")
    assert len(shared) == 1 and link in shared[0]["text"]

    # Reloading shows the page again without making or showing another link.
    page.reload()
    expect(page.locator("#invitation-link")).to_have_count(0)
    expect(page.locator("#open-invitations li")).to_have_count(1)
    assert console_errors == []


def test_without_a_share_sheet_the_share_button_stays_hidden(page: Page, make, login, live_server, console_errors):
    cooperative = make.cooperative(COOPERATIVE)
    page.add_init_script("delete Navigator.prototype.share;")
    login(page, make.user("coop_manager", cooperative=cooperative))
    create_invitation_link(page, cooperative.id, live_server.url)
    expect(page.get_by_role("button", name=SHARE_BUTTON)).to_be_hidden()
    expect(page.get_by_role("link", name="Gửi qua tin nhắn SMS")).to_be_visible()
    expect(page.locator("button[data-copy-target='invitation-link']")).to_be_visible()
    assert console_errors == []
