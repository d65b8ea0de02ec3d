"""Answering a self-assessment: starting, the pages per dimension, the plain form, submitting, who may do what."""

import html
import re

import pytest
from sqlalchemy import func, select

from app.assessments import drafts
from app.assessments.models import Answer, Assessment, DimensionScore
from app.extensions import db
from tests.factories import OTHER_PROVINCE, SMALL_ANSWERS
from tests.web.answering_steps import autosave, save_page, shown_fields

pytestmark = pytest.mark.usefixtures("english")


def stored(app, assessment_id):
    with app.app_context():
        return drafts.answers_of(assessment_id)


def assessment_row(app, assessment_id):
    with app.app_context():
        row = db.session.get(Assessment, assessment_id)
        db.session.expunge(row)
        return row


def fieldset(page, code):
    """The markup of one question."""
    key = code.replace(".", "-")
    return re.search(rf'<fieldset[^>]* id="q-{key}".*?</fieldset>', page, re.S).group(0)


def login(make, auth, role, cooperative, **kwargs):
    user = make.user(role, cooperative=cooperative, **kwargs)
    auth.login(user.email)
    return user


# Starting


def test_the_manager_starts_and_lands_on_the_first_part(app, client, auth, manager, cooperative):
    auth.login(manager.email)
    response = client.post(f"/assessments/start/{cooperative.id}")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.fullmatch(r"/assessments/\d+/dimensions/finance", location)
    again = client.post(f"/assessments/start/{cooperative.id}")
    assert again.headers["Location"] == location  # the one open draft is continued
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 1


def test_starting_before_the_questionnaire_is_loaded_explains_why(app, client, auth, make):
    cooperative = make.cooperative()
    auth.login(make.user("coop_manager", cooperative=cooperative).email)
    response = client.post(f"/assessments/start/{cooperative.id}", follow_redirects=True)
    assert response.status_code == 200
    assert "The questionnaire has not been loaded yet" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0


@pytest.mark.parametrize("role", ["coop_member", "graduate", "alliance"])
def test_only_the_manager_starts(client, auth, make, cooperative, role):
    login(make, auth, role, cooperative)
    assert client.post(f"/assessments/start/{cooperative.id}").status_code == 403


def test_a_manager_cannot_start_for_another_cooperative(client, auth, manager, make):
    other = make.cooperative("HTX Khác")
    auth.login(manager.email)
    assert client.post(f"/assessments/start/{other.id}").status_code == 404


def test_home_offers_to_start_then_to_continue(client, auth, manager, cooperative, make):
    auth.login(manager.email)
    home = client.get("/home").get_data(as_text=True)
    assert f'action="/assessments/start/{cooperative.id}"' in home
    assessment_id = client.post(f"/assessments/start/{cooperative.id}").headers["Location"].split("/")[2]
    home = client.get("/home").get_data(as_text=True)
    assert f'href="/assessments/{assessment_id}"' in home
    assert f'action="/assessments/start/{cooperative.id}"' not in home
    member = make.user("coop_member", cooperative=cooperative)
    auth.logout()
    auth.login(member.email)
    assert f'href="/assessments/{assessment_id}"' in client.get("/home").get_data(as_text=True)


# The pages


def test_a_dimension_page_is_a_whole_page_with_every_question(client, auth, manager, draft):
    auth.login(manager.email)
    for headers in ({}, {"HX-Request": "true", "HX-Boosted": "true"}):
        response = client.get(f"/assessments/{draft.id}/dimensions/security", headers=headers)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<html" in page
    assert page.count("<fieldset") == 3 and page.count("<legend") == 3
    assert page.count('type="checkbox" id="i-security-practices-') == 4
    number = fieldset(page, "security.trained_people")
    assert 'inputmode="decimal"' in number and "people" in number
    assert "<textarea" in fieldset(page, "security.difficulty")
    assert '<progress max="2" value="0"' in page
    assert 'aria-live="polite"' in page and 'method="post"' in page
    assert " style=" not in page and "<script>" not in page
    finance = client.get(f"/assessments/{draft.id}/dimensions/finance").get_data(as_text=True)
    assert finance.count('type="radio" id="i-finance-etax_filing-') == 3
    assert "What does this mean?" in fieldset(finance, "finance.etax_filing")
    # The follow-up question is in the page, hidden until its condition holds.
    assert re.search(r'<fieldset[^>]*id="q-finance-einvoice_provider"[^>]* hidden', finance)
    assert not re.search(r'<fieldset[^>]*id="q-finance-einvoice_use"[^>]* hidden', finance)


