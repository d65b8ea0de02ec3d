"""The yearly province report: the same figures as the dashboard, the year before, the province of
the person asking (an administrator chooses), the Excel sheet with its audit entry, and the sentences
a report uses in Vietnamese."""

import html as markup
import io
import re
from datetime import date, datetime

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import select

from app.audit import AuditEntry
from app.dashboard.filters import ProvinceFilter
from app.dashboard.setting import Setting
from app.database import local_today
from app.difficulties.models import Difficulty
from app.exemplars.models import Exemplar
from app.extensions import db
from app.reports import wording
from app.reports.yearly import PlacementFacts, Submission, YearFacts, build
from app.standings import upkeep
from tests.factories import OTHER_PROVINCE, PROVINCE, SMALL_ANSWERS
from tests.web.test_results import LOW, TOP, statements_for

THIS_YEAR = local_today().year
LAST_YEAR = THIS_YEAR - 1


def text_of(html: str) -> str:
    return markup.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


def section(html: str, code: str) -> str:
    start = html.index(f'data-section="{code}"')
    return html[start:html.index("</section>", start)]


def rows(html: str, attribute: str = "data-row") -> dict[str, list[str]]:
    """Each table row's key and the text of its cells."""
    found = {}
    for key, body in re.findall(rf'<tr {attribute}="([^"]+)"[^>]*>(.*?)</tr>', html, flags=re.S):
        found[key] = [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, flags=re.S)]
    return found


def sentences(html: str) -> list[str]:
    return [text_of(found) for found in re.findall(r'<p class="province-report__sentence">(.*?)</p>', html, flags=re.S)]


def backdate(app, assessment, when: datetime) -> None:
    with app.app_context():
        upkeep.restamp(assessment.id, when)
        db.session.commit()


@pytest.fixture
def alliance(make):
    return make.user("alliance", name="Cán bộ Đồng Tháp")


@pytest.fixture
def province(make):
    """Three assessed cooperatives (top, middling, low), one never assessed, one in another province."""
    made = {name: make.cooperative(name) for name in ("HTX An Bình", "HTX Bình Minh", "HTX Đông Hòa", "HTX Mới")}
    make.assessment(made["HTX An Bình"], answers=TOP)
    make.assessment(made["HTX Bình Minh"], answers=SMALL_ANSWERS)
    make.assessment(made["HTX Đông Hòa"], answers=LOW)
    make.assessment(make.cooperative("HTX Vĩnh Long", province_code=OTHER_PROVINCE), answers=TOP)
    return made


def test_the_reports_figures_are_the_dashboards(client, auth, alliance, province):
    auth.login(alliance.email)
    dashboard = client.get("/dashboard/").get_data(as_text=True)
    page = client.get("/reports/province")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Báo cáo chuyển đổi số HTX năm {THIS_YEAR}" in html and "Liên minh Hợp tác xã tỉnh Đồng Tháp" in html

    assessed = text_of(re.search(r'data-figure="assessed">.*?<a [^>]*>(.*?)</a>', dashboard, flags=re.S).group(1))
    assert assessed == "3"
    assert f"3/4 HTX (75,0 %) đã tự đánh giá mức độ chuyển đổi số trong năm {THIS_YEAR}." in sentences(html)
    dashboard_levels = {level: cells[0] for level, cells in rows(dashboard, "data-level").items()}
    report_levels = {level: cells[0] for level, cells in rows(section(html, "levels")).items()}
    assert report_levels == dashboard_levels and sum(map(int, report_levels.values())) == 3
    dashboard_areas = {code: cells[0] for code, cells in rows(dashboard, "data-area").items()}
    report_areas = {code: cells[0] for code, cells in rows(section(html, "areas")).items()}
    assert report_areas == dashboard_areas and set(report_areas) == {"finance", "security"}
    average = text_of(re.search(r'data-figure="average">.*?<a [^>]*>(.*?)</a>', dashboard, flags=re.S).group(1))
    assert f"Điểm chung bình quân đạt {average}/100." in sentences(html)
    assert "Năm %s chưa có HTX nào tự đánh giá nên chưa so sánh được với năm trước." % LAST_YEAR in sentences(html)
    assert rows(section(html, "register"))["htx"][0] == "4"  # Đồng Tháp's four, not Vĩnh Long's
    assert "HTX Vĩnh Long" not in html
    weak = rows(section(html, "weak"))
    assert weak["finance.etax_filing"][:2] == ["1", "33,3 %"]


