"""The figures of a province's yearly report on the digital transformation of its cooperatives (pure).

``build`` turns what was read from the database (``YearFacts``: plain values, each year's latest
submission per cooperative, the dashboard's area and weak-answer figures, difficulties, placements,
training) into the report's figures: counts, shares in tenths of a percent (halves up, as a report
writes 38,8 %), whole scores as everywhere else in the app, and each figure beside last year's.
A figure with nothing to count is ``None`` or empty, so the wording can say "no data yet".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.cooperatives.vocabulary import Status
from app.dashboard.figures import AreaFigure, ModuleFigure, WeakAnswer
from app.difficulties.models import FORWARDED, RESOLVED
from app.results.chart import whole

WEAKEST_SHOWN = 3


def tenths_of_percent(part: int, total: int) -> int | None:
    """``part`` of ``total`` in tenths of a percent, halves rounded up (62/160 → 388); none of nothing.
    Integer arithmetic, so 0.5 never turns into 0.4999…"""
    if total <= 0:
        return None
    return (2000 * part + total) // (2 * total)


def single_largest(counts: Sequence[int]) -> int | None:
    """The index of the largest count when it is larger than every other and not zero: a report does
    not say "most" of a tie."""
    ranked = sorted(range(len(counts)), key=lambda index: -counts[index])
    if not ranked or not counts[ranked[0]] or (len(ranked) > 1 and counts[ranked[1]] == counts[ranked[0]]):
        return None
    return ranked[0]


@dataclass(frozen=True)
class Share:
    """A count out of a whole."""

    part: int
    total: int

    @property
    def tenths(self) -> int | None:
        return tenths_of_percent(self.part, self.total)


@dataclass(frozen=True)
class Submission:
    """A cooperative's latest submitted self-assessment in a year, as stored at submit."""

    cooperative_id: int
    overall: float | None
    level: int | None


@dataclass(frozen=True)
class PlacementFacts:
    """Young graduates placed during the year, their monthly reports, and their hosts' progress."""

    placements: int = 0
    graduates: int = 0
    hosts: int = 0
    reports_filed: int = 0
    reports_confirmed: int = 0
    host_changes: Sequence[float] = ()  # per host measured since its placement began: overall score change


@dataclass(frozen=True)
class ModelFacts:
    """A model cooperative and the areas it does best (title, whole score)."""

    name: str
    overall: int | None
    strengths: Sequence[tuple[str, int]]


@dataclass(frozen=True)
class YearFacts:
    """Everything the report reads for one province and year."""

    year: int
    register: Mapping[tuple[str, str], int]  # (kind, status) → cooperatives, as the register stands
    submissions: Sequence[Submission]  # active cooperatives' latest in the year
    previous_submissions: Sequence[Submission]  # the same, the year before
    areas: Mapping[str, AreaFigure]
    previous_areas: Mapping[str, AreaFigure]
    targets: Mapping[str, float]
    area_order: Sequence[str]
    levels: Sequence[int]
    weak_answers: Sequence[WeakAnswer]
    models: Sequence[ModelFacts]
    difficulties: Mapping[tuple[str, str], int]  # (category, status) → raised in the year
    categories: Sequence[str]
    placements: PlacementFacts
    training: Sequence[ModuleFigure]  # certificates of the year per module
    trained_people: int = 0
    trained_cooperatives: int = 0


@dataclass(frozen=True)
class LevelRow:
    level: int
    count: int
    share: Share
    previous: Share | None  # None: nothing submitted the year before


@dataclass(frozen=True)
class Moves:
    """Cooperatives that submitted in both years, by how their level moved."""

    both: int
    up: int
    same: int
    down: int


@dataclass(frozen=True)
class AreaRow:
    code: str
    average: int | None
    target: int
    gap: int | None
    below_target: int
    previous: int | None

    @property
    def change(self) -> int | None:
        return None if self.average is None or self.previous is None else self.average - self.previous


@dataclass(frozen=True)
class DifficultyRow:
    category: str
    count: int
    resolved: int
    forwarded: int


@dataclass(frozen=True)
class HostProgress:
    measured: int
    improved: int
    average_change: int | None  # whole points, halves away from zero


@dataclass(frozen=True)
class YearReport:
    year: int
    register: Mapping[tuple[str, str], int]
    active: int
    registered: int
    assessed: Share
    previous_assessed: Share | None  # None: nobody submitted the year before
    levels: Sequence[LevelRow]
    moves: Moves
    overall: int | None
    previous_overall: int | None
    areas: Sequence[AreaRow]
    weakest: Sequence[AreaRow]
    weak_answers: Sequence[WeakAnswer]
    models: Sequence[ModelFacts]
    difficulties: Sequence[DifficultyRow]
    difficulties_total: int
    resolved: Share
    forwarded: Share
    placements: PlacementFacts
    host_progress: HostProgress
    training: Sequence[ModuleFigure]
    certificates: int
    trained_people: int
    trained_cooperatives: int

    @property
    def overall_change(self) -> int | None:
        return None if self.overall is None or self.previous_overall is None else self.overall - self.previous_overall


