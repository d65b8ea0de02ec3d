"""A cooperative's profile: scoped reading, editing by role, and the alliance's decisions."""

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.auth.models import User
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.locations import province_name, ward_name, wards
from tests.factories import OTHER_PROVINCE, PROVINCE

WARD = wards(PROVINCE)[0][0]
OTHER_WARD = wards(PROVINCE)[1][0]


def profile(cooperative: Cooperative, **overrides: str) -> dict[str, str]:
    """The edit form as a browser would send it back unchanged, with ``overrides``."""
    data = {
        "name": cooperative.name,
        "kind": cooperative.kind,
        "sector": cooperative.sector,
        "tax_code": cooperative.tax_code or "",
        "founded_year": str(cooperative.founded_year or ""),
        "members": str(cooperative.members),
        "employees": str(cooperative.employees),
        "charter_capital": "",
        "revenue_last_year": "",
        "ward_code": str(cooperative.ward_code),
        "address": cooperative.address,
        "office_phone": "",
    }
    data.update(overrides)
    return data


def stored(app, cooperative_id: int) -> Cooperative:
    with app.app_context():
        row = db.session.get(Cooperative, cooperative_id)
        db.session.expunge(row)
        return row


def audit_entries(app) -> list[tuple[str, str, dict]]:
    with app.app_context():
        return [(e.action, e.target, e.details) for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


@pytest.fixture
def cooperative(make):
    return make.cooperative("Hợp tác xã Nông nghiệp Tân Hòa", charter_capital=1_500_000_000,
                            revenue_last_year=2_300_000_000, members=1234, phone="0277385123")


def login_as(make, auth, role, **kwargs):
    user = make.user(role, **kwargs)
    auth.login(user.email)
    return user


# --- reading ---------------------------------------------------------------------------------------

def test_detail_shows_the_facts_in_vietnamese(client, make, auth, cooperative):
    login_as(make, auth, "alliance")
    page = client.get(f"/cooperatives/{cooperative.id}").get_data(as_text=True)
    assert "1.500.000.000\xa0₫" in page
    assert "2.300.000.000\xa0₫" in page
    assert "<dd>1.234</dd>" in page
    assert ward_name(cooperative.ward_code) in page and province_name(PROVINCE) in page
    assert 'class="badge badge--active"' in page
    assert cooperative.tax_code in page


def test_alliance_of_another_province_gets_404(client, make, auth, cooperative):
    login_as(make, auth, "alliance", province_code=OTHER_PROVINCE)
    assert client.get(f"/cooperatives/{cooperative.id}").status_code == 404
    assert client.get(f"/cooperatives/{cooperative.id}/edit").status_code == 404
    assert client.post(f"/cooperatives/{cooperative.id}/dissolve", data={"dissolve-reason": "x"}).status_code == 404
    assert cooperative.name not in client.get("/cooperatives/").get_data(as_text=True)
    assert stored(client.application, cooperative.id).status == "active"


@pytest.mark.parametrize("role", ["coop_manager", "coop_member", "graduate"])
def test_cooperative_people_cannot_open_another_cooperative(client, make, auth, cooperative, role):
    own = make.cooperative("HTX Của Mình")
    login_as(make, auth, role, cooperative=own)
    assert client.get(f"/cooperatives/{own.id}").status_code == 200
    assert client.get(f"/cooperatives/{cooperative.id}").status_code == 404
    assert client.get(f"/cooperatives/{cooperative.id}/edit").status_code == 404


def test_members_see_no_actions(client, make, auth, cooperative):
    login_as(make, auth, "coop_member", cooperative=cooperative)
    page = client.get(f"/cooperatives/{cooperative.id}").get_data(as_text=True)
    assert f"/cooperatives/{cooperative.id}/edit" not in page
    assert "/dissolve" not in page


# --- editing ---------------------------------------------------------------------------------------

def test_manager_edits_own_profile_without_status_controls(client, app, make, auth, cooperative):
    login_as(make, auth, "coop_manager", cooperative=cooperative)
    form = client.get(f"/cooperatives/{cooperative.id}/edit").get_data(as_text=True)
    assert 'name="status"' not in form and "/dissolve" not in form
    assert 'name="province_code"' not in form  # the province is the alliance's boundary
    assert 'value="1.500.000.000"' in form      # amounts shown the way they are typed
    response = client.post(f"/cooperatives/{cooperative.id}/edit",
                           data=profile(cooperative, name="HTX Tân Hòa Xanh", members="1.250",
                                        ward_code=str(OTHER_WARD), status="dissolved",
                                        province_code=str(OTHER_PROVINCE)))
    assert response.status_code == 303
    saved = stored(app, cooperative.id)
    assert (saved.name, saved.search_name, saved.members) == ("HTX Tân Hòa Xanh", "htx tan hoa xanh", 1250)
    assert (saved.province_code, saved.ward_code) == (PROVINCE, OTHER_WARD)
    assert saved.status == "active"
    assert audit_entries(app) == []  # a manager's own edits are not staff actions


@pytest.mark.parametrize("decision", ["approve", "reject", "dissolve"])
def test_manager_cannot_change_status(client, app, make, auth, decision):
    pending = make.cooperative("HTX Chờ Duyệt", status="pending")
    login_as(make, auth, "coop_manager", cooperative=pending)
    response = client.post(f"/cooperatives/{pending.id}/{decision}", data={f"{decision}-reason": "tự duyệt"})
    assert response.status_code == 403
    assert stored(app, pending.id).status == "pending"


@pytest.mark.parametrize("role", ["coop_member", "graduate"])
def test_members_and_graduates_cannot_edit(client, app, make, auth, cooperative, role):
    login_as(make, auth, role, cooperative=cooperative)
    assert client.get(f"/cooperatives/{cooperative.id}/edit").status_code == 403
    response = client.post(f"/cooperatives/{cooperative.id}/edit", data=profile(cooperative, name="Đổi tên"))
    assert response.status_code == 403
    assert stored(app, cooperative.id).name == cooperative.name


def test_edit_errors_come_back_as_typed(client, app, make, auth, cooperative):
    other = make.cooperative("HTX Khác", tax_code="0102595740")
    login_as(make, auth, "alliance")
    client.set_cookie("lang", "en")
    response = client.post(f"/cooperatives/{cooperative.id}/edit",
                           data=profile(cooperative, tax_code="0102595740", charter_capital="12,5"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "already in the register" in page
    assert "without a decimal part" in page
    assert 'value="12,5"' in page
    assert stored(app, cooperative.id).tax_code != other.tax_code
    # Saving its own tax code again is not a duplicate.
    assert client.post(f"/cooperatives/{cooperative.id}/edit", data=profile(cooperative)).status_code == 303


def test_alliance_edit_is_audited(client, app, make, auth, cooperative):
    staff = login_as(make, auth, "alliance")
    client.post(f"/cooperatives/{cooperative.id}/edit", data=profile(cooperative, employees="9"))
    assert stored(app, cooperative.id).employees == 9
    action, target, details = audit_entries(app)[-1]
    assert (action, target) == ("cooperative.edit", f"cooperative:{cooperative.id}")
    assert "employees" in details["fields"] and "name" not in details["fields"]
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.actor_id)) == staff.id


# --- adding ----------------------------------------------------------------------------------------

def new_cooperative(**overrides: str) -> dict[str, str]:
    data = {"name": "HTX Mới Thành Lập", "kind": "htx", "sector": "trade", "tax_code": "0100109106-001",
            "founded_year": "2024", "members": "7", "employees": "0", "ward_code": str(WARD),
            "address": "", "office_phone": ""}
    data.update(overrides)
    return data


def test_alliance_adds_a_cooperative_in_its_own_province(client, app, make, auth):
    login_as(make, auth, "alliance")
    form = client.get("/cooperatives/new").get_data(as_text=True)
    assert 'name="province_code"' not in form
    response = client.post("/cooperatives/new", data=new_cooperative(province_code=str(OTHER_PROVINCE)))
    assert response.status_code == 303
    with app.app_context():
        added = db.session.scalars(select(Cooperative)).one()
        assert (added.province_code, added.status, added.tax_code) == (PROVINCE, "active", "0100109106-001")
        assert response.headers["Location"].endswith(f"/cooperatives/{added.id}")
    assert audit_entries(app)[-1][0] == "cooperative.create"


def test_admin_chooses_the_province(client, app, make, auth):
    login_as(make, auth, "admin")
    other_ward = wards(OTHER_PROVINCE)[0][0]
    assert 'name="province_code"' in client.get("/cooperatives/new").get_data(as_text=True)
    response = client.post("/cooperatives/new", data=new_cooperative(province_code=str(OTHER_PROVINCE),
                                                                   ward_code=str(other_ward)))
    assert response.status_code == 303
    with app.app_context():
        added = db.session.scalars(select(Cooperative)).one()
        assert (added.province_code, added.ward_code) == (OTHER_PROVINCE, other_ward)


def test_alliance_ward_must_be_in_its_province(client, app, make, auth):
    login_as(make, auth, "alliance")
    response = client.post("/cooperatives/new", data=new_cooperative(ward_code=str(wards(OTHER_PROVINCE)[0][0])))
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalars(select(Cooperative)).all() == []


# --- decisions -------------------------------------------------------------------------------------

@pytest.fixture
def registration(make):
    """A self-registered cooperative and the inactive account of the person who registered it."""
    pending = make.cooperative("HTX Đăng Ký Mới", status="pending")
    registrant = make.user("coop_manager", cooperative=pending, active=False)
    return pending, registrant


def test_approve_activates_the_registrant_and_is_audited(client, app, make, auth, registration):
    pending, registrant = registration
    staff = login_as(make, auth, "alliance")
    page = client.get(f"/cooperatives/{pending.id}").get_data(as_text=True)
    assert registrant.email in page  # staff see who registered
    response = client.post(f"/cooperatives/{pending.id}/approve")
    assert response.status_code == 303
    assert stored(app, pending.id).status == "active"
    with app.app_context():
        assert db.session.get(User, registrant.id).active is True
    action, target, details = audit_entries(app)[-1]
    assert (action, target) == ("cooperative.approve", f"cooperative:{pending.id}")
    assert details == {"from_status": "pending", "to_status": "active", "activated_users": [registrant.id]}
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.actor_id)) == staff.id


