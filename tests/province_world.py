"""A random province, built through the real submit path, and its figures computed again in plain Python.

``build_world`` makes cooperatives of two provinces (random kinds, sectors, wards, statuses), one to
three submitted rounds each with random answers to the small questionnaire (submitted at random
times over 30 months), reviews, difficulties and certificates. ``Reference`` recomputes from those
plain records — with the pure scoring functions, never from the database — everything the
province picture aggregates in SQL.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from app.assessments import drafts, scoring, versions
from app.assessments.models import Assessment, DimensionTarget
from app.assessments.questionnaire import Questionnaire
from app.cooperatives.models import Cooperative
from app.dashboard.filters import months_before, quarter_of
from app.database import utcnow
from app.difficulties import categories
from app.difficulties.models import OPEN, STATUSES, Difficulty
from app.extensions import db
from app.folding import fold
from app.locations import wards
from app.standings import upkeep
from app.standings.answer_facts import WEAK_BELOW
from app.training.models import Certificate
from tests import factories

PROVINCE = factories.PROVINCE
OTHER = factories.OTHER_PROVINCE
KINDS = ("htx", "htx", "htx", "tht", "qtdnd")
SECTORS = ("agriculture", "agriculture", "trade", "industry")
STATUSES_DRAWN = ("active",) * 6 + ("dissolved", "pending")
PROVINCE_FINANCE_TARGET = 70.0  # the alliance's own target; security keeps the questionnaire's 50
LOCAL_OFFSET = timedelta(hours=7)


def random_answers(questionnaire: Questionnaire, rng: random.Random) -> dict[str, Any]:
    """A complete, valid set of answers to the small questionnaire."""
    answers: dict[str, Any] = {}
    for question in questionnaire.questions:
        if not scoring.is_visible(questionnaire, question, answers):
            continue
        if question.kind == "text":
            if rng.random() < 0.5:
                answers[question.code] = rng.choice(["Thiếu người biết nộp thuế điện tử", "Khó tìm đầu ra",
                                                     "Cần vốn ưu đãi để mua máy tính"])
            continue
        if question.kind == "number":
            answers[question.code] = rng.choice([0, 1, 2, 4, 9])
        elif question.kind == "multi":
            if rng.random() < 0.2:
                answers[question.code] = ["none"]
            else:
                plain = [o.code for o in question.options if not o.exclusive]
                answers[question.code] = rng.sample(plain, rng.randint(1, len(plain)))
        else:
            answers[question.code] = rng.choice([o.code for o in question.options])
    return answers


@dataclass
class Round:
    assessment_id: int
    submitted_at: datetime
    answers: dict[str, Any]
    result: scoring.Result
    reviewed: bool
    version_code: str = "digital-readiness"


@dataclass
class Coop:
    id: int
    name: str
    province_code: int
    ward_code: int
    kind: str
    sector: str
    status: str
    rounds: list[Round] = field(default_factory=list)
    difficulties: list[tuple[str, str, datetime]] = field(default_factory=list)  # category, status, created
    certificates: list[tuple[str, int, datetime]] = field(default_factory=list)  # module, user id, issued

    @property
    def latest(self) -> Round | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def previous(self) -> Round | None:
        return self.rounds[-2] if len(self.rounds) > 1 else None


def build_world(seed: int, size: int = 30) -> list[Coop]:
    """Cooperatives of two provinces with submissions, reviews, difficulties and certificates
    (inside an app context; everything is committed)."""
    rng = random.Random(seed)
    version = versions.latest_version() or factories.make_questionnaire()
    questionnaire = versions.questionnaire_of(version)
    db.session.add(DimensionTarget(province_code=PROVINCE, dimension_code="finance", target=PROVINCE_FINANCE_TARGET))
    reviewer = factories.make_user("alliance")
    now = utcnow()
    coops = []
    for n in range(size):
        province = PROVINCE if n % 5 else OTHER
        cooperative = factories.make_cooperative(
            f"Hợp tác xã Thử {seed}-{n}", province_code=province, kind=rng.choice(KINDS),
            sector=rng.choice(SECTORS), ward_code=rng.choice(wards(province)[:4])[0], status="active")
        coop = Coop(cooperative.id, cooperative.name, province, cooperative.ward_code, cooperative.kind,
                    cooperative.sector, "active")
        for days_ago in sorted(rng.sample(range(1, 900), rng.choice([0, 1, 1, 2, 3])), reverse=True):
            answers = random_answers(questionnaire, rng)
            assessment = drafts.start(cooperative, None)
            for code in drafts.answers_of(assessment.id):
                drafts.save_answer(assessment, code, None, None)
            for code, value in answers.items():
                drafts.save_answer(assessment, code, value, None)
            db.session.flush()
            result = drafts.submit(assessment, None)
            assert not isinstance(result, list)
            submitted_at = now - timedelta(days=days_ago, hours=rng.randint(0, 23))
            reviewed = rng.random() < 0.6
            upkeep.restamp(assessment.id, submitted_at)
            db.session.execute(update(Assessment).where(Assessment.id == assessment.id).values(
                reviewed_at=submitted_at + timedelta(days=1) if reviewed else None,
                reviewed_by_id=reviewer.id if reviewed else None, feedback="Tốt." if reviewed else None))
            db.session.commit()
            targets = drafts.targets_for(cooperative, questionnaire)
            coop.rounds.append(Round(assessment.id, submitted_at, answers,
                                     scoring.score(questionnaire, answers, targets), reviewed))
        for _ in range(rng.choice([0, 0, 1, 2])):
            created = now - timedelta(days=rng.randint(1, 700))
            category, status = rng.choice(categories.codes()), rng.choice(STATUSES)
            db.session.add(Difficulty(cooperative_id=cooperative.id, category=category, description="Khó khăn",
                                      search_text=fold("Khó khăn"), status=status, token=secrets.token_hex(16),
                                      forwarded_to="Sở Tài chính" if status == "forwarded" else None,
                                      forwarded_on=now.date() if status == "forwarded" else None,
                                      created_at=created))
            coop.difficulties.append((category, status, created))
        if rng.random() < 0.4:
            person = factories.make_user("coop_member", cooperative=cooperative)
            issued = now - timedelta(days=rng.randint(1, 700))
            module = rng.choice(["etax", "einvoice"])
            db.session.add(Certificate(verification_code=secrets.token_hex(8), user_id=person.id, module_code=module,
                                       module_version_id=_module_version_id(), cooperative_id=cooperative.id,
                                       holder_name=person.name, issued_at=issued))
            coop.certificates.append((module, person.id, issued))
        coops.append(coop)
    db.session.commit()
    # Some cooperatives leave the register or are not approved yet, after they assessed.
    for coop in coops:
        status = rng.choice(STATUSES_DRAWN)
        if status != "active":
            db.session.get(Cooperative, coop.id).status = status
            coop.status = status
    db.session.commit()
    return coops


def _module_version_id() -> int:
    from app.training import store as training_store

    version = training_store.latest("etax") or factories.make_modules()
    return version.id


@dataclass
class Reference:
    """The province picture recomputed in Python from the world's plain records."""

    coops: list[Coop]
    now: datetime
    province: int = PROVINCE
    months: int | None = 12
    sector: str | None = None
    ward: int | None = None

    @property
    def since(self) -> datetime | None:
        return None if self.months is None else months_before(self.now, self.months)

    def selected(self, *, any_status: bool = False) -> list[Coop]:
        return [c for c in self.coops if c.province_code == self.province and (any_status or c.status == "active")
                and (self.sector is None or c.sector == self.sector) and (self.ward is None or c.ward_code == self.ward)]

    def in_period(self, coop: Coop) -> bool:
        return coop.latest is not None and (self.since is None or coop.latest.submitted_at >= self.since)

    def assessed(self) -> list[Coop]:
        return [c for c in self.selected() if self.in_period(c)]

    def targets(self) -> dict[str, float]:
        return {"finance": PROVINCE_FINANCE_TARGET, "security": 50.0}

    def kind_and_status(self) -> dict[tuple[str, str], int]:
        return dict(Counter((c.kind, c.status) for c in self.selected(any_status=True)))

    def coverage(self) -> tuple[int, int, int]:
        chosen = self.selected()
        return len(chosen), len(self.assessed()), sum(1 for c in chosen if not c.rounds)

    def levels(self) -> dict[int, int]:
        return dict(Counter(c.latest.result.level.level for c in self.assessed()))

    def overall_average(self) -> float | None:
        scores = [c.latest.result.overall for c in self.assessed()]
        return sum(scores) / len(scores) if scores else None

    def areas(self) -> dict[str, tuple[float, int, int]]:
        scores: dict[str, list[float]] = defaultdict(list)
        for coop in self.assessed():
            for dimension in coop.latest.result.dimensions:
                if dimension.score is not None:
                    scores[dimension.code].append(dimension.score)
        targets = self.targets()
        return {code: (sum(values) / len(values), len(values), sum(1 for v in values if v < targets[code]))
                for code, values in scores.items()}

    def question_scores(self, questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, float]:
        found = {}
        for question in questionnaire.questions:
            if scoring.applicable(questionnaire, question, answers):
                score = scoring.question_score(question, answers.get(question.code))
                if score is not None:
                    found[question.code] = score
        return found

    def weak_answers(self, questionnaire: Questionnaire) -> dict[str, tuple[int, int]]:
        """Question code → (weak, answered), for the questions with a weak answer, over every latest
        submission whatever the period."""
        weak: Counter[str] = Counter()
        answered: Counter[str] = Counter()
        for coop in (c for c in self.selected() if c.latest is not None):
            for code, score in self.question_scores(questionnaire, coop.latest.answers).items():
                answered[code] += 1
                weak[code] += score < WEAK_BELOW
        return {code: (weak[code], answered[code]) for code in answered if weak[code]}

    def trend(self) -> dict[str, tuple[int, float]]:
        """Quarter code → (submissions, average overall), every round of the selected cooperatives,
        whatever their status now."""
        rounds: dict[str, list[float]] = defaultdict(list)
        for coop in self.selected(any_status=True):
            for item in coop.rounds:
                rounds[quarter_of((item.submitted_at + LOCAL_OFFSET).date()).code].append(item.result.overall)
        return {code: (len(values), sum(values) / len(values)) for code, values in rounds.items()}

    def submitted_in(self, quarter: str) -> list[Coop]:
        """The selected cooperatives (any status) with a round submitted in the quarter (Vietnam's calendar)."""
        return [c for c in self.selected(any_status=True)
                if any(quarter_of((r.submitted_at + LOCAL_OFFSET).date()).code == quarter for r in c.rounds)]

    def difficulties(self) -> tuple[dict[str, int], dict[str, int]]:
        open_by_category: Counter[str] = Counter()
        by_status: Counter[str] = Counter()
        for coop in self.selected():
            for category, status, created in coop.difficulties:
                if status in OPEN:
                    open_by_category[category] += 1
                if self.since is None or created >= self.since:
                    by_status[status] += 1
        return dict(open_by_category), {status: count for status, count in by_status.items() if count}

    def training(self) -> dict[str, tuple[int, int, int]]:
        found: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for coop in self.selected():
            for module, user_id, issued in coop.certificates:
                if self.since is None or issued >= self.since:
                    found[module].append((user_id, coop.id))
        return {module: (len(rows), len({u for u, _ in rows}), len({c for _, c in rows}))
                for module, rows in found.items()}

    def peers(self, coop: Coop, same_kind: bool) -> tuple[int, float | None, dict[str, float]]:
        """Contributors, overall average and area averages of ``coop``'s peers (other active cooperatives'
        latest rounds: its province, or its kind and sector in every province)."""
        others = [c for c in self.coops if c.id != coop.id and c.status == "active" and c.latest is not None
                  and ((c.kind, c.sector) == (coop.kind, coop.sector) if same_kind
                       else c.province_code == coop.province_code)]
        areas: dict[str, list[float]] = defaultdict(list)
        for other in others:
            for dimension in other.latest.result.dimensions:
                if dimension.score is not None:
                    areas[dimension.code].append(dimension.score)
        overall = [c.latest.result.overall for c in others]
        return (len(others), sum(overall) / len(overall) if overall else None,
                {code: sum(v) / len(v) for code, v in areas.items()})

    def ranked_by_score(self) -> list[int]:
        chosen = [c for c in self.assessed() if c.latest.reviewed]
        return [c.id for c in sorted(chosen, key=lambda c: (-c.latest.result.overall, fold(c.name), c.id))]

    def ranked_by_improvement(self) -> list[int]:
        chosen = [c for c in self.assessed() if c.latest.reviewed and c.previous is not None
                  and c.latest.result.overall - c.previous.result.overall > 0]
        return [c.id for c in sorted(chosen, key=lambda c: (-(c.latest.result.overall - c.previous.result.overall),
                                                            fold(c.name), c.id))]

