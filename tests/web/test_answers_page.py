"""The answers of a submitted assessment, read-only on one page: every area, each question asked with
the answer in words; linked from the results and the review; the cooperative's own words beside the
alliance's feedback form; scoped like everything else (another tenant's id is a 404)."""

import re

import pytest

from tests.factories import OTHER_PROVINCE, SMALL_ANSWERS

DIFFICULTY = "Thiếu người biết máy tính;\nmạng ở ấp yếu."
ANSWERS = {**SMALL_ANSWERS, "security.practices": ["strong_passwords", "two_step"],
           "security.difficulty": DIFFICULTY}


@pytest.fixture
def cooperative(make):
    return make.cooperative()


@pytest.fixture
def assessment(make, cooperative):
    return make.assessment(cooperative, answers=ANSWERS)


def answers_url(assessment):
    return f"/assessments/{assessment.id}/answers"


def answer_of(html, code):
    """The answer shown for a question, as its words (a checklist gives one per ticked item)."""
    item = re.search(rf'<li data-answer="{re.escape(code)}"[^>]*>(.*?)</li>\s*(?=<li data-answer|</ol>)', html, re.S)
    assert item, f"no answer for {code}"
    answer = re.search(r'class="answer-sheet__answer[^"]*">(.*?)</(?:p|ul|blockquote)>', item.group(1), re.S).group(1)
    return [" ".join(re.sub(r"<[^>]+>", "", words).split()) for words in re.split(r"</li>", answer) if words.strip()]


def test_the_whole_page_shows_every_area_and_each_answer_in_words(client, auth, make, cooperative, assessment):
    auth.login(make.user("coop_manager", cooperative=cooperative).email)
    response = client.get(answers_url(assessment))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert re.findall(r'<section class="card answer-sheet__area"[^>]*data-area="(\w+)"', html) == ["finance", "security"]
    assert answer_of(html, "finance.etax_filing") == ["Nhờ người khác"]
    assert answer_of(html, "finance.einvoice_use") == ["Có, qua nhà cung cấp"]
    assert answer_of(html, "finance.einvoice_provider") == ["Không"]
    assert answer_of(html, "security.practices") == ["Mật khẩu mạnh", "Xác thực hai bước"]
    assert answer_of(html, "security.trained_people") == ["5 người"]
    assert answer_of(html, "security.difficulty") == ["Thiếu người biết máy tính; mạng ở ấp yếu."]
    assert "HTX nộp tờ khai thuế thế nào?" in html
    # Read-only: nothing to change, nothing to send.
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<input" not in main and "<form" not in main
    assert "data-print hidden" in html


def test_a_question_never_asked_is_left_out_and_an_empty_optional_one_says_so(client, auth, make, cooperative):
    answers = {**SMALL_ANSWERS, "finance.einvoice_use": "no"}
    del answers["finance.einvoice_provider"]
    assessment = make.assessment(cooperative, answers=answers)
    auth.login(make.user("coop_member", cooperative=cooperative).email)
    html = client.get(answers_url(assessment)).get_data(as_text=True)
    assert 'data-answer="finance.einvoice_provider"' not in html  # hidden by "no e-invoices"
    assert answer_of(html, "security.difficulty") == ["Chưa trả lời"]


@pytest.mark.parametrize("role", ["coop_manager", "coop_member", "graduate", "alliance", "admin"])
def test_every_role_that_sees_the_cooperative_reads_its_answers(client, auth, make, cooperative, assessment, role):
    user = make.user(role, cooperative=cooperative if role in ("coop_manager", "coop_member", "graduate") else None)
    auth.login(user.email)
    response = client.get(answers_url(assessment))
    assert response.status_code == 200
    assert DIFFICULTY.split(";")[0] in response.get_data(as_text=True)


def test_another_tenant_gets_404(client, auth, make, cooperative, assessment):
    other = make.cooperative("HTX Khác")
    for user in (make.user("alliance", province_code=OTHER_PROVINCE), make.user("coop_manager", cooperative=other),
                 make.user("coop_member", cooperative=other), make.user("graduate", cooperative=other)):
        auth.login(user.email)
        assert client.get(answers_url(assessment)).status_code == 404
        auth.logout()
    auth.login(make.user("admin").email)
    assert client.get("/assessments/999999/answers").status_code == 404


def test_a_draft_has_no_answers_page_yet(client, auth, make, cooperative):
    draft = make.assessment(cooperative, submit=False)
    auth.login(make.user("coop_manager", cooperative=cooperative).email)
    response = client.get(f"/assessments/{draft.id}/answers")
    assert response.status_code == 303 and response.headers["Location"] == f"/assessments/{draft.id}"


def test_a_boosted_request_gets_the_whole_page(client, auth, make, cooperative, assessment):
    auth.login(make.user("coop_manager", cooperative=cooperative).email)
    response = client.get(answers_url(assessment), headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in response.get_data(as_text=True)


def test_the_results_link_to_the_answers(client, auth, make, cooperative, assessment):
    auth.login(make.user("coop_member", cooperative=cooperative).email)
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert f'href="{answers_url(assessment)}"' in html
    assert "data-typed-answers" not in html  # the typed words sit beside the review form only


def test_the_review_page_shows_the_typed_answers_beside_the_feedback_form(client, auth, make, assessment):
    auth.login(make.user("alliance").email)
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    feedback = html[html.index('id="alliance-feedback"'):]
    typed = re.search(r'<div class="review__typed" data-typed-answers>(.*?)</div>', feedback, re.S).group(1)
    assert "Khó khăn lớn nhất?" in typed and DIFFICULTY in typed
    assert f'href="{answers_url(assessment)}"' in typed
    assert feedback.index("data-typed-answers") < feedback.index('<form method="post" action="/assessments/')


def test_the_review_page_says_when_nothing_was_typed(client, auth, make, cooperative):
    assessment = make.assessment(cooperative)
    auth.login(make.user("alliance").email)
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert "HTX không ghi gì ở các câu hỏi để tự ghi." in html
