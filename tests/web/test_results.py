"""The results page: level, what falls short, next steps with their training, the comparison by area,
with the last round and with peers, and the history, all from stored scores."""

import gzip
import re

import pytest
from sqlalchemy import event, select, update

from app.assessments.models import Assessment
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.training.models import Certificate, ModuleVersion
from tests.factories import OTHER_PROVINCE, PROVINCE, SMALL_ANSWERS

# Small questionnaire: finance 58.33, security 66.67, overall 61.11 (level 3) for SMALL_ANSWERS.
TOP = {"finance.etax_filing": "online", "finance.einvoice_use": "yes_provider", "finance.einvoice_provider": "yes",
       "security.practices": ["strong_passwords", "two_step"], "security.trained_people": 5}  # 100 everywhere
LOW = {"finance.etax_filing": "paper", "finance.einvoice_use": "no", "security.practices": ["none"],
       "security.trained_people": 0}  # 0 everywhere


def results_url(assessment):
    return f"/assessments/{assessment.id}/results"


def cells(html, attribute, code):
    """The cells of the table row marked ``attribute="code"``."""
    row = re.search(rf'<tr {attribute}="{re.escape(code)}"[^>]*>(.*?)</tr>', html, re.S)
    assert row, f"no row {code}"
    return [value.strip() for value in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row.group(1), re.S)]


@pytest.fixture
def cooperative(make):
    return make.cooperative()


@pytest.fixture
def manager(make, cooperative):
    return make.user("coop_manager", cooperative=cooperative)


def test_results_show_level_chart_and_a_row_per_dimension(client, auth, make, cooperative, manager):
    assessment = make.assessment(cooperative)
    auth.login(manager.email)
    response = client.get(results_url(assessment))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<span class="overall__score">61</span>' in html
    assert "Hình thành" in html  # level 3 in Vietnamese, the default language
    assert "<svg" in html and 'role="img"' in html and "<title" in html
    # Score and target: finance 58.33 against 60, security 66.67 against 50 (scores show rounded down).
    assert cells(html, "data-dimension", "finance") == ["Tài chính", "58", "60"]
    assert cells(html, "data-dimension", "security") == ["An toàn thông tin", "66", "50"]
    assert html.count("<tr data-dimension=") == 3  # the overall score, then each area
    # Only finance falls short of its target, by the difference of the numbers shown.
    assert gaps(html) == {"finance": "Tài chính: 58 điểm, mục tiêu 60 — còn thiếu 2 điểm"}
    # The chart draws the finance bar 58.33 points long (2.5 units a point) and its target at 60.
    assert 'width="145.83"' in html and 'x1="152.0"' in html


def test_results_in_english_use_the_english_content(client, auth, make, cooperative, manager):
    assessment = make.assessment(cooperative)
    auth.login(manager.email)
    client.post("/language", data={"language": "en"})
    html = client.get(results_url(assessment)).get_data(as_text=True)
    assert "Level 3: Forming" in html and "Finance" in html and "Tài chính" not in html


def steps_of(html):
    """The next steps' items, in order."""
    steps = re.search(r'<ol class="steps">(.*?)</ol>', html, re.S)
    assert steps, "no next steps"
    return re.split(r'<li class="step">', steps.group(1))[1:]


def gaps(html):
    """The areas listed as short of their target: code → the line as read."""
    return {code: " ".join(re.sub(r"<[^>]+>", "", text).split())
            for code, text in re.findall(r'<li data-gap="([a-z_]+)">(.*?)</li>', html, re.S)}


def test_next_steps_give_question_advice_and_gain(client, auth, make, cooperative, manager):
    assessment = make.assessment(cooperative)
    auth.login(manager.email)
    html = client.get(results_url(assessment)).get_data(as_text=True)
    items = steps_of(html)
    # Ranked by the points each area would gain: practices (33), e-tax (25), invoices sent online (16.67).
    assert [re.search(r'<strong class="step__question">(.*?)</strong>', item).group(1) for item in items] == [
        "HTX đã làm gì?", "HTX nộp tờ khai thuế thế nào?", "Hóa đơn có gửi cho khách qua mạng?"]
    assert "Tự nộp." in items[1]
    assert "Gửi qua email." in items[2] and "Tài chính: có thể thêm tối đa 16 điểm" in items[2]
    # No module is loaded: no training links (a bare code would mean nothing to a board).
    assert "/training/" not in "".join(items)


