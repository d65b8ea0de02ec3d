"""Monthly reports: one per placement and month, each field saved as it is typed in order (an older
save never overwrites a newer one, a cut-off body writes nothing, a replay changes nothing), saved as
a plain form without JavaScript, submitted, returned with a comment, resubmitted and confirmed."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from app.database import local_today
from app.difficulties.models import Difficulty
from app.extensions import db
from app.placements.models import MonthlyReport, ReportEntry, ReportEvent
from app.placements.reporting import month_start
from app.placements.terms import add_months, add_years
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("english")

TODAY = local_today()
THIS_MONTH = month_start(TODAY)
LAST_MONTH = add_months(THIS_MONTH, -1)
HTMX = {"HX-Request": "true"}


@pytest.fixture
def host(make):
    return make.cooperative("HTX Nông nghiệp Tân Hòa")


@pytest.fixture
def graduate(make):
    return make.user("graduate", name="Trần Trí Trẻ")


@pytest.fixture
def manager(make, host):
    return make.user("coop_manager", cooperative=host, name="Lê Văn Quản")


@pytest.fixture
def placement(make, host, graduate):
    start = add_months(THIS_MONTH, -4)
    return make.placement(host, graduate, starts_on=start, ends_on=add_years(start, 2) - timedelta(days=1))


@pytest.fixture
def report(make, placement):
    return make.report(placement, LAST_MONTH)


def stored(app, report_id):
    with app.app_context():
        return {entry.field: (entry.value, entry.revision) for entry in db.session.scalars(
            select(ReportEntry).where(ReportEntry.report_id == report_id))}


def report_row(app, report_id):
    with app.app_context():
        return db.session.get(MonthlyReport, report_id)


def autosave(client, report_id, field, value, revision, headers=None, **kwargs):
    return client.post(f"/reports/{report_id}/fields/{field}", data={field: value, f"rev.{field}": str(revision)},
                       headers=headers or HTMX | {"HX-Target": f"rs-{field}"}, **kwargs)


def test_the_graduate_starts_a_month_once(app, client, auth, graduate, placement):
    auth.login(graduate.email)
    first = client.post(f"/reports/start/{placement.id}", data={"month": LAST_MONTH.isoformat()})
    again = client.post(f"/reports/start/{placement.id}", data={"month": LAST_MONTH.isoformat()})
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    with app.app_context():
        assert len(db.session.scalars(select(MonthlyReport)).all()) == 1
    # A month outside the placement's term is refused.
    before = add_months(placement.starts_on, -1).isoformat()
    assert client.post(f"/reports/start/{placement.id}", data={"month": before}).status_code == 400


def test_an_autosave_answers_its_status_fragment_and_the_next_revision(app, client, auth, graduate, report):
    auth.login(graduate.email)
    response = autosave(client, report.id, "activities", "Hướng dẫn kế toán khai thuế qua mạng.", 1)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Saved" in html
    assert 'id="rv-activities" name="rev.activities" value="2" hx-swap-oob="true"' in html
    assert stored(app, report.id) == {"activities": ("Hướng dẫn kế toán khai thuế qua mạng.", 1)}
    plain = client.post(f"/reports/{report.id}/fields/activities", data={"activities": "x", "rev.activities": "2"})
    assert "<html" in plain.get_data(as_text=True)
    boosted = client.post(f"/reports/{report.id}/fields/activities", data={"activities": "y", "rev.activities": "3"},
                          headers=HTMX | {"HX-Boosted": "true", "HX-Target": "rs-activities"})
    assert "<html" in boosted.get_data(as_text=True)


def test_an_older_save_arriving_late_never_overwrites_a_newer_one(app, client, auth, graduate, report):
    auth.login(graduate.email)
    assert autosave(client, report.id, "activities", "Bản mới nhất, đầy đủ", 5).status_code == 200
    late = autosave(client, report.id, "activities", "Bản cũ", 4)
    assert late.status_code == 409
    assert stored(app, report.id)["activities"] == ("Bản mới nhất, đầy đủ", 5)
    # The same save replayed changes nothing and is acknowledged.
    replay = autosave(client, report.id, "activities", "Bản mới nhất, đầy đủ", 5)
    assert replay.status_code == 200
    assert stored(app, report.id)["activities"] == ("Bản mới nhất, đầy đủ", 5)


def test_a_body_shorter_than_its_content_length_writes_nothing(app, client, auth, graduate, report):
    auth.login(graduate.email)
    body = urlencode({"activities": "Một đoạn dài bị cắt giữa chừng", "rev.activities": "1"}).encode()
    response = client.post(f"/reports/{report.id}/fields/activities", input_stream=io.BytesIO(body[:20]),
                           content_type="application/x-www-form-urlencoded", headers=HTMX,
                           environ_overrides={"CONTENT_LENGTH": str(len(body)), "wsgi.input_terminated": True})
    assert response.status_code == 400
    assert stored(app, report.id) == {}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours", "nhiều", "Enter the hours as a whole number, for example 80."),
        ("hours", "800", "A month has at most 744 hours."),
        ("results", "a\x00b", "invisible control character"),
        ("difficulties", "x" * 4001, "Keep this to 4,000 characters or fewer (it has 4,001)."),
    ],
)
def test_an_invalid_field_is_refused_and_nothing_is_saved(app, client, auth, graduate, report, field, value, message):
    auth.login(graduate.email)
    response = autosave(client, report.id, field, value, 1)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored(app, report.id) == {}


def test_without_javascript_the_page_saves_as_a_form_and_keeps_what_was_typed(app, client, auth, graduate, report):
    auth.login(graduate.email)
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'name="rev.activities" value="1"' in page
    data = {"activities": "Lập sổ thành viên trên Excel", "results": "", "hours": "12 giờ",
            "difficulties": "Mạng yếu", "rev.activities": "1", "rev.results": "1", "rev.hours": "1",
            "rev.difficulties": "1"}
    refused = client.post(f"/reports/{report.id}", data=data)
    assert refused.status_code == 422
    assert 'value="12 giờ"' in refused.get_data(as_text=True)
    # The valid fields are kept even when another is refused.
    assert stored(app, report.id)["activities"] == ("Lập sổ thành viên trên Excel", 1)
    assert client.post(f"/reports/{report.id}", data=dict(data, hours="120")).status_code == 303
    assert stored(app, report.id)["hours"] == ("120", 1)


def test_a_second_window_saving_older_text_is_told_and_keeps_its_text(app, client, auth, graduate, report):
    auth.login(graduate.email)
    assert autosave(client, report.id, "activities", "Viết ở điện thoại", 1).status_code == 200
    # A page opened before that save still offers revision 1.
    response = client.post(f"/reports/{report.id}", data={"activities": "Viết ở máy tính", "rev.activities": "1"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "changed in another window" in page and "Viết ở máy tính" in page
    assert stored(app, report.id)["activities"] == ("Viết ở điện thoại", 1)


def test_submit_return_resubmit_confirm(app, client, auth, graduate, manager, report):
    auth.login(graduate.email)
    incomplete = client.post(f"/reports/{report.id}/submit", data={"activities": "", "rev.activities": "1"})
    assert incomplete.status_code == 422
    assert "Fill in “What you did this month”." in incomplete.get_data(as_text=True)
    assert report_row(app, report.id).status == "draft"
    done = {"activities": "Đăng ký tài khoản thuế điện tử", "hours": "96", "rev.activities": "2", "rev.hours": "2"}
    assert client.post(f"/reports/{report.id}/submit", data=done).status_code == 303
    submitted = report_row(app, report.id)
    assert submitted.status == "submitted" and submitted.first_submitted_at is not None
    # Submitted is out of the graduate's hands until it comes back.
    assert autosave(client, report.id, "activities", "Sửa sau khi gửi", 9).status_code == 409
    assert client.post(f"/reports/{report.id}/review", data={"decision": "confirm"}).status_code == 403
    auth.logout()

    auth.login(manager.email)
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Đăng ký tài khoản thuế điện tử" in page and "Confirm the report" in page
    no_comment = client.post(f"/reports/{report.id}/review", data={"decision": "return", "comment": ""})
    assert no_comment.status_code == 422
    assert client.post(f"/reports/{report.id}/review",
                       data={"decision": "return", "comment": "Ghi rõ số giờ mỗi tuần."}).status_code == 303
    assert report_row(app, report.id).status == "returned"
    auth.logout()

    auth.login(graduate.email)
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Ghi rõ số giờ mỗi tuần." in page
    assert autosave(client, report.id, "results", "Mỗi tuần 24 giờ.", 3).status_code == 200
    assert client.post(f"/reports/{report.id}/submit", data={}).status_code == 303
    auth.logout()

    auth.login(manager.email)
    assert client.post(f"/reports/{report.id}/review", data={"decision": "confirm"}).status_code == 303
    assert client.post(f"/reports/{report.id}/review", data={"decision": "confirm"}).status_code == 303
    with app.app_context():
        actions = [event.action for event in db.session.scalars(select(ReportEvent).order_by(ReportEvent.id))]
    assert actions == ["submitted", "returned", "submitted", "confirmed"]
    assert report_row(app, report.id).first_submitted_at == submitted.first_submitted_at


def test_alliance_staff_read_reports_and_others_do_not(client, auth, make, host, report):
    auth.login(make.user("alliance").email)
    page = client.get(f"/reports/{report.id}")
    assert page.status_code == 200 and "Confirm the report" not in page.get_data(as_text=True)
    assert client.post(f"/reports/{report.id}/fields/activities", data={"activities": "x",
                                                                         "rev.activities": "1"}).status_code == 403
    auth.logout()
    auth.login(make.user("coop_manager", cooperative=make.cooperative("HTX Khác")).email)
    assert client.get(f"/reports/{report.id}").status_code == 404
    auth.logout()
    auth.login(make.user("alliance", province_code=86).email)
    assert client.get(f"/reports/{report.id}").status_code == 404


def test_a_report_submitted_after_its_due_day_is_late(app, client, auth, make, graduate, placement):
    months_ago = add_months(THIS_MONTH, -3)
    on_time = make.report(placement, months_ago, values={"activities": "x", "hours": "1"}, status="confirmed",
                          first_submitted_at=None)
    with app.app_context():
        row = db.session.get(MonthlyReport, on_time.id)
        row.first_submitted_at = add_months(months_ago, 1).replace(day=2)
        db.session.commit()
    auth.login(graduate.email)
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    # Months before last month with no report are past due: late. The confirmed one on time is not.
    overdue = page.split(f'id="report-{add_months(THIS_MONTH, -2).isoformat()}"')[1].split("</li>")[0]
    assert "Late" in overdue
    confirmed = page.split(f'id="report-{months_ago.isoformat()}"')[1].split("</li>")[0]
    assert "Confirmed by the host" in confirmed and "Late" not in confirmed


@pytest.mark.csrf
def test_an_autosave_needs_the_pages_csrf_header(app, client, graduate, report):
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    client.post("/auth/login", data={"login": graduate.email, "password": PASSWORD, "csrf_token": token})
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    body_headers = json.loads(html.unescape(re.search(r'<body [^>]*hx-headers="([^"]+)"', page).group(1)))
    assert autosave(client, report.id, "activities", "Không có mã", 1).status_code == 400
    accepted = autosave(client, report.id, "activities", "Có mã", 1,
                        headers=HTMX | {"HX-Target": "rs-activities", "X-CSRFToken": body_headers["X-CSRFToken"]})
    assert accepted.status_code == 200
    assert stored(app, report.id) == {"activities": ("Có mã", 1)}


def test_the_host_manager_raises_a_sent_reports_difficulties_in_one_step(app, client, auth, make, host, manager,
                                                                         graduate, placement):
    report = make.report(placement, LAST_MONTH, values={"difficulties": "Mạng yếu, cần hỗ trợ"}, status="submitted")
    auth.login(manager.email)
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    link = f'href="/difficulties/new?report={report.id}"'
    assert link in page and "Raise these difficulties to the alliance" in page
    form = client.get(f"/difficulties/new?report={report.id}").get_data(as_text=True)
    assert f'data-from-report="{report.id}"' in form and graduate.name in form
    assert re.search(r"<textarea[^>]*>\s*Mạng yếu, cần hỗ trợ</textarea>", form)
    sent = client.post("/difficulties/new", data={"csrf_token": csrf_token_from(form), "token": re.search(
        r'name="token" type="hidden" value="([^"]+)"', form).group(1), "category": "infrastructure",
        "description": "Mạng yếu, cần hỗ trợ"})
    assert sent.status_code == 303
    with app.app_context():
        raised = db.session.scalars(select(Difficulty)).one()
        assert (raised.cooperative_id, raised.category, raised.description) == (host.id, "infrastructure",
                                                                                "Mạng yếu, cần hỗ trợ")


def test_only_the_host_manager_of_a_sent_report_is_offered_the_step(app, client, auth, make, host, manager,
                                                                   graduate, placement):
    draft = make.report(placement, LAST_MONTH, values={"difficulties": "Chưa gửi"})
    silent = make.report(placement, add_months(LAST_MONTH, -1), values={"activities": "Tập huấn"},
                         status="submitted")
    sent = make.report(placement, add_months(LAST_MONTH, -2), values={"difficulties": "Thiếu vốn"},
                       status="submitted")
    auth.login(graduate.email)  # the graduate writes difficulties; raising them is the board's step
    assert "/difficulties/new?report=" not in client.get(f"/reports/{sent.id}").get_data(as_text=True)
    auth.logout()
    auth.login(manager.email)
    for report in (draft, silent):
        assert "/difficulties/new?report=" not in client.get(f"/reports/{report.id}").get_data(as_text=True)
    # Another cooperative's manager naming the report gets an empty form, not its text.
    other = make.user("coop_manager", cooperative=make.cooperative("HTX Dịch vụ Bình An"))
    auth.logout()
    auth.login(other.email)
    form = client.get(f"/difficulties/new?report={sent.id}").get_data(as_text=True)
    assert "Thiếu vốn" not in form and "data-from-report" not in form