def test_each_answer_autosaves_on_its_own(client, auth, manager, draft):
    auth.login(manager.email)
    page = client.get(f"/assessments/{draft.id}/dimensions/security").get_data(as_text=True)
    checklist = fieldset(page, "security.practices")
    assert f'hx-post="/assessments/{draft.id}/answers/security.practices"' in checklist
    assert 'hx-params="security.practices,rev.security.practices"' in checklist and 'hx-sync="this:queue last"' in checklist
    assert 'hx-trigger="change, autosaveRetry"' in checklist
    text = fieldset(page, "security.difficulty")
    assert 'hx-trigger="input changed delay:800ms, change, autosaveRetry"' in text
    assert 'hx-target="#s-security-difficulty"' in text


def test_unknown_part_is_not_found(client, auth, manager, draft):
    auth.login(manager.email)
    assert client.get(f"/assessments/{draft.id}/dimensions/nothing").status_code == 404
    assert client.post(f"/assessments/{draft.id}/dimensions/nothing").status_code == 404


def test_the_overview_shows_progress_and_the_managers_controls(client, auth, manager, make, cooperative, draft):
    graduate = make.user("graduate", cooperative=cooperative, name="Trần Thị Bình")
    auth.login(manager.email)
    page = client.get(f"/assessments/{draft.id}").get_data(as_text=True)
    assert page.count("<progress") == 3  # overall and one per dimension
    assert f'href="/assessments/{draft.id}/dimensions/finance"' in page
    assert f'action="/assessments/{draft.id}/submit"' in page
    assert f'action="/assessments/{draft.id}/graduate-access"' in page and graduate.name in page
    assert " style=" not in page
    auth.logout()
    login(make, auth, "coop_member", cooperative)
    page = client.get(f"/assessments/{draft.id}").get_data(as_text=True)
    assert "<progress" in page
    assert "/submit" not in page and "/graduate-access" not in page


# The plain form (no JavaScript)


