"""Filling the register from a spreadsheet in a real browser: an alliance officer downloads the
template, uploads it with two bad rows, reads what is wrong, fixes the file, imports it and finds the
cooperatives in the register."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from app.cooperatives import tax_code
from app.locations import wards
from tests.factories import PROVINCE

WARD_CODE, WARD_NAME = wards(PROVINCE)[0]
ROWS = [
    {"tax_code": tax_code.with_check_digit("040000001"), "name": "HTX Nông nghiệp Phú Điền", "kind": "htx",
     "sector": "Nông nghiệp", "ward": WARD_NAME, "members": 52, "employees": 7},
    {"tax_code": "0400000011", "name": "HTX Dịch vụ Tân Phước", "kind": "Hợp tác xã (HTX)",
     "sector": "trade", "ward": WARD_NAME, "members": 30, "employees": 3},
    {"tax_code": "", "name": "Tổ hợp tác Rau sạch Mỹ Thọ", "kind": "tht", "sector": "agriculture",
     "ward": "Xã Không Có", "members": 12, "employees": 0},
]


def fill(template: Path, rows: list[dict], target: Path) -> Path:
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    codes = [cell.value for cell in sheet[2]]
    for row in rows:
        sheet.append([row.get(code) for code in codes])
    book.save(target)
    return target


def upload(page: Page, file: Path) -> None:
    page.locator("input[type=file]").set_input_files(str(file))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.wait_for_url("**/spreadsheets/import/*")


def test_an_officer_fixes_two_bad_rows_and_imports_the_register(page: Page, make, login, console_errors,
                                                                 tmp_path: Path):
    staff = make.user("alliance")
    login(page, staff)
    page.goto("/cooperatives/")
    page.get_by_role("link", name="Nhập sổ hợp tác xã từ bảng tính").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp mẫu (.xlsx)").click()
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)

    upload(page, fill(template, ROWS, tmp_path / "lan-1.xlsx"))
    errors = page.locator(".error-summary")
    expect(errors).to_contain_text("Dòng 4 (HTX Dịch vụ Tân Phước): Mã số thuế")
    expect(errors).to_contain_text("Dòng 5 (Tổ hợp tác Rau sạch Mỹ Thọ): Xã/phường")
    expect(page.locator(".summary-counts")).to_contain_text("2 có lỗi")
    expect(page.get_by_role("button", name="Nhập")).to_have_count(0)

    fixed = [ROWS[0], {**ROWS[1], "tax_code": tax_code.with_check_digit("040000002")}, {**ROWS[2], "ward": WARD_CODE}]
    page.get_by_role("link", name="Tải lên tệp đã sửa").click()
    upload(page, fill(template, fixed, tmp_path / "lan-2.xlsx"))
    expect(page.locator(".summary-counts")).to_contain_text("3 sẽ thêm mới")
    page.get_by_role("button", name="Nhập 3 hợp tác xã").click()

    page.wait_for_url("**/cooperatives/")
    expect(page.locator(".flash")).to_contain_text("thêm mới 3 hợp tác xã")
    results = page.locator("#results")
    for row in ROWS:
        expect(results).to_contain_text(row["name"])
    assert console_errors == []
