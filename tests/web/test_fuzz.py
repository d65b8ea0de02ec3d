"""No input gives a server error: every route, every form field and query parameter, hostile values.

The test finds every route in ``app.url_map`` (a route added later joins by itself), fills its URL
with real rows of a small seeded province, and opens it as each kind of person. Each page it can
open is read as a browser would read it: its forms, its htmx requests and its links say what can be
sent where, and as whom. Every field and query parameter then gets a few hundred seeded values
(``fuzz_inputs``), all fields of a target in the same request; then the sharpest values go one field
at a time with the others plausible, so that a value a form accepts reaches the code behind it, and
into each text part of the URL. Any 5xx fails the test with the route, the fields and the values.
A route the test cannot reach must be listed in ``UNREACHABLE`` with the reason, or the test fails.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from argon2 import PasswordHasher
from flask import Flask, got_request_exception
from flask.testing import FlaskClient
from sqlalchemy import select, update
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import AnyConverter, MapAdapter, Rule

from app.assessments import versions
from app.assessments.models import Assessment
from app.auth import passwords
from app.database import local_today, utcnow
from app.difficulties.models import Difficulty
from app.exemplars.models import Exemplar
from app.extensions import db
from app.locations import wards
from app.placements.models import Extension, Goal, MonthlyReport, Placement, ReportEntry
from app.placements.reporting import FIELDS as REPORT_FIELDS
from app.placements.reporting import month_start
from app.spreadsheets.models import RegisterImport
from app.rendering import TextSegmentConverter
from tests.factories import PASSWORD, PROVINCE, SMALL_ANSWERS, SMALL_QUESTIONNAIRE, unique_tax_code
from tests.web.fuzz_inputs import MISSING, FoundField, FoundTarget, FuzzValues, Value, encode, find_targets
from tests.web.training_steps import mark_done, take_quiz

# Routes no request of this test can reach, and why.
UNREACHABLE = {
    "static": "serves files from disk and reads no parameter",
}
# Changes the other targets rely on (the open draft, the seeded rows, the session): fuzzed last, in this order.
RUN_LAST = ("assessments.submit", "cooperatives.decide", "invitations.cancel", "invitations.accept",
            "auth.reset_password", "auth.logout")
# Filter parameters pages read from the URL: tried on every page, besides those its forms and links show.
QUERY_PARAMETERS = ("page", "q", "kind", "sector", "status", "province_code", "ward_code", "sort", "state", "role",
                    "dimension", "blank", "next", "report", "year")
# Who opens each page: every role, a manager whose cooperative has not started its self-assessment, nobody.
PEOPLE = ("admin", "alliance", "coop_manager", "coop_member", "graduate", "new_manager", "anonymous")
# Values per field and query parameter; filter parameters a page shows no sign of reading get fewer,
# and a form with no field (a button) is sent a few times with stray fields.
VALUES_PER_FIELD = 300
VALUES_PER_UNSEEN_PARAMETER = 16
VALUES_FOR_A_BUTTON = 12
# CSRF protection is off in this test: the token field is read by nothing.
NOT_READ = ("csrf_token",)
# Sent one field at a time with the others plausible (form fields are checked together; query
# parameters are read one by one, so they need no such round).
SHARP = ["9" * 5000, "١٤١٩٩٨٥٠٠٤", "²", "a\x00b", "\x1b[31m", b"\xed\xa0\x80"]
# Sent in each text part of a URL.
PATH_VALUES = [*SHARP, "a" * 10_000, "%", "..", "<script>", "' OR 1=1 --", "Hoa\u0300"]
NEW_PASSWORD = "mùa nước nổi về đồng"

Pairs = list[tuple[str, str | bytes]]


@dataclass
class Province:
    """The seeded rows whose ids and codes fill the URLs."""

    logins: dict[str, str]
    cooperative: int
    pending: int
    draft: int
    submitted: int
    users: list[int]
    dimensions: list[str]
    questions: list[str]
    module: str = "etax"
    lesson: str = "01-bai"
    attempt: int = 0
    certificate: str = ""
    invitation_id: int = 0
    invitation_token: str = ""
    reset_token: str = ""
    province_code: int = PROVINCE
    placements: list[int] = field(default_factory=list)
    goal: int = 0
    extension: int = 0
    reports: list[int] = field(default_factory=list)
    upload: int = 0
    difficulty: int = 0
    model: int = 0


def url_arguments(rule: Rule, province: Province) -> dict[str, list[object]] | None:
    """Values for each part of the rule's URL, or None when the test does not know a part."""
    endpoint = rule.endpoint
    known: dict[str, Callable[[], list[object]]] = {
        "assessment_id": lambda: [province.submitted if endpoint.startswith("results.") else province.draft],
        "cooperative_id": lambda: ([province.cooperative, province.pending]
                                   if endpoint in ("cooperatives.detail", "cooperatives.decide")
                                   else [province.cooperative, province.model] if endpoint.startswith("exemplars.")
                                   else [province.cooperative]),
        "user_id": lambda: province.users,
        "invitation_id": lambda: [province.invitation_id],
        "attempt_id": lambda: [province.attempt],
        "lesson_code": lambda: [province.lesson],
        "verification_code": lambda: [province.certificate],
        "token": lambda: [province.reset_token if endpoint.startswith("auth.") else province.invitation_token],
        "province_code": lambda: [province.province_code],
        "placement_id": lambda: province.placements,
        "goal_id": lambda: [province.goal],
        "extension_id": lambda: [province.extension],
        "report_id": lambda: province.reports,
        "upload_id": lambda: [province.upload],
        "difficulty_id": lambda: [province.difficulty],
        "name": lambda: list(REPORT_FIELDS) if endpoint.startswith("monthly_reports.") else [],
        "code": lambda: (province.questions if endpoint == "assessments.save_answer"
                         else province.dimensions if endpoint.startswith("assessments.")
                         else [province.certificate] if endpoint == "certificates.verify"
                         else [province.module] if endpoint.startswith("training.") else []),
    }
    arguments: dict[str, list[object]] = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        values = sorted(converter.items) if isinstance(converter, AnyConverter) else known.get(name, list)()
        if not values:
            return None
        arguments[name] = values
    return arguments


