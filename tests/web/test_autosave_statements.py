"""An autosave is the request people send most: it takes three SQL statements or fewer, the log-in's
own user load included (the person, the scoped draft, one statement that claims the draft and writes
the answer), and a save waiting on a submission of the same draft lands nowhere."""

import threading
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, select, update

from app.assessments import drafts
from app.assessments.models import SUBMITTED, Answer, Assessment
from app.cooperatives.models import Cooperative
from app.auth.models import User
from app.extensions import db
from app.tenancy import bound_scope_filter, scope_key, scope_values, within_scope
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

    graduate = make.user("graduate", cooperative=cooperative)  # placed there now
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


def test_the_autosaves_scope_is_the_scope_of_every_other_page(app, make):
    """The autosave's scoped load binds the scope's values into a statement built once: for every kind
    of user it lets through exactly the drafts ``within_scope`` does."""
    here, there = make.cooperative("HTX Tân Hòa"), make.cooperative("HTX Phú Mỹ", province_code=79)
    ended = make.cooperative("HTX Long Điền")
    drafts_by_cooperative = {c.id: make.assessment(c, answers={}, submit=False).id for c in (here, there, ended)}
    graduate = make.user("graduate", cooperative=here)
    make.placement(ended, graduate, starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31))
    users = [make.user("admin"), make.user("alliance"), make.user("alliance", province_code=79),
             make.user("coop_manager", cooperative=here), make.user("coop_member", cooperative=there),
             make.user("coop_manager"), graduate, make.user("graduate")]
    seen = []
    with app.app_context():
        for user in users:
            user = db.session.get(User, user.id)
            general = set(db.session.scalars(within_scope(user, select(Assessment.id), Assessment.cooperative_id)))
            bound = select(Assessment.id).join(Cooperative, Cooperative.id == Assessment.cooperative_id) \
                .where(bound_scope_filter(scope_key(user)))
            assert set(db.session.execute(bound, scope_values(user)).scalars()) == general, user.role
            seen.append(general)
    drafts_of = {name: drafts_by_cooperative[c.id] for name, c in (("here", here), ("there", there), ("ended", ended))}
    assert seen == [set(drafts_of.values()), {drafts_of["here"], drafts_of["ended"]}, {drafts_of["there"]},
                    {drafts_of["here"]}, {drafts_of["there"]}, set(), {drafts_of["here"]}, set()]


@pytest.mark.parametrize("who", ["manager elsewhere", "alliance elsewhere", "graduate placed elsewhere"])
def test_another_cooperatives_draft_is_not_found_and_keeps_its_answers(app, make, cooperative, draft, who):
    other = make.cooperative("HTX Phú Mỹ", province_code=79)
    user = {"manager elsewhere": lambda: make.user("coop_manager", cooperative=other),
            "alliance elsewhere": lambda: make.user("alliance", province_code=79),
            "graduate placed elsewhere": lambda: make.user("graduate", cooperative=other)}[who]()
    response, sent = counted_save(app, signed_in(app, user), draft.id, "finance.etax_filing", "paper", 0)
    assert response.status_code == 404
    assert len(sent) <= BUDGET
    with app.app_context():
        assert drafts.answers_of(draft.id) == {}