def test_the_year_before_is_compared_and_a_past_year_can_be_chosen(app, client, auth, make, alliance):
    rising, stopped, new_year = make.cooperative("HTX Tiến"), make.cooperative("HTX Dừng"), make.cooperative("HTX Tết")
    backdate(app, make.assessment(rising, answers=LOW), datetime(LAST_YEAR, 6, 1, 3))
    backdate(app, make.assessment(stopped, answers=TOP), datetime(LAST_YEAR, 3, 1, 3))
    backdate(app, make.assessment(stopped, answers=LOW), datetime(LAST_YEAR, 12, 31, 16, 30))  # 23:30 in Vietnam
    backdate(app, make.assessment(new_year, answers=LOW), datetime(LAST_YEAR, 12, 31, 17, 30))  # 1 January, 00:30
    make.assessment(rising, answers=TOP)
    auth.login(alliance.email)

    html = client.get("/reports/province").get_data(as_text=True)
    said = sentences(html)
    assert f"2/3 HTX (66,7 %) đã tự đánh giá mức độ chuyển đổi số trong năm {THIS_YEAR}." in said
    assert f"Bằng số HTX tự đánh giá năm {LAST_YEAR}." in said
    assert (f"Trong 1 HTX tự đánh giá cả năm {LAST_YEAR} và năm {THIS_YEAR}, 1 HTX lên mức cao hơn, "
            "0 HTX giữ nguyên mức, 0 HTX xuống mức thấp hơn.") in said
    assert f"So với năm {LAST_YEAR}, điểm bình quân thay đổi (điểm): Tài chính +50, An toàn thông tin +50." in said
    levels = rows(section(html, "levels"))
    assert levels["5"][:4] == ["1", "50,0 %", "0", "0,0 %"] and levels["0"][:4] == ["1", "50,0 %", "2", "100,0 %"]
    assert f'<option value="{LAST_YEAR}">' in html

    past = client.get(f"/reports/province?year={LAST_YEAR}").get_data(as_text=True)
    assert f"Báo cáo chuyển đổi số HTX năm {LAST_YEAR}" in past
    # Each cooperative's latest submission in Vietnam's year counts: "HTX Dừng" ended the year low.
    assert f"2/3 HTX (66,7 %) đã tự đánh giá mức độ chuyển đổi số trong năm {LAST_YEAR}." in sentences(past)
    assert rows(section(past, "levels"))["0"][:2] == ["2", "100,0 %"]
    assert f"Năm {LAST_YEAR - 1} chưa có HTX nào tự đánh giá nên chưa so sánh được với năm trước." in sentences(past)
    # A year without data falls back to this year.
    assert f"năm {THIS_YEAR}</h1>" in client.get("/reports/province?year=1999").get_data(as_text=True)


def test_an_empty_province_says_there_is_no_data_yet(client, auth, make):
    staff = make.user("alliance", province_code=OTHER_PROVINCE)
    make.cooperative("HTX Vĩnh Long", province_code=OTHER_PROVINCE)
    auth.login(staff.email)
    said = sentences(client.get("/reports/province").get_data(as_text=True))
    assert f"Chưa có dữ liệu: trong năm {THIS_YEAR} chưa có HTX nào tự đánh giá mức độ chuyển đổi số." in said
    assert f"Chưa có dữ liệu về mức độ chuyển đổi số năm {THIS_YEAR}." in said
    assert f"Chưa có dữ liệu: trong năm {THIS_YEAR} các HTX chưa nêu khó khăn, vướng mắc, kiến nghị nào." in said
    assert "Chưa có HTX nào được công nhận là HTX điển hình tiên tiến." in said


def test_staff_see_their_province_only_and_an_administrator_chooses(client, auth, make, province):
    other = make.user("alliance", province_code=OTHER_PROVINCE)
    auth.login(other.email)
    html = client.get(f"/reports/province?province_code={PROVINCE}").get_data(as_text=True)
    assert "Liên minh Hợp tác xã tỉnh Vĩnh Long" in html
    assert f"1/1 HTX (100,0 %) đã tự đánh giá mức độ chuyển đổi số trong năm {THIS_YEAR}." in sentences(html)
    assert 'name="province_code"' not in html
    auth.logout()

    admin = make.user("admin")
    auth.login(admin.email)
    choose = client.get("/reports/province").get_data(as_text=True)
    assert f'href="/reports/province?province_code={PROVINCE}"' in choose
    chosen = client.get(f"/reports/province?province_code={PROVINCE}").get_data(as_text=True)
    assert f"3/4 HTX (75,0 %) đã tự đánh giá mức độ chuyển đổi số trong năm {THIS_YEAR}." in sentences(chosen)
    assert f'<option value="{PROVINCE}" selected>' in chosen
    assert f'action="/reports/province.xlsx?year={THIS_YEAR}&amp;province_code={PROVINCE}"' in chosen
    auth.logout()

    manager = make.user("coop_manager", cooperative=province["HTX An Bình"])
    auth.login(manager.email)
    assert client.get("/reports/province").status_code == 403
    assert client.post("/reports/province.xlsx").status_code == 403


