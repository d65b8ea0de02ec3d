"""A training module in a real browser on a phone-sized screen: a graduate reads every lesson,
fails the quiz and reads why, passes on the second try, opens the certificate, and someone with
no account checks it at the public verification address (small test module ``etax``: three
lessons, five questions whose option ``a`` is right, pass mark 80)."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from app.training import store
from app.training.modules import Module, QuizQuestion
from tests.e2e.conftest import MOBILE_VIEWPORT, LiveServer, open_menu, watch_console_errors

COOPERATIVE = "Hợp tác xã Dịch vụ Nông nghiệp Mỹ An"
GRADUATE = "Trần Minh Khoa"
MODULE = "etax"
MODULE_PATH = f"/training/{MODULE}"
QUIZ_PATH = f"{MODULE_PATH}/quiz"
LESSONS = ("01-bai", "02-bai", "03-bai")
QUESTIONS = ("q1", "q2", "q3", "q4", "q5")
RIGHT, WRONG = "a", "b"
# Three of five right is 60%, under the pass mark of 80.
ANSWERED_WRONG = {"q2", "q4"}
ATTEMPT_URL = re.compile(re.escape(QUIZ_PATH) + r"/attempts/\d+$")
CERTIFICATE_URL = re.compile(r"/training/certificates/[A-Za-z0-9_-]{16,}$")
LOGOUT_BUTTON = "form[action$='/auth/logout'] button"


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= MOBILE_VIEWPORT["width"]


def module_content(live_server: LiveServer) -> Module:
    """The module as the server loaded it, to compare the pages with its own words."""
    with live_server.app.app_context():
        version = store.latest(MODULE)
        assert version is not None
        return store.module_of(version)


def read_every_lesson(page: Page) -> None:
    """From the module page: start, then mark each lesson done; each time the next one opens,
    and after the last one the module page."""
    page.locator(f"main .actions a[href$='{MODULE_PATH}/lessons/{LESSONS[0]}']").click()
    for position, lesson in enumerate(LESSONS):
        page.wait_for_url(re.compile(re.escape(f"{MODULE_PATH}/lessons/{lesson}") + "$"))
        expect(page.locator("main .lesson__body")).not_to_be_empty()
        assert fits_the_screen(page), f"lesson {lesson} is wider than the screen"
        page.locator(f"form[action$='{MODULE_PATH}/lessons/{lesson}/done'] button[type='submit']").click()
        if position + 1 < len(LESSONS):
            following = LESSONS[position + 1]
            page.wait_for_url(re.compile(re.escape(f"{MODULE_PATH}/lessons/{following}") + "$"))
    page.wait_for_url(re.compile(re.escape(MODULE_PATH) + "$"))
    expect(page.locator("main .lesson-list__item--done")).to_have_count(len(LESSONS))


def send_answers(page: Page, choices: dict[str, str]) -> None:
    """On the quiz page: tick one option per question, send, and wait for the attempt's result."""
    page.wait_for_url(re.compile(re.escape(QUIZ_PATH) + "$"))
    form = page.locator(f"form[action$='{QUIZ_PATH}']")
    expect(form.locator("input[type='radio']:checked")).to_have_count(0)
    for question, option in choices.items():
        form.locator(f"#answer-{question}-{option}").check()
    assert fits_the_screen(page), "the quiz is wider than the screen"
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(QUIZ_PATH)) as answer:
        form.locator("button[type='submit']").click()
    assert answer.value.status == 303
    page.wait_for_url(ATTEMPT_URL)


def explanation(question: QuizQuestion, option: str, locale: str) -> str:
    chosen = question.option(option)
    assert chosen is not None, f"{question.code} has no option {option}"
    return chosen.explanation(locale)


def expect_marked(item: Locator, content: Module, index: int, chosen: str, locale: str) -> None:
    """One answer of the result: right or wrong, with the chosen option's explanation and, when
    wrong, the right option's explanation too."""
    question = content.quiz[index]
    explanations = [explanation(question, chosen, locale)]
    if chosen == question.correct_code:
        expect(item).to_have_class(re.compile(r"\bmarked__item--right\b"))
    else:
        expect(item).to_have_class(re.compile(r"\bmarked__item--wrong\b"))
        explanations.append(explanation(question, question.correct_code, locale))
    expect(item.locator(".marked__question")).to_have_text(question.text(locale))
    expect(item.locator(".marked__verdict").first).to_be_visible()
    shown = item.locator(".marked__explanation")
    expect(shown).to_have_text(explanations)
    for position in range(len(explanations)):
        expect(shown.nth(position)).to_be_visible()


