"""N people answering at once, as typing does: each saves an answer every few seconds (DESIGN §7:
p99 ≤ 50 ms with 300 people on one instance of 2 workers).

Prepares a database (an SQLite file, or the PostgreSQL database named by BENCH_DATABASE_URL) with
the real questionnaire and one manager with an open draft per person, starts Redis and the app: one
gunicorn instance (2 sync workers), then two, behind nginx as deploy/ runs them (a sync worker needs
nginx in front: it would otherwise wait on a phone's half-sent request). wrk plays the people open
loop, one connection each: every person waits a random 1–5 s (3 s on average; the first save within
the first 3 s), then saves one question of their own draft, the other answer each time, naming the
revision their page holds. The waits do not count in the latencies. Reports, per number of people,
the requests per second, p50/p95/p99 of the autosave and the errors (a refused or failed save).

    .venv/bin/python -m benchmarks.people [seconds] [people ...]     # default: 30 s; 100 300 1000
    BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python -m benchmarks.people

Needs wrk, nginx and redis-server (apt-get install -y wrk nginx redis-server).
"""

from __future__ import annotations

import sys
import tempfile

from benchmarks._setup import prepared_app
from benchmarks.autosave_setup import Answerer, log_in_all, lua_people, lua_shared
from benchmarks.load import Measured, request, run_wrk, run_wrk_measured, start_gunicorn, start_nginx, start_redis, stop

THREADS = 2
PEOPLE = (100, 300, 1000)

PEOPLE_LUA = """
local turn, started = 0, 0
init = function(args) take_share() end
delay = function()
  started = started + 1
  if started <= #mine then return math.random(0, 3000) end
  return math.random(1000, 5000)
end
request = function()
  if checking() then return wrk.format("GET", "/") end
  turn = turn % #mine + 1
  local person = mine[turn]
  local request = save(person)
  -- Each save writes the other answer: the person's page then holds the next revision. A person's
  -- saves are seconds apart, so the previous one has always been answered.
  person.rev = person.rev + 1
  return request
end
"""


def serve(database: str, redis_url: str, instances: int) -> tuple[list, int]:
    """``instances`` app servers behind nginx, every worker booted and warm."""
    servers = [start_gunicorn(database, redis_url) for _ in range(instances)]
    for _process, server_port in servers:
        request(server_port, "GET", "/auth/login")  # answered once a worker has loaded the app
    nginx, port, _prefix = start_nginx([server_port for _process, server_port in servers])
    run_wrk(port, 'wrk.path = "/auth/login"', connections=8, seconds=5)
    return [nginx, *(process for process, _port in servers)], port


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    counts = [int(n) for n in sys.argv[2:]] or list(PEOPLE)
    app, facts = prepared_app(tempfile.mkdtemp(prefix="coopdx-bench-"), cooperatives=max(counts))
    redis, redis_url = start_redis()
    results: dict[tuple[int, int], Measured] = {}
    answerers: list[Answerer] = []
    try:
        for instances in (1, 2):
            processes, port = serve(facts["database"], redis_url, instances)
            try:
                if not answerers:  # sessions live in signed cookies: one log-in serves every run
                    answerers = log_in_all(app, port, facts, max(counts), lambda n: n * 7)
                for count in counts:
                    people = answerers[:count]
                    script = lua_people(app, people) + lua_shared(THREADS) + PEOPLE_LUA
                    results[(instances, count)] = run_wrk_measured(port, script, connections=count,
                                                                   seconds=seconds, threads=THREADS)
            finally:
                for process in processes:
                    stop(process)
    finally:
        stop(redis)
    report(facts["database"], seconds, results)


def report(database: str, seconds: int, results: dict[tuple[int, int], Measured]) -> None:
    name = "PostgreSQL" if database.startswith("postgresql") else "SQLite (WAL)"
    print(f"{name}; nginx → gunicorn (2 sync workers each), Redis; wrk open loop, {seconds} s per run; "
          "each person saves every 1–5 s (3 s on average)")
    print(f"{'servers':>7} {'people':>6} {'saves/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for (instances, count), measured in results.items():
        print(f"{instances:>7} {count:>6} {measured.requests_per_second:>8.0f} {measured.p50_ms:>7.1f} "
              f"{measured.p95_ms:>7.1f} {measured.p99_ms:>7.1f} {measured.errors:>6}")
    print("budget: p99 ≤ 50 ms with 300 people on one instance")


if __name__ == "__main__":
    main()