def test_approving_an_active_cooperative_changes_nothing(client, app, make, auth, cooperative):
    login_as(make, auth, "alliance")
    client.set_cookie("lang", "en")
    response = client.post(f"/cooperatives/{cooperative.id}/approve", follow_redirects=True)
    assert "Only a registration that is waiting for approval or was rejected can be approved" in \
        response.get_data(as_text=True)
    assert stored(app, cooperative.id).status == "active"
    assert audit_entries(app) == []


def test_reject_needs_a_reason(client, app, make, auth, registration):
    pending, registrant = registration
    login_as(make, auth, "alliance")
    client.set_cookie("lang", "en")
    refused = client.post(f"/cooperatives/{pending.id}/reject", data={"reject-reason": "  "})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Write the reason" in page
    assert "<details class=\"decision\" open>" in page
    assert stored(app, pending.id).status == "pending"
    response = client.post(f"/cooperatives/{pending.id}/reject",
                           data={"reject-reason": "Thiếu giấy chứng nhận đăng ký"})
    assert response.status_code == 303
    saved = stored(app, pending.id)
    assert (saved.status, saved.status_reason) == ("rejected", "Thiếu giấy chứng nhận đăng ký")
    with app.app_context():
        assert db.session.get(User, registrant.id).active is False
    action, _target, details = audit_entries(app)[-1]
    assert action == "cooperative.reject" and details["reason"] == "Thiếu giấy chứng nhận đăng ký"
    assert "Thiếu giấy chứng nhận đăng ký" in client.get(f"/cooperatives/{pending.id}").get_data(as_text=True)


