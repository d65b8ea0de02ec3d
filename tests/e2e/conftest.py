"""Browser tests: the app served on a real port over the test database, driven in Chromium.

The live server is one long-lived app on the same database URL as the per-test ``app``
fixture, so rows made with ``make.<factory>`` are what the browser sees, and the tables are
emptied after every test as for the other tests. Fixtures meant for reuse: ``live_server``
(``.url``, ``.configured(...)``), ``login(page, user)`` and ``console_errors``
(``watch_console_errors(page)`` for a page of another browser context); ``open_menu(page)``
opens the header's menu.

Every page a browser test visits is checked for accessibility without the test asking: axe-core
finds no serious or critical violation and every tap target is at least 24 × 24 px (see
``tests/e2e/accessibility.py``).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, Response
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.auth.models import User
from app.extensions import db, limiter
from tests.conftest import base_config
from tests.e2e.accessibility import Auditor, watching_actions
from tests.factories import PASSWORD

E2E_DIRECTORY = Path(__file__).parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Every browser test logs in; only the rate-limit test wants a limit it can reach.
GENEROUS_LOGIN_LIMIT = "10000 per minute"
MOBILE_VIEWPORT = {"width": 360, "height": 740}
HOME_URL = re.compile(r"/home$")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under ``tests/e2e`` so ``-m "not e2e"`` leaves the browser out."""
    for item in items:
        if E2E_DIRECTORY in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The system Chromium; its absence fails the run in CI and skips the browser tests elsewhere."""
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.access(path, os.X_OK):
        message = (f"Chromium not found at {path}: install it (apt-get install -y chromium) "
                   "or set CHROMIUM_PATH")
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler without the access log (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def buffered(app: Flask) -> Callable[[dict[str, Any], Callable[..., Any]], list[bytes]]:
    """The app with each response body read and closed before it is sent.

    A browser may drop a connection mid-response (a page closed while its favicon loads);
    Werkzeug's server then skips ``close()`` on the body, and the open static file becomes a
    ResourceWarning, an error under ``filterwarnings = error``.
    """

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return serve


@dataclass
class LiveServer:
    """The app behind a real port: ``url`` for the browser, ``app`` for its configuration."""

    app: Flask
    url: str

    @contextmanager
    def configured(self, **settings: Any) -> Iterator[None]:
        """Change configuration values for the duration of a ``with`` block.

        Only settings read per request take effect (e.g. ``LOGIN_LIMIT_PER_ACCOUNT``).
        """
        previous = {key: self.app.config[key] for key in settings}
        self.app.config.update(settings)
        try:
            yield
        finally:
            self.app.config.update(previous)


@pytest.fixture(scope="session")
def live_server(database_url: str) -> Iterator[LiveServer]:
    """The app served by Werkzeug on 127.0.0.1 (a free port) in a daemon thread, for the session."""
    config = base_config(database_url)
    config.update(LOGIN_LIMIT_PER_ACCOUNT=GENEROUS_LOGIN_LIMIT, LOGIN_LIMIT_PER_ADDRESS=GENEROUS_LOGIN_LIMIT)
    app = create_app(config)
    server = make_server("127.0.0.1", 0, buffered(app), threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _browser_session(chromium_executable: str, live_server: LiveServer) -> None:
    """Check for Chromium first, and start the server before the browser so it stops after it."""


@pytest.fixture(autouse=True)
def _browser_test(app: Flask) -> None:
    """Set up the per-test app (whose teardown empties the tables) before the page, so the page
    closes first; and start every test with no login attempts counted."""
    limiter.reset()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], chromium_executable: str) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": chromium_executable,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], base_url: str) -> dict[str, Any]:
    """A phone-sized window in Vietnamese: the people this app is for."""
    return {**browser_context_args, "base_url": base_url, "viewport": MOBILE_VIEWPORT, "locale": "vi-VN"}


@pytest.fixture
def accessibility(browser_context_args: dict[str, Any], base_url: str) -> Auditor:
    """The auditor of this test's pages (``new_context`` puts every page under it)."""
    return Auditor(base_url, browser_context_args)


@pytest.fixture
def new_context(new_context: Callable[..., BrowserContext],
                accessibility: Auditor) -> Iterator[Callable[..., BrowserContext]]:
    """pytest-playwright's ``new_context`` (behind ``context`` and ``page`` too), with every page of every
    context audited for accessibility: each document is checked before the test's next action on its
    page, and the last ones before the contexts close; the first problem fails the test."""
    auditor = accessibility

    def create(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        auditor.watch(context, javascript=kwargs.get("java_script_enabled", True))
        return context

    with watching_actions(auditor):
        yield create
        auditor.audit_all()


def open_menu(page: Page) -> None:
    """Open the header's menu (a ``<details>``), where the navigation, log-out and language are."""
    menu = page.locator("details.site-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()


def submit_login_form(page: Page, login: str, password: str) -> Response:
    """Fill and send the log-in form; returns the answer to the POST (before any redirect)."""
    page.goto("/auth/login")
    form = page.locator("form:has(input[name='password'])")
    form.locator("input[name='login']").fill(login)
    form.locator("input[name='password']").fill(password)
    with page.expect_response(lambda r: r.request.method == "POST" and "/auth/login" in r.url) as answer:
        form.locator("button[type='submit']").click()
    page.wait_for_load_state()
    return answer.value


@pytest.fixture
def login() -> Callable[[Page, User], None]:
    """``login(page, user)``: log in through the form and wait for the user's home."""

    def log_in(page: Page, user: User, password: str = PASSWORD) -> None:
        answer = submit_login_form(page, user.email or user.phone or "", password)
        assert answer.status == 303, f"log-in answered {answer.status}"
        page.wait_for_url(HOME_URL)

    return log_in


def watch_console_errors(page: Page) -> list[str]:
    """Console errors (CSP violations and failed loads included) and uncaught exceptions on ``page``,
    collected from now on into the returned list (for pages of contexts a test makes itself)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return errors


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Console errors (CSP violations and failed loads included) and uncaught exceptions on ``page``."""
    return watch_console_errors(page)