def test_a_graduate_fails_then_passes_a_module_and_anyone_can_verify_the_certificate(
        page: Page, new_context, make, login, live_server, console_errors):
    make.questionnaire()
    make.modules()
    cooperative = make.cooperative(COOPERATIVE)
    login(page, make.user("graduate", cooperative=cooperative, name=GRADUATE))
    content = module_content(live_server)
    locale = page.locator("html").get_attribute("lang") or ""
    title = content.title(locale)

    open_menu(page)
    page.locator("nav.site-nav a[href$='/training/']").click()
    page.wait_for_url(re.compile(r"/training/$"))
    page.locator(f"#modules a[href$='{MODULE_PATH}']").click()
    page.wait_for_url(re.compile(re.escape(MODULE_PATH) + "$"))
    expect(page.locator("main h1")).to_have_text(title)

    read_every_lesson(page)

    page.locator(f"main .actions a[href$='{QUIZ_PATH}']").click()
    first_try = {q: WRONG if q in ANSWERED_WRONG else RIGHT for q in QUESTIONS}
    send_answers(page, first_try)

    expect(page.locator("main .quiz-score--failed")).to_be_visible()
    expect(page.locator("main .quiz-score__number")).to_have_text("60%")
    expect(page.locator("main a[href*='/training/certificates/']")).to_have_count(0)
    items = page.locator("main .marked__item")
    expect(items).to_have_count(len(QUESTIONS))
    for index, question in enumerate(QUESTIONS):
        expect_marked(items.nth(index), content, index, first_try[question], locale)
    expect(page.locator("main .marked__item--wrong")).to_have_count(len(ANSWERED_WRONG))
    assert fits_the_screen(page), "the quiz result is wider than the screen"

    page.locator(f"main .actions a[href$='{QUIZ_PATH}']").click()
    send_answers(page, {q: RIGHT for q in QUESTIONS})

    expect(page.locator("main .quiz-score--passed")).to_be_visible()
    expect(page.locator("main .quiz-score__number")).to_have_text("100%")
    expect(page.locator("main .marked__item--right")).to_have_count(len(QUESTIONS))
    expect(page.locator("main .marked__item--wrong")).to_have_count(0)

    page.locator("main .actions a[href*='/training/certificates/']").click()
    page.wait_for_url(CERTIFICATE_URL)
    certificate = page.locator("main .certificate")
    expect(certificate.locator(".certificate__name")).to_have_text(GRADUATE)
    expect(certificate.locator(".certificate__module")).to_have_text(title)
    expect(certificate).to_contain_text(COOPERATIVE)
    code = certificate.locator(".certificate__facts code").inner_text()
    assert page.url.endswith(f"/training/certificates/{code}")
    verification_url = certificate.locator(".certificate__url a").get_attribute("href") or ""
    assert verification_url == f"{live_server.url}/verify/{code}", verification_url
    expect(certificate.locator(".certificate__url a")).to_have_text(verification_url)
    assert fits_the_screen(page), "the certificate is wider than the screen"
    assert console_errors == []

    visitor = new_context().new_page()
    visitor_errors = watch_console_errors(visitor)
    opened = visitor.goto(verification_url)

    assert opened is not None and opened.status == 200
    expect(visitor.locator(LOGOUT_BUTTON)).to_have_count(0)
    verdict = visitor.locator("main .verification--valid")
    expect(verdict).to_be_visible()
    expect(verdict).to_contain_text(GRADUATE)
    expect(verdict).to_contain_text(title)
    expect(visitor.locator("body")).not_to_contain_text(COOPERATIVE)
    assert fits_the_screen(visitor), "the verification page is wider than the screen"
    assert visitor_errors == []

    unknown = visitor.goto(f"{live_server.url}/verify/{'x' * len(code)}")

    assert unknown is not None and unknown.status == 404
    expect(visitor.locator("main .verification--unknown h1")).not_to_be_empty()
    expect(visitor.locator("main .verification--valid")).to_have_count(0)
    expect(visitor.locator("body")).not_to_contain_text(GRADUATE)
    # Chromium reports every 4xx page as a failed load; nothing else may appear.
    assert len(visitor_errors) == 1 and "404" in visitor_errors[0], visitor_errors
