"""Difficulties and proposals: raised by a cooperative, triaged and answered by the alliance, seen by
the cooperative on its home and results page; and what boards wrote in their assessments."""

import re

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.difficulties.models import Difficulty, DifficultyReply
from app.extensions import db
from tests.conftest import csrf_token_from
from tests.factories import OTHER_PROVINCE, PASSWORD, SMALL_ANSWERS


@pytest.fixture
def cooperative(make):
    make.questionnaire()
    return make.cooperative("HTX Mỹ Xương")


@pytest.fixture
def manager(make, cooperative):
    return make.user("coop_manager", cooperative=cooperative, name="Chị Lan")


@pytest.fixture
def alliance(make):
    return make.user("alliance", name="Cán bộ Liên minh")


def token_of(html):
    return re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)


def raise_one(client, text="Kế toán chưa biết nộp thuế điện tử.", category="etax", **extra):
    page = client.get("/difficulties/new", query_string=extra).get_data(as_text=True)
    data = {"token": token_of(page), "category": category, "description": text, **extra}
    return client.post("/difficulties/new", data=data)


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_manager_raises_a_difficulty_once_however_often_the_form_is_sent(app, client, auth, manager):
    auth.login(manager.email)
    page = client.get("/difficulties/new").get_data(as_text=True)
    data = {"token": token_of(page), "category": "etax", "description": "  Chưa biết nộp thuế điện tử.  "}
    first = client.post("/difficulties/new", data=data)
    assert first.status_code == 303
    again = client.post("/difficulties/new", data=data)  # a double tap, a replayed request
    assert again.headers["Location"] == first.headers["Location"]
    assert count(app, Difficulty) == 1
    with app.app_context():
        row = db.session.scalar(select(Difficulty))
        assert (row.category, row.description, row.status, row.raised_by_id) == \
            ("etax", "Chưa biết nộp thuế điện tử.", "new", manager.id)
    html = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Thuế điện tử" in html and "Chưa biết nộp thuế điện tử." in html


@pytest.mark.parametrize("category, text, message", [
    ("", "Mô tả.", "Hãy chọn khó khăn thuộc nhóm nào."),
    ("lottery", "Mô tả.", "Hãy chọn khó khăn thuộc nhóm nào."),
    ("etax", "   ", "Hãy mô tả khó khăn trước khi gửi."),
    ("etax", "x" * 4001, "Nội dung quá dài: tối đa 4.000 ký tự."),
    ("etax", "Có ký tự \x00 lạ", "ký tự điều khiển"),
])
def test_invalid_difficulty_answers_422_with_the_form_as_typed(app, client, auth, manager, category, text, message):
    auth.login(manager.email)
    response = raise_one(client, text, category)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and 'aria-invalid="true"' in html
    if text.strip() and "\x00" not in text:
        assert text in html
    assert count(app, Difficulty) == 0


def test_a_difficulty_about_a_question_of_the_results(app, client, auth, make, cooperative, manager):
    assessment = make.assessment(cooperative, answers={**SMALL_ANSWERS, "finance.etax_filing": "paper"})
    auth.login(manager.email)
    results = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    link = f'/difficulties/new?question=finance.etax_filing&amp;assessment={assessment.id}'
    assert link in results  # next to the gap
    form = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "Về câu hỏi: HTX nộp tờ khai thuế thế nào?" in form
    response = raise_one(client, question="finance.etax_filing", assessment=str(assessment.id))
    assert response.status_code == 303
    with app.app_context():
        row = db.session.scalar(select(Difficulty))
        assert (row.question_code, row.assessment_id) == ("finance.etax_filing", assessment.id)
    # Another cooperative's assessment in the link is ignored, not trusted.
    other = make.assessment(make.cooperative("HTX Khác"))
    raise_one(client, "Lần hai.", question="finance.etax_filing", assessment=str(other.id))
    with app.app_context():
        assert db.session.scalar(select(Difficulty.assessment_id).where(Difficulty.description == "Lần hai.")) is None


