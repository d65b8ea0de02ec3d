"""National scale (DESIGN §6, §7): every alliance/admin page at 30,000 cooperatives on PostgreSQL.

Builds, in the PostgreSQL database named by BENCH_DATABASE_URL (its public schema is rebuilt; default
``coopdx_national`` on 127.0.0.1), 30,000 cooperatives over the 34 provinces with real ward codes
(spread like the wards), 90,000 submitted assessments scored by the real scoring code with their
stored scores and the answers of each cooperative's latest round, difficulties with replies,
certificates, model cooperatives and 45,000 people. Then serves the app with gunicorn (2 workers)
on 127.0.0.1, warms each page and times ``--requests`` sequential requests of it, as alliance staff
of the largest province, its administrator or a cooperative's manager; and counts the SQL statements
each page runs (in process, same database). Prints p50/p95 and statements per page against the
budgets (p95 ≤ 250 ms; a cooperative's results page ≤ 100 ms). Before the pages, streams the
cooperatives and answers exports (XLSX and CSV) through the export route, for every province and for
the largest, and prints wall time, size, tracemalloc peak and RSS growth: memory must not grow with
the number of rows.

    su postgres -c "createdb -O coopdx coopdx_national"
    .venv/bin/python -m benchmarks.national [--cooperatives 30000] [--requests 30] [--reuse] [--exports-only | --pages-only]

``--reuse`` measures the database built by an earlier run without building it again.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event, func, select, text

from app import create_app, locations
from app.assessments import scoring, versions
from app.auth import passwords
from app.cooperatives import tax_code
from app.cooperatives.models import Cooperative
from app.database import utcnow
from app.demo.assessments import draw_answers
from app.difficulties import categories
from app.extensions import db
from app.folding import fold
from app.standings import upkeep
from app.standings.answer_facts import scored_answers, written_answers
from app.training import store
from benchmarks.load import free_port, log_in

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql+psycopg://coopdx:coopdx@127.0.0.1:5432/coopdx_national"
PASSWORD = "benchmark password 2026"
ASSESSMENTS = 90_000
BUDGET_MS = 250
RESULTS_BUDGET_MS = 100
KINDS = (("htx", 0.62), ("tht", 0.30), ("qtdnd", 0.05), ("lien_hiep", 0.03))
SECTORS = (("agriculture", 0.60), ("trade", 0.12), ("industry", 0.10), ("transport", 0.06),
           ("construction", 0.04), ("environment", 0.04), ("credit", 0.03), ("other", 0.01))
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = ("Văn", "Thị", "Minh", "Hữu", "Ngọc", "Thanh", "Đức", "Thu")
GIVEN = ("An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Sang", "Tâm",
         "Thảo", "Trung", "Tuấn", "Vy", "Xuân", "Yến")


def weighted(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _ in choices], [weight for _, weight in choices])[0]


def person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


class Loader:
    """Rows written with PostgreSQL's COPY, ids given here; sequences are moved past them at the end."""

    def __init__(self, connection: Any) -> None:
        self.cursor = connection.cursor()
        self.ids: dict[str, int] = {}

    def next_id(self, table: str) -> int:
        self.ids[table] = self.ids.get(table, 0) + 1
        return self.ids[table]

    def copy(self, table: str, columns: tuple[str, ...], rows: Iterator[tuple[Any, ...]]) -> int:
        count = 0
        with self.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def fix_sequences(self) -> None:
        for table in self.ids:
            self.cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT max(id) FROM {table}))")


@dataclass
class World:
    """What the measurements need to know about the built database."""

    province: int
    alliance_login: str
    admin_login: str
    manager_login: str
    cooperative_id: int
    results_assessment_id: int
    cooperatives_in_province: int