def urls_of(adapter: MapAdapter, rule: Rule, province: Province) -> list[str] | None:
    arguments = url_arguments(rule, province)
    if arguments is None:
        return None
    names = list(arguments)
    return [adapter.build(rule.endpoint, dict(zip(names, combination, strict=True)))
            for combination in itertools.product(*(arguments[name] for name in names))]


def log_in(client: FlaskClient, province: Province, person: str) -> None:
    response = client.post("/auth/login", data={"login": province.logins[person], "password": PASSWORD})
    assert response.status_code == 303, f"{person} could not log in"


def seed_province(make, clients: dict[str, FlaskClient]) -> Province:  # noqa: ANN001 - fixture
    """A province with cooperatives at every stage, their people, a certificate, an invitation and a reset link."""
    make.questionnaire()
    make.modules()
    cooperative = make.cooperative("Hợp tác xã Nông nghiệp Tân Hòa")
    starting = make.cooperative("Hợp tác xã Thủy sản Tân Phú")
    pending = make.cooperative("Hợp tác xã Dịch vụ Mỹ An", status="pending")
    people = {role: make.user(role, cooperative=cooperative) for role in PEOPLE[:5]}
    people["new_manager"] = make.user("coop_manager", cooperative=starting)
    active = make.user("coop_member", cooperative=cooperative, name="Trần Thị Hoa")
    inactive = make.user("coop_member", cooperative=cooperative, name="Lê Văn Nam", active=False)
    submitted = make.assessment(cooperative)
    draft = make.assessment(cooperative, answers={"security.difficulty": "Thiếu máy tính"}, submit=False)
    province = Province(logins={person: user.email for person, user in people.items()}, cooperative=cooperative.id,
                        pending=pending.id, draft=draft.id, submitted=submitted.id, users=[active.id, inactive.id],
                        dimensions=["finance", "security"], questions=sorted({*SMALL_ANSWERS, "security.difficulty"}))
    for person, client in clients.items():
        if person != "anonymous":
            log_in(client, province, person)
    manager, admin = clients["coop_manager"], clients["admin"]
    mark_done(manager)
    province.attempt = int(take_quiz(manager, right=5).headers["Location"].rsplit("/", 1)[1])
    province.certificate = re.search(r"/training/certificates/([\w-]+)", manager.get("/training/etax").text).group(1)
    page = manager.post(f"/invitations/new/{cooperative.id}", data={"role": "coop_member", "invitee_name": "Lan"},
                        follow_redirects=True).text
    province.invitation_token = re.search(r"/invitations/([\w-]{20,})", page).group(1)
    province.invitation_id = int(re.search(r"/invitations/(\d+)/cancel", page).group(1))
    page = admin.post(f"/admin/users/{active.id}/reset-link").text
    province.reset_token = re.search(r"/auth/reset/([\w-]+)", page).group(1)
    seed_placement_rows(make, province, people["graduate"], people["alliance"])
    with make.app.app_context():  # a reviewed result (a model can be marked) and a model to unmark
        db.session.execute(update(Assessment).where(Assessment.id == submitted.id).values(reviewed_at=utcnow()))
        db.session.add(Exemplar(cooperative_id=starting.id, reason="Khai thuế điện tử đầy đủ."))
        db.session.commit()
    province.model = starting.id
    with make.app.app_context():  # a newer questionnaire version, which the open draft may move to
        data, _questionnaire = versions.read_file(SMALL_QUESTIONNAIRE)
        data["title"]["vi"] += " (bản mới)"
        versions.store(data, versions.parse(data))
        db.session.commit()
    return province