def test_each_next_step_links_its_modules_and_says_which_the_viewer_completed(app, client, auth, make, cooperative,
                                                                              manager):
    make.modules()
    assessment = make.assessment(cooperative)
    with app.app_context():
        version = db.session.scalar(select(ModuleVersion).where(ModuleVersion.code == "etax"))
        db.session.add(Certificate(verification_code="ETAX-DONE-0001", user_id=manager.id, module_code="etax",
                                   module_version_id=version.id, cooperative_id=cooperative.id,
                                   holder_name=manager.name))
        db.session.commit()
    auth.login(manager.email)
    html = client.get(results_url(assessment)).get_data(as_text=True)
    items = steps_of(html)
    assert 'href="/training/cybersecurity"' in items[0]
    etax = re.search(r'<p class="step__module" data-module="etax">(.*?)</p>', items[1], re.S).group(1)
    assert 'href="/training/etax"' in etax and "Đã hoàn thành" in etax
    einvoice = re.search(r'<p class="step__module" data-module="einvoice">(.*?)</p>', items[2], re.S).group(1)
    assert "Đã hoàn thành" not in einvoice
    # The steps are the one list of training: no second list repeats the modules.
    assert html.count('href="/training/etax"') == 1
    auth.logout()

    # A reviewer's own training says nothing about the cooperative.
    auth.login(make.user("alliance").email)
    html = client.get(results_url(assessment)).get_data(as_text=True)
    assert 'href="/training/etax"' in html and "Đã hoàn thành" not in html


def test_deltas_against_the_previous_assessment(client, auth, make, cooperative, manager):
    first = make.assessment(cooperative)
    second = make.assessment(cooperative, answers=TOP)
    auth.login(manager.email)
    html = client.get(results_url(second)).get_data(as_text=True)
    assert cells(html, "data-dimension", "finance") == ["Tài chính", "100", "60", "58", "+42"]
    assert cells(html, "data-dimension", "security") == ["An toàn thông tin", "100", "50", "66", "+34"]
    assert "+39" in html  # overall 61 → 100
    assert gaps(html) == {}

    third = make.assessment(cooperative, answers=SMALL_ANSWERS)
    html = client.get(results_url(third)).get_data(as_text=True)
    assert cells(html, "data-dimension", "finance")[-2:] == ["100", "-42"]

    # The first round has nothing before it.
    html = client.get(results_url(first)).get_data(as_text=True)
    assert cells(html, "data-dimension", "finance") == ["Tài chính", "58", "60"]
    assert ">Lần trước</th>" not in html


def test_province_average_needs_three_other_cooperatives(client, auth, make, cooperative, manager):
    assessment = make.assessment(cooperative, answers=TOP)
    make.assessment(make.cooperative("HTX Một"), answers=SMALL_ANSWERS)
    make.assessment(make.cooperative("HTX Hai"), answers=LOW)
    make.assessment(make.cooperative("HTX Ngoài tỉnh", province_code=OTHER_PROVINCE, sector="trade"), answers=TOP)
    make.assessment(make.cooperative("HTX Nháp"), submit=False)  # a draft does not count
    auth.login(manager.email)
    html = client.get(results_url(assessment)).get_data(as_text=True)
    assert 'data-peers="province"' not in html
    assert "Chưa có đủ HTX tại Đồng Tháp" in html

    make.assessment(make.cooperative("HTX Ba"), answers=TOP)
    html = client.get(results_url(assessment)).get_data(as_text=True)
    assert 'data-peers="province"' in html
    # (61.11 + 0 + 100) / 3 = 53.70; finance (58.33 + 0 + 100) / 3 = 52.78; security (66.67 + 0 + 100) / 3 = 55.56
    assert cells(html, "data-dimension", "overall")[:4] == ["Tổng hợp", "100", "—", "53"]
    assert cells(html, "data-dimension", "finance")[:4] == ["Tài chính", "100", "60", "52"]
    assert cells(html, "data-dimension", "security")[:4] == ["An toàn thông tin", "100", "50", "55"]
    assert "3 HTX khác tại Đồng Tháp" in html


