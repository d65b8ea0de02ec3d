"""An export started from the dashboard or its table holds exactly the cooperatives the screen
lists, with the figures the table shows (latest scores through the standings' pointer)."""

import io
import re

import openpyxl
import pytest

from app.auth.models import User
from app.dashboard.setting import setting_for
from app.dashboard.table import table_page
from app.database import utcnow
from app.extensions import db
from app.tenancy import user_scope
from tests.factories import OTHER_PROVINCE, SMALL_ANSWERS
from tests.web.test_results import LOW, TOP

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def world(app, make):
    """Cooperatives of every kind of standing: assessed high, low, middling, twice (the later one
    counts), never; another sector; dissolved; another province."""
    app.config["PER_PAGE"] = 100
    make.questionnaire()
    high = make.cooperative("HTX Tân Hòa")
    make.assessment(high, answers=TOP)
    low = make.cooperative("HTX Mỹ Xương", kind="tht")
    make.assessment(low, answers=LOW)
    twice = make.cooperative("HTX Tân Phú")
    make.assessment(twice, answers=LOW)
    make.assessment(twice, answers=SMALL_ANSWERS)
    make.cooperative("HTX Chưa đánh giá")
    trade = make.cooperative("HTX Thương mại Sa Đéc", sector="trade")
    make.assessment(trade, answers=TOP)
    make.cooperative("HTX Đã giải thể", status="dissolved")
    make.assessment(make.cooperative("HTX Vĩnh Long", province_code=OTHER_PROVINCE), answers=TOP)
    return make.user("alliance")


def exported(client, args):
    response = client.post("/spreadsheets/exports", data={"view": "dashboard", "download": "cooperatives.xlsx",
                                                           **args})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.get_data())).active.iter_rows(values_only=True))
    return [dict(zip(rows[1], row, strict=True)) for row in rows[2:]]


def shown(app, user_id, args):
    """The rows of the dashboard's table for ``args``, as the page computes them."""
    with app.test_request_context():
        user = db.session.get(User, user_id)
        setting = setting_for(user, args)
        _page, rows = table_page(user_scope(user), setting.selected, areas=setting.areas, targets=setting.targets,
                                 now=utcnow(), per_page=100)
        return {row.cooperative.tax_code: row for row in rows}, setting.areas


FILTERS = [{}, {"sector": "agriculture"}, {"kind": "tht"}, {"assessed": "yes"}, {"assessed": "never"},
           {"level": "0"}, {"level": "5"}, {"q": "tan"}, {"status": "any"}, {"status": "dissolved"},
           {"period": "6", "assessed": "no"}]


@pytest.mark.parametrize("args", FILTERS, ids=[str(args) for args in FILTERS])
def test_exported_figures_equal_the_dashboards(app, client, auth, world, args):
    auth.login(world.email)
    listed = re.findall(r'<tr data-cooperative="(\d+)"',
                        client.get("/dashboard/cooperatives", query_string=args).get_data(as_text=True))
    table, areas = shown(app, world.id, args)
    rows = exported(client, args)
    assert len(listed) == len(table) == len(rows)
    assert {row["tax_code"] for row in rows} == set(table)
    for row in rows:
        on_screen = table[row["tax_code"]]
        assert row["level"] == on_screen.level
        if on_screen.overall is None:
            assert row["overall"] is None
        else:
            assert 0 <= row["overall"] - on_screen.overall < 1  # the table shows it rounded down
        for code in areas:
            if on_screen.areas[code] is None:
                assert row[f"score.{code}"] is None
            else:
                assert 0 <= row[f"score.{code}"] - on_screen.areas[code] < 1


def test_the_filters_narrow_something(app, world):
    """The cases above are not all the same list (a broken filter would pass them trivially)."""
    sizes = {len(shown(app, world.id, args)[0]) for args in FILTERS}
    assert len(sizes) >= 4


def test_the_dashboard_and_the_table_offer_the_export_with_their_filter(client, auth, world):
    auth.login(world.email)
    table = client.get("/dashboard/cooperatives?sector=agriculture&level=0").get_data(as_text=True)
    form = table.split('class="export-shown"', 1)[1].split("</form>", 1)[0]
    assert 'name="view" value="dashboard"' in form
    assert 'name="sector" value="agriculture"' in form and 'name="level" value="0"' in form
    assert 'value="cooperatives.xlsx"' in form and 'value="cooperatives.csv"' in form
    dashboard = client.get("/dashboard/?kind=tht").get_data(as_text=True)
    assert 'name="kind" value="tht"' in dashboard.split('class="export-shown"', 1)[1].split("</form>", 1)[0]


def test_the_export_from_the_dashboard_is_audited_with_its_filter(app, client, auth, world):
    from sqlalchemy import select

    from app.audit import AuditEntry

    auth.login(world.email)
    exported(client, {"level": "0", "q": "tan"})
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
        assert entry.details["filter"] == "q=tan&level=0"


def test_an_administrator_exports_the_province_the_dashboard_shows(client, auth, make, world):
    auth.login(make.user("admin").email)
    rows = exported(client, {"province_code": str(OTHER_PROVINCE)})
    assert [row["name"] for row in rows] == ["HTX Vĩnh Long"]
