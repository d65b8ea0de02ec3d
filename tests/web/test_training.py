"""Training pages: catalogue (filter, search, progress), module and lesson pages, lessons done, the quiz."""

import re

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.training import progress
from app.training.models import LessonProgress, QuizAttempt
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD
from tests.web.training_steps import LESSONS, answers, log_in, mark_done, quiz_token, take_quiz

@pytest.fixture
def modules(make):
    return make.modules()


@pytest.fixture
def cooperative(make):
    return make.cooperative()


@pytest.fixture
def member(make, cooperative):
    return make.user("coop_member", cooperative=cooperative)


@pytest.fixture
def learner(client, auth, modules, member):
    """A cooperative member logged in, reading in English."""
    log_in(client, auth, member)
    return member


def listed(html):
    """The module codes the catalogue lists, in order."""
    return re.findall(r'<a href="/training/([\w-]+)"><strong>', html)


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_training_needs_a_login(client, modules):
    for url in ("/training/", "/training/etax", "/training/etax/lessons/01-bai", "/training/etax/quiz"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["coop_manager", "coop_member", "graduate", "alliance", "admin"])
def test_every_role_sees_the_catalogue(client, auth, make, modules, cooperative, role):
    log_in(client, auth, make.user(role, cooperative=cooperative))
    html = client.get("/training/").get_data(as_text=True)
    assert sorted(listed(html)) == ["cybersecurity", "einvoice", "etax"]


def test_catalogue_shows_each_module_with_the_users_progress(client, learner):
    mark_done(client, "etax", ("01-bai",))
    take_quiz(client, right=5, code="einvoice")
    mark_done(client, "cybersecurity")
    take_quiz(client, right=5, code="cybersecurity")
    html = client.get("/training/").get_data(as_text=True)
    assert listed(html) == ["einvoice", "etax", "cybersecurity"]  # by title: E-invoices, E-tax, Security
    items = dict(zip(listed(html), html.split('<li class="module-item">')[1:]))
    assert "E-tax" in items["etax"] and "Summary of E-tax." in items["etax"]
    assert "10 minutes · 3 lessons · Finance" in " ".join(items["etax"].split())
    assert "Security</strong>" in items["cybersecurity"] and "· Security" in " ".join(items["cybersecurity"].split())
    assert "1 of 3 lessons" in items["etax"] and "Quiz passed" not in items["etax"]
    assert "Quiz passed" in items["einvoice"] and "0 of 3 lessons" in items["einvoice"]
    assert "Completed" in items["cybersecurity"]


def test_a_new_user_has_started_nothing(client, learner):
    html = client.get("/training/").get_data(as_text=True)
    assert html.count("Not started") == 3


@pytest.mark.parametrize(("query", "expected"), [
    ("q=hoa+don", ["einvoice"]),
    ("q=H%C3%93A+%C4%90%C6%A0N", ["einvoice"]),  # "HÓA ĐƠN"
    ("q=thue", ["etax"]),
    ("q=dien+tu", ["einvoice", "etax"]),
    ("q=tom+tat", ["cybersecurity", "einvoice", "etax"]),  # every summary starts "Tóm tắt"
    ("q=security", []),  # the English title is not searched in Vietnamese
    ("dimension=security", ["cybersecurity"]),
    ("dimension=finance&q=hoa", ["einvoice"]),
    ("dimension=astrology", ["cybersecurity", "einvoice", "etax"]),
])
def test_catalogue_search_is_accent_insensitive_in_the_users_language(client, auth, modules, member, query,
                                                                         expected):
    log_in(client, auth, member, language="vi")
    html = client.get(f"/training/?{query}").get_data(as_text=True)
    assert sorted(listed(html)) == expected
    if not expected:
        assert "Không có học phần nào phù hợp" in html


def test_catalogue_search_in_english(client, learner):
    html = client.get("/training/?q=invoice").get_data(as_text=True)
    assert listed(html) == ["einvoice"]


def test_filter_state_stays_in_the_form(client, learner):
    html = client.get("/training/?q=tax&dimension=finance").get_data(as_text=True)
    assert 'name="q" value="tax"' in html
    assert '<option value="finance" selected>Finance</option>' in html
    assert '<option value="security">Security</option>' in html
    assert '<option value="strategy"' not in html  # no module serves it


