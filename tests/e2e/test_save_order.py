"""Saves of one answer stay in order in a real browser: a save held up by the database and given up
by the browser, written later, does not keep its old value; a colleague's page that answered the
same question is refused once and sends its answer again. Either way the answer ends as typed."""

from __future__ import annotations

import time
from urllib.parse import parse_qs

from playwright.sync_api import Page, Request, Route, expect
from sqlalchemy import update

from app.assessments.models import DRAFT, Assessment
from app.extensions import db
from tests.e2e.test_assessment import (answer_field, board, dimension_path, expect_saved, option,  # noqa: F401
                                       question, start_draft, stored_answers)

NUMBER = "security.trained_people"
CHOICE = "finance.etax_filing"
# The browser gives up on a request after this long here (15 s in the app), so the test need not wait.
BROWSER_TIMEOUT_MS = 1000


def saving(code: str, value: str):  # noqa: ANN201 - predicate
    def matches(request: Request) -> bool:
        return request.method == "POST" and parse_qs(request.post_data or "").get(code) == [value]

    return matches


def wait_until_stored(live_server, assessment_id: int, expected: dict) -> None:  # noqa: ANN001
    """Wait (a few seconds at most) until the database holds ``expected``."""
    deadline = time.monotonic() + 15
    while stored_answers(live_server, assessment_id) != expected:
        assert time.monotonic() < deadline, stored_answers(live_server, assessment_id)
        time.sleep(0.1)


def test_a_save_given_up_by_the_browser_and_written_late_ends_as_typed(page: Page, make, login, board, live_server):
    assessment_id = start_draft(make, board)
    login(page, board.member)
    page.goto(dimension_path(assessment_id, "security"))
    page.evaluate(f"htmx.config.timeout = {BROWSER_TIMEOUT_MS}")
    box = answer_field(page, NUMBER)

    with live_server.app.app_context(), db.engine.connect() as holder:
        # Another request holds the draft's lock (SQLite's write lock, PostgreSQL's row lock).
        holder.execute(update(Assessment).where(Assessment.id == assessment_id).values(status=DRAFT))
        with page.expect_request(saving(NUMBER, "1")):
            box.fill("1")
        # The browser gives up on the save and marks the answer not saved; the server is still waiting.
        expect(question(page, NUMBER)).to_have_attribute("data-save-state", "failed")
        holder.rollback()

    # The abandoned save is written after all, with the old value; the person has typed on meanwhile.
    wait_until_stored(live_server, assessment_id, {NUMBER: 1})
    box.press_sequentially("2")

    expect_saved(page, NUMBER)
    assert stored_answers(live_server, assessment_id) == {NUMBER: 12}
    page.reload()
    expect(answer_field(page, NUMBER)).to_have_value("12")


def test_a_save_that_reaches_the_server_after_a_newer_one_changes_nothing(page: Page, make, login, board,
                                                                         live_server):
    assessment_id = start_draft(make, board)
    login(page, board.member)
    page.goto(dimension_path(assessment_id, "security"))
    page.evaluate(f"htmx.config.timeout = {BROWSER_TIMEOUT_MS}")
    box = answer_field(page, NUMBER)
    held: list[Route] = []

    def hold_the_first_save(route: Route) -> None:
        if not held and saving(NUMBER, "1")(route.request):
            held.append(route)  # stuck on the way (a slow proxy, a busy server): no answer for now
        else:
            route.continue_()

    page.route(f"**/assessments/{assessment_id}/answers/{NUMBER}", hold_the_first_save)
    box.fill("1")
    expect(question(page, NUMBER)).to_have_attribute("data-save-state", "failed")
    box.press_sequentially("2")
    expect_saved(page, NUMBER)
    assert stored_answers(live_server, assessment_id) == {NUMBER: 12}

    # The held save arrives now, exactly as the browser sent it.
    late = held[0].request
    answer = page.request.post(late.url, headers=late.headers, data=late.post_data)
    assert answer.status == 412
    assert stored_answers(live_server, assessment_id) == {NUMBER: 12}
    page.unroute_all(behavior="ignoreErrors")
    page.reload()
    expect(answer_field(page, NUMBER)).to_have_value("12")


def test_a_colleagues_page_refused_once_sends_its_answer_again(page: Page, new_context, make, login, board,
                                                                live_server, console_errors):
    assessment_id = start_draft(make, board)
    finance = dimension_path(assessment_id, "finance")
    login(page, board.manager)
    page.goto(finance)
    colleague = new_context().new_page()
    login(colleague, board.member)
    colleague.goto(finance)  # both pages show the question unanswered

    option(page, CHOICE, "online").click()
    expect_saved(page, CHOICE)
    with colleague.expect_response(lambda response: response.status == 412):
        option(colleague, CHOICE, "paper").click()

    expect_saved(colleague, CHOICE)
    assert stored_answers(live_server, assessment_id) == {CHOICE: "paper"}
    page.reload()
    expect(option(page, CHOICE, "paper")).to_be_checked()
    assert console_errors == []