def test_peer_averages_use_each_cooperatives_latest_assessment_only(client, auth, make, cooperative, manager):
    make.assessment(cooperative, answers=LOW)
    assessment = make.assessment(cooperative, answers=TOP)  # the cooperative itself never counts
    improved = make.cooperative("HTX Một")
    make.assessment(improved, answers=TOP)
    make.assessment(improved, answers=LOW)  # latest: 0
    make.assessment(make.cooperative("HTX Hai"), answers=SMALL_ANSWERS)
    make.assessment(make.cooperative("HTX Ba"), answers=SMALL_ANSWERS)
    auth.login(manager.email)
    html = client.get(results_url(assessment)).get_data(as_text=True)
    # (0 + 61.11 + 61.11) / 3 = 40.74; counting the older round too would give 55.56.
    # Score, target, last round (0), change, province average, same kind and sector (the same three).
    assert cells(html, "data-dimension", "overall") == ["Tổng hợp", "100", "—", "0", "+100", "40", "40"]
    assert "3 HTX khác tại Đồng Tháp" in html


def test_same_kind_and_sector_average_counts_only_that_kind_and_sector(client, auth, make, cooperative, manager):
    assessment = make.assessment(cooperative, answers=TOP)  # htx, agriculture
    make.assessment(make.cooperative("HTX Ngoài tỉnh 1", province_code=OTHER_PROVINCE), answers=LOW)
    make.assessment(make.cooperative("HTX Ngoài tỉnh 2", province_code=OTHER_PROVINCE), answers=LOW)
    make.assessment(make.cooperative("HTX Công nghiệp", sector="industry"), answers=TOP)
    make.assessment(make.cooperative("Tổ hợp tác", kind="tht"), answers=TOP)
    auth.login(manager.email)
    html = client.get(results_url(assessment)).get_data(as_text=True)
    assert 'data-peers="same-kind"' not in html  # two of the same kind and sector so far
    assert "Chưa có đủ HTX cùng loại hình và lĩnh vực" in html

    make.assessment(make.cooperative("HTX Nông nghiệp"), answers=SMALL_ANSWERS)
    html = client.get(results_url(assessment)).get_data(as_text=True)
    assert 'data-peers="province"' in html and 'data-peers="same-kind"' in html
    # Province: (100 + 100 + 61.11) / 3 = 87.04. Same kind and sector: (0 + 0 + 61.11) / 3 = 20.37.
    assert cells(html, "data-dimension", "overall") == ["Tổng hợp", "100", "—", "87", "20"]
    assert cells(html, "data-dimension", "finance") == ["Tài chính", "100", "60", "86", "19"]


def test_dissolved_cooperatives_are_not_peers(app, client, auth, make, cooperative, manager):
    assessment = make.assessment(cooperative, answers=TOP)
    for name in ("HTX Một", "HTX Hai", "HTX Ba"):
        make.assessment(make.cooperative(name), answers=LOW)
    auth.login(manager.email)
    assert 'data-peers="province"' in client.get(results_url(assessment)).get_data(as_text=True)
    with app.app_context():
        # As the register dissolves it: through the model, which keeps the peer totals in step.
        db.session.scalar(select(Cooperative).where(Cooperative.name == "HTX Ba")).status = "dissolved"
        db.session.commit()
    assert 'data-peers="province"' not in client.get(results_url(assessment)).get_data(as_text=True)


def test_alliance_of_the_province_and_admin_see_results(client, auth, make, cooperative):
    assessment = make.assessment(cooperative)
    for user in (make.user("alliance"), make.user("admin")):
        auth.login(user.email)
        assert client.get(results_url(assessment)).status_code == 200
        auth.logout()


def test_another_tenant_gets_404(client, auth, make, cooperative):
    assessment = make.assessment(cooperative)
    other = make.cooperative("HTX Khác")
    for user in (make.user("alliance", province_code=OTHER_PROVINCE), make.user("coop_manager", cooperative=other),
                 make.user("graduate", cooperative=other)):
        auth.login(user.email)
        assert client.get(results_url(assessment)).status_code == 404
        auth.logout()
    auth.login(make.user("alliance").email)
    assert client.get("/assessments/999999/results").status_code == 404