def test_the_plain_form_saves_the_page_and_goes_on(app, client, auth, manager, draft):
    auth.login(manager.email)
    response = save_page(client, draft.id, "finance", {"finance.etax_filing": "helped", "finance.einvoice_use": "no"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/assessments/{draft.id}/dimensions/security"
    response = save_page(client, draft.id, "security",
                         {"security.practices": ["two_step", "backups"], "security.trained_people": "5",
                          "security.difficulty": ""})
    assert response.headers["Location"] == f"/assessments/{draft.id}"  # after the last part: the summary
    assert stored(app, draft.id) == {"finance.etax_filing": "helped", "finance.einvoice_use": "no",
                                     "security.practices": ["two_step", "backups"], "security.trained_people": 5}


def test_the_plain_form_goes_where_the_person_asked(client, auth, manager, draft):
    auth.login(manager.email)
    back = client.post(f"/assessments/{draft.id}/dimensions/security", data={"then": "finance"})
    assert back.headers["Location"] == f"/assessments/{draft.id}/dimensions/finance"
    summary = client.post(f"/assessments/{draft.id}/dimensions/finance", data={"then": "overview"})
    assert summary.headers["Location"] == f"/assessments/{draft.id}"


def test_the_plain_form_refuses_bad_answers_and_keeps_what_was_typed(app, client, auth, manager, draft):
    auth.login(manager.email)
    response = save_page(client, draft.id, "security",
                         {"security.practices": ["none", "backups"], "security.trained_people": "mười",
                          "security.difficulty": "Thiếu người biết máy tính"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<html" in page
    checklist = fieldset(page, "security.practices")
    assert 'id="e-security-practices"' in checklist and "cannot be ticked together" in checklist
    assert re.search(r'value="none"[^>]* checked', checklist) and re.search(r'value="backups" checked', checklist)
    number = fieldset(page, "security.trained_people")
    assert 'value="mười"' in number and 'aria-invalid="true"' in number and "digits only" in number
    assert 'href="#q-security-trained_people"' in page  # the summary links to the question
    # The valid answer on the page is kept; the refused ones are not stored.
    assert stored(app, draft.id) == {"security.difficulty": "Thiếu người biết máy tính"}
    assert "Thiếu người biết máy tính" in fieldset(page, "security.difficulty")


def test_the_plain_form_writes_only_what_the_person_changed(app, client, auth, manager, make, cooperative, draft):
    """A colleague answered while the page was open: their answer survives an untouched field."""
    auth.login(manager.email)
    page = client.get(f"/assessments/{draft.id}/dimensions/security").get_data(as_text=True)
    colleague = app.test_client()
    colleague.post("/auth/login", data={"login": make.user("coop_member", cooperative=cooperative).email,
                                        "password": "lúa chín vàng đồng"})
    assert autosave(colleague, draft.id, "security.trained_people", "7").status_code == 200
    form = shown_fields(page)
    form.update({"security.practices": ["backups"], "security.trained_people": "", "security.difficulty": ""})
    assert client.post(f"/assessments/{draft.id}/dimensions/security", data=form).status_code == 303
    assert stored(app, draft.id) == {"security.practices": ["backups"], "security.trained_people": 7}


def test_a_radio_left_alone_keeps_its_answer(app, client, auth, manager, make, cooperative):
    assessment = make.assessment(cooperative, answers={"finance.etax_filing": "online"}, submit=False)
    auth.login(manager.email)
    save_page(client, assessment.id, "finance", {"finance.einvoice_use": "no"})
    assert stored(app, assessment.id) == {"finance.etax_filing": "online", "finance.einvoice_use": "no"}


def test_a_question_that_appears_keeps_the_person_on_the_page(client, auth, manager, draft):
    auth.login(manager.email)
    response = save_page(client, draft.id, "finance",
                         {"finance.etax_filing": "online", "finance.einvoice_use": "yes_provider"})
    assert response.headers["Location"] == f"/assessments/{draft.id}/dimensions/finance#q-finance-einvoice_provider"
    page = client.get(f"/assessments/{draft.id}/dimensions/finance").get_data(as_text=True)
    assert not re.search(r'<fieldset[^>]*id="q-finance-einvoice_provider"[^>]* hidden', page)


# Submitting


def test_submitting_an_incomplete_draft_lists_each_missing_question(app, client, auth, manager, make, cooperative):
    answers = dict(SMALL_ANSWERS)
    del answers["finance.etax_filing"], answers["security.trained_people"]
    assessment = make.assessment(cooperative, answers=answers, submit=False)
    auth.login(manager.email)
    response = client.post(f"/assessments/{assessment.id}/submit")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'href="/assessments/{assessment.id}/dimensions/finance#q-finance-etax_filing"' in page
    assert f'href="/assessments/{assessment.id}/dimensions/security#q-security-trained_people"' in page
    assert page.count("#q-") == 2
    assert assessment_row(app, assessment.id).status == "draft"


def test_submitting_twice_makes_one_submission(app, client, auth, manager, make, cooperative):
    assessment = make.assessment(cooperative, submit=False)
    auth.login(manager.email)
    first = client.post(f"/assessments/{assessment.id}/submit")
    assert first.status_code == 303
    assert first.headers["Location"] == f"/assessments/{assessment.id}/results"
    submitted_at = assessment_row(app, assessment.id).submitted_at
    second = client.post(f"/assessments/{assessment.id}/submit")
    assert second.status_code == 303 and second.headers["Location"] == first.headers["Location"]
    row = assessment_row(app, assessment.id)
    assert row.status == "submitted" and row.submitted_at == submitted_at and row.submitted_by_id == manager.id
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DimensionScore)) == 2


def test_a_member_cannot_submit(app, client, auth, make, cooperative):
    assessment = make.assessment(cooperative, submit=False)
    login(make, auth, "coop_member", cooperative)
    assert client.post(f"/assessments/{assessment.id}/submit").status_code == 403
    assert assessment_row(app, assessment.id).status == "draft"


def test_a_submitted_assessment_never_changes(app, client, auth, manager, make, cooperative):
    assessment = make.assessment(cooperative)
    auth.login(manager.email)
    refused = autosave(client, assessment.id, "finance.etax_filing", "online")
    assert refused.status_code == 409
    assert "has been submitted" in refused.get_data(as_text=True)
    page_save = client.post(f"/assessments/{assessment.id}/dimensions/finance", data={"finance.etax_filing": "online"})
    assert page_save.status_code == 409
    assert stored(app, assessment.id) == SMALL_ANSWERS
    for path in (f"/assessments/{assessment.id}", f"/assessments/{assessment.id}/dimensions/finance"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"] == f"/assessments/{assessment.id}/results"


# Who may answer


def test_the_graduate_reads_and_answers_only_when_the_manager_allows(app, client, auth, manager, make, cooperative,
                                                                     draft):
    graduate = login(make, auth, "graduate", cooperative)
    page = client.get(f"/assessments/{draft.id}/dimensions/finance").get_data(as_text=True)
    assert "hx-post" not in page and 'method="post" action="/assessments' not in page
    assert 'value="paper" disabled' in page
    refused = autosave(client, draft.id, "finance.etax_filing", "paper")
    assert refused.status_code == 403
    assert "can read this self-assessment but not answer it" in refused.get_data(as_text=True)
    assert client.post(f"/assessments/{draft.id}/dimensions/finance",
                       data={"finance.etax_filing": "paper"}).status_code == 403
    assert client.post(f"/assessments/{draft.id}/graduate-access", data={"allow": "yes"}).status_code == 403
    assert stored(app, draft.id) == {}

    manager_client = app.test_client()
    manager_client.post("/auth/login", data={"login": manager.email, "password": "lúa chín vàng đồng"})
    allowed = manager_client.post(f"/assessments/{draft.id}/graduate-access", data={"allow": "yes"})
    assert allowed.status_code == 303
    assert assessment_row(app, draft.id).graduate_may_answer is True

    assert autosave(client, draft.id, "finance.etax_filing", "paper").status_code == 200
    assert stored(app, draft.id) == {"finance.etax_filing": "paper"}
    with app.app_context():
        assert db.session.scalar(select(Answer.updated_by_id)) == graduate.id
    assert "hx-post" in client.get(f"/assessments/{draft.id}/dimensions/finance").get_data(as_text=True)

    manager_client.post(f"/assessments/{draft.id}/graduate-access", data={"allow": "no"})
    assert autosave(client, draft.id, "finance.etax_filing", "online").status_code == 403


def test_alliance_staff_of_the_province_read_but_do_not_answer(app, client, auth, make, draft):
    auth.login(make.user("alliance").email)
    assert client.get(f"/assessments/{draft.id}").status_code == 200
    page = client.get(f"/assessments/{draft.id}/dimensions/finance").get_data(as_text=True)
    assert "Only the cooperative&#39;s own people answer it" in page and "hx-post" not in page
    assert autosave(client, draft.id, "finance.etax_filing", "paper").status_code == 403
    assert client.post(f"/assessments/{draft.id}/submit").status_code == 403
    assert stored(app, draft.id) == {}


def test_alliance_staff_of_another_province_see_nothing(client, auth, make, draft):
    auth.login(make.user("alliance", province_code=OTHER_PROVINCE).email)
    assert client.get(f"/assessments/{draft.id}").status_code == 404
    assert autosave(client, draft.id, "finance.etax_filing", "paper").status_code == 404


def test_another_cooperatives_assessment_is_not_found(app, client, auth, make, draft):
    other = make.cooperative("HTX Bên Cạnh")
    auth.login(make.user("coop_manager", cooperative=other).email)
    base = f"/assessments/{draft.id}"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/dimensions/finance").status_code == 404
    assert client.post(f"{base}/dimensions/finance", data={"finance.etax_filing": "paper"}).status_code == 404
    assert autosave(client, draft.id, "finance.etax_filing", "paper").status_code == 404
    assert client.post(f"{base}/submit").status_code == 404
    assert client.post(f"{base}/graduate-access", data={"allow": "yes"}).status_code == 404
    assert stored(app, draft.id) == {}
    assert client.get("/assessments/999999").status_code == 404


# Carried over from the last assessment


def test_carried_over_answers_are_marked_until_confirmed_or_changed(app, client, auth, manager, make, cooperative):
    make.assessment(cooperative)
    auth.login(manager.email)
    location = client.post(f"/assessments/start/{cooperative.id}").headers["Location"]
    assessment_id = int(location.split("/")[2])
    page = client.get(location).get_data(as_text=True)
    notice = "Carried over from your last assessment: choose it again, change it or confirm it."
    assert notice in fieldset(page, "finance.etax_filing") and notice in fieldset(page, "finance.einvoice_use")
    assert re.search(r'value="helped" checked', fieldset(page, "finance.etax_filing"))
    assert 'name="confirm" value="finance.etax_filing"' in page

    # Saving the same value (the confirm button) confirms it; the notice goes out of band.
    confirmed = autosave(client, assessment_id, "finance.etax_filing", "helped")
    body = confirmed.get_data(as_text=True)
    assert confirmed.status_code == 200
    assert re.search(r'<div class="carried" id="c-finance-etax_filing" hx-swap-oob="true">\s*</div>', body)
    with app.app_context():
        assert drafts.carried_over_codes(assessment_id) == set(SMALL_ANSWERS) - {"finance.etax_filing"}
        assert drafts.answers_of(assessment_id) == SMALL_ANSWERS

    # Without JavaScript the confirm button saves the page and comes back to the question.
    form = shown_fields(page)
    form.update({"finance.etax_filing": "helped", "finance.einvoice_use": "yes_provider",
                 "finance.einvoice_provider": "no", "confirm": "finance.einvoice_use"})
    response = client.post(location, data=form)
    assert response.headers["Location"] == f"{location}#q-finance-einvoice_use"
    with app.app_context():
        assert "finance.einvoice_use" not in drafts.carried_over_codes(assessment_id)
        assert "finance.einvoice_provider" in drafts.carried_over_codes(assessment_id)  # untouched: still marked
    page = client.get(location).get_data(as_text=True)
    assert notice not in fieldset(page, "finance.einvoice_use")
    assert notice in fieldset(page, "finance.einvoice_provider")


def test_changing_a_carried_over_answer_clears_the_mark(app, client, auth, manager, make, cooperative):
    make.assessment(cooperative)
    auth.login(manager.email)
    assessment_id = int(client.post(f"/assessments/start/{cooperative.id}").headers["Location"].split("/")[2])
    assert autosave(client, assessment_id, "security.trained_people", "9").status_code == 200
    with app.app_context():
        assert "security.trained_people" not in drafts.carried_over_codes(assessment_id)
    overview = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "3 carried-over answers to confirm" in overview  # finance
    assert "1 carried-over answer to confirm" in overview  # security: the checklist is left


def test_escaped_text_is_shown_back_as_typed(app, client, auth, manager, draft):
    auth.login(manager.email)
    typed = '<b>"Thiếu vốn" & người</b>'
    autosave(client, draft.id, "security.difficulty", typed)
    page = client.get(f"/assessments/{draft.id}/dimensions/security").get_data(as_text=True)
    assert "<b>" not in fieldset(page, "security.difficulty")
    assert html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)) == typed