def test_catalogue_three_ways(client, learner):
    whole = client.get("/training/?q=tax")
    assert "<html" in whole.get_data(as_text=True)
    assert "HX-Request" in whole.headers["Vary"]

    fragment = client.get("/training/?q=tax", headers={"HX-Request": "true", "HX-Target": "modules"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and 'role="search"' not in body
    assert listed(body) == ["etax"]
    assert fragment.headers["Cache-Control"] == "no-store"

    boosted = client.get("/training/?q=tax", headers={"HX-Request": "true", "HX-Boosted": "true",
                                                     "HX-Target": "modules"})
    assert "<html" in boosted.get_data(as_text=True)


def test_filter_form_is_active_search_and_works_without_javascript(client, learner):
    page = client.get("/training/").get_data(as_text=True)
    start = page.index('role="search"')
    form = page[page.rindex("<form", 0, start):page.index("</form>", start)]
    assert 'method="get"' in form and 'action="/training/"' in form
    assert 'hx-get="/training/"' in form and 'hx-target="#modules"' in form and 'hx-push-url="true"' in form
    assert '<button type="submit"' in form
    assert page.count('id="modules"') == 1


def test_module_page_lists_lessons_and_starts_at_the_first(client, learner):
    html = client.get("/training/etax").get_data(as_text=True)
    assert "<h1>E-tax</h1>" in html and "Summary of E-tax." in html
    assert [f"/training/etax/lessons/{code}" for code in LESSONS] == re.findall(
        r'href="(/training/etax/lessons/[\w-]+)">Lesson', html)
    assert re.search(r'href="/training/etax/lessons/01-bai">\s*Start\s*</a>', html)
    assert 'href="/training/etax/quiz"' in html
    assert "You have not taken the quiz yet." in html
    assert "Open your certificate" not in html


def test_unknown_module_or_lesson_is_404(client, learner):
    assert client.get("/training/nothing").status_code == 404
    assert client.get("/training/etax/lessons/99-bai").status_code == 404
    assert client.post("/training/etax/lessons/99-bai/done").status_code == 404
    assert client.get("/training/nothing/quiz").status_code == 404
    assert client.post("/training/nothing/quiz", data={"token": "x" * 20}).status_code == 404


def test_lesson_page_renders_the_markdown_with_previous_and_next(client, learner):
    html = client.get("/training/etax/lessons/02-bai").get_data(as_text=True)
    assert "<h1>Lesson 2</h1>" in html
    assert "<h2>Lesson 2</h2>" in html and "<li>Step one.</li>" in html
    assert "Lesson 2 of 3" in html
    assert 'rel="prev" href="/training/etax/lessons/01-bai"' in html
    assert 'rel="next" href="/training/etax/lessons/03-bai"' in html
    assert 'action="/training/etax/lessons/02-bai/done"' in html and "Mark as done" in html

    first = client.get("/training/etax/lessons/01-bai").get_data(as_text=True)
    assert 'rel="prev"' not in first
    last = client.get("/training/etax/lessons/03-bai").get_data(as_text=True)
    assert 'rel="next"' not in last and 'href="/training/etax/quiz"' in last


def test_module_and_lesson_pages_say_which_laws_the_content_follows(client, learner):
    for url in ("/training/etax", "/training/etax/lessons/02-bai"):
        html = client.get(url).get_data(as_text=True)
        block = html[html.index('<section class="card module-section legal-basis"'):]
        block = block[:block.index("</section>")]
        assert '<h2 id="legal-basis-title">Legal basis</h2>' in block
        assert "Content updated to the rules in force as of 11/2026" in block
        assert "<li>Test legal text no. 1</li>" in block


def test_the_legal_basis_in_vietnamese(client, auth, modules, member):
    log_in(client, auth, member, language="vi")
    html = client.get("/training/etax/lessons/01-bai").get_data(as_text=True)
    assert "Căn cứ pháp lý" in html and "Nội dung cập nhật theo quy định đến 11/2026" in html
    assert "<li>Văn bản thử nghiệm số 1</li>" in html


def test_lesson_in_vietnamese(client, auth, modules, member):
    log_in(client, auth, member, language="vi")
    html = client.get("/training/etax/lessons/01-bai").get_data(as_text=True)
    assert "<h1>Bài 1</h1>" in html and "<li>Bước một.</li>" in html


def test_mark_as_done_goes_on_and_a_second_click_changes_nothing(app, client, learner):
    first = client.post("/training/etax/lessons/01-bai/done")
    assert first.status_code == 303 and first.headers["Location"] == "/training/etax/lessons/02-bai"
    with app.app_context():
        done_at = db.session.scalar(select(LessonProgress.done_at))
    again = client.post("/training/etax/lessons/01-bai/done")
    assert again.status_code == 303 and again.headers["Location"] == "/training/etax/lessons/02-bai"
    assert count(app, LessonProgress) == 1
    with app.app_context():
        assert db.session.scalar(select(LessonProgress.done_at)) == done_at
    html = client.get("/training/etax/lessons/01-bai").get_data(as_text=True)
    assert "You have marked this lesson as done." in html and "Mark as done" not in html


def test_marking_the_last_lesson_leads_to_the_module_page(client, learner):
    response = client.post("/training/etax/lessons/03-bai/done")
    assert response.headers["Location"] == "/training/etax"


def test_get_pages_change_nothing(app, client, learner):
    for url in ("/training/", "/training/etax", "/training/etax/lessons/01-bai", "/training/etax/quiz"):
        client.get(url)
    assert count(app, LessonProgress) == count(app, QuizAttempt) == 0


@pytest.mark.parametrize(("done", "resume"), [
    (("01-bai",), "02-bai"),
    (("01-bai", "02-bai"), "03-bai"),
    (("01-bai", "03-bai"), "02-bai"),
])
def test_the_module_page_resumes_at_the_first_lesson_not_done(client, learner, done, resume):
    mark_done(client, "etax", done)
    html = client.get("/training/etax").get_data(as_text=True)
    assert re.search(rf'href="/training/etax/lessons/{resume}">\s*Continue\s*</a>', html)
    assert html.count("✓ Done") == len(done)
    assert f"{len(done)} of 3 lessons" in html


def test_all_lessons_done_points_to_the_quiz(client, learner):
    mark_done(client)
    html = client.get("/training/etax").get_data(as_text=True)
    assert "Continue" not in html and "Start<" not in html
    assert re.search(r'<a class="button" href="/training/etax/quiz">Take the quiz</a>', html)


def test_quiz_page_has_every_question_and_a_new_token_each_time(client, learner):
    html = client.get("/training/etax/quiz").get_data(as_text=True)
    for number in range(1, 6):
        assert f'name="answer-q{number}" value="a"' in html and f'name="answer-q{number}" value="b"' in html
        assert f"Question {number}?" in html
    assert html.count('type="radio"') == 10
    assert "you pass with 80% right" in html
    assert quiz_token(client) != quiz_token(client)


def test_fail_read_the_explanations_retry_pass_and_keep_the_best_score(client, learner):
    failed = take_quiz(client, right=3)
    assert re.fullmatch(r"/training/etax/quiz/attempts/\d+", failed.headers["Location"])
    html = client.get(failed.headers["Location"]).get_data(as_text=True)
    assert "Not passed yet" in html and "60%" in html and "3 of 5 answers right" in html
    assert html.count("✓ Right") == 3 and html.count("✗ Wrong") == 2
    assert html.count("Because it is right.") == 5  # three chosen right, plus the right answer to both misses
    assert html.count("Because it is wrong.") == 2
    assert html.count("The right answer:") == 2
    assert 'href="/training/etax/quiz">Try again</a>' in html

    passed = take_quiz(client, right=5)
    html = client.get(passed.headers["Location"]).get_data(as_text=True)
    assert "Passed" in html and "100%" in html and "✗" not in html

    take_quiz(client, right=4)
    module_page = client.get("/training/etax").get_data(as_text=True)
    assert "Your best score: 100%" in module_page
    assert re.findall(r'<td class="num">(\d+)%</td>', module_page) == ["80", "100", "60"]  # newest first
    assert module_page.count("/training/etax/quiz/attempts/") == 3


def test_skipped_questions_count_as_wrong_and_are_named(client, learner):
    response = take_quiz(client, right=3, answered=3)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You skipped 2 questions: they count as wrong." in html
    assert html.count("✗ Not answered") == 2
    assert "60%" in html


def test_the_same_attempt_sent_twice_counts_once(app, client, learner):
    token = quiz_token(client)
    first = take_quiz(client, right=2, token=token)
    second = take_quiz(client, right=5, token=token)
    assert second.headers["Location"] == first.headers["Location"]
    assert count(app, QuizAttempt) == 1
    with app.app_context():
        assert db.session.scalar(select(QuizAttempt.percent)) == 40


def test_a_concurrent_duplicate_is_caught_by_the_unique_token(app, client, learner, monkeypatch):
    token = quiz_token(client)
    first = take_quiz(client, right=5, token=token)
    # The second request checks before the first has committed: it sees nothing and inserts too.
    real = progress.attempt_by_token
    calls = []

    def not_yet_committed(value):
        calls.append(value)
        return None if len(calls) == 1 else real(value)

    monkeypatch.setattr(progress, "attempt_by_token", not_yet_committed)
    second = take_quiz(client, right=1, token=token)
    assert len(calls) == 2
    assert second.headers["Location"] == first.headers["Location"]
    assert count(app, QuizAttempt) == 1


def test_a_quiz_sent_without_its_token_is_shown_again_as_typed(app, client, learner):
    response = client.post("/training/etax/quiz", data=answers(right=2))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Your answers were not sent" in html
    assert 'name="answer-q1" value="a" checked' in html and 'name="answer-q5" value="b" checked' in html
    assert re.search(r'name="token" type="hidden" value="[\w-]{20,}"', html)
    assert count(app, QuizAttempt) == 0


def test_another_users_attempt_is_404(client, auth, make, modules, cooperative, learner):
    location = take_quiz(client, right=5).headers["Location"]
    assert client.get(location).status_code == 200
    assert client.get(location.replace("/etax/", "/einvoice/")).status_code == 404
    auth.logout()
    log_in(client, auth, make.user("coop_manager", cooperative=cooperative))
    assert client.get(location).status_code == 404


def statements_for(app, client, url):
    """How many SQL statements one request runs."""
    with app.app_context():
        engine = db.engine
    statements = []

    def counted(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", counted)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return len(statements)


def test_the_catalogue_runs_the_same_number_of_queries_however_much_progress(app, client, learner):
    mark_done(client, "etax", ("01-bai",))
    take_quiz(client, right=1, code="etax")
    client.get("/training/")
    some = statements_for(app, client, "/training/")
    for code in ("einvoice", "cybersecurity"):
        mark_done(client, code)
        take_quiz(client, right=5, code=code)
        take_quiz(client, right=2, code=code)
    assert statements_for(app, client, "/training/") == some


@pytest.mark.csrf
def test_lesson_and_quiz_forms_carry_their_csrf_token(app, client, modules, member):
    login_page = client.get("/auth/login").get_data(as_text=True)
    client.post("/auth/login", data={"login": member.email, "password": PASSWORD,
                                     "csrf_token": csrf_token_from(login_page)})
    assert client.post("/training/etax/lessons/01-bai/done").status_code == 400
    lesson = client.get("/training/etax/lessons/01-bai").get_data(as_text=True)
    done = client.post("/training/etax/lessons/01-bai/done", data={"csrf_token": csrf_token_from(lesson)})
    assert done.status_code == 303 and count(app, LessonProgress) == 1

    quiz = client.get("/training/etax/quiz").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', quiz).group(1)
    assert client.post("/training/etax/quiz", data={"token": token, **answers(5)}).status_code == 400
    sent = client.post("/training/etax/quiz", data={"token": token, "csrf_token": csrf_token_from(quiz),
                                                    **answers(5)})
    assert sent.status_code == 303 and count(app, QuizAttempt) == 1
