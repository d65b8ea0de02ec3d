"""Answering a self-assessment in a real browser on a phone-sized screen: every answer saved as
it changes and still there after a reload, through a network loss, with a colleague answering
at the same time and with JavaScript off; conditional questions; submitting once to the results."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func, select

from app.assessments import drafts, versions
from app.assessments.models import Assessment, DimensionScore
from app.auth.models import User
from app.cooperatives.models import Cooperative
from app.extensions import db
from tests.e2e.conftest import MOBILE_VIEWPORT, LiveServer, open_menu, watch_console_errors

COOPERATIVE = "Hợp tác xã Nông nghiệp Tân Hòa"
PAGE_STATUS = "#save-status"
# The dimension page's main button: "save and continue" (no name, so it goes to the next part).
SAVE_AND_CONTINUE = "#answers-form .answers__actions button[type='submit']:not([name])"
# Typed in three goes: quickly, then slowly (a word hunted out on a phone keyboard), then quickly.
TYPED_FAST = ("Thiếu người biết dùng ", " tính, mạng ở ấp yếu.")
TYPED_SLOWLY = "máy"
SENTENCE = TYPED_FAST[0] + TYPED_SLOWLY + TYPED_FAST[1]
# While offline: Chromium's failed load, and htmx's report of the failed send (its afterRequest
# and sendError events, which it logs as errors).
OFFLINE_ERRORS = re.compile(r"^(Failed to load resource: net::ERR_INTERNET_DISCONNECTED"
                            r"|htmx:(afterRequest|sendError),)")


@dataclass
class Board:
    """A cooperative of the small questionnaire's world, with its manager and a board member."""

    cooperative: Cooperative
    manager: User
    member: User


@pytest.fixture
def board(make) -> Board:
    make.questionnaire()
    cooperative = make.cooperative(COOPERATIVE)
    return Board(cooperative=cooperative, manager=make.user("coop_manager", cooperative=cooperative),
                 member=make.user("coop_member", cooperative=cooperative))


def start_draft(make, board: Board, answers: dict[str, Any] | None = None) -> int:
    """The manager's open draft (as ``drafts.start`` makes it), with ``answers`` already saved."""
    return make.assessment(board.cooperative, answers=answers or {}, submit=False, by=board.manager).id


def key(code: str) -> str:
    return code.replace(".", "-")


def question(page: Page, code: str) -> Locator:
    return page.locator(f"#q-{key(code)}")


def option(page: Page, code: str, choice: str) -> Locator:
    return page.locator(f"#i-{key(code)}-{choice}")


def answer_field(page: Page, code: str) -> Locator:
    """The text box of a number or text question."""
    return page.locator(f"#i-{key(code)}")


def dimension_path(assessment_id: int, code: str) -> str:
    return f"/assessments/{assessment_id}/dimensions/{code}"


def expect_saved(page: Page, code: str) -> None:
    """The question says *saved* and the page says every answer is saved."""
    expect(question(page, code)).to_have_attribute("data-save-state", "saved")
    expect(page.locator(f"#s-{key(code)} .save-status__saved")).to_be_visible()
    expect(page.locator(PAGE_STATUS)).to_have_attribute("data-state", "saved")


def stored_answers(live_server: LiveServer, assessment_id: int) -> dict[str, Any]:
    with live_server.app.app_context():
        return drafts.answers_of(assessment_id)


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= MOBILE_VIEWPORT["width"]


@pytest.fixture
def accept_dialogs(page: Page) -> None:
    """Say yes to every confirmation (htmx's ``hx-confirm`` asks through ``window.confirm``)."""
    page.on("dialog", lambda dialog: dialog.accept())


