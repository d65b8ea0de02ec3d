"""Autosave throughput against a bare Flask route served the same way (DESIGN §7: ≥ 50 %).

Builds a throw-away SQLite database with the real questionnaire, serves the app with gunicorn
(2 workers, like a small production host) on 127.0.0.1, logs in as the cooperative's manager
as one cooperative manager per client thread and, for a fixed time each, sends keep-alive POSTs:
first to a bare route that only answers "ok" (behind the same middleware, log-in, CSRF and session),
then to each manager's own draft's autosave endpoint, alternating between two answers so every
request writes (each naming the answer's revision from the previous reply, as the page does).
Prints requests per second.

    .venv/bin/python -m benchmarks.autosave_throughput [seconds] [threads]
    BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python -m benchmarks.autosave_throughput
"""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from benchmarks._setup import prepared_app

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(conn: http.client.HTTPConnection, method: str, path: str, body: str | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def log_in(port: int, login: str, password: str) -> tuple[str, str]:
    """The session cookie and the CSRF token of a logged-in manager."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    _, headers, body = request(conn, "GET", "/auth/login")
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"login": login, "password": password, "csrf_token": token})
    status, headers, _ = request(conn, "POST", "/auth/login", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
        "Referer": f"http://127.0.0.1:{port}/auth/login"})
    assert status == 303, status
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    _, headers, page = request(conn, "GET", "/home", headers={"Cookie": cookie})
    # The page's CSRF token lives in the session: keep the cookie that carries it.
    cookie = headers.get("Set-Cookie", cookie).split(";", 1)[0]
    body_headers = re.search(rb'<body hx-boost="true" hx-headers="([^"]+)"', page).group(1).decode()
    return cookie, json.loads(html.unescape(body_headers))["X-CSRFToken"]


REVISION = re.compile(rb'name="rev\.[^"]+" value="(\d+)"')


def hammer(port: int, clients: list[tuple[str, dict[str, str]]], code: str, answers: list[str],
           seconds: float) -> tuple[float, int]:
    """Each client (path, headers) sends POSTs from its own thread until the time is up, alternating
    ``answers`` to question ``code`` and naming the revision the previous reply gave."""
    threads = len(clients)
    counts = [0] * threads
    errors = [0] * threads
    deadline = time.monotonic() + seconds

    def run(index: int) -> None:
        path, headers = clients[index]
        conn = http.client.HTTPConnection("127.0.0.1", port)
        n = 0
        revision = b"0"
        while time.monotonic() < deadline:
            body = urlencode({code: answers[n % len(answers)], f"rev.{code}": revision.decode()})
            status, _, reply = request(conn, "POST", path, body, headers)
            revision = next(iter(REVISION.findall(reply)), revision)
            n += 1
            if status == 200:
                counts[index] += 1
            else:
                errors[index] += 1
                if errors[index] == 1 and index == 0:
                    print(f"first error on {path}: HTTP {status}", file=sys.stderr)
        conn.close()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts) / (time.monotonic() - started), sum(errors)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 8
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    folder = tempfile.mkdtemp(prefix="coopdx-bench-")
    _, facts = prepared_app(folder, cooperatives=threads)
    port = free_port()
    env = dict(os.environ, COOPDX_BENCH_DATABASE=facts["database"], SECRET_KEY="benchmark")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "benchmarks.wsgi:app"],
        cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        question = facts["first_question"]
        options = [o.code for o in question.options if not o.not_applicable][:2]
        bare_clients, save_clients = [], []
        for login, assessment_id in facts["drafts"].items():
            cookie, token = log_in(port, login, facts["password"])
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                       "X-CSRFToken": token, "HX-Request": "true",
                       "HX-Target": f"s-{question.code.replace('.', '-')}", "Referer": f"http://127.0.0.1:{port}/"}
            bare_clients.append(("/bench/bare", headers))
            save_clients.append((f"/assessments/{assessment_id}/answers/{question.code}", headers))
        bare, bare_errors = hammer(port, bare_clients, question.code, options, seconds)
        autosave, save_errors = hammer(port, save_clients, question.code, options, seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    database = "PostgreSQL" if facts["database"].startswith("postgresql") else "SQLite (WAL)"
    print(f"gunicorn, 2 workers, {database}; {threads} client threads for {seconds:g} s each, loopback")
    print(f"bare route (CSRF + session + security headers): {bare:8.0f} req/s  ({bare_errors} errors)")
    print(f"autosave (scope check, upsert, commit, fragment): {autosave:8.0f} req/s  ({save_errors} errors)")
    print(f"autosave / bare: {autosave / bare:.0%}   (budget ≥ 50%)")


if __name__ == "__main__":
    main()
