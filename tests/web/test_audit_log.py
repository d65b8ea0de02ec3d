"""The audit log: every entry kept as written, the province's entries for its staff, all for the
administrator, filtered by action, person and date."""

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from app import audit
from app.audit import AuditEntry
from app.extensions import db
from tests.factories import OTHER_PROVINCE, PROVINCE

pytestmark = pytest.mark.usefixtures("english")


def listed(client, url):
    """The entries part of the page (the filter form lists every action too)."""
    page = client.get(url).get_data(as_text=True)
    return page.split('id="audit-rows"', 1)[1]


@pytest.fixture
def entries(app, make):
    """Actions in two provinces: approving a cooperative here, exporting there, changing a role."""
    here = make.cooperative("HTX Tân Hòa")
    there = make.cooperative("HTX Vĩnh Long", province_code=OTHER_PROVINCE)
    staff = make.user("alliance", name="Nguyễn Văn An")
    other_staff = make.user("alliance", province_code=OTHER_PROVINCE, name="Trần Thị Bích")
    member = make.user("coop_member", cooperative=here, name="Lê Văn Tám")
    with app.app_context():
        audit.record(staff.id, "cooperative.approve", f"cooperative:{here.id}")
        audit.record(other_staff.id, "export", f"province:{OTHER_PROVINCE}", export="cooperatives", format="xlsx")
        audit.record(staff.id, "user.role_change", f"user:{member.id}", role=["coop_member", "coop_manager"])
        audit.record(other_staff.id, "cooperative.edit", f"cooperative:{there.id}", fields=["members"])
        db.session.commit()
    return {"staff": staff, "other_staff": other_staff, "here": here, "member": member}


def test_each_entry_knows_its_province(app, entries):
    with app.app_context():
        provinces = dict(db.session.execute(select(AuditEntry.action, AuditEntry.province_code)).all())
    assert provinces == {"cooperative.approve": PROVINCE, "export": OTHER_PROVINCE,
                         "user.role_change": PROVINCE, "cooperative.edit": OTHER_PROVINCE}


def test_alliance_staff_read_their_provinces_entries_in_words(client, auth, entries):
    auth.login(entries["staff"].email)
    page = listed(client, "/audit/")
    assert "Approved a cooperative" in page and "Changed someone&#39;s role" in page
    assert "HTX Tân Hòa" in page and "Lê Văn Tám" in page and "Nguyễn Văn An" in page
    assert "Downloaded a spreadsheet" not in page and "HTX Vĩnh Long" not in page


def test_the_administrator_reads_every_province_and_filters(client, auth, make, entries):
    auth.login(make.user("admin").email)
    page = listed(client, "/audit/")
    assert "Downloaded a spreadsheet" in page and "Approved a cooperative" in page
    only_there = listed(client, f"/audit/?province_code={OTHER_PROVINCE}")
    assert "Downloaded a spreadsheet" in only_there and "Approved a cooperative" not in only_there
    by_action = listed(client, "/audit/?action=export")
    assert "Downloaded a spreadsheet" in by_action and "Edited a cooperative" not in by_action
    by_person = listed(client, "/audit/?person=Trần")
    assert "Trần Thị Bích" in by_person and "Approved a cooperative" not in by_person
    assert "No entries match." in listed(client, "/audit/?since=2099-01-01")
    assert "Approved a cooperative" in listed(client, "/audit/?until=2099-01-01&since=bad")


def test_the_list_swaps_its_rows_for_htmx(client, auth, entries):
    auth.login(entries["staff"].email)
    response = client.get("/audit/?action=cooperative.approve", headers={"HX-Request": "true", "HX-Target": "audit-rows"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and "Approved a cooperative" in body


@pytest.mark.parametrize("role", ["coop_manager", "coop_member", "graduate"])
def test_cooperative_people_cannot_read_it(client, auth, make, entries, role):
    user = make.user(role, cooperative=entries["here"])
    auth.login(user.email)
    assert client.get("/audit/").status_code == 403


@pytest.mark.parametrize("change", [
    lambda: update(AuditEntry).values(action="nothing"),
    lambda: delete(AuditEntry),
])
def test_the_database_refuses_to_change_or_delete_an_entry(app, entries, change):
    with app.app_context():
        with pytest.raises(DatabaseError):
            db.session.execute(change())
            db.session.flush()
        db.session.rollback()
        assert db.session.scalar(select(text("count(*)")).select_from(AuditEntry)) == 4


def test_placement_entries_belong_to_the_hosts_province_and_read_in_words(app, client, auth, make, entries):
    from datetime import date

    placement = make.placement(entries["here"], make.user("graduate"), starts_on=date(2026, 3, 1),
                               ends_on=date(2027, 2, 28))
    with app.app_context():
        audit.record(entries["staff"].id, "placement.extension_approve", f"placement:{placement.id}",
                     new_ends_on="2027-08-31")
        db.session.commit()
        assert db.session.scalar(select(AuditEntry.province_code)
                                 .where(AuditEntry.action == "placement.extension_approve")) == PROVINCE
    auth.login(entries["staff"].email)
    page = listed(client, "/audit/")
    assert "Approved a placement&#39;s extension" in page and "New end date" in page
    auth.logout()
    auth.login(entries["other_staff"].email)
    assert "Approved a placement" not in listed(client, "/audit/")
