"""The yearly report in Chromium at 360 px: from the dashboard to the report, its sentences ready to
copy, the Excel sheet downloaded, and the page as it prints on A4 (controls left off)."""

from __future__ import annotations

import io

import openpyxl
from playwright.sync_api import Page, expect

from app.database import local_today
from tests.e2e.conftest import MOBILE_VIEWPORT
from tests.factories import PROVINCE, SMALL_ANSWERS

TOP = {"finance.etax_filing": "online", "finance.einvoice_use": "yes_provider", "finance.einvoice_provider": "yes",
       "security.practices": ["strong_passwords", "two_step"], "security.trained_people": 5}


def test_staff_open_print_and_download_the_yearly_report(page: Page, make, login, console_errors, tmp_path):
    year = local_today().year
    staff = make.user("alliance")
    make.assessment(make.cooperative("Hợp tác xã Nông nghiệp Mỹ Xương"), answers=TOP)
    make.assessment(make.cooperative("Hợp tác xã Dịch vụ Tân Hòa"), answers=SMALL_ANSWERS)
    make.cooperative("Hợp tác xã Rau sạch Mỹ Thọ")

    login(page, staff)
    page.get_by_role("link", name="Báo cáo năm").click()
    page.wait_for_url("**/reports/province")
    expect(page.locator("h1")).to_have_text(f"Báo cáo chuyển đổi số HTX năm {year}")
    expect(page.locator("[data-section=coverage]")).to_contain_text(
        f"2/3 HTX (66,7 %) đã tự đánh giá mức độ chuyển đổi số trong năm {year}.")
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE_VIEWPORT["width"]
    expect(page.get_by_role("button", name="In báo cáo")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("button", name="Tải về bảng Excel (.xlsx)").click()
    assert download.value.suggested_filename == f"htxso-bao-cao-{PROVINCE}-{year}.xlsx"
    saved = tmp_path / "bao-cao.xlsx"
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(io.BytesIO(saved.read_bytes())).worksheets[0]
    assert f"2/3 HTX (66,7 %) đã tự đánh giá mức độ chuyển đổi số trong năm {year}." in [
        row[6] for row in sheet.iter_rows(values_only=True)]

    page.emulate_media(media="print")
    expect(page.locator(".report__choice")).to_be_hidden()
    expect(page.locator(".report__actions")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("[data-section=levels] h2")).to_be_visible()
    page.emulate_media(media="screen")
    assert console_errors == []
