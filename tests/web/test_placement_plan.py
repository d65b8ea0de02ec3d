"""A placement's plan (goals tied to the host's results, the manager's comments) and its progress view
(the term, goals, reports, training, and the host's scores at the start against its latest)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.assessments.models import Assessment
from app.database import local_today, utcnow
from app.extensions import db
from app.placements.models import Goal
from app.placements.reporting import month_start
from app.placements.terms import add_months, add_years
from tests.factories import SMALL_ANSWERS

pytestmark = pytest.mark.usefixtures("english")

TODAY = local_today()
# With the small questionnaire, the weakest answers of SMALL_ANSWERS make these the next steps.
ETAX_QUESTION = "finance.etax_filing"


@pytest.fixture
def host(make):
    make.questionnaire()
    return make.cooperative("HTX Nông nghiệp Tân Hòa")


@pytest.fixture
def graduate(make):
    return make.user("graduate", name="Trần Trí Trẻ")


@pytest.fixture
def placement(make, host, graduate):
    start = add_months(month_start(TODAY), -6)
    return make.placement(host, graduate, starts_on=start, ends_on=add_years(start, 1) - timedelta(days=1))


def backdate(app, assessment_id, days):
    with app.app_context():
        db.session.execute(update(Assessment).where(Assessment.id == assessment_id)
                           .values(submitted_at=utcnow() - timedelta(days=days)))
        db.session.commit()


def goals(app):
    with app.app_context():
        return db.session.scalars(select(Goal).order_by(Goal.id)).all()


def test_the_plan_offers_the_hosts_next_steps_and_a_pick_becomes_a_tied_goal(app, client, auth, make, host,
                                                                          graduate, placement):
    assessment = make.assessment(host)
    auth.login(graduate.email)
    page = client.get(f"/placements/{placement.id}/plan").get_data(as_text=True)
    assert "Next steps" in page and f"pick=question:{ETAX_QUESTION}" in page
    picked = client.get(f"/placements/{placement.id}/plan", query_string={"pick": f"question:{ETAX_QUESTION}"})
    assert f'<option selected value="question:{ETAX_QUESTION}">' in picked.get_data(as_text=True)
    response = client.post(f"/placements/{placement.id}/plan/goals", data={
        "title": "Đăng ký tài khoản thuế điện tử cho HTX", "link": f"question:{ETAX_QUESTION}",
        "target_month": TODAY.strftime("%Y-%m"), "status": "in_progress"})
    assert response.status_code == 303
    [goal] = goals(app)
    assert (goal.question_code, goal.dimension_code, goal.assessment_id, goal.status) == (
        ETAX_QUESTION, "finance", assessment.id, "in_progress")
    assert goal.target_month == month_start(TODAY)
    free = client.post(f"/placements/{placement.id}/plan/goals", data={
        "title": "Lập trang Zalo OA", "link": "", "target_month": "", "status": "planned"})
    assert free.status_code == 303 and goals(app)[1].dimension_code is None


def test_a_goal_refused_comes_back_as_typed(app, client, auth, host, graduate, placement):
    auth.login(graduate.email)
    response = client.post(f"/placements/{placement.id}/plan/goals", data={
        "title": "", "link": "question:nothing.here", "target_month": "tháng mười", "status": "planned"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Write the goal." in page and "Enter a month like 12/2026." in page
    assert "Choose one of the areas or questions in the list." in page
    assert goals(app) == []


def test_the_graduate_changes_a_goal(app, client, auth, make, host, graduate, placement):
    auth.login(graduate.email)
    client.post(f"/placements/{placement.id}/plan/goals", data={"title": "Sổ thành viên", "link": "",
                                                                 "status": "planned"})
    [goal] = goals(app)
    assert client.post(f"/placements/{placement.id}/plan/goals/{goal.id}", data={
        "title": "Sổ thành viên điện tử", "link": "", "target_month": "", "status": "done"}).status_code == 303
    assert (goals(app)[0].title, goals(app)[0].status) == ("Sổ thành viên điện tử", "done")
    other = make.placement(make.cooperative("HTX Khác"), make.user("graduate"), starts_on=placement.starts_on,
                           ends_on=placement.ends_on)
    assert client.get(f"/placements/{other.id}/plan/goals/{goal.id}").status_code == 404


def test_the_manager_comments_on_the_plan_and_cannot_change_it(client, auth, make, host, placement):
    auth.login(make.user("coop_manager", cooperative=host).email)
    assert client.post(f"/placements/{placement.id}/plan/goals", data={"title": "x", "status": "planned"}
                       ).status_code == 403
    assert client.post(f"/placements/{placement.id}/plan/comments", data={"body": ""}).status_code == 422
    assert client.post(f"/placements/{placement.id}/plan/comments",
                       data={"body": "Ưu tiên hóa đơn điện tử trước."}).status_code == 303
    assert "Ưu tiên hóa đơn điện tử trước." in client.get(f"/placements/{placement.id}/plan").get_data(as_text=True)


def test_the_progress_view_compares_the_host_at_the_start_with_its_latest(app, client, auth, make, host,
                                                                       graduate, placement):
    before = make.assessment(host, answers={**SMALL_ANSWERS, "finance.etax_filing": "paper"})
    backdate(app, before.id, 400)
    latest = make.assessment(host, answers={**SMALL_ANSWERS, "finance.etax_filing": "online"})
    with app.app_context():
        start, now = (db.session.get(Assessment, i).overall_score for i in (before.id, latest.id))
    auth.login(graduate.email)
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    change = round(now) - round(start)
    assert f"Host's score: {round(start)} → {round(now)} (+{change})" in page
    assert "At the start" in page and "Finance" in page
    # The graduate's home leads with the same view.
    home = client.get("/home").get_data(as_text=True)
    assert home.index("The term") < home.index("Your host cooperative")
    assert f"Host's score: {round(start)} → {round(now)}" in home


def test_the_term_shows_days_left_and_what_remains_of_the_limit(client, auth, graduate, placement):
    auth.login(graduate.email)
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    days_left = (placement.ends_on - TODAY).days
    assert f"{days_left:,} days left" in page
    assert "24 months remain of the 3-year limit" in page
