"""Filling the register from a spreadsheet: template, dry run, all-or-nothing import, hostile files,
the export → import round trip, whose register, and the audit log."""

import io
import re
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.cooperatives import tax_code
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.locations import wards
from app.spreadsheets.models import RegisterImport
from tests.factories import OTHER_PROVINCE, PROVINCE

pytestmark = pytest.mark.usefixtures("english")

CODES = ["tax_code", "name", "kind", "sector", "ward", "ward_code", "address", "phone", "founded_year", "members",
         "employees", "charter_capital", "revenue_last_year"]
WARD_CODE, WARD_NAME = wards(PROVINCE)[0]


def code(n: int) -> str:
    """The n-th valid tax code of the tests (a few nine-digit starts have no valid check digit)."""
    return next(found for prefix in ("03", "04", "05") if (found := tax_code.with_check_digit(f"{prefix}{n:07d}")))


def row(**values) -> dict:
    base = {"tax_code": code(1), "name": "HTX Nông nghiệp Bình Thạnh", "kind": "Cooperative (HTX)",
            "sector": "agriculture", "ward": WARD_NAME, "members": 45, "employees": 6}
    base.update(values)
    return base


def xlsx(rows, codes=CODES) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["label"] * len(codes))
    sheet.append(codes)
    for values in rows:
        sheet.append([values.get(column) for column in codes])
    target = io.BytesIO()
    book.save(target)
    return target.getvalue()


def upload(client, data: bytes, filename="so-htx.xlsx", **fields):
    return client.post("/spreadsheets/import", data={"file": (io.BytesIO(data), filename), **fields},
                       content_type="multipart/form-data")


def cooperatives(app, province=PROVINCE):
    with app.app_context():
        return {c.tax_code: c for c in db.session.scalars(
            select(Cooperative).where(Cooperative.province_code == province))}


@pytest.fixture
def staff(make, client, auth):
    user = make.user("alliance")
    auth.login(user.email)
    return user


def test_the_template_has_codes_instructions_and_the_provinces_wards(client, staff):
    response = client.get("/spreadsheets/import/template.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    response.close()
    first, instructions, ward_sheet = book.worksheets
    assert [cell.value for cell in first[2]] == CODES
    assert first["B1"].value == "Tên tổ chức"  # labels in Vietnamese
    assert len(list(instructions.iter_rows())) > 5
    assert [WARD_NAME, WARD_CODE] in [list(r) for r in ward_sheet.iter_rows(values_only=True)]


def test_a_dry_run_lists_each_row_and_changes_nothing_then_the_import_adds_them(app, client, staff):
    response = upload(client, xlsx([row(), row(tax_code=code(2), name="Tổ hợp tác Rau sạch", kind="tht",
                                           ward="", ward_code=WARD_CODE, members="12", employees=0)]))
    assert response.status_code == 303
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 to add" in preview and "HTX Nông nghiệp Bình Thạnh" in preview and "Import 2 cooperatives" in preview
    assert cooperatives(app) == {}
    token = re.search(r'name="csrf_token" value="([^"]*)"', preview)
    imported = client.post(response.headers["Location"], data={"csrf_token": token.group(1) if token else ""})
    assert imported.status_code == 303
    added = cooperatives(app)
    assert set(added) == {code(1), code(2)}
    assert (added[code(1)].status, added[code(1)].members, added[code(2)].kind) == ("active", 45, "tht")
    # Importing the same upload again imports nothing twice.
    assert client.post(response.headers["Location"]).status_code == 303
    assert len(cooperatives(app)) == 2
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "register.import"))
        assert (entry.actor_id, entry.province_code, entry.details["created"]) == (staff.id, PROVINCE, 2)
        assert db.session.scalar(select(RegisterImport.content)) is None  # the file is not kept once imported


def test_two_bad_rows_block_everything_and_say_why(app, client, staff, make):
    make.cooperative("HTX Vĩnh Long", province_code=OTHER_PROVINCE, tax_code=code(9))
    bad = [
        row(),
        row(tax_code="0102595741", name="HTX Mã sai"),  # check digit
        row(tax_code=code(3), name="HTX Xã lạ", ward="Phường Không Có"),
        row(tax_code=code(4), name="HTX Phường ngoài tỉnh", ward="", ward_code=wards(OTHER_PROVINCE)[0][0]),
        row(tax_code=code(1), name="HTX Trùng mã"),  # the same as the first row
        row(tax_code=code(9), name="HTX Tỉnh khác"),  # in another province's register
        row(tax_code=code(5), name="", members="2,5"),
        row(tax_code=code(6), name="=HYPERLINK(\"http://x\")"),
    ]
    response = upload(client, xlsx(bad))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "7 with errors" in page and "Import " not in page
    for expected in ("Row 4 (HTX Mã sai): Tax code:", "Row 5 (HTX Xã lạ): Commune or ward:",
                     "Row 6 (HTX Phường ngoài tỉnh): Commune or ward: This commune or ward is not in Đồng Tháp",
                     "Row 7 (HTX Trùng mã): The same tax code is on row 3",
                     "Row 8 (HTX Tỉnh khác): Tax code " + code(9) + " is already in the register of Vĩnh Long",
                     "Row 9", "counted in whole numbers", "Row 10", "cell B10 holds a formula"):
        assert expected in page, expected
    token = re.search(r'name="csrf_token" value="([^"]*)"', page)
    refused = client.post(response.headers["Location"], data={"csrf_token": token.group(1) if token else ""})
    assert refused.status_code == 422
    assert cooperatives(app) == {}


