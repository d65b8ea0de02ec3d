"""What a submission stores of each answer besides the answer itself (pure).

Each applicable, scored answer keeps its score ``s ∈ [0, 1]`` (DESIGN §3) and, for a question with
one choice, the option chosen; each text answer keeps its words and their folded form. Computed
once, at submit, with the questionnaire version that scores the assessment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.assessments import scoring
from app.assessments.questionnaire import Profile, Questionnaire
from app.folding import fold

SINGLE_CHOICE = ("scale", "single", "boolean")
# Below half the points a question can give: an answer the province's picture counts as weak.
WEAK_BELOW = 0.5


@dataclass(frozen=True)
class ScoredAnswer:
    question_code: str
    score: float
    option_code: str | None


@dataclass(frozen=True)
class Written:
    question_code: str
    body: str
    search_body: str


def scored_answers(questionnaire: Questionnaire, answers: Mapping[str, Any], *,
                   profile: Profile = scoring.UNKNOWN_PROFILE) -> list[ScoredAnswer]:
    """The applicable, answered, scored questions of a cooperative with ``profile`` with their scores,
    in questionnaire order."""
    rows = []
    for question in questionnaire.questions:
        if not scoring.applicable(questionnaire, question, answers, profile=profile):
            continue
        value = answers.get(question.code)
        score = scoring.question_score(question, value)
        if score is None:
            continue
        option = str(value) if question.kind in SINGLE_CHOICE else None
        rows.append(ScoredAnswer(question.code, score, option))
    return rows


def written_answers(questionnaire: Questionnaire, answers: Mapping[str, Any], *,
                    profile: Profile = scoring.UNKNOWN_PROFILE) -> list[Written]:
    """The visible text answers that say something, as typed and folded for search."""
    rows = []
    for question in questionnaire.questions:
        value = answers.get(question.code)
        if question.kind != "text" or not isinstance(value, str) or not value.strip():
            continue
        if scoring.is_visible(questionnaire, question, answers, profile=profile):
            rows.append(Written(question.code, value.strip(), fold(value)))
    return rows
