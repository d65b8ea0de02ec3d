"""A whole placement month in a real browser on a 360 px phone: the graduate writes the monthly report,
loses the network mid-way and loses nothing, submits; the manager returns it; the graduate fixes it
and submits again; the manager confirms; the alliance sees it confirmed and the placement ending
soon; an extension beyond the limit is refused with the arithmetic, a shorter one is approved."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.database import local_today
from app.extensions import db
from app.placements.models import MonthlyReport, Placement, ReportEntry
from app.placements.reporting import month_start
from app.placements.terms import add_months, add_years
from tests.e2e.conftest import MOBILE_VIEWPORT, LiveServer, open_menu, watch_console_errors

TODAY = local_today()
LAST_MONTH = add_months(month_start(TODAY), -1)
STATUS = "#report-save-status"
# While offline: Chromium's failed load, and htmx's report of the failed send.
OFFLINE_ERRORS = re.compile(r"^(Failed to load resource: net::ERR_INTERNET_DISCONNECTED"
                            r"|htmx:(afterRequest|sendError),)")
ACTIVITIES = "Hướng dẫn kế toán đăng ký tài khoản thuế điện tử.\nLập sổ thành viên trên bảng tính."
RESULTS_OFFLINE = "HTX đã có tài khoản thuế điện tử và nộp tờ khai tháng đầu tiên qua mạng."


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= MOBILE_VIEWPORT["width"]


def stored(live_server: LiveServer, placement_id: int) -> tuple[str | None, dict[str, str]]:
    """The placement's report on last month: its status and fields."""
    with live_server.app.app_context():
        report = db.session.scalar(select(MonthlyReport).where(MonthlyReport.placement_id == placement_id))
        if report is None:
            return None, {}
        entries = db.session.scalars(select(ReportEntry).where(ReportEntry.report_id == report.id))
        return report.status, {entry.field: entry.value for entry in entries}


def expect_saved(page: Page, field: str) -> None:
    expect(page.locator(f"[data-report-state-of='{field}']")).to_have_attribute("data-save-state", "saved")
    expect(page.locator(STATUS)).to_have_attribute("data-state", "saved")


def log_out(page: Page) -> None:
    open_menu(page)
    page.locator("form[action$='/auth/logout'] button").click()
    page.wait_for_url(re.compile(r"/$"))


@pytest.fixture
def people(make):
    host = make.cooperative("Hợp tác xã Nông nghiệp Tân Hòa")
    graduate = make.user("graduate", name="Trần Trí Trẻ")
    start = add_months(month_start(TODAY), -12)
    placement = make.placement(host, graduate, starts_on=start, ends_on=TODAY + timedelta(days=30),
                               field_of_study="Kế toán")
    return {"host": host, "graduate": graduate, "placement": placement, "start": start,
            "manager": make.user("coop_manager", cooperative=host, name="Lê Văn Quản"),
            "alliance": make.user("alliance", name="Nguyễn Thị Thu Hà")}