def test_alliance_triages_and_the_cooperative_reads_the_reply(app, client, auth, make, cooperative, manager,
                                                              alliance):
    assessment = make.assessment(cooperative)
    auth.login(manager.email)
    location = raise_one(client).headers["Location"]
    auth.logout()

    auth.login(alliance.email)
    page = client.get(location).get_data(as_text=True)
    assert "Giữ nguyên: Mới" in page
    reply = {"token": token_of(page), "body": "Cán bộ sẽ đến hướng dẫn vào thứ Ba.", "status": "in_progress"}
    assert client.post(f"{location}/replies", data=reply).status_code == 303
    assert client.post(f"{location}/replies", data=reply).status_code == 303  # sent twice, stored once
    assert count(app, DifficultyReply) == 1
    page = client.get(location).get_data(as_text=True)
    forward = {"token": token_of(page), "body": "", "status": "forwarded", "forwarded_to": "", "forwarded_on": ""}
    refused = client.post(f"{location}/replies", data=forward)
    assert refused.status_code == 422
    assert "Hãy ghi tên cơ quan nhận chuyển." in refused.get_data(as_text=True)
    forward.update(forwarded_to="Thuế tỉnh Đồng Tháp", forwarded_on="2026-11-20")
    assert client.post(f"{location}/replies", data=forward).status_code == 303
    with app.app_context():
        row = db.session.scalar(select(Difficulty))
        assert (row.status, row.forwarded_to, str(row.forwarded_on)) == ("forwarded", "Thuế tỉnh Đồng Tháp",
                                                                         "2026-11-20")
    auth.logout()

    auth.login(manager.email)
    home = client.get("/home").get_data(as_text=True)
    assert "Cán bộ sẽ đến hướng dẫn vào thứ Ba." in home and "Thuế tỉnh Đồng Tháp" in home
    results = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert "Cán bộ sẽ đến hướng dẫn vào thứ Ba." in results
    # The cooperative may answer in the thread, but not move the status.
    page = client.get(location).get_data(as_text=True)
    assert 'name="status"' not in page
    answer = {"token": token_of(page), "body": "Cảm ơn, HTX sẽ chuẩn bị chữ ký số.", "status": "resolved"}
    assert client.post(f"{location}/replies", data=answer).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Difficulty.status)) == "forwarded"
        difficulty_id = db.session.scalar(select(Difficulty.id))
        # Each change of status once (not the repeated form, the refused one or the cooperative's answer).
        entries = db.session.execute(select(AuditEntry.actor_id, AuditEntry.action, AuditEntry.target,
                                            AuditEntry.details).order_by(AuditEntry.id)).all()
        assert [tuple(entry) for entry in entries] == [
            (alliance.id, "difficulty.in_progress", f"cooperative:{cooperative.id}",
             {"difficulty_id": difficulty_id}),
            (alliance.id, "difficulty.forwarded", f"cooperative:{cooperative.id}",
             {"difficulty_id": difficulty_id, "forwarded_to": "Thuế tỉnh Đồng Tháp"})]
    auth.logout()
    auth.login(alliance.email)
    log = client.get("/audit/").get_data(as_text=True)
    assert "Tiếp nhận xử lý một khó khăn" in log and "Chuyển một khó khăn lên cơ quan cấp trên" in log
    assert "Thuế tỉnh Đồng Tháp" in log and "HTX Mỹ Xương" in log


def test_each_sees_only_the_difficulties_it_may(app, client, auth, make, cooperative, manager):
    auth.login(manager.email)
    location = raise_one(client).headers["Location"]
    auth.logout()
    neighbour = make.cooperative("HTX Hàng xóm")
    for user in (make.user("coop_manager", cooperative=neighbour), make.user("alliance", province_code=OTHER_PROVINCE)):
        auth.login(user.email)
        assert client.get(location).status_code == 404
        assert client.post(f"{location}/replies", data={"token": "x" * 20, "body": "Xem trộm."}).status_code == 404
        assert "Kế toán chưa biết" not in client.get("/difficulties/").get_data(as_text=True)
        auth.logout()
    auth.login(make.user("graduate", cooperative=cooperative).email)
    assert client.get(location).status_code == 403
    assert client.get("/difficulties/new").status_code == 403
    auth.logout()
    auth.login(make.user("admin").email)
    assert client.get(location).status_code == 200
    assert count(app, DifficultyReply) == 0


def test_alliance_lists_searches_and_reads_what_boards_wrote(app, client, auth, make, cooperative, manager,
                                                             alliance):
    make.assessment(cooperative, answers={**SMALL_ANSWERS, "security.difficulty": "Thiếu vốn ưu đãi mua máy tính"})
    auth.login(manager.email)
    raise_one(client, "Cần đầu ra cho xoài.", "market")
    raise_one(client, "Nộp thuế điện tử bị lỗi.", "etax")
    auth.logout()
    auth.login(alliance.email)
    found = client.get("/difficulties/?q=dau ra").get_data(as_text=True)
    assert "Cần đầu ra cho xoài." in found and "Nộp thuế điện tử" not in found
    assert "Nộp thuế điện tử" in client.get("/difficulties/?category=etax").get_data(as_text=True)
    written = client.get("/difficulties/written?q=von uu dai").get_data(as_text=True)
    assert "Thiếu vốn ưu đãi mua máy tính" in written
    assert "Thiếu vốn" not in client.get("/difficulties/written?q=internet").get_data(as_text=True)
    dashboard = client.get("/dashboard/").get_data(as_text=True)
    assert re.search(r'<tr data-category="market">.*?>1</a>', dashboard, re.S)


@pytest.mark.csrf
def test_raising_needs_the_csrf_token(app, client, manager):
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    client.post("/auth/login", data={"login": manager.email, "password": PASSWORD, "csrf_token": token})
    page = client.get("/difficulties/new").get_data(as_text=True)
    data = {"token": token_of(page), "category": "etax", "description": "Không có mã."}
    assert client.post("/difficulties/new", data=data).status_code == 400
    assert client.post("/difficulties/new", data={**data, "csrf_token": csrf_token_from(page)}).status_code == 303
    assert count(app, Difficulty) == 1
