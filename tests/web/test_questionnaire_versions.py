"""The shipped questionnaire (version 2) in use: questions fitted to each kind of cooperative, the profile
kept with a submitted result, results of version 1 left as they were, and drafts moved to version 2."""

import re

import pytest
from sqlalchemy import select

from app.assessments import drafts, versions
from app.assessments.models import Answer, Assessment, DimensionScore
from app.cooperatives.models import Cooperative
from app.extensions import db
from tests.factories import QUESTIONNAIRE_V1, complete_answers

pytestmark = pytest.mark.usefixtures("english")

KINDS = {"htx": "agriculture", "tht": "agriculture", "qtdnd": "credit"}


def questions_on(page: str) -> list[str]:
    return re.findall(r'<fieldset[^>]* data-question="([^"]+)"', page)


def progress_total(page: str) -> int:
    return int(re.search(r'id="overall-progress-label"[^>]*>\d+ of (\d+) questions answered', page).group(1))


def start(client, cooperative_id: int) -> int:
    response = client.post(f"/assessments/start/{cooperative_id}")
    assert response.status_code == 303, response.status_code
    return int(re.search(r"/assessments/(\d+)/", response.headers["Location"]).group(1))


def manager_of(make, auth, kind: str, sector: str, name: str | None = None):
    cooperative = make.cooperative(name or f"Đơn vị {kind}", kind=kind, sector=sector)
    manager = make.user("coop_manager", cooperative=cooperative)
    auth.login(manager.email)
    return cooperative


def shipped_questionnaire(app):
    with app.app_context():
        return versions.questionnaire_of(versions.latest_version())


@pytest.fixture
def shipped(make):
    return make.questionnaire(versions.QUESTIONNAIRE_FILE)


def test_each_kind_is_asked_only_what_fits_it(app, client, make, auth, shipped):
    asked = {}
    for kind, sector in KINDS.items():
        cooperative = manager_of(make, auth, kind, sector)
        assessment_id = start(client, cooperative.id)
        market = questions_on(client.get(f"/assessments/{assessment_id}/dimensions/market").get_data(as_text=True))
        finance = questions_on(client.get(f"/assessments/{assessment_id}/dimensions/finance").get_data(as_text=True))
        overview = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
        asked[kind] = (market, finance, progress_total(overview))
        auth.logout()
    htx, tht, qtdnd = asked["htx"], asked["tht"], asked["qtdnd"]
    # A credit fund sells no products: of the market part it is asked its online channels and customer care.
    assert qtdnd[0] == ["market.online_presence", "market.customer_feedback"]
    assert {"market.ecommerce_selling", "market.traceability", "market.union_membership"} <= set(htx[0])
    # Only a cooperative joins a union of cooperatives; a cooperative group has no organisational e-ID
    # and is not asked about electronic social insurance.
    assert "market.union_membership" not in tht[0] and "market.traceability" in tht[0]
    assert "finance.org_eid" in htx[1] and "finance.org_eid" not in tht[1]
    assert "finance.e_social_insurance" in qtdnd[1] and "finance.e_social_insurance" not in tht[1]
    assert "finance.credit_access" not in qtdnd[1]
    # Fewer required questions to answer for the group and the credit fund than for the cooperative.
    assert htx[2] > tht[2] > qtdnd[2]


@pytest.mark.parametrize(("kind", "sector", "not_asked"), [
    ("qtdnd", "credit", {"members.production_records", "market.traceability", "finance.credit_access"}),
    ("tht", "agriculture", {"finance.org_eid", "finance.e_social_insurance", "people.young_graduate"}),
])
def test_a_fund_and_a_group_score_over_only_what_applies_and_keep_their_profile(app, client, make, auth, shipped,
                                                                                kind, sector, not_asked):
    cooperative = manager_of(make, auth, kind, sector)
    profile = {"kind": kind, "sector": sector}
    answers = complete_answers(shipped_questionnaire(app), profile)
    assessment = make.assessment(cooperative, answers=answers, submit=False)
    assert not not_asked & set(answers)
    response = client.post(f"/assessments/{assessment.id}/submit")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/{assessment.id}/results")
    with app.app_context():
        row = db.session.get(Assessment, assessment.id)
        scores = dict(db.session.execute(select(DimensionScore.dimension_code, DimensionScore.score)
                                         .where(DimensionScore.assessment_id == assessment.id)).all())
        assert row.profile == profile
    # The best answer to everything asked gives full points in every area: nothing it is not asked counts.
    assert scores == {code: 100 for code in ("strategy", "finance", "members", "market", "data", "people",
                                             "security")}
    assert row.overall_score == 100


