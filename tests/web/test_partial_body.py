"""A request cut off mid-upload changes nothing, under a real gunicorn.

Gunicorn hands the app a request whose client disconnected half-way through the body; form
parsing would then read what arrived as if it were everything: a text answer truncated in the
middle of a ``%E1%BB`` escape, a number answer missing and so "cleared". The app refuses a body
shorter than its Content-Length before anything reads the form. Gunicorn serves the test database
from a subprocess with one sync worker, so requests are handled one after the other.
"""

from __future__ import annotations

import html
import io
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from app.assessments import drafts
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
TEXT = "security.difficulty"
NUMBER = "security.trained_people"
STORED_TEXT = "Thiếu người biết dùng máy tính"
NEW_TEXT = "Chưa có ai hướng dẫn xã viên dùng điện thoại để nộp thuế và nhận hóa đơn điện tử"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(database_url: str) -> Iterator[int]:
    """The app under gunicorn (one sync worker) over the test database; yields its port."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="partial-body-test", COOPDX_ENV="testing")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "error",
         "app:create_app()"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


@dataclass
class Browser:
    """A logged-in session against the server: its cookie and its CSRF token (sent as a header, as htmx does)."""

    port: int
    cookie: str = ""
    token: str = ""

    def send(self, method: str, path: str, body: str | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers={"Cookie": self.cookie, **(headers or {})})
            response = connection.getresponse()
            cookie = response.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            return response.status, response.read().decode()
        finally:
            connection.close()

    def log_in(self, login: str) -> None:
        _status, page = self.send("GET", "/auth/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, _ = self.send("POST", "/auth/login", urlencode({"login": login, "password": PASSWORD,
                                                                "csrf_token": token}), self.form_headers())
        assert status == 303
        _status, page = self.send("GET", "/home")
        self.token = json.loads(html.unescape(re.search(r'hx-headers="([^"]+)"', page).group(1)))["X-CSRFToken"]

    def form_headers(self) -> dict[str, str]:
        return {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.token,
                "Referer": f"http://127.0.0.1:{self.port}/", "HX-Request": "true"}

    def cut_off(self, path: str, body: str, sent: int) -> None:
        """Send the headers and the first ``sent`` bytes of ``body``, then drop the connection."""
        encoded = body.encode()
        head = "".join([f"POST {path} HTTP/1.1\r\n", f"Host: 127.0.0.1:{self.port}\r\n",
                        f"Cookie: {self.cookie}\r\n", f"Content-Length: {len(encoded)}\r\n",
                        *(f"{name}: {value}\r\n" for name, value in self.form_headers().items()), "\r\n"])
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as connection:
            connection.sendall(head.encode() + encoded[:sent])


def answers(app, assessment_id: int) -> dict[str, object]:
    with app.app_context():
        return drafts.answers_of(assessment_id)


def test_a_save_cut_off_mid_body_changes_nothing(app, make, gunicorn):
    make.questionnaire()
    cooperative = make.cooperative()
    manager = make.user("coop_manager", cooperative=cooperative)
    draft = make.assessment(cooperative, answers={TEXT: STORED_TEXT, NUMBER: 5}, submit=False)
    browser = Browser(gunicorn)
    browser.log_in(manager.email)

    # Each save names the revision of the answer its page shows (1: as stored by the factory).
    text_body = urlencode({f"rev.{TEXT}": 1, TEXT: NEW_TEXT})
    cut = text_body.index("%E1%BB") + len("%E1%B")  # in the middle of a Vietnamese letter's escape
    browser.cut_off(f"/assessments/{draft.id}/answers/{TEXT}", text_body, cut)
    number_body = urlencode({f"rev.{NUMBER}": 1, NUMBER: 12})
    browser.cut_off(f"/assessments/{draft.id}/answers/{NUMBER}", number_body, number_body.index("&") + 10)
    page_body = urlencode({f"rev.{TEXT}": 1, f"rev.{NUMBER}": 1, TEXT: NEW_TEXT, NUMBER: "12", "then": "overview"})
    browser.cut_off(f"/assessments/{draft.id}/dimensions/security", page_body, len(page_body) // 2)

    # One worker handles one request at a time: this one is answered after the cut-off ones.
    status, _ = browser.send("GET", f"/assessments/{draft.id}/dimensions/security")
    assert status == 200
    assert answers(app, draft.id) == {TEXT: STORED_TEXT, NUMBER: 5}

    # The same saves sent whole are stored: the server did read the requests above.
    status, _ = browser.send("POST", f"/assessments/{draft.id}/answers/{TEXT}", text_body, browser.form_headers())
    assert status == 200
    status, _ = browser.send("POST", f"/assessments/{draft.id}/answers/{NUMBER}", number_body, browser.form_headers())
    assert status == 200
    assert answers(app, draft.id) == {TEXT: NEW_TEXT, NUMBER: 12}


@pytest.mark.parametrize("terminated", [False, True], ids=["werkzeug-limited", "server-terminated"])
def test_a_short_body_is_refused_before_anything_reads_the_form(app, client, auth, manager, draft, terminated):
    """The same rule through the test client, for either kind of input stream a server may give."""
    auth.login(manager.email)
    body = urlencode({f"rev.{NUMBER}": 0, NUMBER: 12}).encode()
    response = client.post(f"/assessments/{draft.id}/answers/{NUMBER}", input_stream=io.BytesIO(body[:10]),
                           content_type="application/x-www-form-urlencoded",
                           environ_overrides={"CONTENT_LENGTH": str(len(body)), "wsgi.input_terminated": terminated})
    assert response.status_code == 400
    assert answers(app, draft.id) == {}
