"""Training recommended from a cooperative's submitted results: each next step's modules on the results
page (marked when the viewer completed them), and the recommendations with their reasons on the homes.

Small questionnaire and modules. With SMALL_ANSWERS: finance 58 (target 60), security 67; next steps
are the security practices (cybersecurity), e-tax filing (etax), invoices sent online (einvoice).
"""

import re
from datetime import date

import pytest
from sqlalchemy import event

from app.extensions import db
from app.placements.models import Placement
from tests.web.training_steps import log_in, mark_done, take_quiz

ETAX_REASON = ("Because your score in Finance is 58: you answered “Someone files for us” to "
               "“How does the cooperative file tax returns?”.")


@pytest.fixture
def modules(make):
    return make.modules()


@pytest.fixture
def cooperative(make, modules):
    return make.cooperative("HTX Tân Hòa")


@pytest.fixture
def manager(make, cooperative):
    return make.user("coop_manager", cooperative=cooperative)


@pytest.fixture
def assessment(make, cooperative, manager):
    return make.assessment(cooperative, by=manager)


def section(html, heading):
    """The part of the page from ``heading`` to the end of its section."""
    start = html.index(heading)
    return html[start:html.index("</section>", start)]


def recommended(html):
    """Module codes of the recommendations shown, in order."""
    return re.findall(r'<li class="recommendation" data-module="([\w-]+)">', html)


def reasons(html):
    return [" ".join(text.split()) for text in re.findall(r'<p class="recommendation__reason">(.*?)</p>', html, re.S)]


def complete(client, code):
    mark_done(client, code)
    take_quiz(client, right=5, code=code)


def steps(html):
    """The next steps' items on a results page, in order."""
    return re.split(r'<li class="step">', re.search(r'<ol class="steps">(.*?)</ol>', html, re.S).group(1))[1:]


def step_modules(html):
    """Per next step: its modules as (code, completed) pairs."""
    return [[(code, "Completed" in body) for code, body in
             re.findall(r'<p class="step__module" data-module="([\w-]+)">(.*?)</p>', item, re.S)] for item in steps(html)]


def test_next_steps_link_to_the_module_pages(client, auth, assessment, manager):
    log_in(client, auth, manager)
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    items = steps(html)
    assert '<a href="/training/cybersecurity">Security</a>' in items[0]
    assert '<a href="/training/etax">E-tax</a>' in items[1]
    assert '<a href="/training/einvoice">E-invoices</a>' in items[2]
    assert "<code>" not in section(html, "Next steps")
    assert client.get("/training/etax").status_code == 200


def test_the_next_steps_are_the_one_list_of_training_on_the_results_page(client, auth, assessment, manager):
    log_in(client, auth, manager)
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert step_modules(html) == [[("cybersecurity", False)], [("etax", False)], [("einvoice", False)]]
    assert "Recommended training" not in html and recommended(html) == []
    assert html.count('href="/training/etax"') == 1


def test_a_module_not_loaded_is_left_out_of_its_step(client, auth, make):
    # The questionnaire alone: its next steps name modules nobody loaded.
    coop = make.cooperative("HTX Không học liệu")
    other_manager = make.user("coop_manager", cooperative=coop)
    assessment = make.assessment(coop)
    log_in(client, auth, other_manager)
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert "<code>" not in html and 'href="/training/etax"' not in html
    assert step_modules(html) == [[], [], []]


def test_readers_from_outside_the_cooperative_see_no_completion_marks(client, auth, make, cooperative, assessment):
    alliance = make.user("alliance")
    log_in(client, auth, alliance)
    complete(client, "etax")
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert step_modules(html)[1] == [("etax", False)]


def test_each_step_says_which_modules_the_viewer_completed(client, auth, assessment, manager):
    log_in(client, auth, manager)
    complete(client, "etax")
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert step_modules(html) == [[("cybersecurity", False)], [("etax", True)], [("einvoice", False)]]


def test_someone_elses_completion_does_not_count(client, auth, make, cooperative, assessment, manager):
    colleague = make.user("coop_member", cooperative=cooperative)
    log_in(client, auth, colleague)
    complete(client, "etax")
    auth.logout()
    log_in(client, auth, manager)
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert step_modules(html)[1] == [("etax", False)]


def test_everything_completed_says_so(client, auth, assessment, manager):
    log_in(client, auth, manager)
    for code in ("etax", "einvoice", "cybersecurity"):
        complete(client, code)
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert step_modules(html) == [[("cybersecurity", True)], [("etax", True)], [("einvoice", True)]]


def test_cooperative_home_recommends_from_the_latest_submitted_results(client, auth, make, cooperative, assessment):
    member = make.user("coop_member", cooperative=cooperative)
    log_in(client, auth, member)
    complete(client, "cybersecurity")
    html = client.get("/home").get_data(as_text=True)
    assert "Recommended training" in html
    assert recommended(html) == ["etax", "einvoice"]
    assert reasons(html)[0] == ETAX_REASON


def test_cooperative_home_without_submitted_results_recommends_nothing(client, auth, make, cooperative, manager):
    make.assessment(cooperative, submit=False)
    log_in(client, auth, manager)
    html = client.get("/home").get_data(as_text=True)
    assert "Recommended training" not in html and recommended(html) == []


def test_graduate_home_recommends_from_the_host_cooperatives_results(client, auth, make, cooperative, assessment):
    graduate = make.user("graduate", cooperative=cooperative)
    log_in(client, auth, graduate)
    complete(client, "einvoice")
    html = client.get("/home").get_data(as_text=True)
    assert "Recommended training from its results" in html
    assert recommended(html) == ["cybersecurity", "etax"]
    assert reasons(html)[1] == ("Because HTX Tân Hòa scores 58 in Finance: it answered “Someone files for us” to "
                                "“How does the cooperative file tax returns?”.")


def test_recommendations_in_vietnamese_use_the_vietnamese_content(client, auth, assessment, manager):
    log_in(client, auth, manager, language="vi")
    html = client.get("/home").get_data(as_text=True)
    assert recommended(html) == ["cybersecurity", "etax", "einvoice"]
    assert "Nhờ người khác" in reasons(html)[1] and "Tài chính" in reasons(html)[1]


def statements_for(app, client, url):
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_graduate_home_runs_the_same_number_of_queries_however_many_hosts(app, client, auth, make, cooperative,
                                                                          assessment):
    graduate = make.user("graduate", cooperative=cooperative)
    log_in(client, auth, graduate)
    client.get("/home")  # parse the content once
    one_host = statements_for(app, client, "/home")
    for name in ("HTX Hai", "HTX Ba"):
        host = make.cooperative(name)
        make.assessment(host)
        with app.app_context():
            db.session.add(Placement(graduate_id=graduate.id, cooperative_id=host.id, starts_on=date(2025, 9, 1),
                                     ends_on=date(2028, 8, 31)))
            db.session.commit()
    html = client.get("/home").get_data(as_text=True)
    assert html.count("Recommended training from its results") == 3
    assert statements_for(app, client, "/home") == one_host
