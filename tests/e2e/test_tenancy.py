"""Another cooperative's page is not found, in the browser as for the test client."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def test_cooperative_user_gets_404_for_another_cooperatives_page(page: Page, make, login):
    own = make.cooperative("Hợp tác xã Nông nghiệp Tân Hòa")
    other = make.cooperative("Hợp tác xã Thủy sản Bình Minh")
    login(page, make.user("coop_manager", cooperative=own))

    response = page.goto(f"/cooperatives/{other.id}")

    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("main h1")).not_to_be_empty()
    expect(page.locator("main")).not_to_contain_text(other.name)
