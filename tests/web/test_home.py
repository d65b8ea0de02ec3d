"""The homes of a cooperative's manager and members and of its placed graduate: where the cooperative
stands (latest level and score, the draft's progress, new feedback from the alliance) and one next action,
with the other links below it; a cooperative that has not started is told what the assessment asks."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.assessments.models import Assessment
from app.database import utcnow
from app.extensions import db
from tests.factories import SMALL_ANSWERS


@pytest.fixture
def cooperative(make):
    return make.cooperative()


@pytest.fixture
def manager(make, cooperative):
    return make.user("coop_manager", cooperative=cooperative)


def home(client):
    return client.get("/home").get_data(as_text=True)


def next_action(html):
    """The one primary action: its kind and its markup."""
    block = re.search(r'<div class="home-next" data-next-action="(\w+)">(.*?)</div>', html, re.S)
    assert block, "no next action"
    return block.group(1), block.group(2)


def test_a_new_cooperative_is_told_what_the_assessment_asks_and_starts_it(client, auth, make, manager, cooperative):
    make.questionnaire()
    auth.login(manager.email)
    html = home(client)
    action, markup = next_action(html)
    assert action == "start"
    assert f'action="/assessments/start/{cooperative.id}"' in markup and markup.count('class="button"') == 1
    intro = re.search(r"<div class=\"home-intro\" data-intro>(.*?)</div>", html, re.S).group(1)
    # The small questionnaire: 2 parts, 6 questions.
    assert "2 phần, khoảng 6 câu, mất khoảng 5–10 phút" in intro
    assert "Câu trả lời tự lưu" in intro and "có thể dừng và tiếp tục" in intro
    assert "data-latest-level" not in html and "data-draft-progress" not in html


def test_a_draft_shows_how_far_it_is_and_offers_to_continue(client, auth, make, manager, cooperative):
    draft = make.assessment(cooperative, answers={"finance.etax_filing": "paper", "security.trained_people": 2},
                            submit=False)
    auth.login(manager.email)
    html = home(client)
    action, markup = next_action(html)
    assert action == "continue" and f'href="/assessments/{draft.id}"' in markup
    # Required questions that show: finance 2 (the third is hidden until e-invoices are used), security 2.
    assert "đã trả lời 2/4 câu" in html
    assert 'data-intro' not in html


def test_after_submitting_the_home_shows_level_and_score_and_leads_to_the_results(client, auth, make, manager,
                                                                                   cooperative):
    assessment = make.assessment(cooperative, answers=SMALL_ANSWERS)  # 61.11: level 3
    auth.login(manager.email)
    html = home(client)
    assert re.search(r'<span class="home-level__score">61</span>', html)
    assert "Mức 3 — Hình thành" in html
    action, markup = next_action(html)
    assert action == "results" and f'href="/assessments/{assessment.id}/results"' in markup
    # A new round stays one tap away, below, with the other links.
    links = re.search(r'<ul class="home-links">(.*?)</ul>', html, re.S).group(1)
    assert f'action="/assessments/start/{cooperative.id}"' in links
    assert f'href="/assessments/history/{cooperative.id}"' in links


def test_a_year_after_the_last_round_a_new_one_comes_first(app, client, auth, make, manager, cooperative):
    assessment = make.assessment(cooperative)
    with app.app_context():
        db.session.execute(update(Assessment).where(Assessment.id == assessment.id)
                           .values(submitted_at=utcnow() - timedelta(days=400)))
        db.session.commit()
    auth.login(manager.email)
    action, markup = next_action(home(client))
    assert action == "reassess" and f'action="/assessments/start/{cooperative.id}"' in markup


def test_the_score_shown_on_the_home_never_contradicts_the_level(app, client, auth, make, manager, cooperative):
    assessment = make.assessment(cooperative)
    with app.app_context():
        db.session.execute(update(Assessment).where(Assessment.id == assessment.id)
                           .values(overall_score=49.6, level=2))
        db.session.commit()
    auth.login(manager.email)
    html = home(client)
    assert '<span class="home-level__score">49</span>' in html and "Mức 2 — Bắt đầu" in html


def test_new_feedback_shows_until_the_results_are_opened(client, auth, make, manager, cooperative):
    assessment = make.assessment(cooperative)
    auth.login(make.user("alliance").email)
    client.post(f"/assessments/{assessment.id}/review", data={"feedback": "Hãy đăng ký chữ ký số."})
    auth.logout()

    member = make.user("coop_member", cooperative=cooperative)
    auth.login(member.email)
    html = home(client)
    assert "data-new-feedback" in html
    assert f'href="/assessments/{assessment.id}/results#alliance-feedback"' in html

    client.get(f"/assessments/{assessment.id}/results")
    assert "data-new-feedback" not in home(client)
    auth.logout()
    auth.login(manager.email)
    assert "data-new-feedback" not in home(client)  # the cooperative has read it

    # Edited feedback is new again.
    auth.logout()
    auth.login(make.user("alliance").email)
    client.post(f"/assessments/{assessment.id}/review", data={"feedback": "Thêm: hóa đơn điện tử."})
    auth.logout()
    auth.login(manager.email)
    assert "data-new-feedback" in home(client)


def test_outsiders_opening_the_results_do_not_mark_the_feedback_read(client, auth, make, manager, cooperative):
    assessment = make.assessment(cooperative)
    auth.login(make.user("alliance").email)
    client.post(f"/assessments/{assessment.id}/review", data={"feedback": "Tốt."})
    client.get(f"/assessments/{assessment.id}/results")
    auth.logout()
    auth.login(make.user("graduate", cooperative=cooperative).email)
    client.get(f"/assessments/{assessment.id}/results")
    assert "data-new-feedback" not in home(client)  # a graduate is not told: the board is
    auth.logout()
    auth.login(manager.email)
    assert "data-new-feedback" in home(client)


def test_a_member_cannot_start_and_is_told_who_does(client, auth, make, cooperative):
    make.questionnaire()
    auth.login(make.user("coop_member", cooperative=cooperative).email)
    html = home(client)
    action, markup = next_action(html)
    assert action == "training" and 'href="/training/"' in markup
    assert "/assessments/start/" not in html
    assert "Người quản lý HTX bắt đầu bản tự đánh giá" in html
    assert "/invitations/" not in html and "/targets/" not in html


@pytest.mark.parametrize(("allowed", "expected"), [(False, "read_draft"), (True, "continue")])
def test_the_graduate_sees_the_draft_as_the_manager_allows(app, client, auth, make, cooperative, allowed, expected):
    draft = make.assessment(cooperative, answers={}, submit=False)
    with app.app_context():
        db.session.execute(update(Assessment).where(Assessment.id == draft.id).values(graduate_may_answer=allowed))
        db.session.commit()
    auth.login(make.user("graduate", cooperative=cooperative).email)
    html = home(client)
    action, markup = next_action(html)
    assert action == expected and f'href="/assessments/{draft.id}"' in markup
    assert "data-draft-progress" in html


def test_the_graduate_is_led_to_the_hosts_results(client, auth, make, cooperative):
    assessment = make.assessment(cooperative)
    auth.login(make.user("graduate", cooperative=cooperative).email)
    html = home(client)
    action, markup = next_action(html)
    assert action == "results" and f'href="/assessments/{assessment.id}/results"' in markup
    assert "Mức 3 — Hình thành" in html


def test_one_primary_button_per_cooperative(client, auth, make, manager, cooperative):
    make.assessment(cooperative)
    make.assessment(cooperative, answers={}, submit=False)
    auth.login(manager.email)
    html = home(client)
    card = re.search(r'<section class="card home-card".*?</section>', html, re.S).group(0)
    assert len(re.findall(r'class="button"', card)) == 1
    assert len(re.findall(r'class="button button--secondary"', card)) == 0
