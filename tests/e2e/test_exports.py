"""Exports in a real browser at phone size: an officer narrows the cooperative table and downloads
exactly those cooperatives; the exports page, the province's settings (import limits) and the audit
log, where the download is written, pass the accessibility audit."""

from __future__ import annotations

import io

import openpyxl
from playwright.sync_api import Page, expect

from tests.factories import PROVINCE, SMALL_ANSWERS


def test_an_officer_exports_the_cooperatives_the_table_lists(page: Page, make, login, console_errors):
    make.questionnaire()
    make.assessment(make.cooperative("Hợp tác xã Nông nghiệp Tân Hòa"), answers=SMALL_ANSWERS)
    make.cooperative("Hợp tác xã Dịch vụ Thương mại Sa Đéc", sector="trade")
    staff = make.user("alliance")
    login(page, staff)
    page.goto("/dashboard/cooperatives?sector=agriculture")
    expect(page.locator(".coop-table")).to_contain_text("Tân Hòa")
    with page.expect_download() as download:
        page.locator(".export-shown").get_by_role("button", name="Excel (.xlsx)").click()
    with open(download.value.path(), "rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    rows = list(book.active.iter_rows(values_only=True))
    assert [row[1] for row in rows[2:]] == ["Hợp tác xã Nông nghiệp Tân Hòa"]

    page.goto("/spreadsheets/exports")
    expect(page.get_by_role("heading", name="Trí thức trẻ và báo cáo tháng")).to_be_visible()
    page.goto(f"/settings/provinces/{PROVINCE}")
    page.get_by_label("Số dòng tối đa của tệp nhập").fill("2000")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".flash, [role=status], .alert").first).to_be_visible()
    page.goto("/audit/")
    expect(page.locator("#audit-rows")).to_contain_text("Đổi cài đặt của tỉnh")
    expect(page.locator("#audit-rows")).to_contain_text("Bộ lọc của trang tổng quan")
