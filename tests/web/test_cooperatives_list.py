"""The register list: scoped, searchable without accents, filtered, sorted and paged in the URL."""

import re

import pytest

from app.locations import wards
from tests.factories import OTHER_PROVINCE, PROVINCE

WARDS = wards(PROVINCE)


def names_in(page: str) -> list[str]:
    """The cooperative names of the result list, in the order shown."""
    return re.findall(r'<a href="/cooperatives/\d+"><strong>([^<]+)</strong></a>', page)


@pytest.fixture
def register(make):
    """A small province register, plus one cooperative of another province."""
    return {
        "tan_hoa": make.cooperative("Hợp tác xã Nông nghiệp Tân Hòa", tax_code="0102595740", members=40,
                                    founded_year=2015),
        "binh_minh": make.cooperative("HTX Dịch vụ Bình Minh", kind="tht", sector="trade", members=50,
                                      founded_year=2020, status="pending", tax_code=None,
                                      ward_code=WARDS[1][0]),
        "an_phu": make.cooperative("Quỹ tín dụng An Phú", kind="qtdnd", sector="credit", members=300,
                                   founded_year=1998, status="dissolved", tax_code="0100109106"),
        "elsewhere": make.cooperative("Hợp tác xã Vĩnh Long Xanh", province_code=OTHER_PROVINCE),
    }


@pytest.fixture
def alliance(make, auth):
    user = make.user("alliance")
    auth.login(user.email)
    return user


def test_alliance_sees_only_its_province_with_a_count(client, register, alliance):
    page = client.get("/cooperatives/").get_data(as_text=True)
    # Sorted by the name without accents: "hop…" before "htx…".
    assert names_in(page) == ["Hợp tác xã Nông nghiệp Tân Hòa", "HTX Dịch vụ Bình Minh", "Quỹ tín dụng An Phú"]
    assert "Hợp tác xã Vĩnh Long Xanh" not in page
    assert re.search(r'class="results-count"><strong>3 ', page)


@pytest.mark.parametrize(("query", "expected"), [
    ("hop tac xa", ["Hợp tác xã Nông nghiệp Tân Hòa"]),
    ("HỢP TÁC", ["Hợp tác xã Nông nghiệp Tân Hòa"]),
    ("tan hoa", ["Hợp tác xã Nông nghiệp Tân Hòa"]),
    ("quy tin dung", ["Quỹ tín dụng An Phú"]),
    ("dich  vu", ["HTX Dịch vụ Bình Minh"]),
    ("0102", ["Hợp tác xã Nông nghiệp Tân Hòa"]),       # tax code by prefix
    ("0100.109", ["Quỹ tín dụng An Phú"]),
    ("595740", []),                                      # a tax code is matched from its start
    ("vinh long", []),                                   # another province stays invisible
    ("100%", []),
])
def test_search(client, register, alliance, query, expected):
    page = client.get("/cooperatives/", query_string={"q": query}).get_data(as_text=True)
    assert names_in(page) == expected


@pytest.mark.parametrize(("args", "expected"), [
    ({"kind": "tht"}, ["HTX Dịch vụ Bình Minh"]),
    ({"sector": "credit"}, ["Quỹ tín dụng An Phú"]),
    ({"status": "pending"}, ["HTX Dịch vụ Bình Minh"]),
    ({"status": "active"}, ["Hợp tác xã Nông nghiệp Tân Hòa"]),
    ({"ward_code": str(WARDS[1][0])}, ["HTX Dịch vụ Bình Minh"]),
    ({"kind": "htx", "status": "dissolved"}, []),
])
def test_filters(client, register, alliance, args, expected):
    page = client.get("/cooperatives/", query_string=args).get_data(as_text=True)
    assert names_in(page) == expected


def test_filter_state_is_shown_in_the_form(client, register, alliance):
    page = client.get("/cooperatives/?kind=tht&status=pending&sort=members&q=minh").get_data(as_text=True)
    assert '<option value="tht" selected>' in page
    assert '<option value="pending" selected>' in page
    assert '<option value="members" selected>' in page
    assert 'name="q" value="minh"' in page


def test_ward_filter_lists_only_the_alliance_provinces_wards(client, register, alliance):
    page = client.get("/cooperatives/").get_data(as_text=True)
    assert f'<option value="{WARDS[1][0]}">' in page
    assert f'<option value="{wards(OTHER_PROVINCE)[0][0]}">' not in page
    assert 'name="province_code"' not in page  # alliance staff cannot pick another province


