"""A cooperative's assessment history."""

import re

from tests.factories import OTHER_PROVINCE

TOP = {"finance.etax_filing": "online", "finance.einvoice_use": "yes_provider", "finance.einvoice_provider": "yes",
       "security.practices": ["strong_passwords", "two_step"], "security.trained_people": 5}


def rows(html):
    """(assessment id, cells) of each history row, in order."""
    found = []
    for assessment_id, body in re.findall(r'<tr data-assessment="(\d+)">(.*?)</tr>', html, re.S):
        found.append((int(assessment_id), [re.sub(r"<[^>]+>", "", cell).strip()
                                           for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]))
    return found


def test_history_lists_both_rounds_newest_first(app, client, auth, make):
    cooperative = make.cooperative()
    first = make.assessment(cooperative)
    second = make.assessment(cooperative, answers=TOP)
    auth.login(make.user("coop_manager", cooperative=cooperative).email)
    response = client.get(f"/assessments/history/{cooperative.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    listed = rows(html)
    assert [assessment_id for assessment_id, _ in listed] == [second.id, first.id]
    assert listed[0][1][1:4] == ["Đã nộp", "100", "Mức 5 — Dẫn dắt"]
    assert listed[1][1][1:4] == ["Đã nộp", "61", "Mức 3 — Hình thành"]
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", listed[0][1][0])  # the Vietnamese date format
    assert f'href="/assessments/{first.id}/results"' in html and f'href="/assessments/{second.id}/results"' in html


def test_history_shows_the_open_draft(app, client, auth, make):
    cooperative = make.cooperative()
    submitted = make.assessment(cooperative)
    draft = make.assessment(cooperative, submit=False)
    auth.login(make.user("coop_member", cooperative=cooperative).email)
    html = client.get(f"/assessments/history/{cooperative.id}").get_data(as_text=True)
    listed = rows(html)
    assert [assessment_id for assessment_id, _ in listed] == [draft.id, submitted.id]
    assert listed[0][1][1:4] == ["Bản nháp, đang trả lời", "—", "—"]
    assert f'href="/assessments/{draft.id}/results"' not in html
    assert f'href="/assessments/{draft.id}"' in html


def test_history_without_assessments(client, auth, make):
    cooperative = make.cooperative()
    auth.login(make.user("alliance").email)
    html = client.get(f"/assessments/history/{cooperative.id}").get_data(as_text=True)
    assert rows(html) == [] and "<table" not in html


def test_history_is_scoped(client, auth, make):
    cooperative = make.cooperative()
    make.assessment(cooperative)
    for user in (make.user("alliance", province_code=OTHER_PROVINCE),
                 make.user("coop_manager", cooperative=make.cooperative("HTX Khác"))):
        auth.login(user.email)
        assert client.get(f"/assessments/history/{cooperative.id}").status_code == 404
        auth.logout()
    for user in (make.user("graduate", cooperative=cooperative), make.user("alliance"), make.user("admin")):
        auth.login(user.email)
        assert client.get(f"/assessments/history/{cooperative.id}").status_code == 200
        auth.logout()


def test_history_needs_a_login(client, make):
    cooperative = make.cooperative()
    assert client.get(f"/assessments/history/{cooperative.id}").status_code == 302


def test_profile_links_to_the_history(client, auth, make):
    cooperative = make.cooperative()
    auth.login(make.user("coop_manager", cooperative=cooperative).email)
    html = client.get(f"/cooperatives/{cooperative.id}").get_data(as_text=True)
    assert f'href="/assessments/history/{cooperative.id}"' in html
