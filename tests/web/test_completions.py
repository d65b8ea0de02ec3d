"""Who completed which training: a cooperative's table for its manager, the province's for the alliance."""

import re

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.factories import OTHER_PROVINCE
from tests.web.training_steps import log_in, mark_done, take_quiz


@pytest.fixture
def modules(make):
    return make.modules()


@pytest.fixture
def cooperative(make, modules):
    return make.cooperative("HTX Tân Hòa")


@pytest.fixture
def manager(make, cooperative):
    return make.user("coop_manager", cooperative=cooperative, name="Lê Văn Tám")


@pytest.fixture
def member(make, cooperative):
    return make.user("coop_member", cooperative=cooperative, name="Phạm Thị Lan")


@pytest.fixture
def graduate(make, cooperative):
    return make.user("graduate", cooperative=cooperative, name="Võ Minh Khoa")


def url(cooperative):
    return f"/training/cooperatives/{cooperative.id}/completions"


def as_user(client, auth, user, steps):
    """Log ``user`` in, do ``steps`` (client → None), log out."""
    log_in(client, auth, user)
    steps(client)
    auth.logout()


def complete(*codes):
    def steps(client):
        for code in codes:
            mark_done(client, code)
            take_quiz(client, right=5, code=code)
    return steps


def cell(html, person, code):
    row = re.search(rf'<tr data-person="{person.id}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {person.name}"
    found = re.search(rf'<td data-module="{code}">(.*?)</td>', row.group(1), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def row_cells(html, cooperative):
    row = re.search(rf'<tr data-cooperative="{cooperative.id}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {cooperative.name}"
    return [" ".join(re.sub(r"<[^>]+>", "", value).split())
            for value in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row.group(1), re.S)]


def test_manager_sees_who_completed_which_module(client, auth, cooperative, manager, member, graduate):
    as_user(client, auth, member, complete("etax"))
    as_user(client, auth, graduate, lambda c: (mark_done(c, "einvoice", ("01-bai",)), take_quiz(c, right=2,
                                                                                                 code="einvoice")))
    log_in(client, auth, manager)
    take_quiz(client, right=5, code="etax")  # before reading the lessons
    response = client.get(url(cooperative))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert re.fullmatch(r"Completed \d{1,2} \w{3} \d{4} Best quiz: 100%", cell(html, member, "etax"))
    # The date opens the certificate, which the manager may see.
    certificate = re.search(rf'<tr data-person="{member.id}">.*?href="(/training/certificates/[^"]+)"', html, re.S)
    assert client.get(certificate.group(1)).status_code == 200
    assert cell(html, member, "einvoice") == "—"
    assert cell(html, graduate, "einvoice") == "1 of 3 lessons Best quiz: 40%"
    assert cell(html, manager, "etax") == "Quiz passed · 0 of 3 lessons Best quiz: 100%"
    assert cell(html, manager, "einvoice") == "—"
    # Only modules someone started have a column.
    assert 'data-module="cybersecurity"' not in html
    # Managers first, then members, then the placed graduate.
    assert html.index(manager.name) < html.index(member.name) < html.index(graduate.name)
    assert "Young graduate" in html


def test_nobody_started_says_so(client, auth, cooperative, manager):
    log_in(client, auth, manager)
    html = client.get(url(cooperative)).get_data(as_text=True)
    assert "No one in this cooperative has started a training module yet." in html


def test_people_of_other_cooperatives_are_not_listed(client, auth, make, cooperative, manager):
    elsewhere = make.user("coop_member", cooperative=make.cooperative("HTX Khác"), name="Trần Văn Ngoài")
    as_user(client, auth, elsewhere, complete("etax"))
    log_in(client, auth, manager)
    html = client.get(url(cooperative)).get_data(as_text=True)
    assert "Trần Văn Ngoài" not in html


def test_another_cooperatives_table_is_404(client, auth, make, manager):
    other = make.cooperative("HTX Khác")
    log_in(client, auth, manager)
    assert client.get(url(other)).status_code == 404


@pytest.mark.parametrize("role", ["coop_member", "graduate"])
def test_members_and_graduates_are_forbidden(client, auth, make, cooperative, role):
    log_in(client, auth, make.user(role, cooperative=cooperative))
    assert client.get(url(cooperative)).status_code == 403
    assert client.get("/training/completions").status_code == 403


@pytest.mark.parametrize(("role", "province", "status"), [
    ("alliance", None, 200), ("alliance", OTHER_PROVINCE, 404), ("admin", None, 200)])
def test_alliance_of_the_province_and_admin_see_a_cooperatives_table(client, auth, make, cooperative, member,
                                                                     role, province, status):
    as_user(client, auth, member, complete("etax"))
    log_in(client, auth, make.user(role, province_code=province))
    response = client.get(url(cooperative))
    assert response.status_code == status
    if status == 200:
        assert cell(response.get_data(as_text=True), member, "etax").startswith("Completed")


def test_the_table_needs_a_login(client, cooperative):
    for address in (url(cooperative), "/training/completions"):
        response = client.get(address)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_alliance_table_counts_each_cooperative_of_the_province(client, auth, make, cooperative, member, graduate):
    quiet = make.cooperative("HTX Chưa học")
    far = make.cooperative("HTX Ngoài tỉnh", province_code=OTHER_PROVINCE)
    as_user(client, auth, member, complete("etax", "einvoice"))
    as_user(client, auth, graduate, complete("etax"))
    as_user(client, auth, make.user("coop_member", cooperative=far), complete("cybersecurity", "etax"))
    log_in(client, auth, make.user("alliance"))
    response = client.get("/training/completions")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    # Columns for the modules completed in the province, by title: E-invoices, E-tax.
    assert re.findall(r'<th scope="col" class="num" data-module="([\w-]+)">', html) == ["einvoice", "etax"]
    assert row_cells(html, cooperative) == ["HTX Tân Hòa", "2", "3", "1", "2"]
    assert row_cells(html, quiet) == ["HTX Chưa học", "0", "0", "0", "0"]
    assert f'data-cooperative="{far.id}"' not in html
    totals = " ".join(re.search(r"<p class=\"lead\" data-totals>(.*?)</p>", html, re.S).group(1).split())
    assert totals == "People who completed at least one module: 2. Certificates issued: 3."
    assert f'href="/training/cooperatives/{cooperative.id}/completions"' in html


def test_admin_sees_every_province(client, auth, make, cooperative, member):
    far = make.cooperative("HTX Ngoài tỉnh", province_code=OTHER_PROVINCE)
    as_user(client, auth, member, complete("etax"))
    log_in(client, auth, make.user("admin"))
    html = client.get("/training/completions").get_data(as_text=True)
    assert row_cells(html, cooperative)[:3] == ["HTX Tân Hòa", "1", "1"]
    assert row_cells(html, far)[:3] == ["HTX Ngoài tỉnh", "0", "0"]


def test_alliance_table_paginates(app, client, auth, make, cooperative):
    second = make.cooperative("HTX Vĩnh Phúc")
    app.config["PER_PAGE"] = 1
    log_in(client, auth, make.user("alliance"))
    first_page = client.get("/training/completions").get_data(as_text=True)
    assert f'data-cooperative="{cooperative.id}"' in first_page and f'data-cooperative="{second.id}"' not in first_page
    assert 'href="/training/completions?page=2"' in first_page
    second_page = client.get("/training/completions?page=2").get_data(as_text=True)
    assert f'data-cooperative="{second.id}"' in second_page


def statements_for(app, client, address):
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(address).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_both_tables_run_the_same_number_of_queries_however_many_people(app, client, auth, make, cooperative,
                                                                        manager, member):
    as_user(client, auth, member, complete("etax"))
    alliance = make.user("alliance")
    log_in(client, auth, manager)
    before_manager = statements_for(app, client, url(cooperative))
    auth.logout()
    log_in(client, auth, alliance)
    before_alliance = statements_for(app, client, "/training/completions")
    auth.logout()
    for n in range(3):
        colleague = make.user("coop_member", cooperative=cooperative)
        as_user(client, auth, colleague, complete("einvoice", "cybersecurity"))
        make.cooperative(f"HTX Số {n}")
    log_in(client, auth, manager)
    assert statements_for(app, client, url(cooperative)) == before_manager
    auth.logout()
    log_in(client, auth, alliance)
    assert statements_for(app, client, "/training/completions") == before_alliance


def test_homes_link_to_the_tables(client, auth, make, cooperative, manager, member):
    log_in(client, auth, manager)
    assert f'href="/training/cooperatives/{cooperative.id}/completions"' in client.get("/home").get_data(as_text=True)
    auth.logout()
    log_in(client, auth, member)
    assert "/completions" not in client.get("/home").get_data(as_text=True)
    auth.logout()
    log_in(client, auth, make.user("alliance"))
    assert 'href="/training/completions"' in client.get("/home").get_data(as_text=True)
