"""Saves of one question are ordered: an older save that arrives late never overwrites a newer
acknowledged one, colleagues answering the same question both get their answer through (the last
acknowledged write wins), and a save that waited too long for the database is answered 503 and
can simply be sent again. The interleavings are played in the order the database commits them."""

import json
import re

import pytest
from sqlalchemy import select, update

from app import create_app
from app.assessments import drafts
from app.assessments.models import Answer, Assessment
from app.extensions import db
from app.rendering import htmx_config
from tests.conftest import base_config
from tests.factories import PASSWORD
from tests.web.answering_steps import autosave, shown_fields, stored_revision

pytestmark = pytest.mark.usefixtures("english")
NUMBER = "security.trained_people"
TEXT = "security.difficulty"
CHOICE = "finance.etax_filing"


def stored(app, assessment_id):
    with app.app_context():
        return drafts.answers_of(assessment_id)


def row(app, assessment_id, code):
    with app.app_context():
        return db.session.execute(select(Answer.value, Answer.revision, Answer.updated_at).where(
            Answer.assessment_id == assessment_id, Answer.question_code == code)).one_or_none()


def revision_in(body, code):
    """The revision a reply hands the page (the hidden field it swaps in out of band)."""
    return int(re.search(rf'name="rev\.{re.escape(code)}" value="(\d+)" hx-swap-oob="true"', body).group(1))


def signed_in(app, user):
    other = app.test_client()
    other.set_cookie("lang", "en")
    other.post("/auth/login", data={"login": user.email, "password": PASSWORD})
    return other


@pytest.mark.parametrize(("code", "older", "newer", "kept"), [
    (NUMBER, "1", "12", 12),
    (NUMBER, "", "12", 12),  # a late "cleared" does not delete the newer number
    (TEXT, "Thiếu người biết", "Thiếu người biết dùng máy tính", "Thiếu người biết dùng máy tính"),
    (CHOICE, "paper", "online", "online"),
])
def test_an_older_save_committed_last_is_refused_and_the_newer_stays(app, client, auth, manager, draft,
                                                                      code, older, newer, kept):
    auth.login(manager.email)
    # Both left the page naming revision 0; the newer one reached the database first.
    first = autosave(client, draft.id, code, newer, revision=0)
    assert first.status_code == 200 and revision_in(first.get_data(as_text=True), code) == 1
    before = row(app, draft.id, code)
    late = autosave(client, draft.id, code, older, revision=0)
    body = late.get_data(as_text=True)
    assert late.status_code == 412
    assert "sending yours again" in body and revision_in(body, code) == 1
    assert stored(app, draft.id) == {code: kept}
    assert row(app, draft.id, code) == before  # nothing written, not even the time


def test_a_late_save_cannot_bring_back_a_cleared_answer(app, client, auth, manager, draft):
    auth.login(manager.email)
    assert autosave(client, draft.id, NUMBER, "5", revision=0).status_code == 200
    assert autosave(client, draft.id, NUMBER, "", revision=1).status_code == 200
    assert stored(app, draft.id) == {}
    # The very first save, sent before any of these and answered after them.
    late = autosave(client, draft.id, NUMBER, "7", revision=0)
    assert late.status_code == 412 and revision_in(late.get_data(as_text=True), NUMBER) == 2
    assert stored(app, draft.id) == {}
    page = client.get(f"/assessments/{draft.id}/dimensions/security").get_data(as_text=True)
    assert shown_fields(page)[f"rev.{NUMBER}"] == "2"


def test_a_replayed_save_changes_nothing(app, client, auth, manager, draft):
    auth.login(manager.email)
    assert autosave(client, draft.id, NUMBER, "12", revision=0).status_code == 200
    before = row(app, draft.id, NUMBER)
    replay = autosave(client, draft.id, NUMBER, "12", revision=0)
    assert replay.status_code == 200 and revision_in(replay.get_data(as_text=True), NUMBER) == 1
    assert row(app, draft.id, NUMBER) == before


