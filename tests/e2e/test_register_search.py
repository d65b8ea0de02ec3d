"""Searching the register in a real browser, with JavaScript (htmx swaps the results and keeps
the state in the URL) and without it (the form's submit button reloads the page)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from app.folding import fold
from tests.e2e.conftest import MOBILE_VIEWPORT, LiveServer, open_menu, watch_console_errors
from tests.factories import OTHER_PROVINCE, PROVINCE

SEN = "Hợp tác xã Sen Tháp Mười"
MY_AN_FUND = "Quỹ tín dụng nhân dân Mỹ An"
MY_AN_SERVICES = "Hợp tác xã Dịch vụ Mỹ An"
# Matches both searches below ("hop tac xa sen", "my an"), but lies in another province.
ELSEWHERE = "Hợp tác xã Sen Mỹ An"
OTHER_COOPERATIVES = [
    f"Hợp tác xã Nông nghiệp {place}" for place in (
        "Tân Hòa", "Bình Thạnh", "Phong Hòa", "Tân Thuận", "Long Khánh", "Hòa An", "Tịnh Thới",
        "Mỹ Hiệp", "Phú Thành", "An Bình", "Thường Phước", "Tân Dương", "Định Yên", "Hội An Đông",
        "Mỹ Xương", "Bình Hàng Trung", "Tân Khánh Đông", "Gáo Giồng", "Tràm Chim", "Phú Hựu", "Long Hậu",
        "Tân Mỹ",
    )
]
SEARCH_FORM = "form[role='search']"
RESULT_NAMES = "#results ul.list > li > a > strong"
REGISTER_LINK = "header a[href$='/cooperatives/']"
NEXT_PAGE = "#results nav.pagination a[rel='next']"
MARKER = "window.registerSearchMarker"


@pytest.fixture
def register(make) -> list[str]:
    """25 cooperatives of the alliance's province (their names) and one of another province."""
    make.cooperative(SEN)
    make.cooperative(MY_AN_FUND, kind="qtdnd", sector="credit")
    make.cooperative(MY_AN_SERVICES, sector="trade")
    for name in OTHER_COOPERATIVES:
        make.cooperative(name)
    make.cooperative(ELSEWHERE, province_code=OTHER_PROVINCE)
    return [SEN, MY_AN_FUND, MY_AN_SERVICES, *OTHER_COOPERATIVES]


def result_names(page: Page) -> Locator:
    return page.locator(RESULT_NAMES)


def query_of(page: Page) -> dict[str, list[str]]:
    """The current URL's query string, blank values dropped."""
    return parse_qs(urlsplit(page.url).query)


def wait_for_query(page: Page, expected: dict[str, str]) -> None:
    """Wait until the URL (pushed by htmx, or loaded) carries these query values."""
    page.wait_for_url(lambda url: all(parse_qs(urlsplit(url).query).get(key) == [value]
                                      for key, value in expected.items()))


def open_register(page: Page) -> None:
    """Follow the header's link, as a user would."""
    open_menu(page)
    page.locator(REGISTER_LINK).click()
    page.wait_for_url(re.compile(r"/cooperatives/$"))
    expect(page.locator(SEARCH_FORM)).to_be_visible()


def first_page_size(live_server: LiveServer, register: list[str]) -> int:
    return min(len(register), live_server.app.config["PER_PAGE"])


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= MOBILE_VIEWPORT["width"]


