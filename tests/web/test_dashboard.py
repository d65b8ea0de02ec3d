"""The province picture's pages: who sees them, what they show, their links, and a constant number of
queries whatever the number of cooperatives."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from app.assessments.models import SUBMITTED, Assessment, DimensionScore
from app.cooperatives.models import Cooperative
from app.database import utcnow
from app.difficulties.models import Difficulty, DifficultyReply
from app.extensions import db
from app.folding import fold
from app.locations import wards
from app.standings import upkeep
from app.standings.models import LatestAssessment, QuestionScore
from tests.factories import OTHER_PROVINCE, PROVINCE, SMALL_ANSWERS
from tests.web.test_results import LOW, TOP, statements_for


@pytest.fixture
def alliance(make):
    return make.user("alliance", name="Cán bộ Đồng Tháp")


def listed(html):
    """Cooperative ids in the table, in order."""
    return [int(value) for value in re.findall(r'<tr data-cooperative="(\d+)"', html)]


def test_alliance_home_is_the_dashboard_of_its_province(client, auth, make, alliance):
    mine = make.cooperative("HTX Mỹ Xương")
    make.assessment(mine, answers=TOP)
    make.assessment(make.cooperative("HTX Vĩnh Long", province_code=OTHER_PROVINCE), answers=LOW)
    auth.login(alliance.email)
    html = client.get("/home").get_data(as_text=True)
    assert "Liên minh Hợp tác xã tỉnh Đồng Tháp" in html
    assert 'data-figure="active"' in html and ">1</a>" in html
    assert 'href="/dashboard/cooperatives?level=5"' in html
    assert "HTX Vĩnh Long" not in client.get("/dashboard/cooperatives").get_data(as_text=True)


def test_each_figure_links_to_the_table_behind_it(client, auth, make, alliance):
    strong = make.cooperative("HTX Mạnh", sector="trade")
    make.assessment(strong, answers=TOP)
    weak = make.cooperative("HTX Yếu")
    make.assessment(weak, answers=LOW)
    never = make.cooperative("HTX Chưa đánh giá")
    auth.login(alliance.email)
    html = client.get("/dashboard/?sector=agriculture").get_data(as_text=True)
    # The weakest area's bar and row lead to the cooperatives below the province's target there.
    weakest = re.search(r'data-weakest="(\w+)"', html).group(1)
    assert f'href="/dashboard/cooperatives?sector=agriculture&amp;below={weakest}"' in html
    below = client.get(f"/dashboard/cooperatives?sector=agriculture&below={weakest}").get_data(as_text=True)
    assert listed(below) == [weak.id]
    assert "HTX Chưa đánh giá" in html  # never assessed, named and linked
    assert listed(client.get("/dashboard/cooperatives?assessed=never").get_data(as_text=True)) == [never.id]
    weak_answer = client.get("/dashboard/cooperatives?weak=finance.etax_filing").get_data(as_text=True)
    assert listed(weak_answer) == [weak.id]
    assert "Trả lời yếu ở câu: HTX nộp tờ khai thuế thế nào?" in weak_answer  # the narrowing is shown


def test_table_sorts_searches_and_pages_with_state_in_the_url(app, client, auth, make, alliance):
    scores = {"HTX An Bình": TOP, "HTX Đông Hòa": LOW, "HTX Bình Minh": SMALL_ANSWERS}
    made = {name: make.cooperative(name) for name in scores}
    for name, answers in scores.items():
        make.assessment(made[name], answers=answers)
    auth.login(alliance.email)
    by_score = client.get("/dashboard/cooperatives?sort=overall&dir=desc").get_data(as_text=True)
    assert listed(by_score) == [made["HTX An Bình"].id, made["HTX Bình Minh"].id, made["HTX Đông Hòa"].id]
    by_name = client.get("/dashboard/cooperatives").get_data(as_text=True)
    assert listed(by_name) == [made["HTX An Bình"].id, made["HTX Bình Minh"].id, made["HTX Đông Hòa"].id]
    assert 'aria-sort="ascending"' in by_name
    assert listed(client.get("/dashboard/cooperatives?q=dong hoa").get_data(as_text=True)) == [made["HTX Đông Hòa"].id]
    app.config["PER_PAGE"] = 2
    second = client.get("/dashboard/cooperatives?sort=overall&dir=desc&page=2").get_data(as_text=True)
    assert listed(second) == [made["HTX Đông Hòa"].id]
    assert "sort=overall" in second and "dir=desc" in second  # the other page keeps the order


def test_table_answers_htmx_with_the_rows_only(client, auth, make, alliance):
    make.assessment(make.cooperative("HTX Một"))
    auth.login(alliance.email)
    plain = client.get("/dashboard/cooperatives?q=mot")
    assert "<html" in plain.get_data(as_text=True)
    fragment = client.get("/dashboard/cooperatives?q=mot", headers={"HX-Request": "true",
                                                                    "HX-Target": "cooperative-table"})
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and "data-cooperative" in html
    assert "HX-Request" in fragment.headers["Vary"] and fragment.headers["Cache-Control"] == "no-store"
    boosted = client.get("/dashboard/cooperatives?q=mot", headers={"HX-Request": "true", "HX-Boosted": "true",
                                                                   "HX-Target": "cooperative-table"})
    assert "<html" in boosted.get_data(as_text=True)
    picture = client.get("/dashboard/?kind=htx", headers={"HX-Request": "true", "HX-Target": "picture"})
    assert "<html" not in picture.get_data(as_text=True) and 'data-figure="active"' in picture.get_data(as_text=True)


def test_who_sees_the_province_picture(client, auth, make):
    other = make.cooperative("HTX Vĩnh Long", province_code=OTHER_PROVINCE)
    mine = make.cooperative("HTX Đồng Tháp")
    auth.login(make.user("alliance", province_code=OTHER_PROVINCE).email)
    assert client.get(f"/dashboard/cooperatives/{mine.id}").status_code == 404
    assert client.get(f"/dashboard/cooperatives/{other.id}").status_code == 200
    # An alliance cannot pick another province in the URL.
    assert "HTX Đồng Tháp" not in client.get(f"/dashboard/cooperatives?province_code={PROVINCE}").get_data(
        as_text=True)
    auth.logout()
    auth.login(make.user("admin").email)
    assert "data-figure" not in client.get("/dashboard/").get_data(as_text=True)  # chooses a province first
    assert "HTX Đồng Tháp" in client.get(f"/dashboard/cooperatives?province_code={PROVINCE}").get_data(as_text=True)
    assert client.get(f"/dashboard/cooperatives/{other.id}").status_code == 200
    auth.logout()
    for role in ("coop_manager", "coop_member", "graduate"):
        auth.login(make.user(role, cooperative=mine).email)
        assert client.get("/dashboard/").status_code == 403
        assert client.get(f"/dashboard/cooperatives/{mine.id}").status_code == 403
        auth.logout()


def test_cooperative_page_shows_history_answers_and_reviews(app, client, auth, make, alliance):
    cooperative = make.cooperative()
    first = make.assessment(cooperative, answers=LOW)
    second = make.assessment(cooperative, answers={**SMALL_ANSWERS, "security.difficulty": "Thiếu máy tính"})
    with app.app_context():
        row = db.session.get(Assessment, first.id)
        row.feedback, row.reviewed_at, row.reviewed_by_id = "Cần cố gắng thêm.", utcnow(), alliance.id
        db.session.commit()
    auth.login(alliance.email)
    html = client.get(f"/dashboard/cooperatives/{cooperative.id}").get_data(as_text=True)
    round_row = re.search(rf'<tr data-round="{second.id}">(.*?)</tr>', html, re.S).group(1)
    assert "+58" in round_row and "+61" in round_row  # finance 0 → 58, overall 0 → 61
    assert "Thiếu máy tính" in html and "Nhờ người khác" in html  # the latest round's answers
    assert "Cần cố gắng thêm." in html and "Cán bộ Đồng Tháp" in html
    older = client.get(f"/dashboard/cooperatives/{cooperative.id}?round={first.id}").get_data(as_text=True)
    assert "Giấy" in older and "Thiếu máy tính" not in older


def test_pages_run_a_constant_number_of_queries_with_10_or_500_cooperatives(app, client, auth, make, alliance):
    made = []
    for n in range(10):
        cooperative = make.cooperative(f"HTX {n}", kind="htx" if n % 3 else "tht")
        make.assessment(cooperative, answers=[TOP, LOW, SMALL_ANSWERS][n % 3])
        made.append(cooperative)
    manager = make.user("coop_manager", cooperative=made[0])
    with app.app_context():
        difficulty = Difficulty(cooperative_id=made[0].id, category="market", description="Khó tìm đầu ra",
                                search_text="kho tim dau ra", raised_by_id=manager.id, token="first-difficulty")
        db.session.add(difficulty)
        db.session.flush()
        db.session.add(DifficultyReply(difficulty_id=difficulty.id, author_id=alliance.id, body="Đã nhận.",
                                       token="first-reply"))
        db.session.commit()
    auth.login(alliance.email)
    urls = ["/dashboard/", "/dashboard/cooperatives", "/dashboard/cooperatives?sort=finance&dir=desc",
            "/dashboard/cooperatives?below=finance&q=htx", "/dashboard/cooperatives?sort=change",
            f"/dashboard/cooperatives/{made[0].id}", "/exemplars/", "/difficulties/", "/difficulties/written",
            "/assessments/reviews?level=3&sector=agriculture", "/home"]
    for url in urls:
        client.get(url)  # parse content once
    few = {url: statements_for(app, client, url) for url in urls}
    add_cooperatives(app, 490, copy_from=made[0].id)
    many = {url: statements_for(app, client, url) for url in urls}
    assert many == few


def add_cooperatives(app, count, *, copy_from):
    """``count`` more cooperatives in the province, each with a submitted assessment whose stored
    scores copy those of ``copy_from``'s, and an open difficulty; then the standings rebuilt."""
    with app.app_context():
        template = db.session.scalar(select(Assessment).join(LatestAssessment, LatestAssessment.assessment_id
                                                             == Assessment.id)
                                     .where(LatestAssessment.cooperative_id == copy_from))
        dimension_rows = db.session.execute(select(DimensionScore.dimension_code, DimensionScore.score,
                                                   DimensionScore.weight, DimensionScore.target, DimensionScore.gap)
                                            .where(DimensionScore.assessment_id == template.id)).all()
        question_rows = db.session.execute(select(QuestionScore.question_code, QuestionScore.score,
                                                  QuestionScore.option_code)
                                           .where(QuestionScore.assessment_id == template.id)).all()
        ward_codes = [code for code, _ in wards(PROVINCE)[:10]]
        now = utcnow()
        ids = db.session.scalars(insert(Cooperative).returning(Cooperative.id), [
            {"name": f"HTX Thêm {n}", "search_name": fold(f"HTX Thêm {n}"), "kind": "htx", "sector": "agriculture",
             "province_code": PROVINCE, "ward_code": ward_codes[n % 10], "status": "active", "members": 10,
             "employees": 1, "address": "", "created_at": now, "updated_at": now} for n in range(count)]).all()
        assessment_ids = db.session.scalars(insert(Assessment).returning(Assessment.id), [
            {"cooperative_id": cooperative_id, "version_id": template.version_id, "status": SUBMITTED,
             "graduate_may_answer": False, "created_at": now, "submitted_at": now - timedelta(days=n % 300),
             "overall_score": template.overall_score, "level": template.level}
            for n, cooperative_id in enumerate(ids)]).all()
        db.session.execute(insert(DimensionScore), [
            {"assessment_id": assessment_id, "dimension_code": code, "score": score, "weight": weight,
             "target": target, "gap": gap}
            for assessment_id in assessment_ids for code, score, weight, target, gap in dimension_rows])
        db.session.execute(insert(QuestionScore), [
            {"assessment_id": assessment_id, "question_code": code, "score": score, "option_code": option}
            for assessment_id in assessment_ids for code, score, option in question_rows])
        db.session.execute(insert(Difficulty), [
            {"cooperative_id": cooperative_id, "category": "etax", "description": "Khó", "search_text": "kho",
             "status": "new", "token": f"token-{cooperative_id}", "created_at": now - timedelta(days=1),
             "updated_at": now}
            for cooperative_id in ids])
        upkeep.rebuild(db.session.connection())
        db.session.commit()
        assert db.session.scalar(select(db.func.count()).select_from(LatestAssessment)) == count + 10