def test_an_existing_cooperative_is_updated_by_tax_code(app, client, staff, make):
    existing = make.cooperative("HTX Bình Thạnh", tax_code=code(1), members=30)
    response = upload(client, xlsx([row(members=50)]))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 to update" in page and "Number of members" in page
    client.post(response.headers["Location"])
    updated = cooperatives(app)[code(1)]
    assert (updated.id, updated.members, updated.name) == (existing.id, 50, "HTX Nông nghiệp Bình Thạnh")


def test_the_register_exported_imports_back_unchanged(app, client, staff, make):
    make.cooperative("HTX Tân Hòa", tax_code="0102595740", charter_capital=1_500_000_000, phone="0912345678")
    make.cooperative("Tổ hợp tác Rau sạch", kind="tht", tax_code=None, members=9)
    exported = client.post("/spreadsheets/exports", data={"download": "cooperatives.xlsx"})
    before = {c.tax_code: (c.name, c.members, c.charter_capital, c.phone, c.ward_code)
              for c in cooperatives(app).values()}
    response = upload(client, exported.get_data())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # The group without a tax code cannot be matched: it would be added again, so the export says so.
    assert "1 already up to date" in page and "0 with errors" in page
    after = {c.tax_code: (c.name, c.members, c.charter_capital, c.phone, c.ward_code)
             for c in cooperatives(app).values()}
    assert after == before


def zip_bomb() -> bytes:
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 20_000_000)
    return target.getvalue()


HOSTILE = {
    "pdf renamed": (b"%PDF-1.7\n\x00\x01\x02binary", "not a spreadsheet"),
    "old excel": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old Excel file"),
    "zip bomb": (zip_bomb(), "unpacks into far more data"),
    "windows-1258 csv": (b"T\xean,Lo\xe1i h\xecnh\r\nname,kind\r\nH\xf5p t\xe1c x\xe3,htx\r\n", "not in UTF-8"),
    "no codes": (b"Ten,Loai\r\nHTX A,htx\r\n", "column codes were not found"),
    "empty": (b"", "no cooperatives in it"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_or_broken_file_is_refused_with_a_reason_and_changes_nothing(app, client, staff, case):
    data, reason = HOSTILE[case]
    response = upload(client, data, filename="so-htx.xlsx")
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RegisterImport)) == 0
    assert cooperatives(app) == {}


def test_size_and_row_limits_are_settings(app, client, staff):
    app.config.update(IMPORT_MAX_ROWS=2, IMPORT_MAX_BYTES=200_000)
    response = upload(client, xlsx([row(tax_code=code(n), name=f"HTX {n}") for n in range(1, 4)]))
    assert response.status_code == 422 and "more than 2 rows" in response.get_data(as_text=True)
    big = b"name,kind,sector,members,employees\r\n" + b"HTX A,htx,agriculture,1,1\r\n" * 10_000
    response = upload(client, big, filename="so-htx.csv")
    assert response.status_code == 422 and "larger than" in response.get_data(as_text=True)


def test_a_huge_cell_and_formulas_are_row_errors(client, staff):
    response = upload(client, xlsx([row(address="x" * 5_000), row(tax_code=code(2), members="=40+5")]))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "cell G3 is too long" in page and "cell J4 holds a formula" in page


def test_another_provinces_upload_is_404_and_cooperative_people_are_forbidden(client, auth, make, staff):
    response = upload(client, xlsx([row()]))
    location = response.headers["Location"]
    auth.logout()
    other = make.user("alliance", province_code=OTHER_PROVINCE)
    auth.login(other.email)
    assert client.get(location).status_code == 404
    assert client.post(location).status_code == 404
    auth.logout()
    manager = make.user("coop_manager", cooperative=make.cooperative())
    auth.login(manager.email)
    assert client.get("/spreadsheets/import").status_code == 403
    assert upload(client, xlsx([row()])).status_code == 403


def test_the_administrator_chooses_the_province(app, client, auth, make):
    admin = make.user("admin")
    auth.login(admin.email)
    refused = upload(client, xlsx([row()]))
    assert refused.status_code == 422 and "Choose the province" in refused.get_data(as_text=True)
    other_ward = wards(OTHER_PROVINCE)[0]
    response = upload(client, xlsx([row(ward=other_ward[1])]), province_code=str(OTHER_PROVINCE))
    client.post(response.headers["Location"])
    assert set(cooperatives(app, OTHER_PROVINCE)) == {code(1)}


def test_a_row_limit_lowered_in_the_provinces_settings_refuses_a_bigger_file(app, client, staff):
    assert client.post(f"/settings/provinces/{PROVINCE}", data={
        "placement_max_years": "3", "placement_max_new_per_year": "2", "report_due_day": "5",
        "import_max_rows": "2", "import_max_megabytes": "1"}).status_code == 303
    assert "at most 2 rows and 1 MB" in client.get("/spreadsheets/import").get_data(as_text=True)
    response = upload(client, xlsx([row(tax_code=code(n), name=f"HTX {n}") for n in range(1, 4)]))
    assert response.status_code == 422 and "more than 2 rows" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RegisterImport)) == 0
    assert cooperatives(app) == {}
    # Two rows are within the province's limit.
    assert upload(client, xlsx([row(tax_code=code(n), name=f"HTX {n}") for n in range(1, 3)])).status_code == 303


def test_in_vietnamese_the_lowered_limit_is_said_in_vietnamese(app, client, staff):
    client.post(f"/settings/provinces/{PROVINCE}", data={
        "placement_max_years": "3", "placement_max_new_per_year": "2", "report_due_day": "5",
        "import_max_rows": "2"})
    client.set_cookie("lang", "vi")
    response = upload(client, xlsx([row(tax_code=code(n), name=f"HTX {n}") for n in range(1, 4)]))
    assert response.status_code == 422
    assert "Tệp có hơn 2 dòng" in response.get_data(as_text=True)
    assert cooperatives(app) == {}