def test_a_later_change_of_kind_never_changes_an_old_result(app, client, make, auth, shipped):
    cooperative = manager_of(make, auth, "qtdnd", "credit")
    answers = complete_answers(shipped_questionnaire(app), {"kind": "qtdnd", "sector": "credit"}, best=False)
    assessment = make.assessment(cooperative, answers=answers)
    before = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    with app.app_context():
        db.session.get(Cooperative, cooperative.id).kind = "htx"
        db.session.commit()
        _answers, result = drafts.stored_answers_and_result(db.session.get(Assessment, assessment.id))
    after = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert result.profile == {"kind": "qtdnd", "sector": "credit"}
    assert score_table(after) == score_table(before) and next_step_list(after) == next_step_list(before)
    # The next steps are those of the credit fund it was: no question it was never asked.
    asked_then = set(answers)
    assert all(step.question_code in asked_then for step in result.next_steps)


def score_table(page: str) -> list[tuple[str, ...]]:
    """Each row of the score table: the area and its numbers as shown."""
    body = re.search(r'<table class="score-table">.*?</table>', page, re.S).group(0)
    return [tuple(re.findall(r'<td class="num"[^>]*>([^<]*)</td>', row))
            for row in re.findall(r'<tr data-dimension="[^"]+"[^>]*>.*?</tr>', body, re.S)]


def next_step_list(page: str) -> list[str]:
    steps = re.search(r'<ol class="steps">.*?</ol>', page, re.S)
    return re.findall(r"<strong>([^<]+)</strong>", steps.group(0)) if steps else []


def overall_of(page: str) -> str:
    return re.search(r'<span class="overall__score">([^<]+)</span>', page).group(1)


def test_results_on_version_1_stay_as_they_were_when_version_2_arrives(app, client, make, auth, runner):
    version_1 = make.questionnaire(QUESTIONNAIRE_V1)
    cooperative = manager_of(make, auth, "htx", "agriculture")
    with app.app_context():
        answers = complete_answers(versions.questionnaire_of(db.session.merge(version_1)), best=False)
    first = make.assessment(cooperative, answers=answers)
    before = client.get(f"/assessments/{first.id}/results").get_data(as_text=True)
    loaded = runner.invoke(args=["content", "load"])
    assert loaded.exit_code == 0, loaded.output
    with app.app_context():
        assert versions.latest_version().number == 2
    after = client.get(f"/assessments/{first.id}/results").get_data(as_text=True)
    assert (overall_of(after), score_table(after), next_step_list(after)) == \
        (overall_of(before), score_table(before), next_step_list(before))
    assert "whose questions differ" not in after

    # The next round is on version 2; its results compare area by area and say where the questions differ.
    second = make.assessment(cooperative, answers=complete_answers(shipped_questionnaire(app),
                                                                  {"kind": "htx", "sector": "agriculture"}))
    page = client.get(f"/assessments/{second.id}/results").get_data(as_text=True)
    sentence = re.search(r"The previous assessment used version 1 of the questionnaire, whose questions differ "
                         r"in: ([^;]+); the change in those areas is only a rough guide\.", page)
    assert sentence is not None
    assert "Finance and electronic procedures" in sentence.group(1)
    assert len(score_table(page)[1]) == 4  # an area's score, target, previous score and change


