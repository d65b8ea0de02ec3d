"""Model cooperatives: only reviewed results rank or make a model; marking and unmarking need a reason;
the cooperative sees it is a model, and its province sees what it does best."""

import re

import pytest
from sqlalchemy import select

from app.assessments.models import Assessment
from app.audit import AuditEntry
from app.database import utcnow
from app.exemplars.models import Exemplar
from app.extensions import db
from tests.factories import OTHER_PROVINCE, SMALL_ANSWERS
from tests.web.test_results import LOW, TOP


@pytest.fixture
def alliance(make):
    return make.user("alliance", name="Cán bộ Liên minh")


def reviewed(app, assessment, reviewer):
    with app.app_context():
        row = db.session.get(Assessment, assessment.id)
        row.feedback, row.reviewed_at, row.reviewed_by_id = "Rất tốt.", utcnow(), reviewer.id
        db.session.commit()


def ranking(html, key):
    block = re.search(rf'data-ranking="{key}">(.*?)</ol>', html, re.S)
    return [int(value) for value in re.findall(r'data-cooperative="(\d+)"', block.group(1))] if block else []


def test_rankings_count_only_reviewed_latest_results(app, client, auth, make, alliance):
    best = make.cooperative("HTX Giỏi")
    reviewed(app, make.assessment(best, answers=TOP), alliance)
    unreviewed = make.cooperative("HTX Chưa nhận xét")
    make.assessment(unreviewed, answers=TOP)
    riser = make.cooperative("HTX Tiến bộ")
    make.assessment(riser, answers=LOW)
    reviewed(app, make.assessment(riser, answers=SMALL_ANSWERS), alliance)
    auth.login(alliance.email)
    html = client.get("/exemplars/").get_data(as_text=True)
    assert ranking(html, "score") == [best.id, riser.id]
    assert ranking(html, "improvement") == [riser.id]


def test_marking_needs_a_reviewed_result_and_a_reason(app, client, auth, make, alliance):
    cooperative = make.cooperative("HTX Sen Tháp Mười")
    assessment = make.assessment(cooperative, answers=TOP)
    auth.login(alliance.email)
    refused = client.post(f"/exemplars/{cooperative.id}/mark", data={"reason": "Bán sen trên sàn TMĐT."})
    assert refused.status_code == 422
    assert "Bán sen trên sàn TMĐT." in refused.get_data(as_text=True)  # as typed
    reviewed(app, assessment, alliance)
    empty = client.post(f"/exemplars/{cooperative.id}/mark", data={"reason": "  "})
    assert empty.status_code == 422 and "Hãy ghi lý do ghi nhận điển hình." in empty.get_data(as_text=True)
    done = client.post(f"/exemplars/{cooperative.id}/mark", data={"reason": "Bán sen trên sàn TMĐT."})
    assert done.status_code == 303
    assert done.headers["Location"] == f"/dashboard/cooperatives/{cooperative.id}#exemplar"
    client.post(f"/exemplars/{cooperative.id}/mark", data={"reason": "Lần hai."})  # already a model
    with app.app_context():
        rows = db.session.scalars(select(Exemplar)).all()
        assert [(row.reason, row.marked_by_id, row.ended_at) for row in rows] == \
            [("Bán sen trên sàn TMĐT.", alliance.id, None)]
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.target == f"cooperative:{cooperative.id}")) \
            == "exemplar.mark"
    models = client.get("/exemplars/").get_data(as_text=True)
    assert f'data-model="{cooperative.id}"' in models and "Bán sen trên sàn TMĐT." in models
    assert "Tự nộp qua mạng" in models  # the answers behind its strongest area
    assert client.post(f"/exemplars/{cooperative.id}/unmark", data={"end_reason": ""}).status_code == 422
    assert client.post(f"/exemplars/{cooperative.id}/unmark",
                       data={"end_reason": "Đã giải thể bộ phận bán hàng."}).status_code == 303
    with app.app_context():
        row = db.session.scalar(select(Exemplar))
        assert row.ended_at is not None and row.end_reason == "Đã giải thể bộ phận bán hàng."


def test_the_cooperative_sees_it_is_a_model_and_others_learn_from_it(app, client, auth, make, alliance):
    cooperative = make.cooperative("HTX Sen Tháp Mười")
    reviewed(app, make.assessment(cooperative, answers=TOP), alliance)
    auth.login(alliance.email)
    client.post(f"/exemplars/{cooperative.id}/mark", data={"reason": "Truy xuất nguồn gốc bằng mã QR."})
    auth.logout()
    auth.login(make.user("coop_manager", cooperative=cooperative).email)
    home = client.get("/home").get_data(as_text=True)
    assert "data-exemplar" in home and "Truy xuất nguồn gốc bằng mã QR." in home
    auth.logout()
    neighbour = make.cooperative("HTX Hàng xóm")
    auth.login(make.user("coop_member", cooperative=neighbour).email)
    html = client.get("/exemplars/").get_data(as_text=True)
    assert "HTX Sen Tháp Mười" in html and "data-ranking" not in html  # models, without the rankings
    assert client.post(f"/exemplars/{cooperative.id}/mark", data={"reason": "Tự khen."}).status_code == 403
    auth.logout()
    auth.login(make.user("coop_member", cooperative=make.cooperative("HTX Vĩnh Long",
                                                                       province_code=OTHER_PROVINCE)).email)
    assert "HTX Sen Tháp Mười" not in client.get("/exemplars/").get_data(as_text=True)
    auth.logout()
    auth.login(make.user("alliance", province_code=OTHER_PROVINCE).email)
    assert client.post(f"/exemplars/{cooperative.id}/unmark", data={"end_reason": "Không."}).status_code == 404