def add_host(app, make, name: str, graduate_name: str) -> None:
    """A model cooperative with a difficulty, a graduate placed there this year and a filed report."""
    host = make.cooperative(name)
    make.assessment(host, answers=LOW)
    graduate = make.user("graduate", name=graduate_name)
    placement = make.placement(host, graduate, starts_on=date(THIS_YEAR, 1, 1), ends_on=date(THIS_YEAR + 2, 12, 31))
    make.report(placement, date(THIS_YEAR, 1, 1), status="confirmed", first_submitted_at=datetime(THIS_YEAR, 2, 1))
    make.assessment(host, answers=TOP)
    with app.app_context():
        db.session.add(Exemplar(cooperative_id=host.id, reason="Đi đầu."))
        db.session.add(Difficulty(cooperative_id=host.id, category="market", description="Đầu ra",
                                  search_text="dau ra", token=f"difficulty-{host.id}"))
        db.session.commit()


def test_the_report_runs_the_same_number_of_queries_however_large_the_province(app, client, auth, make, alliance):
    add_host(app, make, "HTX Một", "Trí thức Một")
    auth.login(alliance.email)
    few = statements_for(app, client, "/reports/province")
    for n in range(3):
        add_host(app, make, f"HTX Thêm {n}", f"Trí thức {n}")
    html = client.get("/reports/province").get_data(as_text=True)
    assert statements_for(app, client, "/reports/province") == few
    assert rows(section(html, "placements"))["graduates"][0] == "4"
    assert rows(section(html, "placements"))["measured"][0] == "4"  # each host assessed again after its graduate came
    assert rows(section(html, "placements"))["confirmed"][0] == "4"
    assert "Có 4 HTX được công nhận là HTX điển hình tiên tiến." in sentences(html)


def test_the_dashboard_links_to_the_report(client, auth, alliance):
    auth.login(alliance.email)
    assert 'href="/reports/province"' in client.get("/dashboard/").get_data(as_text=True)


def test_the_excel_sheet_holds_the_pages_figures_and_the_download_is_audited(app, client, auth, make, alliance,
                                                                            province):
    formula = make.cooperative("=HYPERLINK(\"http://x\",\"y\")")
    make.assessment(formula, answers=TOP)
    with app.app_context():
        db.session.add(Exemplar(cooperative_id=formula.id, reason="Bán hàng trực tuyến."))
        db.session.add(Difficulty(cooperative_id=province["HTX Đông Hòa"].id, category="capital",
                                  description="Thiếu vốn", search_text="thieu von", token="report-difficulty",
                                  status="forwarded", forwarded_to="Ngân hàng", forwarded_on=date.today()))
        db.session.commit()
    auth.login(alliance.email)
    response = client.post(f"/reports/province.xlsx?year={THIS_YEAR}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"htxso-bao-cao-{PROVINCE}-{THIS_YEAR}.xlsx" in response.headers["Content-Disposition"]

    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Mục", "Chỉ tiêu", "Số lượng hoặc điểm", "Tỉ lệ (%)", f"Năm {LAST_YEAR}", "Ghi chú",
                         "Câu dùng trong báo cáo"]
    assert values[1][:2] == ["section", "figure"]
    assert values[2][:2] == [f"Báo cáo chuyển đổi số HTX năm {THIS_YEAR}", "Liên minh Hợp tác xã tỉnh Đồng Tháp"]
    said = [row[6] for row in values[3:] if row[6]]
    assert f"4/5 HTX (80,0 %) đã tự đánh giá mức độ chuyển đổi số trong năm {THIS_YEAR}." in said
    assert any(sentence.startswith(f"Trong năm {THIS_YEAR}, các HTX đã nêu 1 khó khăn") for sentence in said)
    levels = {row[1]: row for row in values[3:] if row[0] == "Mức độ chuyển đổi số" and row[1]}
    assert levels["Mức 5 — Dẫn dắt"][2:4] == [2, 50.0]  # numbers, not text
    models = [row for row in values[3:] if row[0] == "HTX điển hình tiên tiến" and row[1]]
    assert models[0][1] == "'=HYPERLINK(\"http://x\",\"y\")" and models[0][2] == 100  # the name cannot run
    page = client.get(f"/reports/province?year={THIS_YEAR}").get_data(as_text=True)
    # The page and the sheet say the same; in the sheet a sentence that starts like a formula cannot run.
    assert [sentence.removeprefix("'") for sentence in said] == sentences(page)
    assert "'=HYPERLINK(\"http://x\",\"y\") (100 điểm) làm tốt nhất ở: Tài chính (100 điểm), An toàn thông tin (100 điểm)." in said

    with app.app_context():
        entry = db.session.scalar(select(AuditEntry))
    assert (entry.actor_id, entry.action, entry.target, entry.province_code) == (
        alliance.id, "export", f"province:{PROVINCE}", PROVINCE)
    assert entry.details == {"export": "province_report", "format": "xlsx", "year": THIS_YEAR}