def test_a_save_that_names_no_revision_writes_nothing(app, client, auth, manager, draft):
    auth.login(manager.email)
    assert autosave(client, draft.id, NUMBER, "12", revision=0).status_code == 200
    for sent in ({NUMBER: "3"}, {NUMBER: "3", f"rev.{NUMBER}": "²"}, {NUMBER: "3", f"rev.{NUMBER}": "9" * 5000}):
        response = client.post(f"/assessments/{draft.id}/answers/{NUMBER}", data=sent,
                               headers={"HX-Request": "true", "HX-Target": "s-security-trained_people"})
        assert response.status_code == 412 and revision_in(response.get_data(as_text=True), NUMBER) == 1
    assert stored(app, draft.id) == {NUMBER: 12}


def test_colleagues_answering_the_same_question_both_get_through(app, client, auth, manager, make, cooperative,
                                                                 draft):
    auth.login(manager.email)
    colleague = signed_in(app, make.user("coop_member", cooperative=cooperative))
    # Both pages were opened before either answered.
    assert autosave(client, draft.id, CHOICE, "paper", revision=0).status_code == 200
    refused = autosave(colleague, draft.id, CHOICE, "online", revision=0)
    assert refused.status_code == 412
    # The colleague's page sends its answer again over the revision it was just given.
    resent = autosave(colleague, draft.id, CHOICE, "online", revision=revision_in(refused.get_data(as_text=True), CHOICE))
    assert resent.status_code == 200
    assert stored(app, draft.id) == {CHOICE: "online"}
    page = client.get(f"/assessments/{draft.id}/dimensions/finance").get_data(as_text=True)
    assert re.search(r'value="online" checked', page) and shown_fields(page)[f"rev.{CHOICE}"] == "2"


def test_the_plain_form_does_not_overwrite_an_answer_saved_while_it_was_open(app, client, auth, manager, make,
                                                                             cooperative, draft):
    auth.login(manager.email)
    url = f"/assessments/{draft.id}/dimensions/security"
    form = shown_fields(client.get(url).get_data(as_text=True))
    colleague = signed_in(app, make.user("coop_member", cooperative=cooperative))
    assert autosave(colleague, draft.id, NUMBER, "7").status_code == 200
    response = client.post(url, data={**form, NUMBER: "3", TEXT: "Thiếu vốn"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone saved another answer to this question while this page was open" in page
    assert re.search(r'id="i-security-trained_people"[^>]*value="3"', page)  # as typed
    assert stored(app, draft.id) == {NUMBER: 7, TEXT: "Thiếu vốn"}  # the other answer is kept
    # Saving the page as it came back writes the person's answer over the colleague's.
    again = client.post(url, data={**shown_fields(page), NUMBER: "3", TEXT: "Thiếu vốn"})
    assert again.status_code == 303
    assert stored(app, draft.id) == {NUMBER: 3, TEXT: "Thiếu vốn"}


def test_the_database_lock_wait_is_shorter_than_the_browsers_timeout(app):
    browser_ms = json.loads(htmx_config())["timeout"]
    with app.app_context(), db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            lock_ms = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        else:
            lock_ms = int(connection.exec_driver_sql("SHOW lock_timeout").scalar().removesuffix("ms")
                          .replace("s", "000"))
    assert 0 < lock_ms < browser_ms
    assert lock_ms == app.config["DATABASE_LOCK_TIMEOUT"] * 1000


@pytest.fixture
def impatient(database_url):
    """The app with a database lock wait of a fraction of a second."""
    impatient = create_app({**base_config(database_url), "DATABASE_LOCK_TIMEOUT": 0.3})
    yield impatient
    with impatient.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_save_that_waited_too_long_for_the_lock_is_503_and_can_be_sent_again(app, impatient, manager, draft):
    client = signed_in(impatient, manager)
    with impatient.app_context(), db.engine.connect() as holder:
        # Another request holds the draft's lock (SQLite's write lock, PostgreSQL's row lock).
        holder.execute(update(Assessment).where(Assessment.id == draft.id).values(status="draft"))
        waited = autosave(client, draft.id, NUMBER, "12", revision=0)
        assert waited.status_code == 503 and waited.headers["Retry-After"] == "2"
        holder.rollback()
    assert stored(app, draft.id) == {}
    assert stored_revision(client, draft.id, NUMBER) == 0
    assert autosave(client, draft.id, NUMBER, "12", revision=0).status_code == 200
    assert stored(app, draft.id) == {NUMBER: 12}