def test_a_member_answers_a_whole_dimension_and_finds_every_answer_after_a_reload(
        page: Page, make, login, board, live_server, console_errors):
    assessment_id = start_draft(make, board)
    login(page, board.member)
    page.locator(f"main a[href$='/assessments/{assessment_id}']").click()
    page.locator(f"main a[href$='{dimension_path(assessment_id, 'finance')}']").first.click()
    page.wait_for_url(re.compile(re.escape(dimension_path(assessment_id, "finance")) + "$"))
    expect(page.locator("#progress-finance progress")).to_have_attribute("value", "0")
    chosen = {"finance.etax_filing": "online", "finance.einvoice_use": "yes_provider",
              "finance.einvoice_provider": "yes"}

    for code, choice in chosen.items():
        option(page, code, choice).click()
        expect_saved(page, code)

    for code in chosen:
        expect(question(page, code)).to_have_attribute("data-save-state", "saved")
    status = page.locator(PAGE_STATUS)
    expect(status).to_have_text(status.get_attribute("data-all-saved") or "-")
    expect(page.locator("#progress-finance progress")).to_have_attribute("value", "3")
    expect(page.locator("#progress-finance progress")).to_have_attribute("max", "3")
    assert stored_answers(live_server, assessment_id) == chosen
    assert fits_the_screen(page)

    page.reload()

    for code, choice in chosen.items():
        expect(option(page, code, choice)).to_be_checked()
    expect(question(page, "finance.einvoice_provider")).to_be_visible()
    expect(page.locator("#progress-finance progress")).to_have_attribute("value", "3")
    assert console_errors == []


def test_an_answer_changed_offline_is_saved_when_the_network_returns(
        page: Page, make, login, board, live_server):
    assessment_id = start_draft(make, board, {"finance.etax_filing": "paper"})
    errors = watch_console_errors(page)
    login(page, board.member)
    page.goto(dimension_path(assessment_id, "finance"))
    expect(option(page, "finance.etax_filing", "paper")).to_be_checked()

    page.context.set_offline(True)
    expect(page.locator(PAGE_STATUS)).to_have_attribute("data-state", "offline")
    option(page, "finance.etax_filing", "online").click()

    status = page.locator(PAGE_STATUS)
    expect(question(page, "finance.etax_filing")).to_have_attribute("data-save-state", "failed")
    expect(page.locator("#s-finance-etax_filing")).to_have_attribute("data-state", "failed")
    expect(page.locator("#s-finance-etax_filing")).to_have_text(status.get_attribute("data-not-saved") or "-")
    expect(status).to_have_attribute("data-state", "offline")
    expect(status).to_have_text(status.get_attribute("data-offline") or "-")
    expect(option(page, "finance.etax_filing", "online")).to_be_checked()
    assert stored_answers(live_server, assessment_id) == {"finance.etax_filing": "paper"}

    page.context.set_offline(False)

    expect_saved(page, "finance.etax_filing")
    assert stored_answers(live_server, assessment_id) == {"finance.etax_filing": "online"}
    page.reload()
    expect(option(page, "finance.etax_filing", "online")).to_be_checked()
    assert errors, "the failed save while offline should have been reported"
    assert all(OFFLINE_ERRORS.search(error) for error in errors), errors


def test_an_answer_after_being_logged_out_elsewhere_is_marked_not_saved(
        page: Page, make, login, board, live_server):
    assessment_id = start_draft(make, board, {"finance.etax_filing": "paper"})
    errors = watch_console_errors(page)
    login(page, board.member)
    page.goto(dimension_path(assessment_id, "finance"))
    elsewhere = page.context.new_page()  # another tab of the same browser logs out
    elsewhere.goto("/home")
    open_menu(elsewhere)
    elsewhere.locator("form[action$='/auth/logout'] button").click()
    elsewhere.wait_for_url(re.compile(r"/$"))
    elsewhere.close()

    option(page, "finance.etax_filing", "online").click()

    status = page.locator(PAGE_STATUS)
    expect(question(page, "finance.etax_filing")).to_have_attribute("data-save-state", "failed")
    expect(page.locator("#s-finance-etax_filing")).to_have_text(status.get_attribute("data-session-ended") or "-")
    expect(status).to_have_attribute("data-state", "unsaved")
    expect(option(page, "finance.etax_filing", "online")).to_be_checked()
    assert stored_answers(live_server, assessment_id) == {"finance.etax_filing": "paper"}
    assert all("401" in error or "htmx:" in error for error in errors), errors


