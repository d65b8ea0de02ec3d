"""Throughput of one and of two app servers behind nginx, on one database and one Redis.

Prepares a database (an SQLite file, or the PostgreSQL database named by BENCH_DATABASE_URL) with
the real questionnaire and N cooperative managers with open drafts, starts Redis, then in alternating
rounds serves the app from one gunicorn instance and from two (2 workers each) behind nginx, and
drives it with wrk: every request is a logged-in manager opening one of their draft's pages (the
page people load most). Reports requests per second and p50/p99 latency, the median over rounds.

    .venv/bin/python -m benchmarks.several_servers [seconds] [rounds] [connections]
    BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python -m benchmarks.several_servers

Needs wrk, nginx and redis-server (apt-get install -y wrk nginx redis-server).
"""

from __future__ import annotations

import statistics
import sys
import tempfile

from benchmarks._setup import prepared_app
from benchmarks.load import (WrkResult, log_in, lua_string, run_wrk, start_gunicorn, start_nginx, start_redis,
                             stop)

PEOPLE = 32


def pages_script(people: list, paths: list[str]) -> str:
    """wrk's Lua: each request is the next person opening the next of their pages."""
    rows = ",\n".join(f"  {{cookie = {lua_string(person.cookie)}, path = {lua_string(path)}}}"
                      for person, path in zip(people, paths, strict=True))
    return f"""
local people = {{
{rows}
}}
local n = 0
request = function()
  n = n % #people + 1
  return wrk.format("GET", people[n].path, {{["Cookie"] = people[n].cookie}})
end
"""


def serve_and_measure(database: str, redis_url: str, facts: dict, instances: int, seconds: int,
                      connections: int) -> WrkResult:
    servers = [start_gunicorn(database, redis_url) for _ in range(instances)]
    nginx, port, _prefix = start_nginx([server_port for _process, server_port in servers])
    try:
        people, paths = [], []
        for number, (login, assessment_id) in enumerate(facts["drafts"].items()):
            people.append(log_in(port, login, facts["password"]))
            code = facts["dimensions"][number % len(facts["dimensions"])]
            paths.append(f"/assessments/{assessment_id}/dimensions/{code}")
        script = pages_script(people, paths)
        run_wrk(port, script, connections=connections, seconds=2)  # warm up every worker
        return run_wrk(port, script, connections=connections, seconds=seconds)
    finally:
        stop(nginx)
        for process, _port in servers:
            stop(process)


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    connections = int(sys.argv[3]) if len(sys.argv) > 3 else 32
    _app, facts = prepared_app(tempfile.mkdtemp(prefix="coopdx-bench-"), cooperatives=PEOPLE)
    redis, redis_url = start_redis()
    results: dict[int, list[WrkResult]] = {1: [], 2: []}
    try:
        for _round in range(rounds):
            for instances in (1, 2):
                results[instances].append(
                    serve_and_measure(facts["database"], redis_url, facts, instances, seconds, connections))
    finally:
        stop(redis)
    database = "PostgreSQL" if facts["database"].startswith("postgresql") else "SQLite (WAL)"
    print(f"{database}; nginx → gunicorn (2 workers each); wrk {connections} connections, {seconds} s × "
          f"{rounds} alternating rounds; {PEOPLE} managers opening their draft's pages")
    print(f"{'app servers':>12} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for instances, runs in results.items():
        print(f"{instances:>12} {statistics.median(r.requests_per_second for r in runs):>8.0f} "
              f"{statistics.median(r.p50_ms for r in runs):>8.1f} {statistics.median(r.p99_ms for r in runs):>8.1f} "
              f"{sum(r.errors for r in runs):>7}")


if __name__ == "__main__":
    main()