@pytest.mark.csrf
def test_the_download_needs_the_pages_csrf_token(app, client, auth, alliance):
    auth.login(alliance.email)
    assert client.post("/reports/province.xlsx").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(AuditEntry)) is None


def worded(year_facts: YearFacts, locale: str = "vi") -> list[str]:
    setting = Setting(ProvinceFilter(province_code=PROVINCE), None)
    with force_locale(locale):
        report = wording.worded(build(year_facts), setting, {}, locale)
        return [sentence for part in report.sections for sentence in part.sentences]


FACTS = YearFacts(year=2026, register={("htx", "active"): 160, ("htx", "dissolved"): 3840}, submissions=tuple(
    Submission(n, 40.0, 2) for n in range(62)), previous_submissions=(), areas={}, previous_areas={}, targets={},
    area_order=(), levels=(2,), weak_answers=(), models=(), difficulties={}, categories=(),
    placements=PlacementFacts(), training=())


def test_sentences_are_written_as_a_vietnamese_report_writes_them(app):
    with app.test_request_context():
        said = worded(FACTS)
        english = worded(FACTS, "en")
    assert "62/160 HTX (38,8 %) đã tự đánh giá mức độ chuyển đổi số trong năm 2026." in said
    assert "Sổ đăng ký có 4.000 tổ chức kinh tế tập thể, trong đó 160 tổ chức đang hoạt động." in said
    assert "Nhiều HTX nhất ở Mức 2 — 2: 62 HTX (100,0 %)." in said
    assert "Chưa có dữ liệu: trong năm 2026 chưa có trí thức trẻ làm việc tại HTX của tỉnh." in said
    assert "62/160 cooperatives (38.8 %) self-assessed their digital transformation in 2026." in english
    assert "The register holds 4,000 cooperative organisations; 160 of them active." in english



@pytest.mark.parametrize(("graduates", "measured", "vietnamese", "english"), [
    (1, 1, ["Trong năm 2026, 1 trí thức trẻ làm việc tại 1 HTX và đã nộp 3 báo cáo tháng, trong đó 2 báo cáo "
            "đã được xác nhận.",
            "1 HTX tiếp nhận đã tự đánh giá lại sau khi trí thức trẻ về làm việc: 1 HTX tăng điểm chung; điểm chung "
            "thay đổi bình quân +5 điểm."],
     ["In 2026, 1 young graduate worked in the province's cooperatives. Host cooperatives: 1; monthly reports "
      "filed: 3, confirmed: 2.",
      "1 host cooperative self-assessed again after its graduate arrived: 1 raised its overall score; the average "
      "change is +5 points."]),
    (2, 2, ["Trong năm 2026, 2 trí thức trẻ làm việc tại 1 HTX và đã nộp 3 báo cáo tháng, trong đó 2 báo cáo "
            "đã được xác nhận.",
            "2 HTX tiếp nhận đã tự đánh giá lại sau khi trí thức trẻ về làm việc: 2 HTX tăng điểm chung; điểm chung "
            "thay đổi bình quân +5 điểm."],
     ["In 2026, 2 young graduates worked in the province's cooperatives. Host cooperatives: 1; monthly reports "
      "filed: 3, confirmed: 2.",
      "2 host cooperatives self-assessed again after their graduates arrived: 2 raised their overall score; the "
      "average change is +5 points."]),
])
def test_placement_sentences_agree_with_their_counts(app, graduates, measured, vietnamese, english):
    placed = PlacementFacts(placements=graduates, graduates=graduates, hosts=1, reports_filed=3, reports_confirmed=2,
                            host_changes=(5.0,) * measured)
    facts = YearFacts(**{**FACTS.__dict__, "placements": placed})
    with app.test_request_context():
        assert set(vietnamese) <= set(worded(facts))
        assert set(english) <= set(worded(facts, "en"))