def test_placed_graduate_reads_results_without_the_review_form(client, auth, make, cooperative):
    assessment = make.assessment(cooperative)
    auth.login(make.user("graduate", cooperative=cooperative).email)
    html = client.get(results_url(assessment)).get_data(as_text=True)
    assert '<span class="overall__score">61</span>' in html
    assert "/review" not in html and "<textarea" not in html


def test_member_sees_results_without_the_review_form(client, auth, make, cooperative):
    assessment = make.assessment(cooperative)
    auth.login(make.user("coop_member", cooperative=cooperative).email)
    html = client.get(results_url(assessment)).get_data(as_text=True)
    assert "<svg" in html and "<textarea" not in html


def test_a_draft_has_no_results_page(app, client, auth, make, cooperative, manager):
    draft = make.assessment(cooperative, submit=False)
    auth.login(manager.email)
    response = client.get(results_url(draft))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/assessments/{draft.id}"


def test_results_page_has_no_inline_styles_or_scripts_and_stays_light(client, auth, make, cooperative, manager):
    make.assessment(cooperative)
    assessment = make.assessment(cooperative, answers=TOP)
    for name in ("HTX Một", "HTX Hai", "HTX Ba"):
        make.assessment(make.cooperative(name))
    auth.login(manager.email)
    response = client.get(results_url(assessment))
    html = response.get_data(as_text=True)
    assert 'data-peers="province"' in html and ">Lần trước</th>" in html  # the fullest page
    assert "style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert re.search(r"\son[a-z]+=", html) is None
    assert len(gzip.compress(response.get_data())) < 8_000


def test_print_affordance_works_without_javascript(client, auth, make, cooperative, manager):
    assessment = make.assessment(cooperative)
    auth.login(manager.email)
    html = client.get(results_url(assessment)).get_data(as_text=True)
    assert "data-print hidden" in html  # app.js reveals the button
    assert "hãy dùng lệnh In (Print) của trình duyệt" in html


def test_results_link_to_the_history(client, auth, make, cooperative, manager):
    assessment = make.assessment(cooperative)
    auth.login(manager.email)
    html = client.get(results_url(assessment)).get_data(as_text=True)
    assert f'href="/assessments/history/{cooperative.id}"' in html


def test_results_come_from_stored_scores(app, client, auth, make, cooperative, manager):
    """The page shows what was stored at submit (dashboards aggregate the same numbers)."""
    assessment = make.assessment(cooperative)
    with app.app_context():
        db.session.execute(update(Assessment).where(Assessment.id == assessment.id).values(overall_score=42.4))
        db.session.commit()
    auth.login(manager.email)
    html = client.get(results_url(assessment)).get_data(as_text=True)
    assert '<span class="overall__score">42</span>' in html


def statements_for(app, client, url):
    """How many SQL statements one request runs."""
    with app.app_context():
        engine = db.engine
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_results_page_runs_the_same_number_of_queries_however_many_peers(app, client, auth, make, cooperative,
                                                                          manager):
    make.assessment(cooperative, answers=LOW)
    assessment = make.assessment(cooperative, answers=TOP)
    for n in range(3):
        make.assessment(make.cooperative(f"HTX {n}"))
    auth.login(manager.email)
    client.get(results_url(assessment))  # parse the questionnaire once
    few = statements_for(app, client, results_url(assessment))
    for n in range(3, 9):
        peer = make.cooperative(f"HTX {n}", province_code=OTHER_PROVINCE if n % 2 else PROVINCE)
        make.assessment(peer, answers=LOW)
        make.assessment(peer)
    assert statements_for(app, client, results_url(assessment)) == few


@pytest.mark.parametrize("role", ["coop_manager", "coop_member", "graduate"])
def test_homes_link_to_the_latest_results(client, auth, make, cooperative, role):
    make.assessment(cooperative)
    latest = make.assessment(cooperative)
    auth.login(make.user(role, cooperative=cooperative).email)
    home = client.get("/home").get_data(as_text=True)
    assert f'href="/assessments/{latest.id}/results"' in home
