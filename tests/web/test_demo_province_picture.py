"""``flask seed-demo`` gives the demo province a picture: reviewed rounds, difficulties in several states
with replies, and one model cooperative; seeding again adds nothing."""

from sqlalchemy import func, select

from app.assessments.models import Assessment
from app.difficulties.models import Difficulty, DifficultyReply
from app.exemplars.models import Exemplar
from app.extensions import db
from tests.web.test_commands import seed, spoken


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Difficulty, DifficultyReply, Exemplar))


def test_seed_demo_tells_the_provinces_story_once(app, runner, client, auth):
    first = seed(runner)
    assert spoken(app, "Difficulties added: %(added)d.", added=6) in first.output
    with app.app_context():
        states = set(db.session.scalars(select(Difficulty.status)))
        model = db.session.scalar(select(Exemplar))
        reviewed = db.session.scalar(select(func.count()).select_from(Assessment)
                                     .where(Assessment.reviewed_at.is_not(None)))
    assert states == {"new", "in_progress", "forwarded", "resolved"}
    assert model is not None and model.ended_at is None and reviewed >= 5
    before = counts(app)
    again = seed(runner)
    assert spoken(app, "Difficulties added: %(added)d.", added=0) in again.output
    assert counts(app) == before
    auth.login("canbo@lienminhhtx-dongthap.vn", "htxso-demo-2026")
    home = client.get("/home").get_data(as_text=True)
    assert "Liên minh Hợp tác xã tỉnh Đồng Tháp" in home
    assert "Hợp tác xã Sen Tháp Mười" in client.get("/exemplars/").get_data(as_text=True)
    auth.logout()
    auth.login("quanly@htxsenthapmuoi.vn", "htxso-demo-2026")
    home = client.get("/home").get_data(as_text=True)
    assert "data-exemplar" in home and "Quỹ hỗ trợ phát triển hợp tác xã tỉnh Đồng Tháp" in home
