"""Each answer saved on its own as it changes (htmx): the status fragment, replays, two people at once,
conditional questions appearing, refusals, and the CSRF header."""

import html
import json
import re

import pytest
from sqlalchemy import func, select

from app.assessments import drafts
from app.assessments.models import Answer
from app.extensions import db
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD
from tests.web.answering_steps import autosave, htmx_headers

pytestmark = pytest.mark.usefixtures("english")

FRAGMENT_BUDGET = 5 * 1024  # DESIGN §7: an htmx fragment ≤ 5 KB


def answer_rows(app, assessment_id):
    with app.app_context():
        return [(row.question_code, row.value, row.updated_at, row.updated_by_id) for row in db.session.scalars(
            select(Answer).where(Answer.assessment_id == assessment_id).order_by(Answer.question_code))]


def signed_in(app, user):
    """Another browser: its own test client and session."""
    other = app.test_client()
    other.set_cookie("lang", "en")
    other.post("/auth/login", data={"login": user.email, "password": PASSWORD})
    return other


def test_htmx_save_returns_only_the_status_fragment(client, auth, manager, draft):
    auth.login(manager.email)
    response = autosave(client, draft.id, "finance.etax_filing", "online")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in body and "<fieldset" not in body
    assert re.search(r'<span class="save-status__saved">Saved \d\d:\d\d</span>', body)
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]
    assert len(response.get_data()) <= FRAGMENT_BUDGET


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true", "HX-Boosted": "true"}])
def test_a_save_without_htmx_answers_with_a_whole_page(app, client, auth, manager, draft, headers):
    auth.login(manager.email)
    response = autosave(client, draft.id, "finance.etax_filing", "online", headers=headers)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in page and "Saved" in page
    assert f'href="/assessments/{draft.id}/dimensions/finance#q-finance-etax_filing"' in page
    with app.app_context():
        assert drafts.answers_of(draft.id) == {"finance.etax_filing": "online"}


def test_replaying_the_same_request_changes_nothing(app, client, auth, manager, draft):
    auth.login(manager.email)
    first = autosave(client, draft.id, "security.practices", ["two_step", "backups"])
    rows = answer_rows(app, draft.id)
    assert len(rows) == 1 and rows[0][1] == ["two_step", "backups"]
    replay = autosave(client, draft.id, "security.practices", ["two_step", "backups"])
    assert first.status_code == replay.status_code == 200
    assert answer_rows(app, draft.id) == rows  # one row, the same value, updated_at unchanged
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1


def test_the_last_write_to_a_question_wins_and_each_sees_the_other_on_reload(app, client, auth, manager, make,
                                                                             cooperative, draft):
    auth.login(manager.email)
    member = make.user("coop_member", cooperative=cooperative)
    colleague = signed_in(app, member)
    assert autosave(client, draft.id, "finance.etax_filing", "paper").status_code == 200
    assert autosave(colleague, draft.id, "finance.etax_filing", "online").status_code == 200
    assert autosave(client, draft.id, "finance.einvoice_use", "no").status_code == 200
    rows = answer_rows(app, draft.id)
    assert [(code, value, by) for code, value, _at, by in rows] == [
        ("finance.einvoice_use", "no", manager.id), ("finance.etax_filing", "online", member.id)]
    for browser in (client, colleague):
        page = browser.get(f"/assessments/{draft.id}/dimensions/finance").get_data(as_text=True)
        assert re.search(r'value="online" checked', page) and re.search(r'value="no" checked', page)
        assert not re.search(r'value="paper" checked', page)


def test_a_conditional_question_appears_and_disappears_out_of_band(client, auth, manager, draft):
    auth.login(manager.email)
    marker = r'<span id="v-finance-einvoice_provider" data-shows data-visible="{}" hidden hx-swap-oob="true">'
    shown = autosave(client, draft.id, "finance.einvoice_use", "yes_provider").get_data(as_text=True)
    assert re.search(marker.format("true"), shown)
    hidden = autosave(client, draft.id, "finance.einvoice_use", "no").get_data(as_text=True)
    assert re.search(marker.format("false"), hidden)
    # Only status pieces and markers travel: never an input a person might be typing in.
    assert not re.search(r'<input (?!type="hidden")', shown + hidden) and "<textarea" not in shown + hidden


def test_the_progress_bar_follows_out_of_band(client, auth, manager, draft):
    auth.login(manager.email)
    autosave(client, draft.id, "finance.etax_filing", "online")
    body = autosave(client, draft.id, "finance.einvoice_use", "yes_provider").get_data(as_text=True)
    assert re.search(r'<div class="answer-progress" id="progress-finance" hx-swap-oob="true">\s*'
                     r'<progress max="3" value="2"', body)
    assert "2 of 3 questions answered" in body