@pytest.mark.parametrize(("sort", "expected"), [
    ("name", ["Hợp tác xã Nông nghiệp Tân Hòa", "HTX Dịch vụ Bình Minh", "Quỹ tín dụng An Phú"]),
    ("newest", ["Quỹ tín dụng An Phú", "HTX Dịch vụ Bình Minh", "Hợp tác xã Nông nghiệp Tân Hòa"]),
    ("founded", ["Quỹ tín dụng An Phú", "Hợp tác xã Nông nghiệp Tân Hòa", "HTX Dịch vụ Bình Minh"]),
    ("members", ["Quỹ tín dụng An Phú", "HTX Dịch vụ Bình Minh", "Hợp tác xã Nông nghiệp Tân Hòa"]),
])
def test_sort(client, register, alliance, sort, expected):
    page = client.get("/cooperatives/", query_string={"sort": sort}).get_data(as_text=True)
    assert names_in(page) == expected


def test_pagination_keeps_the_filters(client, app, make, alliance):
    app.config["PER_PAGE"] = 2
    for letter in "ABCDE":
        make.cooperative(f"HTX {letter}", kind="tht")
    make.cooperative("HTX Z", kind="htx")
    first = client.get("/cooperatives/?kind=tht").get_data(as_text=True)
    assert names_in(first) == ["HTX A", "HTX B"]
    assert re.search(r'class="results-count"><strong>5 ', first)
    assert 'href="/cooperatives/?kind=tht&amp;page=2"' in first
    third = client.get("/cooperatives/?kind=tht&page=3").get_data(as_text=True)
    assert names_in(third) == ["HTX E"]
    assert 'rel="next"' not in third


@pytest.mark.parametrize("query", ["page=abc", "page=-1", "kind=bank", "sort=price", "status=x&sector=y",
                                   "ward_code=abc", "province_code=1", "page=999"])
def test_bad_query_values_are_ignored(client, register, alliance, query):
    response = client.get(f"/cooperatives/?{query}")
    assert response.status_code == 200
    if query != "page=999":
        assert len(names_in(response.get_data(as_text=True))) == 3


def test_list_three_ways(client, register, alliance):
    whole = client.get("/cooperatives/?q=tan")
    assert "<html" in whole.get_data(as_text=True)
    assert "Hợp tác xã Nông nghiệp Tân Hòa" in whole.get_data(as_text=True)
    assert "Vary" in whole.headers and "HX-Request" in whole.headers["Vary"]

    fragment = client.get("/cooperatives/?q=tan", headers={"HX-Request": "true", "HX-Target": "results"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and 'role="search"' not in body
    assert names_in(body) == ["Hợp tác xã Nông nghiệp Tân Hòa"]
    assert fragment.headers["Cache-Control"] == "no-store"

    boosted = client.get("/cooperatives/?q=tan", headers={"HX-Request": "true", "HX-Boosted": "true",
                                                          "HX-Target": "results"})
    assert "<html" in boosted.get_data(as_text=True)


def test_filter_form_is_active_search_and_works_without_javascript(client, register, alliance):
    page = client.get("/cooperatives/").get_data(as_text=True)
    start = page.index('role="search"')
    form = page[start:page.index("</form>", start)]
    assert 'hx-get="/cooperatives/"' in form
    assert 'hx-target="#results"' in form
    assert 'hx-push-url="true"' in form
    assert 'hx-trigger="input changed delay:400ms, submit"' in form
    assert '<button type="submit"' in form
    assert page.count('id="results"') == 1


@pytest.mark.parametrize("role", ["coop_manager", "coop_member", "graduate"])
def test_cooperative_people_cannot_browse_the_register(client, make, auth, role):
    cooperative = make.cooperative()
    user = make.user(role, cooperative=cooperative)
    auth.login(user.email)
    assert client.get("/cooperatives/").status_code == 403
    assert client.get("/cooperatives/new").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/cooperatives/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_admin_sees_every_province_and_may_filter_one(client, register, make, auth):
    admin = make.user("admin")
    auth.login(admin.email)
    page = client.get("/cooperatives/").get_data(as_text=True)
    assert len(names_in(page)) == 4
    assert 'name="province_code"' in page
    narrowed = client.get(f"/cooperatives/?province_code={OTHER_PROVINCE}").get_data(as_text=True)
    assert names_in(narrowed) == ["Hợp tác xã Vĩnh Long Xanh"]
    assert f'<option value="{wards(OTHER_PROVINCE)[0][0]}">' in narrowed


def test_ward_options_for_the_filter_offer_all(client):
    options = client.get(f"/cooperatives/wards?province_code={PROVINCE}&blank=all").get_data(as_text=True)
    assert options.startswith('<option value="">')
    assert options.count("<option") == len(WARDS) + 1
