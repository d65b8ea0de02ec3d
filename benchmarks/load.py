"""Shared pieces of the load benchmarks: gunicorn instances, a Redis, nginx in front, logged-in
people, and wrk (a compiled load generator) driven by a Lua script.

Nothing here runs by itself; see ``benchmarks.several_servers`` and the autosave benchmarks.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SECRET = "benchmark-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, what: str) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not start")


def need(program: str) -> str:
    path = shutil.which(program) or (f"/usr/sbin/{program}" if os.path.exists(f"/usr/sbin/{program}") else None)
    if path is None:
        sys.exit(f"{program} is needed: apt-get install -y {program}")
    return path


def start_redis() -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([need("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port, process, "redis-server")
    return process, f"redis://127.0.0.1:{port}/0"


def start_gunicorn(database_url: str, redis_url: str, workers: int = 2, app: str = "app:create_app()",
                   **settings: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = dict(os.environ, COOPDX_ENV="production", SECRET_KEY=SECRET, DATABASE_URL=database_url,
               RATELIMIT_STORAGE_URI=redis_url, COOPDX_BENCH_DATABASE=database_url,
               FLASK_LOGIN_LIMIT_PER_ACCOUNT="100000 per minute", FLASK_LOGIN_LIMIT_PER_ADDRESS="100000 per minute",
               **{f"FLASK_{key}": value for key, value in settings.items()})
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
                                f"127.0.0.1:{port}", "--log-level", "warning", app],
                               cwd=ROOT, env=env, start_new_session=True)
    wait_for(port, process, "gunicorn")
    return process, port


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            process.terminate()
        process.wait(timeout=20)


def start_nginx(upstream_ports: list[int]) -> tuple[subprocess.Popen, int, str]:
    """nginx on a free port, balancing over the app servers (as deploy/nginx.conf does, without TLS)."""
    port = free_port()
    prefix = tempfile.mkdtemp(prefix="coopdx-nginx-")
    servers = "\n".join(f"        server 127.0.0.1:{upstream} max_fails=0;" for upstream in upstream_ports)
    config = Path(prefix) / "nginx.conf"
    config.write_text(f"""
worker_processes 1;
error_log {prefix}/error.log warn;
pid {prefix}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    upstream coopdx {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://coopdx;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
        }}
    }}
}}
""")
    process = subprocess.Popen([need("nginx"), "-p", prefix, "-c", str(config), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_for(port, process, "nginx")
    return process, port, prefix


@dataclass
class Person:
    cookie: str
    csrf: str


def request(port: int, method: str, path: str, body: str | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
    connection.close()
    return result


def log_in(port: int, login: str, password: str) -> Person:
    """A logged-in person: the session cookie and the CSRF token the pages carry."""
    _, headers, page = request(port, "GET", "/auth/login")
    cookie = headers["set-cookie"].split(";", 1)[0]
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    form = urlencode({"login": login, "password": password, "csrf_token": token})
    status, headers, _ = request(port, "POST", "/auth/login", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
        "Referer": f"http://127.0.0.1:{port}/auth/login"})
    assert status == 303, status
    cookie = headers["set-cookie"].split(";", 1)[0]
    _, headers, page = request(port, "GET", "/home", headers={"Cookie": cookie})
    cookie = headers.get("set-cookie", cookie).split(";", 1)[0]
    body = re.search(r'<body[^>]* hx-headers="([^"]+)"', page).group(1)
    return Person(cookie, json.loads(html.unescape(body))["X-CSRFToken"])


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal for these ASCII values


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def run_wrk(port: int, script: str, *, connections: int, seconds: int, threads: int = 2) -> WrkResult:
    """Run wrk against 127.0.0.1:``port`` with the Lua ``script``; requests per second and latencies."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    output = subprocess.run([need("wrk"), "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
                             "--latency", "-s", handle.name, f"http://127.0.0.1:{port}"],
                            capture_output=True, text=True, check=True).stdout
    os.unlink(handle.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return WrkResult(rate, _latency(output, "50%"), _latency(output, "99%"), errors)


def _latency(output: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


# wrk's ``done`` hook: the exact counts and the 50th, 95th and 99th percentiles (µs), on one line.
SUMMARY_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("SUMMARY %d %d %d %d %.1f %.1f %.1f\\n", summary.requests, summary.duration,
    e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass
class Measured:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx answers, and connections that failed or timed out
    requests: int


def run_wrk_measured(port: int, script: str, *, connections: int, seconds: int, threads: int = 2,
                     timeout_seconds: int = 10) -> Measured:
    """``run_wrk`` with ``SUMMARY_LUA`` appended to ``script``: p95 as well, and a timeout long enough
    that slow answers are measured rather than dropped."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script + SUMMARY_LUA)
    output = subprocess.run([need("wrk"), "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
                             "--timeout", f"{timeout_seconds}s", "-s", handle.name, f"http://127.0.0.1:{port}"],
                            capture_output=True, text=True, check=True).stdout
    os.unlink(handle.name)
    requests, duration_us, status_errors, socket_errors, p50, p95, p99 = \
        re.search(r"^SUMMARY (.+)$", output, re.MULTILINE).group(1).split()
    return Measured(int(requests) / (int(duration_us) / 1e6), float(p50) / 1000, float(p95) / 1000,
                    float(p99) / 1000, int(status_errors) + int(socket_errors), int(requests))
