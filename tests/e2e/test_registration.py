"""Registering a cooperative in a real browser: without JavaScript a button brings the chosen
province's communes and wards; with JavaScript the list follows by itself and the button steps aside."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from app.locations import ward_name, wards
from tests.factories import OTHER_PROVINCE

REFRESH = "Cập nhật danh sách xã, phường"
OTHER_WARD = wards(OTHER_PROVINCE)[0][0]


def test_without_javascript_a_button_updates_the_ward_list(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/cooperatives/register")
    page.locator("input[name='name']").fill("Hợp tác xã Dịch vụ Nông nghiệp Mỹ An")
    page.locator("select[name='province_code']").select_option(str(OTHER_PROVINCE))
    expect(page.locator(f"select[name='ward_code'] option[value='{OTHER_WARD}']")).to_have_count(0)

    page.get_by_role("button", name=REFRESH).click()
    page.wait_for_load_state()

    ward = page.locator("select[name='ward_code']")
    expect(ward.locator(f"option[value='{OTHER_WARD}']")).to_have_text(ward_name(OTHER_WARD))
    expect(page.locator("select[name='province_code']")).to_have_value(str(OTHER_PROVINCE))
    expect(page.locator("input[name='name']")).to_have_value("Hợp tác xã Dịch vụ Nông nghiệp Mỹ An")
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator("[aria-invalid='true']")).to_have_count(0)


def test_with_javascript_the_list_follows_the_province_and_the_button_is_hidden(page: Page, console_errors):
    page.goto("/cooperatives/register")
    expect(page.get_by_role("button", name=REFRESH)).to_be_hidden()
    page.locator("select[name='province_code']").select_option(str(OTHER_PROVINCE))
    expect(page.locator(f"select[name='ward_code'] option[value='{OTHER_WARD}']")).to_have_count(1)
    assert console_errors == []