def answers_in(app, assessment_id):
    with app.app_context():
        return drafts.answers_and_carried(assessment_id)


def test_a_draft_on_version_1_is_offered_version_2_with_its_answers_carried_over(app, client, make, auth, runner):
    make.questionnaire(QUESTIONNAIRE_V1)
    cooperative = manager_of(make, auth, "htx", "agriculture")
    v1_answers = {
        "strategy.written_plan": "draft",  # the same option in version 2
        "finance.e_social_insurance": "na_no_employees",  # gone: no way out of social insurance any more
        "finance.einvoice_use": "yes_tax_office",
        "finance.einvoice_practice": ["on_time", "stored_backup"],
        "people.trained_count": 4,  # now counted, not scored
        "strategy.biggest_difficulty": "Thuế điện tử",
    }
    draft = make.assessment(cooperative, answers=v1_answers, submit=False)
    overview = client.get(f"/assessments/{draft.id}").get_data(as_text=True)
    assert "A new version of the questionnaire" not in overview
    assert runner.invoke(args=["content", "load"]).exit_code == 0

    home = client.get("/home").get_data(as_text=True)
    overview = client.get(f"/assessments/{draft.id}").get_data(as_text=True)
    for page in (home, overview):
        assert "This self-assessment was started on version 1 of the questionnaire." in page
        assert f'action="/assessments/{draft.id}/version"' in page and 'name="number" value="2"' in page
    assert "5 of the 6 answers given so far carry over to it" in overview
    # Until the manager chooses, the draft stays on version 1 exactly as it was.
    assert answers_in(app, draft.id) == (v1_answers, set())

    assert client.post(f"/assessments/{draft.id}/version", data={"number": "3"}).status_code == 303
    assert answers_in(app, draft.id)[0] == v1_answers  # an offer the page never made changes nothing
    moved = client.post(f"/assessments/{draft.id}/version", data={"number": "2"}, follow_redirects=True)
    page = moved.get_data(as_text=True)
    assert "The self-assessment now uses version 2 of the questionnaire." in page
    assert "A new version of the questionnaire" not in page
    carried = {code: value for code, value in v1_answers.items() if code != "finance.e_social_insurance"}
    assert answers_in(app, draft.id) == (carried, set(carried))
    with app.app_context():
        assert db.session.get(Assessment, draft.id).version.number == 2
    # A second click changes nothing.
    assert client.post(f"/assessments/{draft.id}/version", data={"number": "2"}).status_code == 303
    assert answers_in(app, draft.id) == (carried, set(carried))


def test_only_the_manager_moves_a_draft_to_the_new_version(app, client, make, auth, runner):
    make.questionnaire(QUESTIONNAIRE_V1)
    cooperative = make.cooperative()
    draft = make.assessment(cooperative, answers={"strategy.written_plan": "idea"}, submit=False)
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    member = make.user("coop_member", cooperative=cooperative)
    auth.login(member.email)
    overview = client.get(f"/assessments/{draft.id}").get_data(as_text=True)
    assert "The cooperative's manager decides whether to move this self-assessment to the new version." in overview
    assert f'action="/assessments/{draft.id}/version"' not in overview
    assert client.post(f"/assessments/{draft.id}/version", data={"number": "2"}).status_code == 403
    with app.app_context():
        assert db.session.get(Assessment, draft.id).version.number == 1
        assert db.session.scalars(select(Answer.question_code).where(Answer.assessment_id == draft.id)).all() == [
            "strategy.written_plan"]


def test_the_overview_names_the_rules_and_the_legal_texts_it_relies_on(client, make, auth, shipped):
    cooperative = manager_of(make, auth, "htx", "agriculture")
    assessment_id = start(client, cooperative.id)
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Content updated to the rules in force as of November 2026." in page
    assert "Law on Social Insurance No. 41/2024/QH15 — in force since 1 July 2025" in page
    assert "Law on Personal Data Protection No. 91/2025/QH15 and Decree 356/2025/NĐ-CP" in page
