"""User administration: the list, creating and editing accounts, deactivation and password links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.models import PasswordReset, User
from app.database import local_today
from app.extensions import db
from app.placements.models import Placement
from tests.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("english")

NEW_PASSWORD = "trời trong xanh mát"


@pytest.fixture
def admin(make, auth):
    user = make.user("admin", name="Quản Trị Viên")
    auth.login(user.email)
    return user


@pytest.fixture
def cooperative(make):
    return make.cooperative("Hợp tác xã Dịch vụ Mỹ An")


def rows(app, model, *conditions):
    with app.app_context():
        return db.session.scalars(select(model).where(*conditions).order_by(model.id)).all()


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def audit_actions(app):
    return [(e.action, e.target) for e in rows(app, AuditEntry)]


def link_path(response, field_id="password-link") -> str:
    match = re.search(rf'id="{field_id}" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "no link on the page"
    return urlsplit(match.group(1)).path


def new_user(client, **overrides):
    data = {"name": "Phạm Thị Hoa", "email": "hoa@example.vn", "phone": "", "role": "coop_member",
            "cooperative": "", "province_code": ""}
    data.update(overrides)
    return client.post("/admin/users/new", data=data)


# Access

@pytest.mark.parametrize("role", ["alliance", "coop_manager", "coop_member", "graduate"])
def test_only_administrators_get_in(app, client, auth, make, cooperative, role):
    someone = make.user(role, cooperative=cooperative if role != "alliance" else None)
    auth.login(someone.email)
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/users/new").status_code == 403
    assert new_user(client, cooperative=cooperative.tax_code).status_code == 403
    assert client.get(f"/admin/users/{someone.id}").status_code == 403
    assert client.post(f"/admin/users/{someone.id}/reset-link").status_code == 403
    assert client.post(f"/admin/users/{someone.id}/deactivate").status_code == 403
    assert rows(app, User, User.id == someone.id)[0].active
    assert count(app, PasswordReset) == 0


def test_visitors_are_sent_to_log_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


# The list

@pytest.fixture
def people(make, cooperative):
    return {
        "manager": make.user("coop_manager", cooperative=cooperative, name="Võ Văn Bình", email="binh@htx.vn"),
        "member": make.user("coop_member", cooperative=cooperative, name="Lý Thị Cúc", phone="0912345678"),
        "graduate": make.user("graduate", cooperative=cooperative, name="Đỗ Minh Đức"),
        "alliance": make.user("alliance", name="Hồ Thị Én"),
        "gone": make.user("coop_member", cooperative=cooperative, name="Mai Văn Gone", active=False),
    }


def names_in(response):
    return set(re.findall(r'/admin/users/\d+">([^<]+)</a>', response.get_data(as_text=True)))


def test_the_list_shows_role_and_place(client, admin, people, cooperative):
    response = client.get("/admin/users")
    assert response.status_code == 200
    assert names_in(response) == {"Quản Trị Viên", "Võ Văn Bình", "Lý Thị Cúc", "Đỗ Minh Đức", "Hồ Thị Én",
                                  "Mai Văn Gone"}
    page = response.get_data(as_text=True)
    assert "Cooperative manager" in page and "Young graduate" in page and "Alliance staff" in page
    assert page.count(cooperative.name) == 4  # manager, member, the graduate's placement, the deactivated member
    assert "Đồng Tháp" in page  # the alliance staff's province
    assert "Deactivated" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "Bình"}, {"Võ Văn Bình"}),
        ({"q": "binh@HTX"}, {"Võ Văn Bình"}),
        ({"q": "0912 345"}, {"Lý Thị Cúc"}),
        ({"q": "+84912345678"}, {"Lý Thị Cúc"}),
        ({"q": "100%"}, set()),
        ({"role": "graduate"}, {"Đỗ Minh Đức"}),
        ({"role": "coop_member", "state": "inactive"}, {"Mai Văn Gone"}),
        ({"role": "coop_member", "state": "active"}, {"Lý Thị Cúc"}),
        ({"role": "not-a-role"}, {"Quản Trị Viên", "Võ Văn Bình", "Lý Thị Cúc", "Đỗ Minh Đức", "Hồ Thị Én",
                                  "Mai Văn Gone"}),
    ],
)
def test_search_and_filters(client, admin, people, query, expected):
    response = client.get("/admin/users", query_string=query)
    assert response.status_code == 200
    assert names_in(response) == expected
    assert 'aria-invalid="true"' not in response.get_data(as_text=True)  # an odd URL is not an error


def test_the_filters_show_what_was_chosen(client, admin, people):
    page = client.get("/admin/users?role=graduate&q=%C4%90%E1%BB%A9c").get_data(as_text=True)
    assert '<option selected value="graduate">' in page
    assert 'value="Đức"' in page


def test_the_list_paginates_and_keeps_the_filters(app, client, admin, people):
    app.config["PER_PAGE"] = 2
    first = client.get("/admin/users", query_string={"state": "active"})
    text = first.get_data(as_text=True)
    assert len(names_in(first)) == 2
    assert "Page 1 of 3" in text
    assert 'href="/admin/users?state=active&amp;page=2"' in text
    last = client.get("/admin/users", query_string={"state": "active", "page": 3})
    assert len(names_in(last)) == 1
    seen = names_in(first) | names_in(client.get("/admin/users?state=active&page=2")) | names_in(last)
    assert "Mai Văn Gone" not in seen and len(seen) == 5


def test_the_list_three_ways(client, admin, people):
    whole = client.get("/admin/users?q=Bình")
    assert "<html" in whole.get_data(as_text=True)
    assert "HX-Request" in whole.headers["Vary"]

    fragment = client.get("/admin/users?q=Bình", headers={"HX-Request": "true", "HX-Target": "user-results"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and 'id="user-results"' in body
    assert names_in(fragment) == {"Võ Văn Bình"}

    boosted = client.get("/admin/users?q=Bình",
                         headers={"HX-Request": "true", "HX-Boosted": "true", "HX-Target": "user-results"})
    assert "<html" in boosted.get_data(as_text=True)


# Creating accounts

def test_create_a_manager_and_hand_over_a_password_link(app, client, admin, cooperative):
    response = new_user(client, role="coop_manager", cooperative=cooperative.tax_code)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-copy-target="password-link"' in page and "sms:" in page

    [user] = rows(app, User, User.email == "hoa@example.vn")
    assert (user.role, user.cooperative_id, user.province_code, user.active) == ("coop_manager", cooperative.id,
                                                                                  None, True)
    assert audit_actions(app) == [("user.create", f"user:{user.id}"), ("user.reset_link", f"user:{user.id}")]

    path = link_path(response)
    client.post("/auth/logout")
    client.set_cookie("lang", "en")
    assert client.get(path).status_code == 200
    assert client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 303
    login = client.post("/auth/login", data={"login": "hoa@example.vn", "password": NEW_PASSWORD})
    assert login.status_code == 303
    assert cooperative.name in client.get("/home").get_data(as_text=True)


def test_a_cooperative_may_be_named_by_its_register_number(app, client, admin, cooperative):
    assert new_user(client, cooperative=str(cooperative.id)).status_code == 200
    assert rows(app, User, User.email == "hoa@example.vn")[0].cooperative_id == cooperative.id


def test_create_a_graduate_places_them(app, client, admin, cooperative):
    assert new_user(client, role="graduate", cooperative=cooperative.tax_code).status_code == 200
    [user] = rows(app, User, User.email == "hoa@example.vn")
    assert user.cooperative_id is None
    [placement] = rows(app, Placement, Placement.graduate_id == user.id)
    assert (placement.cooperative_id, placement.starts_on) == (cooperative.id, local_today())


def test_create_alliance_staff_for_a_province(app, client, admin, cooperative):
    response = new_user(client, role="alliance", province_code="86", cooperative=cooperative.tax_code)
    assert response.status_code == 200
    [user] = rows(app, User, User.email == "hoa@example.vn")
    assert (user.role, user.province_code, user.cooperative_id) == ("alliance", 86, None)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cooperative": ""}, "Give the cooperative for this role."),
        ({"cooperative": "0123456788"}, "This tax code is not valid"),
        ({"cooperative": "12-34"}, "Enter the 10-digit tax code"),
        ({"cooperative": "0100109106"}, "No cooperative in the register has this tax code or number."),
        ({"cooperative": "99999"}, "No cooperative in the register has this tax code or number."),
        ({"role": "alliance"}, "Choose the province this person oversees."),
        ({"email": "", "phone": ""}, "Give an email address or a phone number"),
        ({"role": "superuser"}, "Not a valid choice"),
    ],
)
def test_invalid_new_accounts_are_refused(app, client, admin, cooperative, overrides, message):
    before = count(app, User)
    response = new_user(client, **{"cooperative": cooperative.tax_code, **overrides})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text
    assert 'value="Phạm Thị Hoa"' in text  # typed values stay
    assert count(app, User) == before
    assert count(app, AuditEntry) == 0


def test_a_login_already_in_use_is_refused(app, client, admin, make, cooperative):
    make.user("coop_member", cooperative=cooperative, phone="0987654321")
    before = count(app, User)
    response = new_user(client, phone="0987 654 321", cooperative=cooperative.tax_code)
    assert response.status_code == 422
    assert "Another account already uses this phone number." in response.get_data(as_text=True)
    assert count(app, User) == before


# Deactivating and reactivating

def test_deactivation_ends_sessions_and_blocks_log_in(app, client, admin, make, cooperative):
    member = make.user("coop_member", cooperative=cooperative)
    their_client = app.test_client()
    their_client.post("/auth/login", data={"login": member.email, "password": PASSWORD})
    assert their_client.get("/home").status_code == 200

    response = client.post(f"/admin/users/{member.id}/deactivate")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/admin/users/{member.id}")

    redirected = their_client.get("/home")
    assert redirected.status_code == 302 and "/auth/login" in redirected.headers["Location"]
    assert their_client.post("/auth/login", data={"login": member.email, "password": PASSWORD}).status_code == 422
    assert rows(app, User, User.id == member.id)[0].active is False
    assert client.post(f"/admin/users/{member.id}/deactivate").status_code == 303  # again: no change
    assert audit_actions(app) == [("user.deactivate", f"user:{member.id}")]


def test_an_administrator_cannot_deactivate_themself(app, client, admin):
    assert f"/admin/users/{admin.id}/deactivate" not in client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert client.post(f"/admin/users/{admin.id}/deactivate").status_code == 403
    assert rows(app, User, User.id == admin.id)[0].active
    assert client.get("/admin/users").status_code == 200


def test_reactivation_lets_them_log_in_again(app, client, admin, make, cooperative):
    member = make.user("coop_member", cooperative=cooperative, active=False)
    page = client.get(f"/admin/users/{member.id}").get_data(as_text=True)
    assert f"/admin/users/{member.id}/reactivate" in page
    assert client.post(f"/admin/users/{member.id}/reactivate").status_code == 303
    assert rows(app, User, User.id == member.id)[0].active is True
    other = app.test_client()
    assert other.post("/auth/login", data={"login": member.email, "password": PASSWORD}).status_code == 303
    assert audit_actions(app) == [("user.reactivate", f"user:{member.id}")]


def test_unknown_users_answer_404(client, admin):
    assert client.get("/admin/users/9999").status_code == 404
    assert client.post("/admin/users/9999/deactivate").status_code == 404
    assert client.post("/admin/users/9999/reset-link").status_code == 404


# Password links

def test_a_reset_link_works_once_and_replaces_the_old_password(app, client, admin, make, cooperative):
    member = make.user("coop_member", cooperative=cooperative)
    response = client.post(f"/admin/users/{member.id}/reset-link")
    assert response.status_code == 200
    path = link_path(response)
    assert audit_actions(app) == [("user.reset_link", f"user:{member.id}")]

    theirs = app.test_client()
    theirs.set_cookie("lang", "en")
    assert theirs.get(path).status_code == 200
    assert theirs.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 303
    assert theirs.get(path).status_code == 410
    assert theirs.post(path, data={"password": "another sentence here", "confirm": "another sentence here"}
                       ).status_code == 410
    assert theirs.post("/auth/login", data={"login": member.email, "password": PASSWORD}).status_code == 422
    assert theirs.post("/auth/login", data={"login": member.email, "password": NEW_PASSWORD}).status_code == 303


def test_a_new_reset_link_cancels_the_previous_one(client, admin, make, cooperative):
    member = make.user("coop_member", cooperative=cooperative)
    first = link_path(client.post(f"/admin/users/{member.id}/reset-link"))
    second = link_path(client.post(f"/admin/users/{member.id}/reset-link"))
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_no_reset_link_for_a_deactivated_account(app, client, admin, make, cooperative):
    member = make.user("coop_member", cooperative=cooperative, active=False)
    response = client.post(f"/admin/users/{member.id}/reset-link")
    assert response.status_code == 303
    assert count(app, PasswordReset) == 0


# Editing

def test_a_role_change_is_saved_and_audited(app, client, admin, make, cooperative):
    member = make.user("coop_member", cooperative=cooperative, name="Lý Thị Cúc")
    page = client.get(f"/admin/users/{member.id}").get_data(as_text=True)
    assert f'value="{cooperative.tax_code}"' in page
    response = client.post(f"/admin/users/{member.id}", data={"name": "Lý Thị Cúc", "role": "coop_manager",
                                                             "cooperative": cooperative.tax_code})
    assert response.status_code == 303
    user = rows(app, User, User.id == member.id)[0]
    assert (user.role, user.cooperative_id) == ("coop_manager", cooperative.id)
    [entry] = rows(app, AuditEntry)
    assert (entry.action, entry.target, entry.actor_id) == ("user.role_change", f"user:{member.id}", admin.id)
    assert entry.details["role"] == ["coop_member", "coop_manager"]


def test_moving_someone_to_another_cooperative(app, client, admin, make, cooperative):
    member = make.user("coop_member", cooperative=cooperative)
    other = make.cooperative("HTX Nơi Mới")
    response = client.post(f"/admin/users/{member.id}", data={"name": "Tên Mới", "role": "coop_member",
                                                             "cooperative": other.tax_code})
    assert response.status_code == 303
    user = rows(app, User, User.id == member.id)[0]
    assert (user.name, user.cooperative_id) == ("Tên Mới", other.id)
    assert [(e.action, e.details["cooperative_id"]) for e in rows(app, AuditEntry)] == [
        ("user.reassign", [cooperative.id, other.id])]


def test_renaming_alone_writes_no_audit_entry(app, client, admin, make, cooperative):
    member = make.user("coop_member", cooperative=cooperative)
    client.post(f"/admin/users/{member.id}", data={"name": "Tên Khác", "role": "coop_member",
                                                  "cooperative": cooperative.tax_code})
    assert rows(app, User, User.id == member.id)[0].name == "Tên Khác"
    assert count(app, AuditEntry) == 0


def test_an_administrator_cannot_change_their_own_role(app, client, admin):
    response = client.post(f"/admin/users/{admin.id}", data={"name": admin.name, "role": "coop_member",
                                                            "cooperative": ""})
    assert response.status_code == 422
    assert "You cannot change your own role" in response.get_data(as_text=True)
    assert rows(app, User, User.id == admin.id)[0].role == "admin"


def test_editing_an_unknown_cooperative_is_refused(app, client, admin, make, cooperative):
    member = make.user("coop_member", cooperative=cooperative)
    response = client.post(f"/admin/users/{member.id}", data={"name": "X", "role": "coop_member",
                                                             "cooperative": "0100109106"})
    assert response.status_code == 422
    assert rows(app, User, User.id == member.id)[0].cooperative_id == cooperative.id


def test_giving_a_graduate_another_cooperative_moves_the_placement(app, client, admin, make, cooperative):
    graduate = make.user("graduate", cooperative=cooperative)
    page = client.get(f"/admin/users/{graduate.id}").get_data(as_text=True)
    assert f'value="{cooperative.tax_code}"' in page  # the current placement
    unchanged = {"name": graduate.name, "role": "graduate", "cooperative": cooperative.tax_code}
    assert client.post(f"/admin/users/{graduate.id}", data=unchanged).status_code == 303
    assert len(rows(app, Placement, Placement.graduate_id == graduate.id)) == 1
    assert count(app, AuditEntry) == 0

    other = make.cooperative("HTX Nơi Thực Tập Mới")
    moved = dict(unchanged, cooperative=other.tax_code)
    assert client.post(f"/admin/users/{graduate.id}", data=moved).status_code == 303
    placements = rows(app, Placement, Placement.graduate_id == graduate.id)
    assert [p.cooperative_id for p in placements] == [cooperative.id, other.id]
    assert placements[1].starts_on == local_today()
    assert rows(app, User, User.id == graduate.id)[0].cooperative_id is None
    [entry] = rows(app, AuditEntry)
    assert entry.action == "user.reassign"
    assert entry.details == {"placement_ended": [cooperative.id], "placed_in": other.id}


def test_moving_a_graduate_ends_the_old_placement(app, client, auth, make):
    from app.tenancy import active_placements

    first, second = make.cooperative("HTX Một"), make.cooperative("HTX Hai")
    graduate = make.user("graduate", cooperative=first)
    auth.login(make.user("admin").email)
    response = client.post(f"/admin/users/{graduate.id}", data={
        "name": graduate.name, "role": "graduate", "cooperative": second.tax_code, "province_code": ""})
    assert response.status_code == 303
    with app.app_context():
        assert active_placements(graduate.id) == {second.id}
    auth.logout()
    auth.login(graduate.email)
    assert client.get(f"/cooperatives/{first.id}").status_code == 404
    assert client.get(f"/cooperatives/{second.id}").status_code == 200