def test_the_form_fingerprint_follows_each_save(client, auth, manager, draft):
    """The plain form sends back what it showed; after a save that is the saved value."""
    auth.login(manager.email)
    page = client.get(f"/assessments/{draft.id}/dimensions/finance").get_data(as_text=True)
    before = re.search(r'id="w-finance-etax_filing" name="was.finance.etax_filing" value="(\w+)"', page).group(1)
    body = autosave(client, draft.id, "finance.etax_filing", "online").get_data(as_text=True)
    after = re.search(r'id="w-finance-etax_filing" name="was.finance.etax_filing" value="(\w+)" hx-swap-oob',
                      body).group(1)
    assert after != before
    page = client.get(f"/assessments/{draft.id}/dimensions/finance").get_data(as_text=True)
    assert f'name="was.finance.etax_filing" value="{after}"' in page


@pytest.mark.parametrize(("code", "values", "message"), [
    ("security.trained_people", "-4", "cannot be negative"),
    ("security.trained_people", "nhiều", "digits only"),
    ("security.practices", ["none", "two_step"], "cannot be ticked together"),
    ("finance.etax_filing", "fax", "not one of the answers"),
    ("security.difficulty", "x" * 2001, "2000 characters"),
])
def test_an_invalid_answer_is_refused_and_nothing_is_saved(app, client, auth, manager, make, cooperative,
                                                            code, values, message):
    assessment = make.assessment(cooperative, answers={"security.trained_people": 3}, submit=False)
    auth.login(manager.email)
    before = answer_rows(app, assessment.id)
    response = autosave(client, assessment.id, code, values)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" not in body and message in body and 'class="error"' in body
    assert "hx-swap-oob" not in body
    assert answer_rows(app, assessment.id) == before


def test_unticking_every_item_clears_the_answer(app, client, auth, manager, draft):
    auth.login(manager.email)
    autosave(client, draft.id, "security.practices", ["backups"])
    response = client.post(f"/assessments/{draft.id}/answers/security.practices", data={"rev.security.practices": "1"},
                           headers=htmx_headers("security.practices"))
    assert response.status_code == 200
    with app.app_context():
        assert drafts.answers_of(draft.id) == {}
    page = client.get(f"/assessments/{draft.id}/dimensions/security").get_data(as_text=True)
    assert "checked" not in page


def test_a_submitted_assessment_refuses_saves_with_409(app, client, auth, manager, make, cooperative):
    assessment = make.assessment(cooperative)
    auth.login(manager.email)
    before = answer_rows(app, assessment.id)
    response = autosave(client, assessment.id, "security.trained_people", "1")
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "<html" not in body and "has been submitted: its answers can no longer change" in body
    assert answer_rows(app, assessment.id) == before


def test_an_unknown_question_is_not_found(client, auth, manager, draft):
    auth.login(manager.email)
    assert autosave(client, draft.id, "finance.nothing", "x").status_code == 404


@pytest.mark.csrf
def test_an_autosave_with_the_pages_csrf_header_succeeds(app, client, make, manager, draft):
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    client.post("/auth/login", data={"login": manager.email, "password": PASSWORD, "csrf_token": token})
    page = client.get(f"/assessments/{draft.id}/dimensions/finance").get_data(as_text=True)
    body_headers = json.loads(html.unescape(re.search(r'<body [^>]*hx-headers="([^"]+)"', page).group(1)))
    refused = autosave(client, draft.id, "finance.etax_filing", "online")
    assert refused.status_code == 400
    accepted = autosave(client, draft.id, "finance.etax_filing", "online",
                        headers={**htmx_headers("finance.etax_filing"), "X-CSRFToken": body_headers["X-CSRFToken"]})
    assert accepted.status_code == 200
    with app.app_context():
        assert drafts.answers_of(draft.id) == {"finance.etax_filing": "online"}


def test_an_autosave_after_log_out_answers_401_not_the_login_page(app, client, auth, manager, draft):
    auth.login(manager.email)
    auth.logout()
    response = client.post(f"/assessments/{draft.id}/answers/finance.etax_filing",
                           data={"finance.etax_filing": "online"},
                           headers={"HX-Request": "true", "HX-Target": "s-finance-etax_filing"})
    assert response.status_code == 401
    assert "<html" not in response.get_data(as_text=True)
    with app.app_context():
        assert drafts.answers_of(draft.id) == {}


def test_an_autosave_reply_does_not_resend_the_session_cookie(client, auth, manager, draft):
    auth.login(manager.email)
    page = client.get(f"/assessments/{draft.id}/dimensions/finance")
    assert "coopdx_session=" in page.headers.get("Set-Cookie", "")  # a page renews the session
    response = autosave(client, draft.id, "finance.etax_filing", "online")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    # The session still works for the next save and the next page.
    assert autosave(client, draft.id, "finance.etax_filing", "paper").status_code == 200
    assert client.get(f"/assessments/{draft.id}/dimensions/finance").status_code == 200
