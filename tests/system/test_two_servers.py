"""Two app servers on one database and one Redis, as a province or a national deployment runs them:
whatever server a request reaches, the person, the limits and the answers are the same."""

from __future__ import annotations

import html
import json
import re

from sqlalchemy import select

from app.assessments.models import SUBMITTED, Answer, Assessment
from app.extensions import db
from tests.factories import PASSWORD, SMALL_ANSWERS
from tests.system.conftest import HttpClient


def csrf_header(page: str) -> dict[str, str]:
    """The CSRF header htmx sends, read from the page's ``<body hx-headers>``."""
    found = re.search(r'<body[^>]* hx-headers="([^"]+)"', page)
    assert found
    return json.loads(html.unescape(found.group(1)))


def test_a_session_made_on_one_server_works_on_the_other(both, make):
    manager = make.user("coop_manager", cooperative=make.cooperative(), name="Chị Lê Thị Hoa")
    browser = HttpClient()
    assert browser.log_in(both.a, manager.email, PASSWORD).status == 303
    home = browser.get(both.b, "/home")
    assert home.status == 200 and "Chị Lê Thị Hoa" in home.text
    # Logging out on B ends the session on A too (the session version lives in the database).
    token = browser.form_token(both.b, "/home")
    assert browser.post(both.b, "/auth/logout", {"csrf_token": token}).status == 303
    assert browser.get(both.a, "/home").status == 302


def test_log_in_limits_count_across_both_servers(both, make):
    manager = make.user("coop_manager", cooperative=make.cooperative())
    browser = HttpClient()
    answers = [browser.log_in(server, manager.email, "not the password").status
               for server in (both.a, both.b, both.a, both.b, both.a, both.b)]
    assert answers == [422, 422, 422, 422, 429, 429]
    # The right password waits too, on either server, once the account is limited.
    assert browser.log_in(both.b, manager.email, PASSWORD).status == 429


def test_an_autosave_on_one_and_the_submission_on_the_other_keep_their_order(both, make, app):
    cooperative = make.cooperative()
    manager = make.user("coop_manager", cooperative=cooperative)
    draft = make.assessment(cooperative, answers=SMALL_ANSWERS, submit=False)
    browser = HttpClient()
    assert browser.log_in(both.a, manager.email, PASSWORD).status == 303
    page = browser.get(both.a, f"/assessments/{draft.id}/dimensions/finance").text
    save = {**csrf_header(page), "HX-Request": "true", "HX-Target": "s-finance-etax_filing"}
    path = f"/assessments/{draft.id}/answers/finance.etax_filing"
    shown = re.search(r'name="rev\.finance\.etax_filing" value="(\d+)"', page).group(1)
    answer = {"finance.etax_filing": "online", "rev.finance.etax_filing": shown}
    assert browser.post(both.a, path, answer, headers=save).status == 200
    overview = browser.get(both.b, f"/assessments/{draft.id}").text
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', overview).group(1)
    submitted = browser.post(both.b, f"/assessments/{draft.id}/submit", {"csrf_token": token})
    assert submitted.status == 303 and submitted.headers["Location"].endswith(f"/assessments/{draft.id}/results")
    # A save that reaches A after the submission on B changes nothing.
    late = browser.post(both.a, path, {"finance.etax_filing": "paper", "rev.finance.etax_filing": str(int(shown) + 1)},
                        headers=save)
    assert late.status == 409
    with app.app_context():
        assessment = db.session.get(Assessment, draft.id)
        stored = db.session.scalar(select(Answer.value).where(Answer.assessment_id == draft.id,
                                                              Answer.question_code == "finance.etax_filing"))
        assert (assessment.status, stored) == (SUBMITTED, "online")


def test_with_redis_down_people_still_log_in_and_limits_fall_back_to_each_server(both, make):
    """The documented fallback: while Redis is unreachable each server process counts log-in failures
    in its own memory (the same limits, per process) and everything else works; never a server error."""
    manager = make.user("coop_manager", cooperative=make.cooperative(), name="Anh Trần Văn Bình")
    both.redis.stop()
    statuses = []
    for server in (both.a, both.b):
        person = HttpClient()
        statuses += [person.log_in(server, manager.email, PASSWORD).status, person.get(server, "/home").status]
        assert "Anh Trần Văn Bình" in person.get(server, "/home").text
    assert statuses == [303, 200, 303, 200]
    # Each of A's two worker processes lets at most 4 failures through, so of 9 guesses one of them
    # gets a fifth and refuses it.
    guesser = HttpClient()
    failures = [guesser.log_in(both.a, manager.email, "not the password").status for _ in range(9)]
    assert set(failures) == {422, 429}