def test_a_placement_month_from_report_to_confirmation_and_extension(
        page: Page, new_context, login, people, live_server):
    placement = people["placement"]
    errors = watch_console_errors(page)
    login(page, people["graduate"])
    # The graduate's home leads with the placement: the term, then last month's report to write.
    expect(page.locator(".progress-term")).to_be_visible()
    page.locator(f"#report-{LAST_MONTH.isoformat()} button[type='submit']").click()
    page.wait_for_url(re.compile(r"/reports/\d+$"))

    page.locator("#rf-activities").fill(ACTIVITIES)
    expect_saved(page, "activities")
    assert fits_the_screen(page)

    page.context.set_offline(True)
    expect(page.locator(STATUS)).to_have_attribute("data-state", "offline")
    page.locator("#rf-results").fill(RESULTS_OFFLINE)
    expect(page.locator("[data-report-state-of='results']")).to_have_attribute("data-save-state", "failed")
    expect(page.locator("#rf-results")).to_have_value(RESULTS_OFFLINE)
    assert stored(live_server, placement.id)[1].get("results") is None
    page.context.set_offline(False)
    expect_saved(page, "results")
    assert stored(live_server, placement.id)[1]["results"] == RESULTS_OFFLINE
    assert errors and all(OFFLINE_ERRORS.search(error) for error in errors), errors

    page.locator("#rf-hours").fill("96")
    expect_saved(page, "hours")
    page.locator("#submit-report").click()
    expect(page.locator("#report-status")).to_have_attribute("data-status", "submitted")
    assert stored(live_server, placement.id) == ("submitted", {"activities": ACTIVITIES,
                                                               "results": RESULTS_OFFLINE, "hours": "96"})
    report_url = page.url

    manager = new_context().new_page()
    login(manager, people["manager"])
    manager.goto(report_url)
    manager.locator("textarea[name='comment']").fill("Ghi rõ số giờ mỗi tuần và việc đã làm cho thành viên.")
    manager.locator("button[value='return']").click()
    expect(manager.locator("#report-status")).to_have_attribute("data-status", "returned")

    page.reload()
    expect(page.locator("#returned-comment")).to_contain_text("Ghi rõ số giờ mỗi tuần")
    page.locator("#rf-results").fill(RESULTS_OFFLINE + "\nMỗi tuần 24 giờ.")
    expect_saved(page, "results")
    page.locator("#submit-report").click()
    expect(page.locator("#report-status")).to_have_attribute("data-status", "submitted")

    manager.reload()
    manager.locator("button[value='confirm']").click()
    expect(manager.locator("#report-status")).to_have_attribute("data-status", "confirmed")
    assert stored(live_server, placement.id)[0] == "confirmed"

    staff = new_context().new_page()
    login(staff, people["alliance"])
    staff.locator("main a[href$='/placements/']").click()
    expect(staff.locator("#ending-soon")).to_contain_text("Trần Trí Trẻ")
    staff.locator("#ending-soon a").first.click()
    expect(staff.locator(f"#report-{LAST_MONTH.isoformat()}")).to_contain_text("HTX đã xác nhận")
    assert fits_the_screen(staff)

    # The graduate asks for more time: past the 3-year limit is refused with the arithmetic.
    limit_end = add_years(people["start"], 3) - timedelta(days=1)
    page.goto(f"/placements/{placement.id}/extension")
    expect(page.locator("#limit-remaining")).to_contain_text("trong hạn mức 3 năm")
    page.locator("input[name='new_ends_on']").fill((limit_end + timedelta(days=10)).isoformat())
    page.locator("textarea[name='reason']").fill("HTX cần người làm hóa đơn điện tử thêm một năm.")
    page.locator("main form button[type='submit']").click()
    expect(page.locator("#new_ends_on-error")).to_contain_text("vượt 10 ngày")
    expect(page.locator("#new_ends_on-error")).to_contain_text("trong hạn mức 3 năm")
    asked = TODAY + timedelta(days=365)
    page.locator("input[name='new_ends_on']").fill(asked.isoformat())
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(rf"/placements/{placement.id}$"))

    staff.goto(f"/placements/{placement.id}")
    staff.locator("#extensions button[value='approve']").click()
    expect(staff.locator("#extensions")).to_contain_text("Đã đồng ý")
    with live_server.app.app_context():
        assert db.session.get(Placement, placement.id).ends_on == asked


def test_a_report_field_typed_after_being_logged_out_elsewhere_is_marked_not_saved(page: Page, login, people,
                                                                                    live_server):
    login(page, people["graduate"])
    page.locator(f"#report-{LAST_MONTH.isoformat()} button[type='submit']").click()
    page.wait_for_url(re.compile(r"/reports/\d+$"))
    elsewhere = page.context.new_page()  # another tab of the same browser logs out
    elsewhere.goto("/home")
    log_out(elsewhere)
    elsewhere.close()

    page.locator("#rf-activities").fill(ACTIVITIES)

    status = page.locator(STATUS)
    expect(page.locator("[data-report-state-of='activities']")).to_have_attribute("data-save-state", "failed")
    expect(page.locator("#rs-activities")).to_have_text(status.get_attribute("data-session-ended") or "-")
    expect(status).to_have_attribute("data-state", "unsaved")
    expect(status).to_have_text(status.get_attribute("data-unsaved") or "-")
    expect(page.locator("#rf-activities")).to_have_value(ACTIVITIES)
    assert stored(live_server, people["placement"].id)[1].get("activities") is None