def average_overall(submissions: Sequence[Submission]) -> int | None:
    """The whole average overall score of the submissions that have one (as the dashboard shows it)."""
    scores = [submission.overall for submission in submissions if submission.overall is not None]
    return whole(sum(scores) / len(scores)) if scores else None


def level_moves(now: Sequence[Submission], before: Sequence[Submission]) -> Moves:
    """How the levels of cooperatives that submitted in both years moved."""
    earlier = {submission.cooperative_id: submission.level for submission in before if submission.level is not None}
    up = same = down = 0
    for submission in now:
        old = earlier.get(submission.cooperative_id)
        if old is None or submission.level is None:
            continue
        if submission.level > old:
            up += 1
        elif submission.level < old:
            down += 1
        else:
            same += 1
    return Moves(up + same + down, up, same, down)


def host_progress(changes: Sequence[float]) -> HostProgress:
    """How many hosts were measured again after their placement began, how many rose, by how much on average."""
    if not changes:
        return HostProgress(0, 0, None)
    mean = sum(changes) / len(changes)
    rounded = int(abs(mean) + 0.5) * (1 if mean >= 0 else -1)
    return HostProgress(len(changes), sum(change > 0 for change in changes), rounded)


def _levels(facts: YearFacts) -> list[LevelRow]:
    counted = [s.level for s in facts.submissions if s.level is not None]
    before = [s.level for s in facts.previous_submissions if s.level is not None]
    return [LevelRow(level, counted.count(level), Share(counted.count(level), len(counted)),
                     Share(before.count(level), len(before)) if before else None)
            for level in facts.levels]


def _areas(facts: YearFacts) -> list[AreaRow]:
    rows = []
    for code in facts.area_order:
        figure = facts.areas.get(code)
        previous = facts.previous_areas.get(code)
        target = whole(facts.targets.get(code, 0.0))
        average = whole(figure.average) if figure else None
        rows.append(AreaRow(code=code, average=average, target=target,
                            gap=max(0, target - average) if average is not None else None,
                            below_target=figure.below_target if figure else 0,
                            previous=whole(previous.average) if previous else None))
    return rows


def _difficulties(facts: YearFacts) -> list[DifficultyRow]:
    rows = []
    for category in facts.categories:
        counts = {status: count for (code, status), count in facts.difficulties.items() if code == category}
        total = sum(counts.values())
        if total:
            rows.append(DifficultyRow(category, total, counts.get(RESOLVED, 0), counts.get(FORWARDED, 0)))
    return sorted(rows, key=lambda row: -row.count)


def build(facts: YearFacts) -> YearReport:
    """The report's figures for the year, beside the year before where there is one."""
    active = sum(count for (_, status), count in facts.register.items() if status == Status.ACTIVE.value)
    areas = _areas(facts)
    # The weakest areas, as the dashboard ranks them: furthest below target first.
    weakest = sorted((row for row in areas if row.gap), key=lambda row: (-row.gap, row.average, row.code))
    difficulties = _difficulties(facts)
    difficulties_total = sum(facts.difficulties.values())
    statuses: dict[str, int] = {}
    for (_, status), count in facts.difficulties.items():
        statuses[status] = statuses.get(status, 0) + count
    return YearReport(
        year=facts.year,
        register=facts.register,
        active=active,
        registered=sum(facts.register.values()),
        assessed=Share(len(facts.submissions), active),
        previous_assessed=Share(len(facts.previous_submissions), active) if facts.previous_submissions else None,
        levels=_levels(facts),
        moves=level_moves(facts.submissions, facts.previous_submissions),
        overall=average_overall(facts.submissions),
        previous_overall=average_overall(facts.previous_submissions),
        areas=areas,
        weakest=weakest[:WEAKEST_SHOWN],
        weak_answers=facts.weak_answers,
        models=facts.models,
        difficulties=difficulties,
        difficulties_total=difficulties_total,
        resolved=Share(statuses.get(RESOLVED, 0), difficulties_total),
        forwarded=Share(statuses.get(FORWARDED, 0), difficulties_total),
        placements=facts.placements,
        host_progress=host_progress(facts.placements.host_changes),
        training=facts.training,
        certificates=sum(item.certificates for item in facts.training),
        trained_people=facts.trained_people,
        trained_cooperatives=facts.trained_cooperatives,
    )