def test_a_conditional_question_appears_and_disappears_with_the_answer_it_depends_on(
        page: Page, make, login, board, live_server, console_errors):
    assessment_id = start_draft(make, board)
    login(page, board.member)
    page.goto(dimension_path(assessment_id, "finance"))
    provider = question(page, "finance.einvoice_provider")
    expect(question(page, "finance.einvoice_use")).to_be_visible()
    expect(provider).to_be_hidden()

    option(page, "finance.einvoice_use", "yes_provider").click()

    expect(provider).to_be_visible()
    expect(option(page, "finance.einvoice_provider", "yes")).to_be_enabled()
    expect_saved(page, "finance.einvoice_use")

    option(page, "finance.einvoice_use", "no").click()

    expect(provider).to_be_hidden()
    expect_saved(page, "finance.einvoice_use")
    assert stored_answers(live_server, assessment_id) == {"finance.einvoice_use": "no"}
    assert console_errors == []


def test_the_manager_starts_answers_everything_and_submits_once(
        page: Page, make, login, board, live_server, console_errors, accept_dialogs):
    login(page, board.manager)
    page.locator(f"form[action$='/assessments/start/{board.cooperative.id}'] button[type='submit']").click()
    page.wait_for_url(re.compile(r"/assessments/\d+/dimensions/finance$"))
    assessment_id = int(re.search(r"/assessments/(\d+)/", page.url).group(1))

    option(page, "finance.etax_filing", "helped").click()
    expect_saved(page, "finance.etax_filing")
    option(page, "finance.einvoice_use", "yes_provider").click()
    expect_saved(page, "finance.einvoice_use")
    option(page, "finance.einvoice_provider", "no").click()
    expect_saved(page, "finance.einvoice_provider")
    page.locator(SAVE_AND_CONTINUE).click()
    page.wait_for_url(re.compile(re.escape(dimension_path(assessment_id, "security")) + "$"))
    option(page, "security.practices", "two_step").click()
    expect_saved(page, "security.practices")
    answer_field(page, "security.trained_people").fill("5")
    expect_saved(page, "security.trained_people")
    assert fits_the_screen(page)
    page.locator(SAVE_AND_CONTINUE).click()
    overview = re.compile(rf"/assessments/{assessment_id}$")
    page.wait_for_url(overview)
    submit_button = page.locator(f"form[action$='/assessments/{assessment_id}/submit'] button[type='submit']")
    # The same summary, open in a second tab since before the submission.
    stale = page.context.new_page()
    stale_errors = watch_console_errors(stale)
    stale.on("dialog", lambda dialog: dialog.accept())
    stale.goto(f"/assessments/{assessment_id}")

    submit_button.click()

    results = re.compile(rf"/assessments/{assessment_id}/results$")
    page.wait_for_url(results)
    with live_server.app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        level = next(level for level in versions.questionnaire_of(assessment.version).levels
                     if level.level == assessment.level)
        assert (assessment.status, assessment.level) == ("submitted", 3)
        submitted_at = assessment.submitted_at
        expected_answers = {"finance.etax_filing": "helped", "finance.einvoice_use": "yes_provider",
                            "finance.einvoice_provider": "no", "security.practices": ["two_step"],
                            "security.trained_people": 5}
        assert drafts.answers_of(assessment_id) == expected_answers
    expect(page.locator(".overall__level")).to_contain_text(level.name("vi"))
    expect(page.locator(".overall__score")).to_have_text("61")
    expect(page.locator("svg.chart")).to_be_visible()
    expect(page.locator("table.score-table tbody tr:not(.score-table__overall)")).to_have_count(2)
    assert "<svg" in page.content()

    stale.locator(f"form[action$='/assessments/{assessment_id}/submit'] button[type='submit']").click()

    stale.wait_for_url(results)
    expect(stale.locator("svg.chart")).to_be_visible()
    with live_server.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assessment)
                                 .where(Assessment.status == "submitted")) == 1
        assert db.session.scalar(select(func.count()).select_from(DimensionScore)) == 2
        assert db.session.get(Assessment, assessment_id).submitted_at == submitted_at
    assert console_errors == []
    assert stale_errors == []


