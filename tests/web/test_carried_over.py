"""Answers carried over into a re-assessment: one rule. Choosing an answer again (or changing it, or its
Confirm button) confirms it; the summary counts what is still unconfirmed per part; submitting with
unconfirmed answers asks once, with a real form that confirms them all and submits."""

import re

import pytest
from sqlalchemy import select

from app.assessments import drafts
from app.assessments.models import Answer, Assessment
from app.extensions import db
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, SMALL_ANSWERS
from tests.web.answering_steps import autosave


@pytest.fixture
def cooperative(make):
    return make.cooperative()


@pytest.fixture
def manager(make, cooperative):
    return make.user("coop_manager", cooperative=cooperative)


@pytest.fixture
def reassessment(client, auth, make, cooperative, manager):
    """The manager's second round, started from the first round's answers (all carried over)."""
    make.assessment(cooperative, by=manager)
    draft = make.assessment(cooperative, answers={}, submit=False, by=manager)
    auth.login(manager.email)
    return draft.id


def carried(app, assessment_id):
    with app.app_context():
        return drafts.carried_over_codes(assessment_id)


def status(app, assessment_id):
    with app.app_context():
        return db.session.get(Assessment, assessment_id).status


def test_choosing_the_same_answer_again_confirms_it(app, client, reassessment):
    assert autosave(client, reassessment, "finance.etax_filing", "helped").status_code == 200
    assert "finance.etax_filing" not in carried(app, reassessment)
    # Ticking the same checklist items and typing the same number confirm them too.
    autosave(client, reassessment, "security.practices", ["two_step"])
    autosave(client, reassessment, "security.trained_people", "5")
    assert carried(app, reassessment) == {"finance.einvoice_use", "finance.einvoice_provider"}
    with app.app_context():
        assert drafts.answers_of(reassessment) == SMALL_ANSWERS


def test_the_confirm_control_comes_after_the_answer_it_confirms(client, reassessment):
    page = client.get(f"/assessments/{reassessment}/dimensions/finance").get_data(as_text=True)
    question = re.search(r'<fieldset[^>]* id="q-finance-etax_filing".*?</fieldset>', page, re.S).group(0)
    assert question.index('class="choices"') < question.index('class="carried__note"') \
        < question.index('name="confirm" value="finance.etax_filing"')


def test_the_summary_counts_the_unconfirmed_answers_of_each_part(app, client, reassessment):
    autosave(client, reassessment, "finance.etax_filing", "helped")
    page = client.get(f"/assessments/{reassessment}").get_data(as_text=True)
    assert re.findall(r'data-unconfirmed="(\d+)"', page) == ["2", "2"]  # finance, security
    assert 'data-unconfirmed-total="4"' in page
    assert "4 câu trả lời chuyển từ lần trước chưa được xác nhận — vẫn gửi?" in page
    # The summary's own submit form is the confirm-and-submit form: it asks, no second dialog.
    form = re.search(r'<form method="post" action="/assessments/\d+/submit".*?</form>', page, re.S).group(0)
    assert 'name="carried" value="confirm"' in form and "hx-confirm" not in form


def test_submitting_with_unconfirmed_answers_asks_once_and_changes_nothing(app, client, reassessment):
    response = client.post(f"/assessments/{reassessment}/submit")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "5 câu trả lời chuyển từ lần trước chưa được xác nhận — vẫn gửi?" in page
    assert re.search(r'<input type="hidden" name="carried" value="confirm">', page)
    assert f'href="/assessments/{reassessment}/dimensions/finance"' in page  # or look at them first
    assert status(app, reassessment) == "draft"
    assert len(carried(app, reassessment)) == 5


def test_submitting_through_the_question_confirms_them_and_submits(app, client, reassessment):
    response = client.post(f"/assessments/{reassessment}/submit", data={"carried": "confirm"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/assessments/{reassessment}/results"
    assert status(app, reassessment) == "submitted"
    assert carried(app, reassessment) == set()


def test_once_every_answer_is_confirmed_submitting_asks_nothing(app, client, reassessment):
    for code, value in SMALL_ANSWERS.items():
        autosave(client, reassessment, code, value if isinstance(value, list) else str(value))
    page = client.get(f"/assessments/{reassessment}").get_data(as_text=True)
    assert "data-unconfirmed" not in page
    assert client.post(f"/assessments/{reassessment}/submit").status_code == 303
    assert status(app, reassessment) == "submitted"


def test_a_hidden_carried_over_answer_is_not_asked_about(app, client, reassessment):
    # "No e-invoices" hides the question about sending them: its carried answer no longer counts.
    autosave(client, reassessment, "finance.einvoice_use", "no")
    page = client.get(f"/assessments/{reassessment}").get_data(as_text=True)
    assert re.findall(r'data-unconfirmed="(\d+)"', page) == ["1", "2"]
    with app.app_context():
        assert db.session.scalar(select(Answer.carried_over).where(
            Answer.assessment_id == reassessment, Answer.question_code == "finance.einvoice_provider"))


def test_an_incomplete_draft_lists_what_is_missing_before_asking_about_carried_answers(app, client, reassessment):
    autosave(client, reassessment, "security.trained_people", "")  # clears a required answer
    response = client.post(f"/assessments/{reassessment}/submit")
    assert response.status_code == 422
    assert "#q-security-trained_people" in response.get_data(as_text=True)
    assert status(app, reassessment) == "draft"


@pytest.mark.csrf
def test_the_confirm_and_submit_form_carries_its_token(app, client, make, cooperative, manager):
    make.assessment(cooperative, by=manager)
    reassessment = make.assessment(cooperative, answers={}, submit=False, by=manager).id
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    client.post("/auth/login", data={"login": manager.email, "password": PASSWORD, "csrf_token": token})
    page = client.get(f"/assessments/{reassessment}").get_data(as_text=True)
    assert client.post(f"/assessments/{reassessment}/submit", data={"carried": "confirm"}).status_code == 400
    response = client.post(f"/assessments/{reassessment}/submit",
                           data={"carried": "confirm", "csrf_token": csrf_token_from(page)})
    assert response.status_code == 303
    assert status(app, reassessment) == "submitted"


def test_a_forged_confirmation_value_is_refused(app, client, reassessment):
    assert client.post(f"/assessments/{reassessment}/submit", data={"carried": "yes please"}).status_code == 400
    assert status(app, reassessment) == "draft"


def test_a_none_of_these_checklist_says_so_beside_the_question_and_refuses_briefly(client, reassessment):
    page = client.get(f"/assessments/{reassessment}/dimensions/security").get_data(as_text=True)
    question = re.search(r'<fieldset[^>]* id="q-security-practices".*?</fieldset>', page, re.S).group(0)
    assert "Chọn “Chưa làm gì” thì không chọn mục nào khác." in question
    assert re.search(r'value="none" data-alone', question)
    assert "data-alone" not in question.replace('value="none" data-alone', "")
    refused = autosave(client, reassessment, "security.practices", ["none", "backups"])
    assert refused.status_code == 422
    assert refused.get_data(as_text=True).strip() == \
        '<span class="error">Không thể chọn “Chưa làm gì” cùng các mục khác.</span>'
