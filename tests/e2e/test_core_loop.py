"""What a board sees on a 360 px phone in Vietnamese, in a real browser: a header of one row whose menu
works without JavaScript; carried-over answers confirmed by choosing them again and submitted through
one question; "none of these" unticking the others as it is ticked; results that fit the screen and
their answers; the alliance's review beside the cooperative's own words. (Every page visited is also
audited for accessibility by the fixtures.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.assessments import drafts
from app.assessments.models import Assessment
from app.extensions import db
from tests.e2e.conftest import MOBILE_VIEWPORT, LiveServer, open_menu, watch_console_errors
from tests.factories import OTHER_PROVINCE, SMALL_ANSWERS

MAX_HEADER_HEIGHT = 64  # CSS pixels: the first question must be on the first screen
TOP = {"finance.etax_filing": "online", "finance.einvoice_use": "yes_provider", "finance.einvoice_provider": "yes",
       "security.practices": ["strong_passwords", "two_step"], "security.trained_people": 5,
       "security.difficulty": "Thiếu vốn mua máy tính."}


def header_height(page: Page) -> float:
    return page.locator("header.site-header").bounding_box()["height"]


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= MOBILE_VIEWPORT["width"]


def carried(live_server: LiveServer, assessment_id: int) -> set[str]:
    with live_server.app.app_context():
        return drafts.carried_over_codes(assessment_id)


@pytest.fixture
def board(make):
    make.questionnaire()
    cooperative = make.cooperative("Hợp tác xã Nông nghiệp Tân Hòa")
    return cooperative, make.user("coop_manager", cooperative=cooperative)


def test_the_header_is_one_row_and_its_menu_keeps_every_link(page: Page, login, board, console_errors):
    cooperative, manager = board
    page.goto("/")
    assert header_height(page) <= MAX_HEADER_HEIGHT
    login(page, manager)
    assert header_height(page) <= MAX_HEADER_HEIGHT
    menu = page.locator("nav.site-nav")
    expect(menu).to_be_hidden()

    open_menu(page)

    for link in ("/home", "/training/", "/auth/account"):
        expect(menu.locator(f"a[href$='{link}']")).to_be_visible()
    expect(menu.locator("form[action$='/auth/logout'] button")).to_be_visible()
    expect(menu.locator("form[action$='/language'] button")).to_have_text("English")
    # The open menu lies over the page: the header itself stays one row.
    assert header_height(page) <= MAX_HEADER_HEIGHT
    assert console_errors == []


def test_without_javascript_the_menu_opens_and_logs_out(new_context, login, board):
    cooperative, manager = board
    page = new_context(java_script_enabled=False).new_page()
    errors = watch_console_errors(page)
    login(page, manager)
    page.goto(f"/assessments/history/{cooperative.id}")
    assert header_height(page) <= MAX_HEADER_HEIGHT

    open_menu(page)
    page.locator("form[action$='/auth/logout'] button").click()

    page.wait_for_url(re.compile(r"/$"))
    open_menu(page)
    expect(page.locator("nav.site-nav a[href$='/auth/login']")).to_be_visible()
    assert errors == []


def test_a_re_assessment_is_confirmed_by_choosing_again_and_submitted_through_one_question(
        page: Page, make, login, board, live_server, console_errors):
    cooperative, manager = board
    make.assessment(cooperative, answers=SMALL_ANSWERS, by=manager)
    draft = make.assessment(cooperative, answers={}, submit=False, by=manager)
    login(page, manager)
    page.goto(f"/assessments/{draft.id}/dimensions/finance")
    question = page.locator("#q-finance-etax_filing")
    assert header_height(page) <= MAX_HEADER_HEIGHT
    # The first question is on the first screen.
    assert question.locator("legend").bounding_box()["y"] < MOBILE_VIEWPORT["height"]
    # The confirm control sits after the answer it confirms.
    assert question.locator(".choices").bounding_box()["y"] < question.locator(".carried__note").bounding_box()["y"]
    expect(page.locator("#i-finance-etax_filing-helped")).to_be_checked()

    # Tapping the answer already chosen confirms it (the browser fires no "change" for it).
    page.locator("label[for='i-finance-etax_filing-helped']").click()

    expect(question).to_have_attribute("data-save-state", "saved")
    expect(question.locator(".carried__note")).to_have_count(0)
    assert "finance.etax_filing" not in carried(live_server, draft.id)
    assert len(carried(live_server, draft.id)) == 4

    page.goto(f"/assessments/{draft.id}")
    expect(page.locator("[data-unconfirmed]")).to_have_text([re.compile("^2 "), re.compile("^2 ")])
    expect(page.locator("[data-unconfirmed-total]")).to_contain_text(
        "4 câu trả lời chuyển từ lần trước chưa được xác nhận — vẫn gửi?")
    page.locator("form[action$='/submit'] button[type='submit']").click()

    page.wait_for_url(re.compile(rf"/assessments/{draft.id}/results$"))
    assert carried(live_server, draft.id) == set()
    with live_server.app.app_context():
        assert db.session.get(Assessment, draft.id).status == "submitted"
    assert console_errors == []


def test_none_of_these_unticks_the_others_as_it_is_ticked(page: Page, make, login, board, live_server,
                                                         console_errors):
    cooperative, manager = board
    draft = make.assessment(cooperative, answers={}, submit=False, by=manager)
    login(page, manager)
    page.goto(f"/assessments/{draft.id}/dimensions/security")
    question = page.locator("#q-security-practices")
    expect(question).to_contain_text("Chọn “Chưa làm gì” thì không chọn mục nào khác.")
    two_step, backups, none = (page.locator(f"#i-security-practices-{code}") for code in ("two_step", "backups", "none"))

    two_step.check()
    backups.check()
    expect(question).to_have_attribute("data-save-state", "saved")
    none.check()

    expect(none).to_be_checked()
    expect(two_step).not_to_be_checked()
    expect(backups).not_to_be_checked()
    expect(question).to_have_attribute("data-save-state", "saved")
    expect(question.locator(".save-status .error")).to_have_count(0)
    with live_server.app.app_context():
        assert drafts.answers_of(draft.id)["security.practices"] == ["none"]

    backups.check()

    expect(none).not_to_be_checked()
    expect(question).to_have_attribute("data-save-state", "saved")
    with live_server.app.app_context():
        assert drafts.answers_of(draft.id)["security.practices"] == ["backups"]
    assert console_errors == []


def test_results_fit_a_phone_and_lead_to_the_answers_and_the_history(page: Page, make, login, board,
                                                                      console_errors):
    cooperative, manager = board
    make.assessment(cooperative, answers=SMALL_ANSWERS)
    latest = make.assessment(cooperative, answers=TOP)
    for name in ("HTX Một", "HTX Hai", "HTX Ba"):  # enough peers for both averages
        make.assessment(make.cooperative(name), answers=SMALL_ANSWERS)
    login(page, manager)
    page.locator(f"main a[href$='/assessments/{latest.id}/results']").click()
    page.wait_for_url(re.compile(rf"/assessments/{latest.id}/results$"))

    table = page.locator("table.score-table")
    expect(table.locator("th[data-peers='province']")).to_have_count(1)
    assert fits_the_screen(page)
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= MOBILE_VIEWPORT["width"]
    # "Last round" and "Change", the columns a board wants most, are on screen beside each area.
    finance = table.locator("tr[data-dimension='finance']")
    for label, value in (("Lần trước", "58"), ("Thay đổi", "+42")):
        cell = finance.locator(f"td[data-label='{label}']")
        expect(cell).to_have_text(value)
        cell_box = cell.bounding_box()
        assert 0 <= cell_box["x"] and cell_box["x"] + cell_box["width"] <= MOBILE_VIEWPORT["width"]
    # The order a board reads: level, what falls short, next steps, comparison, history.
    tops = [page.locator(f"section.{name}").bounding_box()["y"]
            for name in ("report__summary", "report__gaps", "report__steps", "report__dimensions", "report__history")]
    assert tops == sorted(tops)

    page.locator(f"a[href$='/assessments/{latest.id}/answers']").first.click()
    page.wait_for_url(re.compile(rf"/assessments/{latest.id}/answers$"))
    expect(page.locator("[data-answer='security.difficulty']")).to_contain_text("Thiếu vốn mua máy tính.")
    expect(page.locator("[data-answer='finance.etax_filing']")).to_contain_text("Tự nộp qua mạng")
    assert fits_the_screen(page)

    page.goto(f"/assessments/history/{cooperative.id}")
    expect(page.locator("tr[data-assessment]")).to_have_count(2)
    assert fits_the_screen(page)
    assert console_errors == []


def test_the_alliance_reviews_beside_the_cooperatives_own_words(page: Page, make, login, board, live_server,
                                                               console_errors):
    cooperative, _manager = board
    assessment = make.assessment(cooperative, answers=TOP)
    make.user("alliance", province_code=OTHER_PROVINCE)
    login(page, make.user("alliance"))
    page.goto("/assessments/reviews")
    page.locator(f"a[href$='/assessments/{assessment.id}/results']").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment.id}/results$"))
    typed = page.locator("[data-typed-answers]")
    expect(typed).to_contain_text("Thiếu vốn mua máy tính.")

    page.locator("#feedback").fill("Liên minh sẽ giới thiệu gói vay ưu đãi.")
    page.locator("form.review-form button[type='submit']").click()

    expect(page.locator(".feedback")).to_have_text("Liên minh sẽ giới thiệu gói vay ưu đãi.")
    assert fits_the_screen(page)
    assert console_errors == []