def test_two_people_answer_at_once_and_each_sees_the_other_after_a_reload(
        page: Page, new_context, make, login, board, live_server, console_errors):
    assessment_id = start_draft(make, board)
    finance, security = dimension_path(assessment_id, "finance"), dimension_path(assessment_id, "security")
    login(page, board.manager)
    manager_security = page.context.new_page()
    manager_errors = watch_console_errors(manager_security)
    page.goto(finance)
    manager_security.goto(security)
    member_finance = new_context().new_page()
    member_errors = watch_console_errors(member_finance)
    login(member_finance, board.member)
    member_security = member_finance.context.new_page()
    member_security_errors = watch_console_errors(member_security)
    member_finance.goto(finance)
    member_security.goto(security)

    option(page, "finance.etax_filing", "online").click()
    answer_field(member_security, "security.trained_people").fill("7")

    expect_saved(page, "finance.etax_filing")
    expect_saved(member_security, "security.trained_people")
    # Pages opened before the other's answer do not show it yet...
    expect(option(member_finance, "finance.etax_filing", "online")).not_to_be_checked()
    expect(answer_field(manager_security, "security.trained_people")).to_have_value("")
    assert stored_answers(live_server, assessment_id) == {"finance.etax_filing": "online",
                                                           "security.trained_people": 7}

    manager_security.reload()
    member_finance.reload()

    # ...and do after a reload.
    expect(answer_field(manager_security, "security.trained_people")).to_have_value("7")
    expect(option(member_finance, "finance.etax_filing", "online")).to_be_checked()
    assert console_errors == manager_errors == member_errors == member_security_errors == []


def test_without_javascript_the_dimension_form_saves_the_whole_page(
        new_context, make, login, board, live_server):
    assessment_id = start_draft(make, board)
    page = new_context(java_script_enabled=False).new_page()
    errors = watch_console_errors(page)
    login(page, board.member)
    finance = dimension_path(assessment_id, "finance")
    page.goto(finance)
    expect(question(page, "finance.einvoice_provider")).to_be_hidden()
    expect(page.locator(PAGE_STATUS)).to_be_empty()

    option(page, "finance.etax_filing", "online").click()
    option(page, "finance.einvoice_use", "yes_provider").click()
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(finance)) as posted:
        page.locator(SAVE_AND_CONTINUE).click()

    # The question that just appeared needs an answer: the page comes back, opened at it.
    assert posted.value.status == 303
    page.wait_for_url(re.compile(re.escape(finance) + "#q-finance-einvoice_provider$"))
    expect(question(page, "finance.einvoice_provider")).to_be_visible()
    expect(option(page, "finance.etax_filing", "online")).to_be_checked()
    assert stored_answers(live_server, assessment_id) == {"finance.etax_filing": "online",
                                                           "finance.einvoice_use": "yes_provider"}

    option(page, "finance.einvoice_provider", "yes").click()
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(finance)) as posted:
        page.locator(SAVE_AND_CONTINUE).click()

    assert posted.value.status == 303
    page.wait_for_url(re.compile(re.escape(dimension_path(assessment_id, "security")) + "$"))
    expect(question(page, "security.practices")).to_be_visible()
    assert stored_answers(live_server, assessment_id) == {"finance.etax_filing": "online",
                                                           "finance.einvoice_use": "yes_provider",
                                                           "finance.einvoice_provider": "yes"}
    page.goto(finance)
    expect(option(page, "finance.einvoice_provider", "yes")).to_be_checked()
    assert fits_the_screen(page)
    assert errors == []


def test_typing_a_sentence_is_not_disturbed_by_its_autosave(
        page: Page, make, login, board, live_server, console_errors):
    assessment_id = start_draft(make, board)
    login(page, board.member)
    page.goto(dimension_path(assessment_id, "security"))
    box = answer_field(page, "security.difficulty")
    sent: list[str] = []
    page.on("request", lambda request: sent.extend(
        parse_qs(request.post_data or "").get("security.difficulty", [])) if request.method == "POST" else None)
    box.click()

    box.press_sequentially(TYPED_FAST[0], delay=30)
    expect_saved(page, "security.difficulty")
    # Slower than the autosave's pause: a save goes out and its answer lands between two keys.
    box.press_sequentially(TYPED_SLOWLY, delay=900)
    box.press_sequentially(TYPED_FAST[1], delay=30)

    expect_saved(page, "security.difficulty")
    expect(box).to_be_focused()
    expect(box).to_have_value(SENTENCE)
    assert stored_answers(live_server, assessment_id) == {"security.difficulty": SENTENCE}
    partial = {value for value in sent if value != SENTENCE}
    assert all(SENTENCE.startswith(value) for value in partial), sent
    assert any(len(value) > len(TYPED_FAST[0]) for value in partial), f"no save in the middle of a word: {sent}"
    assert console_errors == []