def test_search_and_kind_filter_update_the_results_in_place_and_live_in_the_url(
        page: Page, make, login, register, live_server, console_errors):
    login(page, make.user("alliance", province_code=PROVINCE))
    open_register(page)
    expect(result_names(page)).to_have_count(first_page_size(live_server, register))
    page.evaluate(f"{MARKER} = 'same document'")
    search = page.locator(f"{SEARCH_FORM} input[name='q']")

    search.press_sequentially("hop tac xa sen", delay=40)

    expect(result_names(page)).to_have_text([SEN])
    wait_for_query(page, {"q": "hop tac xa sen"})
    assert page.evaluate(MARKER) == "same document", "the search reloaded the whole page"
    expect(page.locator("main")).not_to_contain_text(ELSEWHERE)

    search.fill("my an")
    expect(result_names(page)).to_have_text([MY_AN_SERVICES, MY_AN_FUND])
    page.locator(f"{SEARCH_FORM} select[name='kind']").select_option("qtdnd")

    expect(result_names(page)).to_have_text([MY_AN_FUND])
    wait_for_query(page, {"q": "my an", "kind": "qtdnd"})
    assert page.evaluate(MARKER) == "same document"
    filtered_url = page.url

    page.go_back()

    expect(result_names(page)).to_have_text([MY_AN_SERVICES, MY_AN_FUND])
    assert "kind" not in query_of(page)
    expect(page.locator("#filter-kind")).to_have_value("")
    expect(search).to_have_value("my an")
    # Going back loads the previous URL afresh (htmx keeps no copy of pages that may hold answers).

    response = page.goto(filtered_url)

    assert response is not None and response.status == 200
    assert page.evaluate(MARKER) is None, "expected a real page load"
    expect(result_names(page)).to_have_text([MY_AN_FUND])
    expect(search).to_have_value("my an")
    expect(page.locator("#filter-kind")).to_have_value("qtdnd")
    expect(page.locator("main")).not_to_contain_text(ELSEWHERE)
    assert fits_the_screen(page)
    assert console_errors == []


def test_the_next_page_keeps_the_search(page: Page, make, login, register, live_server, console_errors):
    per_page = 5
    matching = sorted((name for name in register if fold(name).startswith("hop tac xa")), key=fold)
    assert len(matching) > 2 * per_page
    login(page, make.user("alliance", province_code=PROVINCE))

    with live_server.configured(PER_PAGE=per_page):
        open_register(page)
        page.locator(f"{SEARCH_FORM} input[name='q']").press_sequentially("hop tac xa", delay=40)
        expect(result_names(page)).to_have_text(matching[:per_page])
        wait_for_query(page, {"q": "hop tac xa"})
        expect(page.locator("#results .results-count")).to_contain_text(str(len(matching)))

        page.locator(NEXT_PAGE).click()

        wait_for_query(page, {"q": "hop tac xa", "page": "2"})
        expect(result_names(page)).to_have_text(matching[per_page:2 * per_page])
        expect(page.locator("#filter-q")).to_have_value("hop tac xa")
        expect(page.locator("main")).not_to_contain_text(ELSEWHERE)

    assert console_errors == []


def test_a_result_tapped_right_after_typing_opens_under_its_own_url(page: Page, make, login, register):
    login(page, make.user("alliance", province_code=PROVINCE))
    open_register(page)
    page.locator(f"{SEARCH_FORM} input[name='q']").press_sequentially("hop tac xa sen", delay=40)
    expect(result_names(page)).to_have_text([SEN])
    link = page.locator("#results ul.list > li > a")
    href = link.get_attribute("href")
    assert href is not None

    # Leaving the search box must not send the search again: that answer would land after the
    # profile and push the list's URL over it.
    link.click()
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    page.wait_for_load_state("networkidle")

    expect(page.locator("main h1")).to_have_text(SEN)
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))


def test_without_javascript_the_search_button_reloads_the_page_with_the_results(
        new_context, make, login, register, live_server):
    page = new_context(java_script_enabled=False).new_page()
    errors = watch_console_errors(page)
    assert page.viewport_size == MOBILE_VIEWPORT
    login(page, make.user("alliance", province_code=PROVINCE))
    open_register(page)
    expect(result_names(page)).to_have_count(first_page_size(live_server, register))

    page.locator(f"{SEARCH_FORM} input[name='q']").fill("hop tac xa sen")
    with page.expect_navigation() as navigation:
        page.locator(f"{SEARCH_FORM} button[type='submit']").click()

    response = navigation.value
    assert response is not None and response.status == 200
    assert response.request.method == "GET"
    assert query_of(page)["q"] == ["hop tac xa sen"]
    expect(result_names(page)).to_have_text([SEN])
    expect(page.locator("#filter-q")).to_have_value("hop tac xa sen")
    expect(page.locator("main")).not_to_contain_text(ELSEWHERE)
    assert fits_the_screen(page)
    assert errors == []
