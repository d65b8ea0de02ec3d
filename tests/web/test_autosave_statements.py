"""An autosave is the request people send most: it takes three SQL statements or fewer, the log-in's
own user load included (the person, the scoped draft, one statement that claims the draft and writes
the answer), and a save waiting on a submission of the same draft lands nowhere."""

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from app.assessments import drafts
from app.assessments.models import SUBMITTED, Answer, Assessment
from app.database import local_today
from app.extensions import db
from tests.factories import PASSWORD
from tests.web.answering_steps import autosave

pytestmark = pytest.mark.usefixtures("english")

BUDGET = 3


@contextmanager
def statements(app):
    """The SQL statements sent to the database meanwhile, whatever runs them."""
    sent: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def signed_in(app, user):
    browser = app.test_client()
    browser.set_cookie("lang", "en")
    browser.post("/auth/login", data={"login": user.email, "password": PASSWORD})
    return browser


def counted_save(app, browser, assessment_id, code, value, revision):
    with statements(app) as sent:
        response = browser.post(f"/assessments/{assessment_id}/answers/{code}",
                                data={code: value, f"rev.{code}": str(revision)},
                                headers={"HX-Request": "true", "HX-Target": "s-" + code.replace(".", "-")})
    return response, sent


@pytest.mark.parametrize(("before", "value", "revision"), [
    (None, "online", 0),  # a first answer
    ("paper", "online", 1),  # a changed answer
    ("online", "online", 1),  # the same answer again (a replay)
    ("paper", "", 1),  # a cleared answer
])
def test_an_autosave_takes_three_statements_or_fewer(app, make, manager, cooperative, before, value, revision):
    code = "finance.etax_filing"
    draft = make.assessment(cooperative, answers={} if before is None else {code: before}, submit=False)
    browser = signed_in(app, manager)
    browser.get(f"/assessments/{draft.id}/dimensions/finance")  # the page, as a person opens it first
    response, sent = counted_save(app, browser, draft.id, code, value, revision)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Saved" in response.get_data(as_text=True)
    assert len(sent) <= BUDGET, "\n\n".join(sent)
    with app.app_context():
        assert drafts.answers_of(draft.id).get(code) == (value or None)


def test_confirming_a_carried_over_answer_and_answering_as_a_graduate_stay_within_the_budget(app, make, manager,
                                                                                              cooperative):
    make.assessment(cooperative)  # last round: its answers carry over
    draft = make.assessment(cooperative, answers={}, submit=False)
    browser = signed_in(app, manager)
    response, sent = counted_save(app, browser, draft.id, "finance.etax_filing", "helped", 1)
    assert response.status_code == 200 and len(sent) <= BUDGET
    with app.app_context():
        assert "finance.etax_filing" not in drafts.carried_over_codes(draft.id)

    graduate = make.user("graduate", cooperative=cooperative)
    make.placement(cooperative, graduate, starts_on=local_today(), ends_on=local_today() + timedelta(days=90))
    with app.app_context():
        db.session.execute(update(Assessment).where(Assessment.id == draft.id).values(graduate_may_answer=True))
        db.session.commit()
    response, sent = counted_save(app, signed_in(app, graduate), draft.id, "finance.einvoice_use", "no", 1)
    assert response.status_code == 200 and len(sent) <= BUDGET, "\n\n".join(sent)


def test_a_save_waiting_for_a_submission_writes_nothing_and_says_so(app, make, manager, cooperative):
    draft = make.assessment(cooperative, submit=False)  # complete, ready to submit
    browser = signed_in(app, manager)
    replies = []
    with app.app_context(), db.engine.connect() as submission:
        # The submission holds the draft (as ``drafts.submit`` does) while a save arrives.
        submission.execute(update(Assessment).where(Assessment.id == draft.id).values(status="draft"))
        save = threading.Thread(target=lambda: replies.append(
            autosave(browser, draft.id, "finance.etax_filing", "paper", revision=1)))
        save.start()
        save.join(0.5)
        assert save.is_alive(), "the save did not wait for the submission"
        submission.execute(update(Assessment).where(Assessment.id == draft.id).values(status=SUBMITTED))
        submission.commit()
    save.join()
    assert replies[0].status_code == 409
    assert "has been submitted" in replies[0].get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Answer.value).where(Answer.assessment_id == draft.id,
                                                            Answer.question_code == "finance.etax_filing")) == "helped"