def seed_placement_rows(make, province: Province, graduate, staff) -> None:  # noqa: ANN001 - fixture and rows
    """The graduate's placement with a goal, an extension request, this month's report (being written)
    and last month's (submitted); a placement waiting for its invited graduate; an importable register file."""
    ward = wards(province.province_code)[0][0]
    with make.app.app_context():
        placement = db.session.scalar(select(Placement).where(Placement.graduate_id == graduate.id))
        invited = Placement(cooperative_id=placement.cooperative_id, starts_on=placement.starts_on,
                            ends_on=placement.ends_on, status="planned", invitee_name="Phạm Minh Khoa",
                            field_of_study="Kế toán")
        goal = Goal(placement_id=placement.id, title="Đăng ký tài khoản thuế điện tử")
        extension = Extension(placement_id=placement.id, requested_by_id=graduate.id,
                              previous_ends_on=placement.ends_on, new_ends_on=placement.ends_on + timedelta(days=30),
                              reason="Hợp tác xã cần thêm thời gian.")
        this_month = month_start(local_today())
        writing = MonthlyReport(placement_id=placement.id, month=this_month)
        filed = MonthlyReport(placement_id=placement.id, month=month_start(this_month - timedelta(days=1)),
                              status="submitted", submitted_at=utcnow(), first_submitted_at=utcnow())
        upload = RegisterImport(created_by_id=staff.id, province_code=province.province_code, filename="so-htx.csv",
                                content=("tax_code,name,kind,sector,ward_code,members,employees\r\n"
                                         f"{unique_tax_code()},HTX Rau an toàn,htx,agriculture,{ward},30,2\r\n").encode())
        difficulty = Difficulty(cooperative_id=placement.cooperative_id, category="etax",
                                description="Chưa có chữ ký số để khai thuế.", search_text="chua co chu ky so",
                                raised_by_id=graduate.id, token="fuzz-difficulty")
        db.session.add_all([invited, goal, extension, writing, filed, upload, difficulty])
        db.session.flush()
        db.session.add_all(ReportEntry(report_id=writing.id, field=name, value=value, revision=1)
                           for name, value in (("activities", "Hướng dẫn khai thuế qua mạng."), ("hours", "40")))
        db.session.commit()
        province.placements = [placement.id, invited.id]
        province.goal, province.extension, province.upload = goal.id, extension.id, upload.id
        province.reports = [writing.id, filed.id]
        province.difficulty = difficulty.id


_emails = itertools.count(1)


def plausible(found: FoundField) -> Value:
    """What a person would send for the field: what the page shows, else a value that fits its name."""
    if any(found.baseline):
        return list(found.baseline)
    if found.kind in ("submit", "radio", "checkbox"):
        return []
    if any(found.choices):
        return [next(choice for choice in found.choices if choice)]
    name = found.name.lower()
    for pattern, value in (("email", lambda: f"fuzz{next(_emails)}@example.vn"), ("phone", lambda: "0912345678"),
                           ("password|confirm", lambda: NEW_PASSWORD), ("tax_code", unique_tax_code),
                           ("year", lambda: "2015"),
                           ("members|employees|capital|revenue|target|people|count", lambda: "12"),
                           ("feedback|reason", lambda: "Cần thêm người biết dùng máy tính.")):
        if re.search(pattern, name):
            return [value()]
    return ["Nguyễn Văn An"]


@dataclass
class Target:
    """Where to send what, as whom."""

    endpoint: str
    method: str
    path: str
    person: str
    fields: dict[str, FoundField] = field(default_factory=dict)
    hx_target: str | None = None


def shown(value: str | bytes) -> str:
    return repr(value) if len(value) < 60 else f"{value[:30]!r}… ({len(value)} long)"


