"""Placements: who sees which, the alliance's list and its two monthly lists, creating (with an account
or an invitation link), editing, ending early, completing, extensions, and the province's limits."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import inspect, select

from app.audit import AuditEntry
from app.auth.models import User
from app.database import local_today
from app.extensions import db
from app.placements.models import Extension, Placement
from app.placements.reporting import month_start
from app.placements.terms import add_months, add_years
from app.province_settings.models import ProvinceSettings
from tests.conftest import csrf_token_from
from tests.factories import OTHER_PROVINCE
from tests.web.test_invitations import accept_data, invite, link_from
from tests.web.test_recommendations import statements_for

pytestmark = pytest.mark.usefixtures("english")

TODAY = local_today()


def rows(app, model, *conditions):
    with app.app_context():
        return db.session.scalars(select(model).where(*conditions).order_by(*inspect(model).primary_key)).all()


def audit_actions(app):
    return [entry.action for entry in rows(app, AuditEntry)]


def iso(day: date) -> str:
    return day.isoformat()


@pytest.fixture
def host(make):
    return make.cooperative("HTX Nông nghiệp Tân Hòa")


@pytest.fixture
def staff(make, auth):
    user = make.user("alliance", name="Cán Bộ Liên Minh")
    auth.login(user.email)
    return user


@pytest.fixture
def graduate(make):
    return make.user("graduate", name="Trần Trí Trẻ")


def term(months_before: int, years: int = 1) -> tuple[date, date]:
    """A term that began ``months_before`` months ago and lasts ``years`` years."""
    start = add_months(month_start(TODAY), -months_before)
    return start, add_years(start, years) - timedelta(days=1)


def new_placement(client, cooperative, **fields):
    start, end = term(0)
    data = {"cooperative_id": str(cooperative.id), "graduate_login": "", "invitee_name": "",
            "field_of_study": "Kế toán", "starts_on": iso(start), "ends_on": iso(end), "funding_note": ""}
    data.update(fields)
    return client.post("/placements/new", data=data)


# --- who sees which placement ---------------------------------------------------------------------


@pytest.fixture
def world(make, graduate, host):
    """Two placements in one province (two hosts, two graduates) and one in another province."""
    other_host = make.cooperative("HTX Hai")
    other_graduate = make.user("graduate", name="Lê Người Khác")
    far_host = make.cooperative("HTX Vĩnh Long", province_code=OTHER_PROVINCE)
    start, end = term(3)
    return {
        "own": make.placement(host, graduate, starts_on=start, ends_on=end),
        "colleague": make.placement(other_host, other_graduate, starts_on=start, ends_on=end),
        "far": make.placement(far_host, make.user("graduate"), starts_on=start, ends_on=end),
        "host": host, "other_host": other_host,
    }


def test_a_graduate_sees_only_their_own_placements(client, auth, graduate, world):
    auth.login(graduate.email)
    assert client.get(f"/placements/{world['own'].id}").status_code == 200
    for other in ("colleague", "far"):
        placement_id = world[other].id
        assert client.get(f"/placements/{placement_id}").status_code == 404
        assert client.get(f"/placements/{placement_id}/plan").status_code == 404
    page = client.get("/placements/").get_data(as_text=True)
    assert "Trần Trí Trẻ" in page and "Lê Người Khác" not in page


def test_a_manager_sees_only_their_cooperatives_placements(client, auth, make, world):
    auth.login(make.user("coop_manager", cooperative=world["host"]).email)
    assert client.get(f"/placements/{world['own'].id}").status_code == 200
    assert client.get(f"/placements/{world['colleague'].id}").status_code == 404
    assert client.get(f"/placements/{world['far'].id}").status_code == 404
    assert client.get("/placements/new").status_code == 403


def test_a_member_sees_no_placement(client, auth, make, world):
    auth.login(make.user("coop_member", cooperative=world["host"]).email)
    assert client.get(f"/placements/{world['own'].id}").status_code == 404
    assert client.get("/placements/").status_code == 403


def test_alliance_staff_see_only_their_province(client, staff, world):
    for mine in ("own", "colleague"):
        assert client.get(f"/placements/{world[mine].id}").status_code == 200
    assert client.get(f"/placements/{world['far'].id}").status_code == 404
    assert client.post(f"/placements/{world['far'].id}/complete").status_code == 404
    page = client.get("/placements/").get_data(as_text=True)
    assert "2 placements found" in page


def test_the_administrator_sees_every_province(client, auth, make, world):
    auth.login(make.user("admin").email)
    assert client.get(f"/placements/{world['far'].id}").status_code == 200
    assert "3 placements found" in client.get("/placements/").get_data(as_text=True)


# --- the list ---------------------------------------------------------------------------------------


def test_the_list_filters_by_status_cooperative_ward_and_field(client, staff, make, host, graduate):
    start, end = term(2)
    make.placement(host, graduate, starts_on=start, ends_on=end, field_of_study="Công nghệ thông tin")
    second = make.cooperative("HTX Cá Hồng Ngự", ward_code=host.ward_code + 0)
    make.placement(second, make.user("graduate", name="Phạm Kế Toán"), starts_on=start, ends_on=end,
                   field_of_study="Kế toán")
    make.placement(second, make.user("graduate", name="Võ Đã Xong"), starts_on=add_years(start, -2),
                   ends_on=add_years(start, -1), status="completed", ended_on=add_years(start, -1))

    def found(**args):
        return re.findall(r"<strong>([^<]+)</strong></a>", client.get("/placements/", query_string=args)
                          .get_data(as_text=True).split('id="placement-results"')[1])

    assert sorted(found()) == ["Phạm Kế Toán", "Trần Trí Trẻ", "Võ Đã Xong"]
    assert found(status="completed") == ["Võ Đã Xong"]
    assert sorted(found(status="active")) == ["Phạm Kế Toán", "Trần Trí Trẻ"]
    assert sorted(found(cooperative=str(second.id))) == ["Phạm Kế Toán", "Võ Đã Xong"]
    assert found(field="công nghệ") == ["Trần Trí Trẻ"]
    assert sorted(found(ward=str(host.ward_code))) == ["Phạm Kế Toán", "Trần Trí Trẻ", "Võ Đã Xong"]
    assert found(status="nonsense", cooperative="x") == found()  # an odd URL is ignored, not an error


def test_the_list_answers_whole_pages_and_its_fragment_to_htmx(client, staff, make, host, graduate):
    start, end = term(2)
    make.placement(host, graduate, starts_on=start, ends_on=end)
    plain = client.get("/placements/")
    assert "<html" in plain.get_data(as_text=True) and "HX-Request" in plain.headers["Vary"]
    fragment = client.get("/placements/?status=active",
                          headers={"HX-Request": "true", "HX-Target": "placement-results"})
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Trần Trí Trẻ" in fragment.get_data(as_text=True)
    boosted = client.get("/placements/", headers={"HX-Request": "true", "HX-Boosted": "true",
                                                  "HX-Target": "placement-results"})
    assert "<html" in boosted.get_data(as_text=True)


def test_the_two_monthly_lists(client, staff, make, host):
    last_month = add_months(month_start(TODAY), -1)
    soon = make.placement(host, make.user("graduate", name="Sắp Hết Hạn"), starts_on=add_years(TODAY, -1),
                          ends_on=TODAY + timedelta(days=45))
    later = make.placement(make.cooperative("HTX Ba"), make.user("graduate", name="Còn Lâu"),
                           starts_on=add_months(TODAY, -3), ends_on=add_years(TODAY, 1))
    make.placement(make.cooperative("HTX Bốn"), make.user("graduate", name="Mới Bắt Đầu"),
                   starts_on=month_start(TODAY), ends_on=add_years(TODAY, 1))
    make.report(later, last_month, values={"activities": "Đăng ký thuế điện tử", "hours": "80"},
                status="submitted", first_submitted_at=None)
    make.report(soon, last_month, values={"activities": "Nháp"}, status="draft")
    page = client.get("/placements/").get_data(as_text=True)
    ending = page.split('id="ending-soon"')[1].split("</ul>")[0]
    missing = page.split('id="missing-report"')[1].split("</ul>")[0]
    assert "Sắp Hết Hạn" in ending and "Còn Lâu" not in ending
    # A draft is not a report yet; a placement that began this month owes none for last month.
    assert "Sắp Hết Hạn" in missing and "Còn Lâu" not in missing and "Mới Bắt Đầu" not in missing


# --- creating ---------------------------------------------------------------------------------------


def test_staff_place_a_graduate_who_has_an_account(app, client, staff, host, graduate):
    response = new_placement(client, host, graduate_login=graduate.email.upper())
    assert response.status_code == 303
    [placement] = rows(app, Placement)
    start, end = term(0)
    assert (placement.graduate_id, placement.cooperative_id, placement.starts_on, placement.ends_on) == (
        graduate.id, host.id, start, end)
    assert placement.status == ("active" if start <= TODAY else "planned")
    assert audit_actions(app) == ["placement.create"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Trần Trí Trẻ" in page and host.name in page


def test_a_graduate_without_an_account_is_invited_and_finds_the_placement(app, client, auth, staff, host):
    response = new_placement(client, host, invitee_name="Ngô Mới Ra Trường", field_of_study="Nông học")
    assert response.status_code == 200
    link = re.search(r'id="invitation-link" value="([^"]+)"', response.get_data(as_text=True)).group(1)
    [placement] = rows(app, Placement)
    assert placement.graduate_id is None and placement.invitation_id is not None
    assert audit_actions(app) == ["invitation.create", "placement.create"]

    auth.logout()
    path = urlsplit(link).path
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    accepted = client.post(path, data={"csrf_token": token, "name": "Ngô Mới Ra Trường", "email": "",
                                       "phone": "0987 654 321", "password": "một ngày đẹp trời ở quê",
                                       "confirm": "một ngày đẹp trời ở quê"})
    assert accepted.status_code == 303
    [placement] = rows(app, Placement)
    assert placement.graduate_id is not None and placement.field_of_study == "Nông học"
    assert client.get(f"/placements/{placement.id}").status_code == 200


def test_a_graduate_invited_when_the_host_has_no_place_left_gets_an_account_but_no_placement(
        app, client, auth, make, host):
    start = month_start(TODAY)
    for _ in range(2):  # the year's two places are taken
        make.placement(host, make.user("graduate"), starts_on=start, ends_on=add_years(start, 1))
    auth.login(make.user("coop_manager", cooperative=host).email)
    path = urlsplit(link_from(invite(client, host, role="graduate", name="Ngô Mới"))).path
    auth.logout()
    response = client.post(path, data=accept_data(name="Ngô Mới", email="ngo.moi@example.vn"))
    assert response.status_code == 303
    with app.app_context():
        graduate = db.session.scalar(select(User).where(User.email == "ngo.moi@example.vn"))
    assert rows(app, Placement, Placement.graduate_id == graduate.id) == []
    assert "You have no current placement. Contact the alliance." in client.get("/home").get_data(as_text=True)


def test_the_graduate_is_named_once_and_must_have_a_graduates_account(client, staff, make, host):
    assert "or their name to invite them." in new_placement(client, host).get_data(as_text=True)
    manager = make.user("coop_manager", cooperative=host)
    refused = new_placement(client, host, graduate_login=manager.email)
    assert refused.status_code == 422
    assert "account logs in with this. Leave it empty" in refused.get_data(as_text=True)


def test_another_provinces_cooperative_cannot_be_chosen(client, staff, make):
    far = make.cooperative("HTX Xa", province_code=OTHER_PROVINCE)
    response = new_placement(client, far, invitee_name="Ai Đó")
    assert response.status_code == 422
    assert "Choose one of the cooperatives in the list." in response.get_data(as_text=True)


def test_a_term_beyond_the_limit_is_refused_with_the_arithmetic(app, client, staff, host, graduate):
    start = month_start(TODAY)
    response = new_placement(client, host, graduate_login=graduate.email, starts_on=iso(start),
                             ends_on=iso(add_years(start, 3) + timedelta(days=9)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Limit of 3 years per person: 36 months remain of the 3-year limit" in page
    assert "goes 10 days beyond it" in page
    assert 'value="Kế toán"' in page  # the form as typed
    assert rows(app, Placement) == []


def test_a_third_placement_in_one_year_at_one_cooperative_is_refused(app, client, staff, make, host):
    start, end = term(0)
    make.placement(host, make.user("graduate"), starts_on=start, ends_on=end)
    assert new_placement(client, host, invitee_name="Người Thứ Hai").status_code == 200
    response = new_placement(client, host, invitee_name="Người Thứ Ba")
    assert response.status_code == 422
    assert (f"Limit of 2 new placements per cooperative per year: this cooperative already has 2 placements "
            f"starting in {start.year}.") in response.get_data(as_text=True)
    assert len(rows(app, Placement)) == 2


def test_overlapping_placements_of_one_person_are_refused(client, staff, make, host, graduate):
    start, end = term(2)
    make.placement(make.cooperative("HTX Cũ"), graduate, starts_on=start, ends_on=end)
    response = new_placement(client, host, graduate_login=graduate.email)
    assert response.status_code == 422
    assert "This person already has a placement from" in response.get_data(as_text=True)


# --- editing, ending, completing -------------------------------------------------------------------


@pytest.fixture
def running(make, host, graduate):
    start, end = term(6)
    return make.placement(host, graduate, starts_on=start, ends_on=end)


def test_staff_edit_a_placement_within_the_rules(app, client, staff, running):
    form = client.get(f"/placements/{running.id}/edit").get_data(as_text=True)
    assert f'value="{iso(running.starts_on)}"' in form
    data = {"field_of_study": "Tin học", "starts_on": iso(running.starts_on), "ends_on": iso(running.ends_on),
            "funding_note": "Tỉnh trả 1,5 lần lương tối thiểu vùng."}
    assert client.post(f"/placements/{running.id}/edit", data=data).status_code == 303
    too_long = dict(data, ends_on=iso(add_years(running.starts_on, 4)))
    assert client.post(f"/placements/{running.id}/edit", data=too_long).status_code == 422
    [placement] = rows(app, Placement)
    assert (placement.field_of_study, placement.ends_on) == ("Tin học", running.ends_on)
    assert audit_actions(app) == ["placement.update"]


def test_ending_early_keeps_the_reason_and_the_last_day(app, client, staff, running):
    refused = client.post(f"/placements/{running.id}/end", data={"last_day": iso(TODAY), "reason": ""})
    assert refused.status_code == 422
    response = client.post(f"/placements/{running.id}/end",
                           data={"last_day": iso(TODAY), "reason": "Được tuyển vào cơ quan nhà nước."})
    assert response.status_code == 303
    [placement] = rows(app, Placement)
    assert (placement.status, placement.ended_on, placement.end_reason) == (
        "ended_early", TODAY, "Được tuyển vào cơ quan nhà nước.")
    assert "Được tuyển vào cơ quan nhà nước." in client.get(f"/placements/{running.id}").get_data(as_text=True)
    # Closed is history: it is no longer edited.
    assert client.post(f"/placements/{running.id}/end", data={"reason": "x"}).status_code == 409
    assert audit_actions(app) == ["placement.end_early"]


def test_completing_a_placement_ends_it_today_at_the_latest(app, client, staff, running):
    assert client.post(f"/placements/{running.id}/complete").status_code == 303
    assert client.post(f"/placements/{running.id}/complete").status_code == 303  # a second click: nothing more
    [placement] = rows(app, Placement)
    assert (placement.status, placement.ended_on) == ("completed", min(TODAY, running.ends_on))
    assert audit_actions(app) == ["placement.complete"]


def test_only_staff_manage_placements(client, auth, graduate, running):
    auth.login(graduate.email)
    assert client.get(f"/placements/{running.id}/edit").status_code == 403
    assert client.post(f"/placements/{running.id}/complete").status_code == 403
    assert client.post(f"/placements/{running.id}/end", data={"reason": "x"}).status_code == 403


# --- extensions ------------------------------------------------------------------------------------


@pytest.fixture
def two_years(make, host, graduate):
    """A placement of two years that began a year ago: one year of the limit remains after it."""
    start = add_years(month_start(TODAY), -1)
    return make.placement(host, graduate, starts_on=start, ends_on=add_years(start, 2) - timedelta(days=1))


def test_the_graduate_asks_for_an_extension_and_sees_what_remains(app, client, auth, graduate, two_years):
    auth.login(graduate.email)
    form = client.get(f"/placements/{two_years.id}/extension").get_data(as_text=True)
    limit_end = add_years(two_years.starts_on, 3) - timedelta(days=1)
    assert "12 months remain of the 3-year limit" in form
    too_far = limit_end + timedelta(days=1)
    refused = client.post(f"/placements/{two_years.id}/extension",
                          data={"new_ends_on": iso(too_far), "reason": "HTX cần thêm người làm sổ sách."})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "12 months remain of the 3-year limit" in page and "goes 1 day beyond it" in page
    assert rows(app, Extension) == []

    accepted = client.post(f"/placements/{two_years.id}/extension",
                           data={"new_ends_on": iso(limit_end), "reason": "HTX cần thêm người làm sổ sách."})
    assert accepted.status_code == 303
    [extension] = rows(app, Extension)
    assert (extension.status, extension.new_ends_on, extension.previous_ends_on) == (
        "pending", limit_end, two_years.ends_on)
    # One request waits at a time.
    again = client.post(f"/placements/{two_years.id}/extension",
                        data={"new_ends_on": iso(limit_end), "reason": "Lần nữa"})
    assert again.status_code == 303 and len(rows(app, Extension)) == 1


def test_staff_approve_an_extension_and_the_end_moves(app, client, auth, make, graduate, two_years):
    auth.login(graduate.email)
    new_end = two_years.ends_on + timedelta(days=90)
    client.post(f"/placements/{two_years.id}/extension", data={"new_ends_on": iso(new_end), "reason": "Cần thêm"})
    [extension] = rows(app, Extension)
    assert client.post(f"/placements/extensions/{extension.id}/decision", data={"decision": "approve"}).status_code == 403
    auth.logout()
    auth.login(make.user("alliance").email)
    response = client.post(f"/placements/extensions/{extension.id}/decision",
                           data={"decision": "approve", "comment": "Đồng ý."})
    assert response.status_code == 303
    [placement] = rows(app, Placement)
    [extension] = rows(app, Extension)
    assert placement.ends_on == new_end
    assert (extension.status, extension.previous_ends_on, extension.comment) == ("approved", two_years.ends_on,
                                                                                "Đồng ý.")
    page = client.get(f"/placements/{two_years.id}").get_data(as_text=True)
    assert "Earlier requests" in page and "Đồng ý." in page
    assert audit_actions(app) == ["placement.extension_request", "placement.extension_approve"]


def test_an_extension_that_no_longer_fits_is_refused_on_approval(app, client, auth, make, host, graduate,
                                                                  two_years):
    auth.login(graduate.email)
    limit_end = add_years(two_years.starts_on, 3) - timedelta(days=1)
    client.post(f"/placements/{two_years.id}/extension", data={"new_ends_on": iso(limit_end), "reason": "Cần"})
    auth.logout()
    staff = make.user("alliance")
    auth.login(staff.email)
    # Meanwhile the province lowered its limit to 2 years.
    assert client.post(f"/settings/provinces/{host.province_code}", data={
        "placement_max_years": "2", "placement_max_new_per_year": "2", "report_due_day": "5"}).status_code == 303
    [extension] = rows(app, Extension)
    response = client.post(f"/placements/extensions/{extension.id}/decision", data={"decision": "approve"})
    assert response.status_code == 422
    assert "Limit of 2 years per person" in response.get_data(as_text=True)
    assert rows(app, Placement)[0].ends_on == two_years.ends_on
    rejected = client.post(f"/placements/extensions/{extension.id}/decision",
                           data={"decision": "reject", "comment": "Hết hạn mức."})
    assert rejected.status_code == 303
    assert rows(app, Extension)[0].status == "rejected"


# --- the province's settings ------------------------------------------------------------------------


def test_staff_set_their_provinces_limits_and_they_apply(app, client, staff, make, host):
    page = client.get("/settings/").headers["Location"]
    assert page.endswith(f"/settings/provinces/{host.province_code}")
    assert client.get(f"/settings/provinces/{OTHER_PROVINCE}").status_code == 404
    bad = client.post(f"/settings/provinces/{host.province_code}",
                      data={"placement_max_years": "0", "placement_max_new_per_year": "abc", "report_due_day": "31"})
    assert bad.status_code == 422
    assert 'value="abc"' in bad.get_data(as_text=True)
    assert rows(app, ProvinceSettings) == []
    assert client.post(f"/settings/provinces/{host.province_code}", data={
        "placement_max_years": "3", "placement_max_new_per_year": "1", "report_due_day": "10"}).status_code == 303
    [settings] = rows(app, ProvinceSettings)
    assert (settings.placement_max_new_per_year, settings.report_due_day) == (1, 10)
    assert audit_actions(app) == ["province_settings.update"]
    start, end = term(0)
    make.placement(host, make.user("graduate"), starts_on=start, ends_on=end)
    refused = new_placement(client, host, invitee_name="Người Thứ Hai")
    assert refused.status_code == 422
    assert "Limit of 1 new placements per cooperative per year" in refused.get_data(as_text=True)


def test_only_staff_open_the_settings(client, auth, make, host):
    auth.login(make.user("coop_manager", cooperative=host).email)
    assert client.get(f"/settings/provinces/{host.province_code}").status_code == 403


def test_the_list_runs_the_same_number_of_queries_however_many_placements(app, client, staff, make):
    make.questionnaire()
    start, end = term(2)

    def place(name):
        host = make.cooperative(f"HTX {name}")
        make.assessment(host)
        placement = make.placement(host, make.user("graduate", name=name), starts_on=start,
                                   ends_on=TODAY + timedelta(days=20))
        make.report(placement, add_months(month_start(TODAY), -1), values={"activities": "x"}, status="draft")

    place("Một")
    client.get("/placements/")
    one = statements_for(app, client, "/placements/")
    for name in ("Hai", "Ba", "Bốn"):
        place(name)
    page = client.get("/placements/").get_data(as_text=True)
    assert "4 placements found" in page and page.count("Host's score") == 12
    assert statements_for(app, client, "/placements/") == one
