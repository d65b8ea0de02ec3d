"""The alliance's picture of its province in Chromium at 360 px: from the dashboard to the cooperatives
behind its weakest area, to one cooperative's answers, a reply to its difficulty and its marking as a
model; then its manager sees the reply and the badge."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import update

from app.assessments.models import Assessment
from app.database import utcnow
from app.difficulties.models import Difficulty
from app.extensions import db
from app.folding import fold
from tests.e2e.conftest import MOBILE_VIEWPORT, watch_console_errors
from tests.factories import PASSWORD, SMALL_ANSWERS

WEAK = "Hợp tác xã Nông nghiệp Tân Hòa"
LOW = {"finance.etax_filing": "paper", "finance.einvoice_use": "no", "security.practices": ["none"],
       "security.trained_people": 0}
TOP = {"finance.etax_filing": "online", "finance.einvoice_use": "yes_provider", "finance.einvoice_provider": "yes",
       "security.practices": ["strong_passwords", "two_step"], "security.trained_people": 5}
REPLY = "Cán bộ Liên minh sẽ đến hướng dẫn kê khai thuế điện tử vào thứ Ba."


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= MOBILE_VIEWPORT["width"]


def test_staff_go_from_the_weakest_area_to_a_cooperative_answer_it_and_mark_it(
        page: Page, browser: Browser, app, make, login, live_server, console_errors):
    alliance = make.user("alliance", name="Nguyễn Thị Thu Hà")
    weak = make.cooperative(WEAK)
    manager = make.user("coop_manager", cooperative=weak, name="Lê Văn Tám")
    weak_round = make.assessment(weak, answers=LOW)
    make.assessment(make.cooperative("Hợp tác xã Nông nghiệp Mỹ Xương"), answers=TOP)
    make.assessment(make.cooperative("Hợp tác xã Dịch vụ Thương mại Sa Đéc", sector="trade"), answers=SMALL_ANSWERS)
    with app.app_context():
        db.session.execute(update(Assessment).where(Assessment.id == weak_round.id).values(
            feedback="Cần bắt đầu từ thuế điện tử.", reviewed_at=utcnow(), reviewed_by_id=alliance.id))
        db.session.add(Difficulty(cooperative_id=weak.id, category="etax", raised_by_id=manager.id,
                                  description="Kế toán chưa biết nộp thuế điện tử.",
                                  search_text=fold("Kế toán chưa biết nộp thuế điện tử."), token="e2e-difficulty",
                                  created_at=utcnow() - timedelta(days=2)))
        db.session.commit()

    login(page, alliance)
    expect(page.locator("h1")).to_contain_text("Liên minh Hợp tác xã tỉnh Đồng Tháp")
    assert fits_the_screen(page)
    page.select_option("#filter-sector", "agriculture")
    page.wait_for_url(re.compile(r"sector=agriculture"))
    weakest = page.locator("[data-weakest]")
    expect(weakest).to_be_visible()
    area = weakest.get_attribute("data-weakest")

    page.locator(f"svg a[data-bar='{area}']").click()
    page.wait_for_url(re.compile(rf"/dashboard/cooperatives\?sector=agriculture&below={area}$"))
    rows = page.locator("tr[data-cooperative]")
    expect(rows).to_have_count(1)
    assert fits_the_screen(page)
    rows.first.get_by_role("link", name=WEAK).click()

    page.wait_for_url(re.compile(rf"/dashboard/cooperatives/{weak.id}$"))
    answers = page.locator("#answers")
    expect(answers).to_contain_text("HTX nộp tờ khai thuế thế nào?")
    expect(answers).to_contain_text("Giấy")
    assert fits_the_screen(page)

    page.locator("#difficulties").get_by_role("link", name="Thuế điện tử").click()
    page.wait_for_url(re.compile(r"/difficulties/\d+$"))
    page.fill("textarea[name='body']", REPLY)
    page.select_option("select[name='status']", "in_progress")
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.locator(".flash")).to_contain_text("Đã lưu trả lời.")
    expect(page.locator("[data-status]")).to_have_text("Đang xử lý")

    page.get_by_role("link", name=WEAK).click()
    page.wait_for_url(re.compile(rf"/dashboard/cooperatives/{weak.id}"))
    page.fill("textarea[name='reason']", "Đi đầu trong huyện về tự đánh giá và nêu rõ khó khăn.")
    page.get_by_role("button", name="Ghi nhận là HTX điển hình").click()
    expect(page.locator("h1 .badge--exemplar")).to_have_text("HTX điển hình")
    assert console_errors == []

    context = browser.new_context(viewport=MOBILE_VIEWPORT, locale="vi-VN", base_url=live_server.url)
    manager_page = context.new_page()
    errors = watch_console_errors(manager_page)
    manager_page.goto("/auth/login")
    manager_page.fill("input[name='login']", manager.email)
    manager_page.fill("input[name='password']", PASSWORD)
    manager_page.locator("form:has(input[name='password']) button[type='submit']").click()
    manager_page.wait_for_url(re.compile(r"/home$"))
    expect(manager_page.locator("[data-exemplar]")).to_contain_text("HTX điển hình")
    expect(manager_page.locator(".difficulty-list")).to_contain_text(REPLY)
    assert fits_the_screen(manager_page)
    assert errors == []
    context.close()
