"""Dimension targets: province targets by the alliance, own targets by a cooperative's manager."""

from sqlalchemy import select

from app.assessments.models import DimensionScore, DimensionTarget
from app.extensions import db
from tests.factories import OTHER_PROVINCE


def stored_targets(app, assessment_id):
    with app.app_context():
        return dict(db.session.execute(select(DimensionScore.dimension_code, DimensionScore.target)
                                       .where(DimensionScore.assessment_id == assessment_id)).all())


def test_submitted_gaps_use_cooperative_then_province_then_default_targets(app, client, auth, make):
    make.questionnaire()
    cooperative = make.cooperative()
    auth.login(make.user("alliance").email)
    response = client.post("/targets/province", data={"target_finance": "80", "target_security": ""})
    assert response.status_code == 303
    auth.logout()
    auth.login(make.user("coop_manager", cooperative=cooperative).email)
    assert client.post(f"/targets/cooperatives/{cooperative.id}",
                       data={"target_finance": "", "target_security": "65"}).status_code == 303
    assessment = make.assessment(cooperative)
    assert stored_targets(app, assessment.id) == {"finance": 80, "security": 65}
    # Another province's cooperative keeps the questionnaire's defaults.
    elsewhere = make.assessment(make.cooperative("HTX Vĩnh Long", province_code=OTHER_PROVINCE))
    assert stored_targets(app, elsewhere.id) == {"finance": 60, "security": 50}


def test_bad_target_is_refused_and_nothing_changes(app, client, auth, make):
    make.questionnaire()
    auth.login(make.user("alliance").email)
    response = client.post("/targets/province", data={"target_finance": "120", "target_security": "abc"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="target_finance-error"' in page and 'value="120"' in page
    with app.app_context():
        assert db.session.scalars(select(DimensionTarget)).all() == []


def test_clearing_a_target_returns_to_the_default(app, client, auth, make):
    make.questionnaire()
    auth.login(make.user("alliance").email)
    client.post("/targets/province", data={"target_finance": "80"})
    client.post("/targets/province", data={"target_finance": ""})
    with app.app_context():
        assert db.session.scalars(select(DimensionTarget)).all() == []


def test_only_the_manager_changes_cooperative_targets(client, auth, make):
    make.questionnaire()
    cooperative = make.cooperative()
    auth.login(make.user("coop_member", cooperative=cooperative).email)
    assert client.get(f"/targets/cooperatives/{cooperative.id}").status_code == 200
    assert client.post(f"/targets/cooperatives/{cooperative.id}", data={"target_finance": "70"}).status_code == 403
    assert client.post("/targets/province", data={"target_finance": "70"}).status_code == 403


def test_another_cooperatives_targets_are_not_found(client, auth, make):
    make.questionnaire()
    mine, theirs = make.cooperative("HTX A"), make.cooperative("HTX B")
    auth.login(make.user("coop_manager", cooperative=mine).email)
    assert client.get(f"/targets/cooperatives/{theirs.id}").status_code == 404


def test_homes_link_to_the_targets(client, auth, make):
    make.questionnaire()
    cooperative = make.cooperative()
    auth.login(make.user("coop_manager", cooperative=cooperative).email)
    assert f'href="/targets/cooperatives/{cooperative.id}"' in client.get("/home").get_data(as_text=True)
    auth.logout()
    auth.login(make.user("alliance").email)
    assert 'href="/targets/province"' in client.get("/home").get_data(as_text=True)