def test_dissolve_asks_for_confirmation_and_a_reason(client, app, make, auth, cooperative):
    login_as(make, auth, "admin")
    page = client.get(f"/cooperatives/{cooperative.id}").get_data(as_text=True)
    assert f'action="/cooperatives/{cooperative.id}/dissolve"' in page
    assert "hx-confirm=" in page
    response = client.post(f"/cooperatives/{cooperative.id}/dissolve", data={"dissolve-reason": "Giải thể tự nguyện"})
    assert response.status_code == 303
    assert stored(app, cooperative.id).status == "dissolved"
    assert [a for a, _t, _d in audit_entries(app)] == ["cooperative.dissolve"]
    # A replayed request changes nothing and says why.
    client.set_cookie("lang", "en")
    again = client.post(f"/cooperatives/{cooperative.id}/dissolve", data={"dissolve-reason": "lần nữa"},
                        follow_redirects=True)
    assert "Only an active cooperative can be marked as dissolved" in again.get_data(as_text=True)
    assert stored(app, cooperative.id).status_reason == "Giải thể tự nguyện"
    assert len(audit_entries(app)) == 1


def test_decisions_offered_follow_the_status(client, make, auth, registration):
    pending, _registrant = registration
    login_as(make, auth, "alliance")
    page = client.get(f"/cooperatives/{pending.id}").get_data(as_text=True)
    assert "/approve" in page and "/reject" in page and "/dissolve" not in page


def test_alliance_staff_without_a_province_cannot_add_cooperatives(app, client, auth, make):
    from app.auth.models import User
    from app.extensions import db

    staff = make.user("alliance")
    with app.app_context():
        db.session.get(User, staff.id).province_code = None
        db.session.commit()
    auth.login(staff.email)
    assert client.get("/cooperatives/new").status_code == 403
