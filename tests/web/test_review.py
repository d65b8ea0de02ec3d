"""The alliance's review: the list of submitted assessments, feedback, and what it never changes."""

import re

import pytest
from sqlalchemy import select

from app.assessments.models import Answer, Assessment, DimensionScore
from app.audit import AuditEntry
from app.extensions import db
from tests.conftest import csrf_token_from
from tests.factories import OTHER_PROVINCE, PASSWORD


@pytest.fixture
def cooperative(make):
    return make.cooperative()


@pytest.fixture
def assessment(make, cooperative):
    return make.assessment(cooperative)


@pytest.fixture
def alliance(make):
    return make.user("alliance", name="Cán bộ Liên minh")


def review(client, assessment, text):
    return client.post(f"/assessments/{assessment.id}/review", data={"feedback": text})


def listed(html):
    """Assessment ids in the review list, in order."""
    return [int(value) for value in re.findall(r'<li data-assessment="(\d+)"', html)]


def frozen_state(app, assessment_id):
    """Everything a submission is: its answers, stored scores and the assessment's own numbers."""
    with app.app_context():
        row = db.session.get(Assessment, assessment_id)
        answers = db.session.execute(select(Answer.question_code, Answer.value, Answer.updated_at)
                                     .where(Answer.assessment_id == assessment_id)
                                     .order_by(Answer.question_code)).all()
        scores = db.session.execute(select(DimensionScore.dimension_code, DimensionScore.score, DimensionScore.target,
                                           DimensionScore.gap).where(DimensionScore.assessment_id == assessment_id)
                                    .order_by(DimensionScore.dimension_code)).all()
        return (row.status, row.overall_score, row.level, row.submitted_at, row.version_id, answers, scores)


def test_alliance_leaves_feedback_and_the_cooperative_sees_it(app, client, auth, make, cooperative, assessment,
                                                                alliance):
    auth.login(alliance.email)
    response = review(client, assessment, "  Tốt lắm.\nHãy đăng ký chữ ký số trong quý tới.  ")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/assessments/{assessment.id}/results"
    with app.app_context():
        row = db.session.get(Assessment, assessment.id)
        assert row.feedback == "Tốt lắm.\nHãy đăng ký chữ ký số trong quý tới."
        assert row.reviewed_at is not None and row.reviewed_by_id == alliance.id
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "assessment.review"))
        assert entry.actor_id == alliance.id and entry.target == f"assessment:{assessment.id}"
    auth.logout()

    auth.login(make.user("coop_member", cooperative=cooperative).email)
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert "Hãy đăng ký chữ ký số trong quý tới." in html
    assert "Cán bộ Liên minh" in html
    assert "<textarea" not in html


def test_feedback_can_be_edited_and_a_repeat_changes_nothing(app, client, auth, assessment, alliance, make):
    auth.login(alliance.email)
    review(client, assessment, "Bản đầu.")
    auth.logout()
    colleague = make.user("alliance", name="Cán bộ khác")
    auth.login(colleague.email)
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert re.search(r"<textarea[^>]*>\s*Bản đầu.</textarea>", html)  # the form starts from the current text
    assert review(client, assessment, "Bản sửa.").status_code == 303
    with app.app_context():
        first = db.session.get(Assessment, assessment.id)
        assert first.feedback == "Bản sửa." and first.reviewed_by_id == colleague.id
        reviewed_at = first.reviewed_at
    assert review(client, assessment, "Bản sửa.").status_code == 303
    with app.app_context():
        assert db.session.get(Assessment, assessment.id).reviewed_at == reviewed_at
        edits = db.session.scalars(select(AuditEntry.details).where(AuditEntry.action == "assessment.review")
                                   .order_by(AuditEntry.id)).all()
        assert [entry["edited"] for entry in edits] == [False, True]


@pytest.mark.parametrize("text", ["", "   \n  ", "x" * 4001])
def test_invalid_feedback_is_shown_again_with_422(app, client, auth, assessment, alliance, text):
    auth.login(alliance.email)
    response = review(client, assessment, text)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in html and "data-error-summary" in html
    if text.strip():
        assert text in html  # kept as typed
    assert "<svg" in html  # the whole results page, with the form in it
    with app.app_context():
        row = db.session.get(Assessment, assessment.id)
        assert row.feedback is None and row.reviewed_at is None


def test_results_never_change_after_a_review(app, client, auth, assessment, alliance):
    before = frozen_state(app, assessment.id)
    auth.login(alliance.email)
    page_before = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    review(client, assessment, "Nhận xét.")
    review(client, assessment, "Nhận xét sửa lại.")
    assert frozen_state(app, assessment.id) == before
    page_after = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    table = re.compile(r'<table class="score-table">.*?</table>', re.S)
    assert table.search(page_after).group(0) == table.search(page_before).group(0)


@pytest.mark.parametrize("role", ["coop_manager", "coop_member", "graduate"])
def test_cooperative_users_cannot_review(app, client, auth, make, cooperative, assessment, role):
    auth.login(make.user(role, cooperative=cooperative).email)
    assert review(client, assessment, "Tự khen.").status_code == 403
    assert client.get("/assessments/reviews").status_code == 403
    with app.app_context():
        assert db.session.get(Assessment, assessment.id).feedback is None


