"""Scoring (DESIGN §3): answers → question scores → dimension scores → overall, level, gaps, next steps.

Pure functions over the frozen questionnaire values and plain answer values: an option code
(``scale``, ``single``, ``boolean``), a list of option codes (``multi``), a number (``number``)
or a text (``text``, never scored). A question the content marks ``unscored`` is asked (and may be
required) but never scored, like a text.

Which questions show depends on the answers (``show_if: {question: …}``) and on the cooperative's
profile (``show_if: {profile: kind, in: […]}``): every function that decides what applies takes
the profile facts. A question hidden either way is not applicable and leaves the denominator.

Critical items of a checklist (DESIGN §3, ``multi``). A checklist's score is
``s = min(Σ points of ticked, cap) / cap``; when the content marks items ``critical``, the top score
needs all of them: while any critical item is not ticked, the ticked points count only up to
``cap − 1``, so ``s = min(Σ, cap − 1) / cap``. With cap 3, ticking every other item gives ⅔, never 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from app.assessments.questionnaire import (Condition, Dimension, Level, Profile, ProfileCondition, Question,
                                           Questionnaire)
from app.content_files import Text

AnswerValue = str | list[str] | int | float
Answers = Mapping[str, AnswerValue]
# No profile fact known: every profile condition holds (the question is asked).
UNKNOWN_PROFILE: Profile = MappingProxyType({})

# Scores and gains are rounded far below anything shown yet far above floating-point noise, so that
# 100·(½ + ⅔ + ⅓)/3 comes out as 50, not 49.99999999999999: a score on a level boundary reaches that
# level, a score on its target leaves no gap, and next steps that gain the same really tie.
DIGITS = 9


def is_answered(question: Question, value: AnswerValue | None) -> bool:
    if value is None:
        return False
    if question.kind == "multi":
        return isinstance(value, list) and bool(value)
    if question.kind == "text":
        return isinstance(value, str) and bool(value.strip())
    return value != ""


def fits_profile(questionnaire: Questionnaire, question: Question, profile: Profile) -> bool:
    """Whether the question can show at all for a cooperative with ``profile``: its own profile
    condition holds, and so does that of every question its ``show_if`` chain depends on."""
    condition = question.show_if
    if isinstance(condition, ProfileCondition):
        return condition.holds(profile)
    if isinstance(condition, Condition):
        source = questionnaire.question(condition.question)
        return source is not None and fits_profile(questionnaire, source, profile)
    return True


def is_visible(questionnaire: Questionnaire, question: Question, answers: Answers, *,
               profile: Profile = UNKNOWN_PROFILE) -> bool:
    """A question shows unless its ``show_if`` condition fails (or its condition's question is hidden)."""
    condition = question.show_if
    if condition is None:
        return True
    if isinstance(condition, ProfileCondition):
        return condition.holds(profile)
    source = questionnaire.question(condition.question)
    if source is None or not is_visible(questionnaire, source, answers, profile=profile):
        return False
    value = answers.get(source.code)
    chosen = set(value) if isinstance(value, list) else {str(value)} if value is not None else set()
    return bool(chosen & condition.values)


def question_score(question: Question, value: AnswerValue | None) -> float | None:
    """``s ∈ [0, 1]``, or None when the question is unscored, unanswered or not applicable."""
    if not question.scored or not is_answered(question, value):
        return None
    if question.kind == "multi":
        ticked = [question.option(code) for code in value]  # type: ignore[union-attr]
        ticked = [option for option in ticked if option is not None]
        if any(option.not_applicable for option in ticked):
            return None
        if any(option.exclusive for option in ticked):
            return 0.0
        cap = question.cap or 0
        if not question.critical_codes <= {option.code for option in ticked}:
            cap -= 1  # a critical item is missing: the top score is out of reach
        return min(sum(option.points for option in ticked), cap) / question.max_points
    if question.kind == "number":
        band = question.band_for(float(value))  # type: ignore[arg-type]
        return None if band is None else band.points / question.max_points
    option = question.option(str(value))
    if option is None or option.not_applicable:
        return None
    return option.points / question.max_points


def applicable(questionnaire: Questionnaire, question: Question, answers: Answers, *,
               profile: Profile = UNKNOWN_PROFILE) -> bool:
    """Visible and not answered "not applicable"."""
    if not is_visible(questionnaire, question, answers, profile=profile):
        return False
    value = answers.get(question.code)
    if question.kind in ("scale", "single", "boolean") and is_answered(question, value):
        option = question.option(str(value))
        return option is None or not option.not_applicable
    if question.kind == "multi" and is_answered(question, value):
        return not any((o := question.option(code)) and o.not_applicable for code in value)  # type: ignore[union-attr]
    return True


def missing_required(questionnaire: Questionnaire, answers: Answers, *,
                     profile: Profile = UNKNOWN_PROFILE) -> list[Question]:
    """Visible required questions without an answer, in questionnaire order."""
    return [
        question for question in questionnaire.questions
        if question.required and is_visible(questionnaire, question, answers, profile=profile)
        and not is_answered(question, answers.get(question.code))
    ]


@dataclass(frozen=True)
class DimensionResult:
    code: str
    score: float | None  # None when no question of the dimension applies
    weight: float
    target: float

    @property
    def gap(self) -> float:
        return 0.0 if self.score is None else max(0.0, self.target - self.score)

    @property
    def priority(self) -> float:
        return self.gap * self.weight


@dataclass(frozen=True)
class NextStep:
    question_code: str
    dimension_code: str
    gain: float  # points the dimension would gain with the top answer
    advice: Text | None
    modules: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    dimensions: tuple[DimensionResult, ...]
    overall: float | None
    level: Level
    next_steps: tuple[NextStep, ...]
    profile: Profile = field(default_factory=lambda: UNKNOWN_PROFILE)  # the facts it was computed for

    def dimension(self, code: str) -> DimensionResult | None:
        return next((d for d in self.dimensions if d.code == code), None)


def _scored(questionnaire: Questionnaire, dimension: Dimension, answers: Answers,
            profile: Profile) -> list[tuple[Question, float]]:
    pairs = []
    for question in dimension.questions:
        if not applicable(questionnaire, question, answers, profile=profile):
            continue
        s = question_score(question, answers.get(question.code))
        if s is not None:
            pairs.append((question, s))
    return pairs


def dimension_score(questionnaire: Questionnaire, dimension: Dimension, answers: Answers, *,
                    profile: Profile = UNKNOWN_PROFILE) -> float | None:
    """``100 · Σ w·s / Σ w`` over the applicable scored questions."""
    pairs = _scored(questionnaire, dimension, answers, profile)
    total = sum(question.weight for question, _ in pairs)
    if not total:
        return None
    return round(100 * sum(question.weight * s for question, s in pairs) / total, DIGITS)


def overall_score(dimensions: Sequence[DimensionResult]) -> float | None:
    """``Σ W·D / Σ W`` over the dimensions that have a score."""
    scored = [d for d in dimensions if d.score is not None]
    total = sum(d.weight for d in scored)
    return round(sum(d.weight * d.score for d in scored) / total, DIGITS) if total else None  # type: ignore[operator]


def resolve_targets(questionnaire: Questionnaire, cooperative: Mapping[str, float],
                    province: Mapping[str, float]) -> dict[str, float]:
    """Per dimension: the cooperative's own target, else the province's, else the questionnaire's."""
    return {d.code: cooperative.get(d.code, province.get(d.code, d.target)) for d in questionnaire.dimensions}


def advice_for(question: Question, value: AnswerValue | None) -> Text | None:
    """The next step for whoever gave ``value``: the advice of the chosen option or band."""
    if question.kind == "number" and value is not None and value != "":
        band = question.band_for(float(value))  # type: ignore[arg-type]
        return band.advice if band else None
    if question.kind == "multi":
        ticked = [question.option(code) for code in (value or [])]  # type: ignore[union-attr]
        exclusive = next((o for o in ticked if o and o.exclusive), None)
        if exclusive:
            return exclusive.advice
        # The first item not yet done says what to do next; a missing critical item comes first.
        chosen = set(value or [])  # type: ignore[arg-type]
        missing = [o for o in question.options if o.code not in chosen and not o.exclusive and not o.not_applicable]
        missing.sort(key=lambda option: not option.critical)
        return missing[0].advice if missing else None
    option = question.option(str(value)) if value is not None else None
    return option.advice if option else None


def next_steps(questionnaire: Questionnaire, answers: Answers, dimensions: Sequence[DimensionResult],
               *, profile: Profile = UNKNOWN_PROFILE, weakest: int = 3, limit: int = 5) -> tuple[NextStep, ...]:
    """Within the highest-priority dimensions, the questions whose top answer would gain most."""
    ranked = sorted((d for d in dimensions if d.score is not None), key=lambda d: (-d.priority, d.score, d.code))
    steps = []
    for result in ranked[:weakest]:
        dimension = questionnaire.dimension(result.code)
        pairs = _scored(questionnaire, dimension, answers, profile)  # type: ignore[arg-type]
        total = sum(question.weight for question, _ in pairs)
        for question, s in pairs:
            if s < 1:
                steps.append(NextStep(
                    question_code=question.code,
                    dimension_code=result.code,
                    gain=round(100 * question.weight * (1 - s) / total, DIGITS),
                    advice=advice_for(question, answers.get(question.code)),
                    modules=question.modules,
                ))
    order = {d.code: index for index, d in enumerate(questionnaire.dimensions)}
    steps.sort(key=lambda step: (-step.gain, order[step.dimension_code], step.question_code))
    return tuple(steps[:limit])


def score(questionnaire: Questionnaire, answers: Answers, targets: Mapping[str, float] | None = None, *,
          profile: Profile = UNKNOWN_PROFILE) -> Result:
    """Every number of a results page, from the answers of a cooperative with ``profile``."""
    targets = targets or {}
    dimensions = tuple(
        DimensionResult(code=d.code, score=dimension_score(questionnaire, d, answers, profile=profile),
                        weight=d.weight, target=targets.get(d.code, d.target))
        for d in questionnaire.dimensions
    )
    overall = overall_score(dimensions)
    return Result(
        dimensions=dimensions,
        overall=overall,
        level=questionnaire.level_for(overall or 0.0),
        next_steps=next_steps(questionnaire, answers, dimensions, profile=profile),
        profile=profile,
    )


def stored_level(questionnaire: Questionnaire, level: int | None, overall: float | None) -> Level:
    """The level stored at submit, as the questionnaire version that scored it names it."""
    return next((item for item in questionnaire.levels if item.level == level),
                questionnaire.level_for(overall or 0.0))


def from_stored(questionnaire: Questionnaire, answers: Answers, stored: Mapping[str, DimensionResult],
                overall: float | None, level: int | None, *, profile: Profile = UNKNOWN_PROFILE) -> Result:
    """A submitted assessment's result as stored at submit time (``stored``: its dimension scores,
    weights and targets by code; ``profile``: the profile facts stored with it). Every number is the
    stored one, so a later change of the rules or of the cooperative's kind never changes an old
    result on screen; only the next steps are derived, from the same answers, the questionnaire
    version that scored them and the stored profile."""
    dimensions = tuple(
        stored.get(d.code) or DimensionResult(code=d.code, score=None, weight=d.weight, target=d.target)
        for d in questionnaire.dimensions
    )
    return Result(
        dimensions=dimensions,
        overall=overall,
        level=stored_level(questionnaire, level, overall),
        next_steps=next_steps(questionnaire, answers, dimensions, profile=profile),
        profile=profile,
    )