def build(app: Flask, size: int, rng: random.Random) -> None:
    """The national database, from an empty schema."""
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        versions.load()
        db.session.flush()
        store.load()
        db.session.commit()
        version = versions.latest_version()
        questionnaire = versions.questionnaire_of(version)
        modules = {code: v.id for code, v in store.current_versions().items()}
        raw = db.engine.raw_connection()
        try:
            load(Loader(raw.driver_connection), size, rng, version.id, questionnaire, modules)
            raw.driver_connection.commit()
        finally:
            raw.close()
        upkeep.rebuild(db.session.connection())
        db.session.commit()
    with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def load(loader: Loader, size: int, rng: random.Random, version_id: int, questionnaire: Any,
         modules: dict[str, int]) -> None:
    now = utcnow()
    password_hash = passwords.hash_password(PASSWORD)
    all_wards = [(province, ward) for province, _ in locations.provinces() for ward, _ in locations.wards(province)]
    ward_names = {ward: name for province, _ in locations.provinces() for ward, name in locations.wards(province)}

    cooperatives = []
    for n in range(size):
        province, ward = all_wards[n % len(all_wards)] if n < len(all_wards) else rng.choice(all_wards)
        kind, sector = weighted(rng, KINDS), weighted(rng, SECTORS)
        status = rng.choices(("active", "pending", "dissolved"), (0.95, 0.02, 0.03))[0]
        name = f"Hợp tác xã {'Nông nghiệp' if sector == 'agriculture' else 'Dịch vụ'} {ward_names[ward]} {n + 1}"
        cooperatives.append(SimpleNamespace(id=loader.next_id("cooperatives"), name=name, province=province,
                                            ward=ward, kind=kind, sector=sector, status=status,
                                            members=rng.randint(7, 400), created=now - timedelta(days=rng.randint(30,
                                                                                                             3000))))
    loader.copy("cooperatives", ("id", "name", "search_name", "kind", "sector", "tax_code", "founded_year", "members",
                                 "employees", "province_code", "ward_code", "address", "status", "created_at",
                                 "updated_at"),
                ((c.id, c.name, fold(c.name), c.kind, c.sector, tax_code.with_check_digit(f"3{c.id:08d}"),
                  rng.randint(1990, 2024), c.members, rng.randint(0, 40), c.province, c.ward, "Ấp 1", c.status,
                  c.created, c.created) for c in cooperatives))

    users = []
    for province, _ in locations.provinces():
        for k in range(2):
            users.append((loader.next_id("users"), f"Cán bộ {province}-{k}", f"canbo{k}@lienminh{province}.vn",
                          "alliance", None, province))
    users.append((loader.next_id("users"), "Quản trị hệ thống", "admin@htxso.vn", "admin", None, None))
    managers: dict[int, int] = {}
    people: dict[int, list[int]] = {}
    for c in cooperatives:
        managers[c.id] = loader.next_id("users")
        users.append((managers[c.id], person(rng), f"quanly{c.id}@htx.vn", "coop_manager", c.id, None))
        people[c.id] = [managers[c.id]]
        if c.id % 2 == 0:
            member = loader.next_id("users")
            users.append((member, person(rng), f"thanhvien{c.id}@htx.vn", "coop_member", c.id, None))
            people[c.id].append(member)
    loader.copy("users", ("id", "name", "email", "password_hash", "role", "cooperative_id", "province_code", "active",
                          "session_token", "created_at"),
                ((uid, name, email, password_hash, role, coop, province, True, secrets.token_urlsafe(32), now)
                 for uid, name, email, role, coop, province in users))
    staff = {province: [u[0] for u in users if u[3] == "alliance" and u[5] == province]
             for province, _ in locations.provinces()}

    # Rounds: a tenth never assessed; the others 3 or 4 submissions, 90,000 in all.
    assessed = [c for c in cooperatives if c.status != "pending"]
    rng.shuffle(assessed)
    assessed = assessed[:int(size * 0.9)]
    extra = ASSESSMENTS * size // 30_000 - 3 * len(assessed)
    rounds_of = {c.id: 3 + (index < extra) for index, c in enumerate(assessed)}
    assessment_rows, score_rows, answer_rows, question_rows, written_rows = [], [], [], [], []
    latest_of: dict[int, int] = {}
    targets = {d.code: d.target for d in questionnaire.dimensions}
    for c in assessed:
        level = min(0.9, max(0.05, rng.gauss({"qtdnd": 0.6, "lien_hiep": 0.5, "htx": 0.4}.get(c.kind, 0.2), 0.15)))
        days = sorted(rng.sample(range(1, 1000), rounds_of[c.id]), reverse=True)
        for index, days_ago in enumerate(days):
            answers = draw_answers(questionnaire, c, min(0.95, level + 0.07 * index), rng)
            result = scoring.score(questionnaire, answers, targets)
            assessment_id = loader.next_id("assessments")
            submitted = now - timedelta(days=days_ago, minutes=rng.randint(0, 1440))
            reviewed = rng.random() < 0.6
            assessment_rows.append((assessment_id, c.id, version_id, "submitted", False, submitted, managers[c.id],
                                    submitted, managers[c.id], result.overall, result.level.level,
                                    "Đã xem, HTX làm tốt." if reviewed else None,
                                    submitted + timedelta(days=2) if reviewed else None,
                                    rng.choice(staff[c.province]) if reviewed else None))
            for d in result.dimensions:
                if d.score is not None:
                    score_rows.append((loader.next_id("dimension_scores"), assessment_id, d.code, d.score, d.weight,
                                       d.target, d.gap))
            if index == len(days) - 1:
                latest_of[c.id] = assessment_id
                for code, value in answers.items():
                    answer_rows.append((loader.next_id("answers"), assessment_id, code, json.dumps(value), False,
                                        submitted))
                for row in scored_answers(questionnaire, answers):
                    question_rows.append((loader.next_id("question_scores"), assessment_id, row.question_code,
                                          row.score, row.option_code))
                for row in written_answers(questionnaire, answers):
                    written_rows.append((loader.next_id("written_answers"), assessment_id, row.question_code,
                                         row.body, row.search_body))
    loader.copy("assessments", ("id", "cooperative_id", "version_id", "status", "graduate_may_answer", "created_at",
                                "created_by_id", "submitted_at", "submitted_by_id", "overall_score", "level",
                                "feedback", "reviewed_at", "reviewed_by_id"), iter(assessment_rows))
    loader.copy("dimension_scores", ("id", "assessment_id", "dimension_code", "score", "weight", "target", "gap"),
                iter(score_rows))
    loader.copy("answers", ("id", "assessment_id", "question_code", "value", "carried_over", "updated_at"),
                iter(answer_rows))
    loader.copy("question_scores", ("id", "assessment_id", "question_code", "score", "option_code"),
                iter(question_rows))
    loader.copy("written_answers", ("id", "assessment_id", "question_code", "body", "search_body"),
                iter(written_rows))

    codes = categories.codes()
    difficulty_rows, reply_rows = [], []
    for n in range(size // 2):
        c = rng.choice(assessed)
        status = rng.choices(("new", "in_progress", "resolved", "forwarded"), (0.3, 0.25, 0.35, 0.1))[0]
        created = now - timedelta(days=rng.randint(1, 700))
        difficulty_id = loader.next_id("difficulties")
        description = "Kế toán chưa quen kê khai thuế điện tử, cần cán bộ hướng dẫn tại HTX."
        difficulty_rows.append((difficulty_id, c.id, rng.choice(codes), description, fold(description), status,
                                "Sở Tài chính" if status == "forwarded" else None,
                                created.date() if status == "forwarded" else None, managers[c.id],
                                f"bench-{difficulty_id}", created, created))
        if status != "new":
            reply_id = loader.next_id("difficulty_replies")
            reply_rows.append((reply_id, difficulty_id, rng.choice(staff[c.province]),
                               "Liên minh đã nhận và đang xử lý.", status, f"bench-reply-{reply_id}",
                               created + timedelta(days=3)))
    loader.copy("difficulties", ("id", "cooperative_id", "category", "description", "search_text", "status",
                                 "forwarded_to", "forwarded_on", "raised_by_id", "token", "created_at", "updated_at"),
                iter(difficulty_rows))
    loader.copy("difficulty_replies", ("id", "difficulty_id", "author_id", "body", "status", "token", "created_at"),
                iter(reply_rows))

    certificate_rows = []
    held = set()
    module_codes = sorted(modules)
    while len(certificate_rows) < size * 2 // 3:
        c = rng.choice(assessed)
        user_id, module = rng.choice(people[c.id]), rng.choice(module_codes)
        if (user_id, module) in held:
            continue
        held.add((user_id, module))
        certificate_rows.append((loader.next_id("certificates"), secrets.token_hex(8), user_id, module,
                                 modules[module], c.id, "Học viên", now - timedelta(days=rng.randint(1, 700))))
    loader.copy("certificates", ("id", "verification_code", "user_id", "module_code", "module_version_id",
                                 "cooperative_id", "holder_name", "issued_at"), iter(certificate_rows))
    exemplar_rows = [(loader.next_id("exemplars"), c.id, "HTX bán hàng trên sàn TMĐT và dùng mã QR truy xuất.",
                      staff[c.province][0], now) for c in assessed if c.id % 500 == 0]
    loader.copy("exemplars", ("id", "cooperative_id", "reason", "marked_by_id", "marked_at"), iter(exemplar_rows))
    loader.fix_sequences()


def world_of(app: Flask) -> World:
    """Who logs in and what is measured: the largest province, a cooperative there with four rounds."""
    from app.assessments.models import Assessment
    from app.standings.models import LatestAssessment

    with app.app_context():
        province, count = db.session.execute(
            select(Cooperative.province_code, func.count()).group_by(Cooperative.province_code)
            .order_by(func.count().desc()).limit(1)).one()
        cooperative_id, assessment_id = db.session.execute(
            select(Cooperative.id, LatestAssessment.assessment_id)
            .join(LatestAssessment, LatestAssessment.cooperative_id == Cooperative.id)
            .join(Assessment, Assessment.cooperative_id == Cooperative.id)
            .where(Cooperative.province_code == province, Cooperative.status == "active")
            .group_by(Cooperative.id, LatestAssessment.assessment_id)
            .having(func.count() == 4).order_by(Cooperative.id).limit(1)).one()
    return World(province, f"canbo0@lienminh{province}.vn", "admin@htxso.vn", f"quanly{cooperative_id}@htx.vn",
                 cooperative_id, assessment_id, count)


def pages(world: World) -> list[tuple[str, str, str]]:
    """(name, who, path) of every page measured."""
    c, a = world.cooperative_id, world.results_assessment_id
    return [
        ("dashboard (alliance home)", "alliance", "/home"),
        ("dashboard, unfiltered", "alliance", "/dashboard/"),
        ("dashboard, filtered", "alliance", "/dashboard/?sector=agriculture&kind=htx&period=24"),
        ("cooperative table, first page", "alliance", "/dashboard/cooperatives"),
        ("cooperative table, search", "alliance", "/dashboard/cooperatives?q=nong%20nghiep%2012"),
        ("cooperative table, filter", "alliance", "/dashboard/cooperatives?below=finance&kind=htx"),
        ("cooperative table, sort", "alliance", "/dashboard/cooperatives?sort=overall&dir=desc"),
        ("cooperative table, sort by area", "alliance", "/dashboard/cooperatives?sort=market&dir=desc"),
        ("cooperative table, deep page", "alliance", f"/dashboard/cooperatives?page={world.cooperatives_in_province // 20}"),
        ("a cooperative's page", "alliance", f"/dashboard/cooperatives/{c}"),
        ("models page", "alliance", "/exemplars/"),
        ("difficulties", "alliance", "/difficulties/"),
        ("what boards wrote, search", "alliance", "/difficulties/written?q=thue"),
        ("review list", "alliance", "/assessments/reviews"),
        ("review list, filtered", "alliance", "/assessments/reviews?level=2&sector=agriculture&state=waiting"),
        ("register", "alliance", "/cooperatives/"),
        ("register, search", "alliance", "/cooperatives/?q=nong%20nghiep"),
        ("register, deep page (admin)", "admin", "/cooperatives/?page=1400"),
        ("results page (manager)", "manager", f"/assessments/{a}/results"),
        ("results page (alliance)", "alliance", f"/assessments/{a}/results"),
        ("completions of the province", "alliance", "/training/completions"),
        ("completions of a cooperative", "alliance", f"/training/cooperatives/{c}/completions"),
        ("users list (admin)", "admin", "/admin/users"),
        ("users list, search (admin)", "admin", "/admin/users?q=nguyen%20van"),
        ("users list, deep page (admin)", "admin", "/admin/users?page=2000"),
        ("dashboard of a province (admin)", "admin", f"/dashboard/?province_code={world.province}"),
        ("yearly report of the province", "alliance", "/reports/province"),
    ]


def timed(port: int, cookie: str, path: str, count: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    times = []
    for n in range(count + 3):  # three to warm the page
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        if n >= 3:
            times.append(elapsed)
    conn.close()
    return times


def statements(app: Flask, logins: dict[str, str], measured: list[tuple[str, str, str]]) -> dict[str, int]:
    """SQL statements per page, counted in process on the same database."""
    counts: dict[str, int] = {}
    clients = {}
    for who, login in logins.items():
        client = app.test_client()
        assert client.post("/auth/login", data={"login": login, "password": PASSWORD}).status_code == 303
        clients[who] = client
    with app.app_context():
        engine = db.engine
    for name, who, path in measured:
        clients[who].get(path)
        seen: list[int] = []
        listener = lambda *_args: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert clients[who].get(path).status_code == 200, path
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        counts[name] = len(seen)
    return counts


EXPORTS = ("cooperatives.csv", "cooperatives.xlsx", "answers.csv", "answers.xlsx")


def peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def streamed(client: Any, data: dict[str, str]) -> tuple[int, int]:
    """POST an export and read its body chunk by chunk as a browser would, keeping none of it:
    (bytes, lines of CSV or 0)."""
    response = client.post("/spreadsheets/exports", data=data, buffered=False)
    assert response.status_code == 200, response.status_code
    size = lines = 0
    for chunk in response.response:
        size += len(chunk)
        lines += chunk.count(b"\n")
    response.close()
    return size, lines


def export_figures(app: Flask, admin_login: str, province: int) -> list[tuple[str, str, float, int, int, float, int]]:
    """Each export through the app's route, in process: every province (the administrator) and the
    largest one. Wall time and RSS growth first, untraced; then the same export again under
    tracemalloc for its peak of Python allocations (tracing slows it, so it is not timed)."""
    client = app.test_client()
    assert client.post("/auth/login", data={"login": admin_login, "password": PASSWORD}).status_code == 303
    results = []
    for scope, extra in (("all provinces", {}), (f"province {province}", {"province_code": str(province)})):
        for name in EXPORTS:
            data = {"download": name, **extra}
            rss_before = peak_rss_kb()
            started = time.perf_counter()
            size, lines = streamed(client, data)
            seconds = time.perf_counter() - started
            rss_growth = peak_rss_kb() - rss_before
            tracemalloc.start()
            streamed(client, data)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            results.append((scope, name, seconds, size, lines, peak / 1024 / 1024, rss_growth // 1024))
            # Progress as it goes: the whole run takes a while at national scale.
            print(f"{name}, {scope}: {seconds:.1f} s, peak {peak / 1024 / 1024:.1f} MB", file=sys.stderr, flush=True)
    return results


def print_exports(results: list[tuple[str, str, float, int, int, float, int]]) -> None:
    print(f"| {'export':34} | {'s':>6} | {'MB out':>7} | {'CSV lines':>9} | {'peak MB':>7} | {'RSS +MB':>7} |")
    print(f"|{'-' * 36}|{'-' * 8}|{'-' * 9}|{'-' * 11}|{'-' * 9}|{'-' * 9}|")
    for scope, name, seconds, size, lines, peak, rss in results:
        shown_lines = f"{lines:,}" if name.endswith(".csv") else "-"
        print(f"| {name + ', ' + scope:34} | {seconds:6.1f} | {size / 1024 / 1024:7.1f} | {shown_lines:>9} | "
              f"{peak:7.1f} | {rss:7} |")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cooperatives", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="measure the database an earlier run built")
    parser.add_argument("--exports-only", action="store_true", help="measure the exports, not the pages")
    parser.add_argument("--pages-only", action="store_true", help="measure the pages, not the exports")
    options = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    settings = {"ENV_NAME": "testing", "SECRET_KEY": "benchmark", "SQLALCHEMY_DATABASE_URI": url,
                "WTF_CSRF_ENABLED": False, "LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
                "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute"}
    app = create_app(settings)
    if not options.reuse:
        started = time.monotonic()
        build(app, options.cooperatives, random.Random(2026))
        print(f"built in {time.monotonic() - started:.0f} s", file=sys.stderr)
    world = world_of(app)
    exported = [] if options.pages_only else export_figures(app, world.admin_login, world.province)
    if options.exports_only:
        print_exports(exported)
        return
    logins = {"alliance": world.alliance_login, "admin": world.admin_login, "manager": world.manager_login}
    measured = pages(world)
    counts = statements(app, logins, measured)
    port = free_port()
    env = dict(os.environ, COOPDX_BENCH_DATABASE=url, SECRET_KEY="benchmark")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning", "benchmarks.wsgi:app"], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        cookies = {who: log_in(port, login, PASSWORD).cookie for who, login in logins.items()}
        rows = []
        for name, who, path in measured:
            times = timed(port, cookies[who], path, options.requests)
            budget = RESULTS_BUDGET_MS if name == "results page (manager)" else BUDGET_MS
            rows.append((name, statistics.median(times), percentile(times, 0.95), counts[name], budget))
    finally:
        server.terminate()
        server.wait(timeout=10)
    with app.app_context():
        totals = {name: db.session.scalar(text(f"SELECT count(*) FROM {name}")) for name in (
            "cooperatives", "assessments", "answers", "dimension_scores", "question_scores", "difficulties",
            "certificates", "users")}
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"PostgreSQL, gunicorn 2 workers, {options.requests} sequential requests per page after 3 to warm; "
          f"largest province {world.province} ({world.cooperatives_in_province:,} cooperatives); "
          f"load average at the end {load} on {os.cpu_count()} cores")
    print("rows: " + ", ".join(f"{name} {count:,}" for name, count in totals.items()))
    print(f"| {'page':38} | {'p50 ms':>7} | {'p95 ms':>7} | {'SQL':>4} | budget |")
    print(f"|{'-' * 40}|{'-' * 9}|{'-' * 9}|{'-' * 6}|--------|")
    for name, p50, p95, count, budget in rows:
        verdict = "ok" if p95 <= budget else "OVER"
        print(f"| {name:38} | {p50:7.1f} | {p95:7.1f} | {count:4} | ≤{budget} {verdict} |")
    if exported:
        print_exports(exported)


if __name__ == "__main__":
    main()
