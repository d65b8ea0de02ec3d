"""Real servers for system tests: gunicorn instances of the app and a Redis, as a deployment runs them.

``servers`` starts two gunicorn instances (2 workers each, production settings) on the test
database and one Redis for the rate-limit counters; ``HttpClient`` is one browser talking to
either of them, as behind a load balancer.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "system-test-secret-shared-by-both-instances"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port}")


def required_binary(name: str) -> str:
    """A program the system tests need; in CI its absence fails the run, elsewhere it skips."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} not found: install it (apt-get install -y redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


class Redis:
    """A throw-away redis-server on a free port, stopped and started by the tests."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.process, "redis-server")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def flush(self) -> None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(b"FLUSHALL\r\n")
            assert sock.recv(64).startswith(b"+OK")


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start_gunicorn(name: str, database_url: str, redis_url: str, folder: Path, **settings: str) -> Server:
    port = free_port()
    log = folder / f"{name}.log"
    env = dict(os.environ, COOPDX_ENV="production", SECRET_KEY=SECRET, DATABASE_URL=database_url,
               RATELIMIT_STORAGE_URI=redis_url, **{f"FLASK_{key}": value for key, value in settings.items()})
    env.pop("TEST_DATABASE_URL", None)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "--log-level", "warning", "--error-logfile", "-", "app:create_app()"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    wait_for_port(port, process, f"gunicorn {name}")
    return Server(name, port, process, log)


def stop_gunicorn(server: Server) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=20)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str


@dataclass
class HttpClient:
    """One browser: its cookies, sent to whichever server it asks."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, server: Server, method: str, path: str, data: dict | None = None,
                headers: dict[str, str] | None = None) -> Reply:
        connection = HTTPConnection("127.0.0.1", server.port, timeout=30)
        sent = {"Referer": server.base + "/", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                self.cookies[cookie_name] = rest.split(";", 1)[0]
        reply = Reply(response.status, dict(response.getheaders()), response.read().decode())
        connection.close()
        return reply

    def get(self, server: Server, path: str, **kwargs: object) -> Reply:
        return self.request(server, "GET", path, **kwargs)

    def post(self, server: Server, path: str, data: dict, **kwargs: object) -> Reply:
        return self.request(server, "POST", path, data=data, **kwargs)

    def form_token(self, server: Server, path: str) -> str:
        page = self.get(server, path).text
        match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def log_in(self, server: Server, login: str, password: str) -> Reply:
        token = self.form_token(server, "/auth/login")
        return self.post(server, "/auth/login", {"login": login, "password": password, "csrf_token": token})


@dataclass
class Deployment:
    a: Server
    b: Server
    redis: Redis


@pytest.fixture(scope="module")
def deployment(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Two app servers on one database and one Redis; log-in limited to 4 failures per account."""
    redis = Redis(required_binary("redis-server"))
    redis.start()
    folder = tmp_path_factory.mktemp("servers")
    limit = {"LOGIN_LIMIT_PER_ACCOUNT": "4 per 15 minutes"}
    servers = []
    try:
        servers.append(start_gunicorn("a", database_url, redis.url, folder, **limit))
        servers.append(start_gunicorn("b", database_url, redis.url, folder, **limit))
        yield Deployment(servers[0], servers[1], redis)
    finally:
        for server in servers:
            stop_gunicorn(server)
        redis.stop()
        for server in servers:
            log = server.log.read_text(errors="replace")
            assert "Traceback" not in log, f"gunicorn {server.name} logged an error:\n{log}"


@pytest.fixture
def both(deployment: Deployment, app) -> Deployment:  # noqa: ANN001 - the per-test app empties the tables after
    if deployment.redis.process is None:
        deployment.redis.start()
    deployment.redis.flush()
    return deployment
