"""Recommended training on the results page and the homes, from the cooperative's submitted results.

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


def test_next_steps_link_to_the_module_pages(client, auth, assessment, manager):
    log_in(client, auth, manager)
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    steps = re.findall(r"<li>(.*?)</li>", re.search(r'<ol class="steps">(.*?)</ol>', html, re.S).group(1), re.S)
    assert '<a href="/training/cybersecurity">Security</a>' in steps[0]
    assert '<a href="/training/etax">E-tax</a>' in steps[1]
    assert '<a href="/training/einvoice">E-invoices</a>' in steps[2]
    assert "<code>" not in section(html, "Next steps")
    assert client.get("/training/etax").status_code == 200


def test_a_module_not_loaded_stays_a_plain_code(client, auth, make):
    # The questionnaire alone: its next steps name modules nobody loaded.
    coop = make.cooperative("HTX Không học liệu")
    other_manager = make.user("coop_manager", cooperative=coop)
    assessment = make.assessment(coop)
    log_in(client, auth, other_manager)
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert "<code>etax</code>" in html and 'href="/training/etax"' not in html
    assert recommended(html) == []


def test_results_page_recommends_modules_with_their_reasons(client, auth, assessment, manager):
    log_in(client, auth, manager)
    html = section(client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True),
                   "Recommended training")
    assert recommended(html) == ["cybersecurity", "etax", "einvoice"]
    assert reasons(html) == [
        "Because your score in Security is 67: you answered “Two-step login” to “What does the cooperative do?”.",
        ETAX_REASON,
        "Because your score in Finance is 58: you answered “No” to “Are invoices sent to buyers online?”.",
    ]
    assert '<a href="/training/etax"><strong>E-tax</strong></a>' in html


@pytest.mark.parametrize("role", ["alliance", "graduate"])
def test_readers_from_outside_the_cooperative_read_its_name(client, auth, make, cooperative, assessment, role):
    log_in(client, auth, make.user(role, cooperative=cooperative if role == "graduate" else None))
    html = section(client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True),
                   "Recommended training")
    assert reasons(html)[1] == ("Because HTX Tân Hòa scores 58 in Finance: it answered “Someone files for us” to "
                                "“How does the cooperative file tax returns?”.")


def test_recommendations_leave_out_the_modules_the_user_completed(client, auth, assessment, manager):
    log_in(client, auth, manager)
    complete(client, "etax")
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert recommended(section(html, "Recommended training")) == ["cybersecurity", "einvoice"]
    # The next step still says which module fixes it.
    assert '<a href="/training/etax">E-tax</a>' in section(html, "Next steps")


def test_someone_elses_completion_does_not_count(client, auth, make, cooperative, assessment, manager):
    colleague = make.user("coop_member", cooperative=cooperative)
    log_in(client, auth, colleague)
    complete(client, "etax")
    auth.logout()
    log_in(client, auth, manager)
    html = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert "etax" in recommended(section(html, "Recommended training"))


def test_everything_completed_says_so(client, auth, assessment, manager):
    log_in(client, auth, manager)
    for code in ("etax", "einvoice", "cybersecurity"):
        complete(client, code)
    html = section(client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True),
                   "Recommended training")
    assert recommended(html) == []
    assert "No training to recommend" in html


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