@dataclass
class Failure:
    """A request answered 5xx: the route, the fields and values that cause it, and the exception."""

    target: Target
    culprits: Pairs
    status: int
    error: str

    def __str__(self) -> str:
        fields = ", ".join(f"{name}={shown(value)}" for name, value in self.culprits)
        return f"{self.status} {self.target.method} {self.target.path} as {self.target.person}: {fields} → {self.error}"


@dataclass
class Fuzzer:
    clients: dict[str, FlaskClient]
    province: Province
    values: FuzzValues
    inputs: int = 0
    requests: int = 0
    failures: list[Failure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def send(self, target: Target, pairs: Pairs, *, fuzzed: int, path: str | None = None, htmx: bool = False,
             baseline: dict[str, Value] | None = None) -> None:
        """Send one request; on a 5xx, find the fields whose values alone cause it (others as in ``baseline``)."""
        status, error = self.request(target, pairs, path=path, htmx=htmx)
        self.requests += 1
        self.inputs += fuzzed
        if status < 500:
            return
        culprits = pairs
        if baseline is not None:
            alone = []
            for name in dict.fromkeys(name for name, _value in pairs):
                mine = [(sent, value) for sent, value in pairs if sent == name]
                others = [(other, item) for other, items in baseline.items() if other != name for item in items]
                if self.request(target, [*others, *mine], path=path, htmx=htmx)[0] >= 500:
                    alone += mine
            culprits = alone or pairs
        self.failures.append(Failure(target if path is None else Target(target.endpoint, target.method, path,
                                                                       target.person), culprits, status, error))

    def request(self, target: Target, pairs: Pairs, *, path: str | None, htmx: bool) -> tuple[int, str]:
        client = self.clients[target.person]
        body = encode(pairs)
        headers = {"HX-Request": "true", "HX-Target": target.hx_target} if htmx and target.hx_target else {}
        self.errors.clear()
        if target.method == "GET":
            own = urlsplit(path or target.path)
            query = b"&".join(part for part in (own.query.encode(), body) if part)
            response = client.open(own.path, method="GET", query_string=query.decode("ascii"), headers=headers)
        else:
            response = client.open(path or target.path, method=target.method, data=body, headers=headers,
                                   content_type="application/x-www-form-urlencoded")
        response.close()
        return response.status_code, "; ".join(self.errors)

    def fuzz(self, target: Target) -> None:
        """All fields at once with their own values, then the sharpest values one field at a time."""
        names = [name for name in target.fields if name not in NOT_READ]
        if not names:
            target.fields["stray"] = FoundField("stray")
            names, count = ["stray"], VALUES_FOR_A_BUTTON
        elif target.method == "GET" and not any(target.fields[name].seen for name in names):
            count = VALUES_PER_UNSEEN_PARAMETER
        else:
            count = VALUES_PER_FIELD
        baseline = {name: plausible(target.fields[name]) for name in names}
        streams = {name: self.values.values(count, target.fields[name].choices, baseline[name]) for name in names}
        for index in range(count):
            pairs: Pairs = []
            for name in names:
                value = streams[name][index]
                pairs += [] if value is MISSING else [(name, item) for item in value]
            self.send(target, pairs, fuzzed=len(names), htmx=index % 2 == 1,
                      baseline={} if target.method == "GET" else baseline)
        if target.method == "GET":
            return
        for name in names:
            others = [(other, item) for other in names if other != name for item in baseline[other]]
            for sharp in SHARP:
                self.send(target, [*others, (name, sharp)], fuzzed=1, baseline=baseline)
            self.send(target, others, fuzzed=1)

    def fuzz_path(self, rule: Rule, target: Target) -> None:
        """Hostile values in each text part of the URL, the other parts as seeded."""
        arguments = url_arguments(rule, self.province) or {}
        for name in rule.arguments:
            if not isinstance(rule._converters[name], TextSegmentConverter):
                continue
            for value in PATH_VALUES:
                raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
                path = rule.rule
                for part, values in arguments.items():
                    path = re.sub(rf"<[^>]*\b{part}>", quote(raw if part == name else str(values[0]), safe=""), path)
                self.send(target, [], fuzzed=1, path=path)


def discover(adapter: MapAdapter, fuzzer: Fuzzer, rules: list[Rule]) -> dict[tuple[str, str], Target]:
    """Open every route as every person; read what each page that opens can send."""
    targets: dict[tuple[str, str], Target] = {}
    for rule in rules:
        if "GET" not in rule.methods:
            continue
        for url in urls_of(adapter, rule, fuzzer.province) or []:
            for person in PEOPLE:
                response = fuzzer.clients[person].get(url)
                if response.status_code != 200:
                    continue
                query = targets.setdefault(("GET", url), Target(rule.endpoint, "GET", url, person))
                for name in QUERY_PARAMETERS:
                    query.fields.setdefault(name, FoundField(name, seen=False))
                if response.mimetype != "text/html":
                    response.close()  # a file (a spreadsheet): its query is fuzzed, it has no forms
                    continue
                page = response.get_data(as_text=True)
                for found in find_targets(url, page):
                    add_target(adapter, targets, found, person)
    return targets


def add_target(adapter: MapAdapter, targets: dict[tuple[str, str], Target], found: FoundTarget, person: str) -> None:
    """Merge what a page can send into the target it goes to (the first person to find it sends it)."""
    parts = urlsplit(found.url)
    try:
        endpoint, _arguments = adapter.match(parts.path, method=found.method)
    except (NotFound, MethodNotAllowed):
        return
    key = (found.method, parts.path if found.method == "GET" else found.url)
    target = targets.setdefault(key, Target(endpoint, found.method, key[1], person))
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        target.fields[name] = FoundField(name, baseline=[value], choices=[value])
    for name, found_field in found.fields.items():
        known = target.fields.setdefault(name, FoundField(name, found_field.kind))
        known.kind, known.seen = found_field.kind, True
        known.baseline = known.baseline or found_field.baseline
        known.choices += [choice for choice in found_field.choices if choice not in known.choices]
    target.hx_target = target.hx_target or found.hx_target


@pytest.fixture
def fuzz_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """The test app answering errors with pages (not exceptions), with cheap password hashing and
    no attempt limits, so the run spends its time on inputs."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", cheap)
    monkeypatch.setattr(passwords, "DUMMY_HASH", cheap.hash("no such account"))
    unlimited = "1000000 per minute"
    app.config.update(PROPAGATE_EXCEPTIONS=False, LOGIN_LIMIT_PER_ACCOUNT=unlimited, LOGIN_LIMIT_PER_ADDRESS=unlimited,
                      REGISTRATION_LIMIT_PER_ADDRESS=unlimited)
    return app


def run_order(target: Target) -> tuple[int, int]:
    return (1, RUN_LAST.index(target.endpoint)) if target.endpoint in RUN_LAST else (0, 0)


def test_no_input_gives_a_server_error(fuzz_app: Flask, make, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    app = fuzz_app
    started, cpu = time.monotonic(), time.process_time()
    clients = {person: app.test_client() for person in PEOPLE}
    province = seed_province(make, clients)
    fuzzer = Fuzzer(clients, province, FuzzValues(seed=20251130))

    def record(_sender: Flask, exception: BaseException, **_extra: object) -> None:
        fuzzer.errors.append(f"{type(exception).__name__}: {str(exception)[:300]}")

    adapter = app.url_map.bind("localhost")
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint not in UNREACHABLE]
    unbuildable = sorted(rule.rule for rule in rules if urls_of(adapter, rule, province) is None)
    fuzzed: set[str] = set()
    got_request_exception.connect(record, app)
    try:
        for target in sorted(discover(adapter, fuzzer, rules).values(), key=run_order):
            fuzzer.fuzz(target)
            if target.endpoint not in fuzzed:
                fuzzer.fuzz_path(next(rule for rule in rules if rule.endpoint == target.endpoint), target)
                fuzzed.add(target.endpoint)
            if target.person != "anonymous" and clients[target.person].get("/home").status_code != 200:
                log_in(clients[target.person], province, target.person)  # the target ended the session
    finally:
        got_request_exception.disconnect(record, app)

    uncovered = sorted({rule.endpoint for rule in rules} - fuzzed)
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0].split("+", 1)[0]
    with capsys.disabled():
        print(f"\nfuzz on {database}: {fuzzer.inputs} inputs in {fuzzer.requests} requests to {len(fuzzed)} routes, "
              f"{len(fuzzer.failures)} answered 5xx ({time.monotonic() - started:.0f} s, "
              f"{time.process_time() - cpu:.0f} s of CPU in the test process)")
    assert not unbuildable, f"routes whose URL the test cannot fill (teach url_arguments their parts): {unbuildable}"
    assert not uncovered, f"routes neither fuzzed nor listed in UNREACHABLE with a reason: {uncovered}"
    assert not fuzzer.failures, "server errors:\n" + "\n".join(str(failure) for failure in fuzzer.failures[:30])