def test_another_provinces_alliance_cannot_review(app, client, auth, make, assessment):
    auth.login(make.user("alliance", province_code=OTHER_PROVINCE).email)
    assert review(client, assessment, "Không phải tỉnh mình.").status_code == 404
    with app.app_context():
        assert db.session.get(Assessment, assessment.id).feedback is None


def test_a_draft_cannot_be_reviewed(client, auth, make, cooperative, alliance):
    draft = make.assessment(cooperative, submit=False)
    auth.login(alliance.email)
    assert review(client, draft, "Chưa nộp.").status_code == 404


@pytest.mark.csrf
def test_review_needs_the_csrf_token(app, client, assessment, alliance):
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    client.post("/auth/login", data={"login": alliance.email, "password": PASSWORD, "csrf_token": token})
    assert review(client, assessment, "Không có mã.").status_code == 400
    page = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    response = client.post(f"/assessments/{assessment.id}/review",
                           data={"feedback": "Có mã.", "csrf_token": csrf_token_from(page)})
    assert response.status_code == 303


def test_review_list_shows_the_provinces_submitted_assessments_newest_first(client, auth, make, cooperative,
                                                                            assessment, alliance):
    second = make.assessment(cooperative)
    other = make.assessment(make.cooperative("HTX Hai"))
    make.assessment(make.cooperative("HTX Nháp"), submit=False)
    elsewhere = make.assessment(make.cooperative("HTX Ngoài tỉnh", province_code=OTHER_PROVINCE))
    auth.login(alliance.email)
    html = client.get("/assessments/reviews").get_data(as_text=True)
    assert listed(html) == [other.id, second.id, assessment.id]
    assert f'href="/assessments/{other.id}/results"' in html
    auth.logout()

    auth.login(make.user("admin").email)
    html = client.get("/assessments/reviews").get_data(as_text=True)
    assert listed(html) == [elsewhere.id, other.id, second.id, assessment.id]


def test_review_list_filters_reviewed_and_not(client, auth, make, assessment, alliance):
    waiting = make.assessment(make.cooperative("HTX Hai"))
    auth.login(alliance.email)
    review(client, assessment, "Đã xem.")
    assert listed(client.get("/assessments/reviews?state=reviewed").get_data(as_text=True)) == [assessment.id]
    assert listed(client.get("/assessments/reviews?state=waiting").get_data(as_text=True)) == [waiting.id]
    everything = client.get("/assessments/reviews").get_data(as_text=True)
    assert listed(everything) == [waiting.id, assessment.id]
    # An unknown value in an old link shows everything rather than failing.
    assert listed(client.get("/assessments/reviews?state=later").get_data(as_text=True)) == [waiting.id, assessment.id]
    selected = client.get("/assessments/reviews?state=reviewed").get_data(as_text=True)
    assert '<option selected value="reviewed">' in selected


def test_review_list_three_ways(client, auth, make, assessment, alliance):
    waiting = make.assessment(make.cooperative("HTX Hai"))
    auth.login(alliance.email)
    review(client, assessment, "Đã xem.")

    whole = client.get("/assessments/reviews?state=waiting")
    body = whole.get_data(as_text=True)
    assert "<html" in body and 'role="search"' in body and listed(body) == [waiting.id]
    assert "HX-Request" in whole.headers["Vary"]

    fragment = client.get("/assessments/reviews?state=waiting",
                          headers={"HX-Request": "true", "HX-Target": "review-rows"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and 'role="search"' not in body
    assert listed(body) == [waiting.id]
    assert fragment.headers["Cache-Control"] == "no-store"

    boosted = client.get("/assessments/reviews?state=waiting",
                         headers={"HX-Request": "true", "HX-Boosted": "true", "HX-Target": "review-rows"})
    assert "<html" in boosted.get_data(as_text=True)


def test_review_filter_is_enhanced_on_the_same_url(client, auth, alliance):
    auth.login(alliance.email)
    page = client.get("/assessments/reviews").get_data(as_text=True)
    start = page.index('role="search"')
    form = page[start:page.index("</form>", start)]
    assert 'hx-get="/assessments/reviews"' in form and 'hx-target="#review-rows"' in form
    assert 'hx-push-url="true"' in form and '<button type="submit"' in form
    assert 'id="review-rows"' in page


def test_review_list_paginates(app, client, auth, make, alliance):
    app.config["PER_PAGE"] = 2
    made = [make.assessment(make.cooperative(f"HTX {n}")) for n in range(3)]
    auth.login(alliance.email)
    first = client.get("/assessments/reviews?state=waiting").get_data(as_text=True)
    assert listed(first) == [made[2].id, made[1].id]
    assert 'href="/assessments/reviews?state=waiting&amp;page=2"' in first
    second = client.get("/assessments/reviews?state=waiting&page=2").get_data(as_text=True)
    assert listed(second) == [made[0].id]


def test_alliance_home_links_to_the_review_list(client, auth, alliance):
    auth.login(alliance.email)
    assert 'href="/assessments/reviews"' in client.get("/home").get_data(as_text=True)
