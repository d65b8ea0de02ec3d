"""``flask seed-demo`` and ``flask create-admin`` through the real command line and database."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.forms import PASSWORD_MESSAGES
from app.auth.models import User
from app.auth.passwords import PasswordProblem
from app.auth.roles import Role
from app.cooperatives import tax_code
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Kind, Status
from app.demo.seed import DEMO_PASSWORD
from app.extensions import db
from app.database import local_today
from app.locations import ward_in_province
from app.placements.host_progress import local_date
from app.placements.models import Extension, Goal, MonthlyReport, Placement
from app.placements.reporting import is_late
from app.placements.terms import Term, TermLimits, check
from app.placements.service import status_on
from tests.factories import OTHER_PROVINCE, PROVINCE

ADMIN_PASSWORD = "ruộng lúa mùa nổi"


def seed(runner):  # noqa: ANN001, ANN201 - FlaskCliRunner, click Result
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def printed_logins(output: str) -> list[tuple[str, str]]:
    """(log-in, password) of each row of the printed table, below its header and rule."""
    rows = [line for line in output.splitlines() if line.startswith("| ")][1:]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    return [(row[2], row[3]) for row in cells]


def snapshot(app) -> dict[str, object]:  # noqa: ANN001
    with app.app_context():
        cooperatives = db.session.execute(
            select(Cooperative.name, Cooperative.tax_code, Cooperative.members, Cooperative.revenue_last_year,
                   Cooperative.status).order_by(Cooperative.name)
        ).all()
        users = db.session.execute(select(User.email, User.phone, User.role, User.active).order_by(User.id)).all()
        placements = db.session.scalar(select(func.count()).select_from(Placement))
        return {"cooperatives": cooperatives, "users": users, "placements": placements}


def spoken(app, text: str, **values: object) -> str:  # noqa: ANN001
    """A message as the commands print it: translated into the default language."""
    with app.app_context(), force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
        return gettext(text, **values)


def rule_message(app, problem: PasswordProblem) -> str:  # noqa: ANN001
    with app.app_context(), force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
        return str(PASSWORD_MESSAGES[problem])


def test_seed_demo_builds_a_province_with_every_kind_and_role(app, runner):
    seed(runner)
    with app.app_context():
        home = db.session.scalars(select(Cooperative).where(Cooperative.province_code == PROVINCE)).all()
        elsewhere = db.session.scalars(select(Cooperative).where(Cooperative.province_code == OTHER_PROVINCE)).all()
        assert len(home) >= 24
        assert 3 <= len(elsewhere) <= 4
        assert {c.kind for c in home} == {kind.value for kind in Kind}
        assert len({c.sector for c in home}) >= 7
        assert [c.status for c in home].count(Status.PENDING) == 2
        assert [c.status for c in home].count(Status.DISSOLVED) == 1
        for cooperative in [*home, *elsewhere]:
            assert ward_in_province(cooperative.ward_code, cooperative.province_code), cooperative.name
            if cooperative.tax_code:
                assert str(tax_code.parse(cooperative.tax_code)) == cooperative.tax_code

        users = db.session.scalars(select(User)).all()
        assert {user.role for user in users} == {role.value for role in Role}
        alliance = {user.province_code for user in users if user.role == Role.ALLIANCE}
        assert alliance == {PROVINCE, OTHER_PROVINCE}

        pending_ids = {c.id for c in home if c.status == Status.PENDING}
        registrants = [user for user in users if user.cooperative_id in pending_ids]
        assert len(registrants) == 2
        assert all(user.role == Role.COOP_MANAGER and not user.active for user in registrants)

        graduate = next(user for user in users if user.role == Role.GRADUATE)
        placement = db.session.scalars(select(Placement).where(Placement.graduate_id == graduate.id)).one()
        manager = db.session.scalar(select(User).where(User.phone == "0912345678"))
        assert manager.role == Role.COOP_MANAGER
        assert placement.cooperative_id == manager.cooperative_id


def test_seed_demo_twice_changes_nothing(app, runner):
    seed(runner)
    first = snapshot(app)
    again = seed(runner)
    assert snapshot(app) == first
    kept = len(first["cooperatives"])
    assert spoken(app, "Cooperatives: %(added)d added, %(kept)d already there.", added=0, kept=kept) in again.output
    assert spoken(app, "Users: %(added)d added, %(kept)d already there.", added=0,
                  kept=len(first["users"])) in again.output


def test_seed_demo_adds_placements_in_every_state_within_the_term_rules(app, runner):
    seed(runner)
    today = local_today()
    with app.app_context():
        placements = db.session.scalars(select(Placement)).all()
        assert {status_on(placement, today) for placement in placements} == {
            "planned", "active", "completed", "ended_early"}
        limits = TermLimits()
        for placement in placements:
            others = [Term(p.starts_on, p.last_day) for p in placements
                      if p.graduate_id == placement.graduate_id and p.id != placement.id]
            assert check(Term(placement.starts_on, placement.last_day), others, limits) == [], placement.id
        assert all(db.session.scalars(select(Goal).where(Goal.placement_id == p.id)).all()
                   for p in placements if p.status != "planned" and p.status != "ended_early")
        reports = db.session.scalars(select(MonthlyReport)).all()
        assert {"confirmed", "returned", "submitted", "draft"} <= {report.status for report in reports}
        assert any(is_late(report.month, 5, local_date(report.first_submitted_at), today)
                   for report in reports if report.first_submitted_at)
        [waiting] = db.session.scalars(select(Extension).where(Extension.status == "pending")).all()
        assert waiting.new_ends_on > waiting.placement.ends_on
    assert spoken(app, "Placements of young graduates added: %(added)d.", added=0) in seed(runner).output


def test_every_printed_active_log_in_logs_in(app, runner, client, auth):
    logins = printed_logins(seed(runner).output)
    with app.app_context():
        inactive = {user.login for user in db.session.scalars(select(User).where(User.active.is_(False)))}
    assert len(logins) >= len(Role) + 2
    assert inactive and inactive <= {login for login, _ in logins}
    for login, password in logins:
        assert password == DEMO_PASSWORD
        response = auth.login(login, password)
        if login in inactive:
            assert response.status_code == 422, login
            continue
        assert response.status_code == 303, login
        assert response.headers["Location"].endswith("/home")
        auth.logout()


def test_seed_demo_refuses_production_unless_allowed(app, runner):
    app.config["ENV_NAME"] = "production"
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0
    assert "--allow-production" in refused.output
    assert snapshot(app)["cooperatives"] == []
    allowed = runner.invoke(args=["seed-demo", "--allow-production"])
    assert allowed.exit_code == 0, allowed.output
    assert len(snapshot(app)["cooperatives"]) >= 24


def test_create_admin_makes_an_administrator_who_logs_in(app, runner, auth):
    result = runner.invoke(args=["create-admin", "--email", "Quantri@HTXso.vn", "--phone", "+84 903 111 222",
                                 "--name", "Trần Thị Quản Trị", "--password", ADMIN_PASSWORD])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert (user.email, user.phone, user.role, user.active) == ("quantri@htxso.vn", "0903111222", "admin", True)
        entry = db.session.scalars(select(AuditEntry)).one()
        assert (entry.action, entry.target, entry.actor_id) == ("user.create", f"user:{user.id}", None)
        assert entry.details == {"role": "admin", "via": "command line"}
    assert auth.login("quantri@htxso.vn", ADMIN_PASSWORD).headers["Location"].endswith("/home")


def test_create_admin_asks_for_the_password_twice(app, runner, auth):
    result = runner.invoke(args=["create-admin", "--email", "qt@htxso.vn", "--name", "Quản trị"],
                           input=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert ADMIN_PASSWORD not in result.output  # hidden input is not echoed
    assert auth.login("qt@htxso.vn", ADMIN_PASSWORD).status_code == 303


def test_create_admin_stops_when_the_repeated_password_differs(app, runner):
    result = runner.invoke(args=["create-admin", "--email", "qt@htxso.vn", "--name", "Quản trị"],
                           input=f"{ADMIN_PASSWORD}\nsomething else entirely\n")
    assert result.exit_code != 0
    assert snapshot(app)["users"] == []


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("password123", PasswordProblem.TOO_COMMON),
        ("ngắn", PasswordProblem.TOO_SHORT),
        ("qt@htxso.vn", PasswordProblem.SAME_AS_LOGIN),
    ],
)
def test_create_admin_refuses_a_password_that_breaks_the_rules(app, runner, password, problem):
    result = runner.invoke(args=["create-admin", "--email", "qt@htxso.vn", "--name", "Quản trị",
                                 "--password", password])
    assert result.exit_code != 0
    assert rule_message(app, problem) in result.output
    assert snapshot(app)["users"] == []


@pytest.mark.parametrize(
    ("options", "text", "values"),
    [
        (["--email", "TAKEN@htxso.vn"], "An account with the email %(email)s already exists.",
         {"email": "taken@htxso.vn"}),
        (["--email", "new@htxso.vn", "--phone", "0912 345 678"],
         "An account with the phone number %(phone)s already exists.", {"phone": "0912345678"}),
    ],
)
def test_create_admin_refuses_a_login_already_in_use(app, runner, make, options, text, values):
    make.user("coop_manager", email="taken@htxso.vn", phone="0912345678")
    result = runner.invoke(args=["create-admin", *options, "--name", "Quản trị", "--password", ADMIN_PASSWORD])
    assert result.exit_code != 0
    assert spoken(app, text, **values) in result.output
    assert [row.role for row in snapshot(app)["users"]] == ["coop_manager"]


@pytest.mark.parametrize(
    "options",
    [
        ["--email", "not-an-email", "--name", "Quản trị"],
        ["--email", "qt@htxso.vn", "--phone", "12345", "--name", "Quản trị"],
        ["--email", "qt@htxso.vn", "--name", "   "],
    ],
)
def test_create_admin_refuses_malformed_details(app, runner, options):
    result = runner.invoke(args=["create-admin", *options, "--password", ADMIN_PASSWORD])
    assert result.exit_code != 0
    assert snapshot(app)["users"] == []


def test_seed_demo_gives_most_cooperatives_submitted_assessments_with_varied_results(app, runner):
    from sqlalchemy import func, select

    from app.assessments.models import Assessment, DimensionScore
    from app.cooperatives.models import Cooperative
    from app.extensions import db

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        active = db.session.scalar(select(func.count()).select_from(Cooperative).where(Cooperative.status == "active"))
        assessed = db.session.scalar(select(func.count(func.distinct(Assessment.cooperative_id)))
                                     .where(Assessment.status == "submitted"))
        two_rounds = db.session.scalar(select(func.count()).select_from(
            select(Assessment.cooperative_id).group_by(Assessment.cooperative_id)
            .having(func.count() >= 2).subquery()))
        levels = set(db.session.scalars(select(Assessment.level)))
        dimensions = db.session.scalar(select(func.count(func.distinct(DimensionScore.dimension_code))))
        total = db.session.scalar(select(func.count()).select_from(Assessment))
    assert assessed >= active // 2
    assert two_rounds >= 3
    assert len(levels) >= 3
    assert dimensions == 7
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == total


def test_seed_demo_adds_training_records_and_certificates_once(app, runner):
    from app.training import progress, store
    from app.training.models import Certificate, LessonProgress, QuizAttempt

    def counts():
        with app.app_context():
            return tuple(db.session.scalar(select(func.count()).select_from(model))
                         for model in (Certificate, LessonProgress, QuizAttempt))

    first = seed(runner)
    assert spoken(app, "Training certificates added: %(added)d.", added=5) in first.output
    with app.app_context():
        by_login = {user.login: user for user in db.session.scalars(select(User))}
        modules = store.current_modules()
        graduate, member, manager = (by_login[login] for login in
                                     ("tritre@htxso.vn", "thanhvien@htxmyxuong.vn", "0912345678"))
        held = db.session.scalars(select(Certificate).where(Certificate.user_id == graduate.id)).all()
        assert sorted(c.module_code for c in held) == ["einvoice", "etax"]
        # The graduate's certificates name the host cooperative, like any certificate issued there.
        assert {c.cooperative_id for c in held} == {manager.cooperative_id}
        assert progress.completed_codes(member.id, modules) == {"cashless"}
        ecommerce = progress.progress_of(member.id, "ecommerce")["ecommerce"]
        assert 0 < ecommerce.done_count(modules["ecommerce"]) < len(modules["ecommerce"].lessons)
        etax = progress.progress_of(manager.id, "etax")["etax"]
        assert etax.passed and not etax.lessons_done and etax.certificate_code is None
        # The graduate failed the e-tax quiz once before passing it.
        attempts = progress.attempts_of(graduate.id, "etax")
        assert [attempt.passed for attempt in attempts] == [True, False]
        provinces = set(db.session.scalars(select(Cooperative.province_code).join(
            Certificate, Certificate.cooperative_id == Cooperative.id)))
        assert provinces == {PROVINCE, OTHER_PROVINCE}
    before = counts()
    again = seed(runner)
    assert spoken(app, "Training certificates added: %(added)d.", added=0) in again.output
    assert counts() == before
