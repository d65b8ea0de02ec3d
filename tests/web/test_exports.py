"""Spreadsheets for the alliance's reports: what each export holds, whose data, and the audit log."""

import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from app.assessments import versions
from app.audit import AuditEntry
from app.extensions import db
from tests.factories import OTHER_PROVINCE, SMALL_ANSWERS, SMALL_QUESTIONNAIRE
from tests.web.training_steps import log_in, mark_done, take_quiz

pytestmark = pytest.mark.usefixtures("english")


def sheet_rows(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def csv_rows(response):
    assert response.status_code == 200
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def download(client, name, **filters):
    return client.post("/spreadsheets/exports", data={"download": name, **filters})


@pytest.fixture
def province(make):
    """Two cooperatives of the province (one assessed), one of another province, alliance staff."""
    make.questionnaire()
    tan_hoa = make.cooperative("=HYPERLINK(\"http://x\",\"HTX Tân Hòa\")", members=45, charter_capital=1_500_000_000)
    my_xuong = make.cooperative("HTX Mỹ Xương", kind="tht", sector="trade")
    make.assessment(tan_hoa)
    elsewhere = make.cooperative("HTX Vĩnh Long", province_code=OTHER_PROVINCE)
    make.assessment(elsewhere)
    staff = make.user("alliance")
    return {"tan_hoa": tan_hoa, "my_xuong": my_xuong, "elsewhere": elsewhere, "staff": staff}


def test_cooperatives_export_holds_the_province_with_latest_scores(client, auth, province):
    auth.login(province["staff"].email)
    rows = sheet_rows(download(client, "cooperatives.xlsx"))
    labels, codes, data = rows[0], rows[1], rows[2:]
    assert labels[:3] == ["Mã số thuế", "Tên hợp tác xã", "Loại hình tổ chức"]  # Vietnamese whatever the UI language
    assert codes[:3] == ["tax_code", "name", "kind"]
    by_name = {row[codes.index("name")]: dict(zip(codes, row, strict=True)) for row in data}
    assert set(by_name) == {"'=HYPERLINK(\"http://x\",\"HTX Tân Hòa\")", "HTX Mỹ Xương"}
    tan_hoa = by_name["'=HYPERLINK(\"http://x\",\"HTX Tân Hòa\")"]
    assert (tan_hoa["members"], tan_hoa["charter_capital"], tan_hoa["level"]) == (45, 1_500_000_000, 3)
    assert isinstance(tan_hoa["overall"], float) and tan_hoa["assessed_on"] is not None
    assert tan_hoa["score.finance"] is not None
    assert by_name["HTX Mỹ Xương"]["overall"] is None


def test_filters_of_the_dashboard_apply(client, auth, province):
    auth.login(province["staff"].email)
    rows = csv_rows(download(client, "cooperatives.csv", kind="tht"))
    assert [row[1] for row in rows[2:]] == ["HTX Mỹ Xương"]
    assert csv_rows(download(client, "cooperatives.csv", year="2024"))[2][rows[1].index("overall")] == ""


def test_answers_export_has_a_column_per_question_code_across_versions(client, auth, app, make, province):
    with app.app_context():
        data, _questionnaire = versions.read_file(SMALL_QUESTIONNAIRE)
        data["dimensions"][0]["questions"][0]["text"]["vi"] = "HTX khai thuế qua mạng thế nào?"
        versions.store(data, versions.parse(data))
        db.session.commit()
    make.assessment(province["my_xuong"], answers={**SMALL_ANSWERS, "finance.etax_filing": "online"})
    auth.login(province["staff"].email)
    rows = sheet_rows(download(client, "answers.xlsx"))
    labels, codes = rows[0], rows[1]
    assert codes.count("finance.etax_filing") == 1
    # The newest version's wording heads the column; both rounds fill it.
    assert labels[codes.index("finance.etax_filing")] == "HTX khai thuế qua mạng thế nào?"
    answers = {row[codes.index("questionnaire_version")]: row[codes.index("finance.etax_filing")] for row in rows[2:]}
    assert set(answers) == {1, 2}
    assert all(answers.values())
    assert all(row[codes.index("security.practices")] for row in rows[2:])


def test_completions_export_lists_certificates_of_the_province(client, auth, make, province):
    make.modules()
    manager = make.user("coop_manager", cooperative=province["tan_hoa"], name="Lê Văn Tám")
    log_in(client, auth, manager)
    mark_done(client)
    take_quiz(client, right=5)
    auth.logout()
    auth.login(province["staff"].email)
    rows = csv_rows(download(client, "completions.csv"))
    assert [(row[0], row[2]) for row in rows[2:]] == [("Lê Văn Tám", "etax")]


def test_each_export_is_written_to_the_audit_log(client, auth, app, province):
    auth.login(province["staff"].email)
    download(client, "answers.csv", sector="agriculture")
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
        assert (entry.actor_id, entry.province_code) == (province["staff"].id, 82)
        assert (entry.details["export"], entry.details["format"], entry.details["sector"]) == (
            "answers", "csv", "agriculture")


def test_the_administrator_exports_any_province_or_all(client, auth, make, province):
    admin = make.user("admin")
    auth.login(admin.email)
    everything = sheet_rows(download(client, "cooperatives.xlsx"))
    assert len(everything) - 2 == 3
    other = sheet_rows(download(client, "cooperatives.xlsx", province_code=str(OTHER_PROVINCE)))
    assert [row[1] for row in other[2:]] == ["HTX Vĩnh Long"]


@pytest.mark.parametrize("role", ["coop_manager", "coop_member", "graduate"])
def test_cooperative_people_cannot_export(client, auth, make, province, role):
    user = make.user(role, cooperative=province["tan_hoa"])
    auth.login(user.email)
    assert client.get("/spreadsheets/exports").status_code == 403
    assert download(client, "cooperatives.xlsx").status_code == 403


def test_a_bad_choice_is_a_422_with_the_form(client, auth, province):
    auth.login(province["staff"].email)
    for data in ({"download": "users.xlsx"}, {"download": "cooperatives.xlsx", "ward_code": "1"}):
        response = client.post("/spreadsheets/exports", data=data)
        assert response.status_code == 422
        assert "Please correct the following" in response.get_data(as_text=True)


def test_the_exports_page_lists_every_export(client, auth, province):
    auth.login(province["staff"].email)
    page = client.get("/spreadsheets/exports").get_data(as_text=True)
    for name in ("cooperatives", "answers", "completions"):
        assert f'value="{name}.xlsx"' in page and f'value="{name}.csv"' in page


# --- difficulties and placements ---------------------------------------------------------------------

@pytest.fixture
def follow_up(app, make, province):
    """A forwarded difficulty with two replies (one a formula) here, one elsewhere; a placement here
    with two monthly reports, one without any, one elsewhere."""
    from datetime import date, datetime

    from app.difficulties.models import Difficulty, DifficultyReply

    manager = make.user("coop_manager", cooperative=province["tan_hoa"], name="Lê Văn Tám")
    graduate = make.user("graduate", name="Phạm Thị Hoa")
    placement = make.placement(province["tan_hoa"], graduate, starts_on=date(2026, 3, 1), ends_on=date(2027, 2, 28))
    make.report(placement, date(2026, 3, 1), values={"hours": "120", "activities": "Khai thuế"},
                status="confirmed", first_submitted_at=datetime(2026, 4, 2, 3, 0))
    make.report(placement, date(2026, 4, 1), values={"hours": "96"})
    make.placement(province["my_xuong"], starts_on=date(2026, 9, 1), ends_on=date(2027, 8, 31),
                   status="planned", invitee_name="Võ Văn Bình")
    make.placement(province["elsewhere"], make.user("graduate"), starts_on=date(2026, 3, 1),
                   ends_on=date(2027, 2, 28))
    with app.app_context():
        here = Difficulty(cooperative_id=province["tan_hoa"].id, category="etax", question_code="finance.etax_filing",
                          description="Không đăng nhập được cổng thuế", search_text="khong dang nhap",
                          raised_by_id=manager.id, token="here", status="forwarded",
                          forwarded_to="Cục Thuế tỉnh", forwarded_on=date(2026, 5, 4),
                          created_at=datetime(2026, 5, 1, 2, 0))
        there = Difficulty(cooperative_id=province["elsewhere"].id, category="market", description="Khác tỉnh",
                           search_text="khac tinh", token="there")
        db.session.add_all([here, there])
        db.session.flush()
        db.session.add_all([
            DifficultyReply(difficulty_id=here.id, author_id=province["staff"].id, body="Đã nhận,\nđang xử lý.",
                            status="in_progress", token="r1", created_at=datetime(2026, 5, 2, 2, 0)),
            DifficultyReply(difficulty_id=here.id, author_id=manager.id, body="=1+1", token="r2",
                            created_at=datetime(2026, 5, 3, 2, 0)),
        ])
        db.session.commit()
    return {"placement": placement}


def test_difficulties_export_has_category_status_question_dates_and_replies(client, auth, follow_up, province):
    auth.login(province["staff"].email)
    rows = sheet_rows(download(client, "difficulties.xlsx"))
    labels, codes, data = rows[0], rows[1], rows[2:]
    assert labels[codes.index("replies")] == "Trả lời"
    assert len(data) == 1  # the other province's difficulty is not in it
    row = dict(zip(codes, data[0], strict=True))
    assert row["name"] == "'=HYPERLINK(\"http://x\",\"HTX Tân Hòa\")"
    assert (row["category"], row["status"]) == ("Thuế điện tử", "Đã chuyển cơ quan cấp trên")
    assert row["question_code"] == "finance.etax_filing" and row["question"]
    assert (row["forwarded_to"], row["reply_count"]) == ("Cục Thuế tỉnh", 2)
    assert row["raised_on"].date().isoformat() == "2026-05-01"
    assert row["forwarded_on"].date().isoformat() == "2026-05-04"
    assert row["replies"].splitlines() == [
        f"02/05/2026 {province['staff'].name} [Đang xử lý]: Đã nhận, đang xử lý.", "03/05/2026 Lê Văn Tám: =1+1"]


def test_placements_export_has_one_row_per_monthly_report(client, auth, follow_up, province):
    auth.login(province["staff"].email)
    rows = sheet_rows(download(client, "placements.xlsx"))
    codes, data = rows[1], [dict(zip(rows[1], row, strict=True)) for row in rows[2:]]
    assert "report_month" in codes
    assert [(row["graduate"], row["report_month"] and row["report_month"].strftime("%m/%Y"), row["hours"],
             row["report_status"]) for row in data] == [
        ("Phạm Thị Hoa", "03/2026", 120, "HTX đã xác nhận"),
        ("Phạm Thị Hoa", "04/2026", 96, "Bản nháp"),
        ("Võ Văn Bình", None, None, None),
    ]
    assert data[0]["host"] == "'=HYPERLINK(\"http://x\",\"HTX Tân Hòa\")"
    assert data[0]["placement_status"] == "Đang hoạt động"
    assert csv_rows(download(client, "placements.csv", year="2025"))[2:] == []  # no term overlaps 2025
