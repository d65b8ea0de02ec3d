"""Autosave throughput against a bare logged-in route served the same way (DESIGN §7: ≥ 0.5×).

Prepares a database (an SQLite file, or the PostgreSQL database named by BENCH_DATABASE_URL) with
the real questionnaire and managers with open drafts, serves the app with gunicorn (2 workers, like a
small production host) and drives it with wrk, a compiled load generator, in alternating rounds:
the same logged-in POST (session, CSRF header, htmx headers, a form body) to a bare route that only
answers "ok", then to each manager's own draft's autosave, alternating two answers so every request
writes and naming the revision the previous reply gave (read from the reply, as the page does), at 16
and at 64 connections. Rounds alternate their order so that the machine's noise falls on both. Prints
requests per second and p50/p99 of each (the median over rounds) and the ratio.

    .venv/bin/python -m benchmarks.autosave_throughput [seconds] [rounds]
    BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python -m benchmarks.autosave_throughput

Needs wrk (apt-get install -y wrk).
"""

from __future__ import annotations

import statistics
import sys
import tempfile

from benchmarks._setup import prepared_app
from benchmarks.autosave_setup import lua_people, lua_shared, log_in_all, radio_questions
from benchmarks.load import Measured, run_wrk_measured, start_gunicorn, stop

THREADS = 2
CONNECTIONS = (16, 64)
# More people than a thread has connections, each on a question of their own within the thread, so a
# reply names its person and nobody sends a save before the previous reply gave its revision.
PEOPLE_PER_THREAD = 48

AUTOSAVE_LUA = """
local free, by_code = {}, {}
init = function(args)
  take_share()
  for _, person in ipairs(mine) do
    table.insert(free, person)
    by_code[person.code] = person
  end
end
request = function()
  if checking() then return wrk.format("GET", "/") end
  -- Nobody free only when a reply went missing: that person's next save is then refused (412), and counted.
  return save(table.remove(free, 1) or mine[math.random(#mine)])
end
response = function(status, headers, body)
  local code, revision = string.match(body, 'name="rev%.([^"]+)" value="(%d+)"')
  local person = code and by_code[code]
  if person then
    person.rev = tonumber(revision)
    table.insert(free, person)
  end
end
"""

BARE_LUA = """
local turn = 0
init = function(args) take_share() end
request = function()
  if checking() then return wrk.format("GET", "/") end
  turn = turn % #mine + 1
  return save(mine[turn], "/bench/bare")
end
response = function(status, headers, body) end
"""


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    people = THREADS * PEOPLE_PER_THREAD
    app, facts = prepared_app(tempfile.mkdtemp(prefix="coopdx-bench-"), cooperatives=people)
    assert len(radio_questions(app)) >= PEOPLE_PER_THREAD
    server, port = start_gunicorn(facts["database"], "memory://", app="benchmarks.wsgi:app")
    results: dict[tuple[int, str], list[Measured]] = {}
    try:
        # Person n is the (n // THREADS)-th of thread n % THREADS: distinct questions within each thread.
        answerers = log_in_all(app, port, facts, people, lambda n: n // THREADS)

        def measure(kind: str, connections: int, duration: int) -> Measured:
            script = lua_people(app, answerers) + lua_shared(THREADS) + (BARE_LUA if kind == "bare" else AUTOSAVE_LUA)
            return run_wrk_measured(port, script, connections=connections, seconds=duration, threads=THREADS)

        for kind in ("bare", "autosave"):
            measure(kind, 16, 2)  # warm up every worker
        for connections in CONNECTIONS:
            for number in range(rounds):
                order = ("bare", "autosave") if number % 2 == 0 else ("autosave", "bare")
                for kind in order:
                    results.setdefault((connections, kind), []).append(measure(kind, connections, seconds))
    finally:
        stop(server)
    report(facts["database"], seconds, rounds, results)


def report(database: str, seconds: int, rounds: int, results: dict[tuple[int, str], list[Measured]]) -> None:
    name = "PostgreSQL" if database.startswith("postgresql") else "SQLite (WAL)"
    print(f"{name}; gunicorn 2 sync workers; wrk {THREADS} threads, {seconds} s × {rounds} alternating rounds "
          f"per route; {THREADS * PEOPLE_PER_THREAD} managers each saving their own draft")
    print(f"{'conns':>5} {'route':>9} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}   ratio per round")
    for connections in CONNECTIONS:
        bare, saves = results[(connections, "bare")], results[(connections, "autosave")]
        ratios = [s.requests_per_second / b.requests_per_second for s, b in zip(saves, bare, strict=True)]
        for kind, runs in (("bare", bare), ("autosave", saves)):
            rate, p50, p99 = (statistics.median(getattr(r, field) for r in runs)
                              for field in ("requests_per_second", "p50_ms", "p99_ms"))
            per_round = "   " + " ".join(f"{r:.2f}" for r in ratios) if kind == "autosave" else ""
            print(f"{connections:>5} {kind:>9} {rate:>8.0f} {p50:>7.1f} {p99:>7.1f} "
                  f"{sum(r.errors for r in runs):>6}{per_round}")
        print(f"{connections:>5} autosave / bare: {statistics.median(ratios):.2f}×   (budget ≥ 0.5×)")


if __name__ == "__main__":
    main()
