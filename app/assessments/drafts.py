"""Starting, answering and submitting an assessment (database work; the caller commits).

Answers are upserted one per assessment × question, so saving the same answer twice or
replaying a request changes nothing, and the last write to a question wins. A submitted
assessment, its answers and its scores never change again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update

from app.assessments import scoring, versions
from app.assessments.models import DRAFT, SUBMITTED, Answer, Assessment, DimensionScore, DimensionTarget
from app.assessments.questionnaire import Questionnaire
from app.cooperatives.models import Cooperative
from app.database import utcnow
from app.extensions import db
from app.standings import upkeep


class SubmittedError(ValueError):
    """The assessment was submitted: its answers can no longer change."""


class NoQuestionnaire(LookupError):
    """No questionnaire content has been loaded (``flask content load``)."""


def open_draft(cooperative_id: int) -> Assessment | None:
    return db.session.scalar(
        select(Assessment).where(Assessment.cooperative_id == cooperative_id, Assessment.status == DRAFT)
    )


def last_submitted(cooperative_id: int, *, before_id: int | None = None) -> Assessment | None:
    query = select(Assessment).where(Assessment.cooperative_id == cooperative_id, Assessment.status == SUBMITTED)
    if before_id is not None:
        query = query.where(Assessment.id < before_id)
    return db.session.scalar(query.order_by(Assessment.id.desc()).limit(1))


def questionnaire_for(assessment: Assessment) -> Questionnaire:
    return versions.questionnaire_of(assessment.version)


def answers_of(assessment_id: int) -> dict[str, Any]:
    """Question code → answer value."""
    rows = db.session.execute(
        select(Answer.question_code, Answer.value).where(Answer.assessment_id == assessment_id)
    ).all()
    return {code: value for code, value in rows}


def answers_and_carried(assessment_id: int) -> tuple[dict[str, Any], set[str]]:
    """Question code → answer value, and the codes still carried over, in one query."""
    rows = db.session.execute(
        select(Answer.question_code, Answer.value, Answer.carried_over).where(Answer.assessment_id == assessment_id)
    ).all()
    return {code: value for code, value, _ in rows}, {code for code, _, carried in rows if carried}


def carried_over_codes(assessment_id: int) -> set[str]:
    return answers_and_carried(assessment_id)[1]


def start(cooperative: Cooperative, user_id: int, *,
          questionnaire_code: str = versions.QUESTIONNAIRE_CODE) -> Assessment:
    """The cooperative's open draft, or a new one pre-filled from its last submitted answers."""
    existing = open_draft(cooperative.id)
    if existing is not None:
        return existing
    version = versions.latest_version(questionnaire_code)
    if version is None:
        raise NoQuestionnaire(questionnaire_code)
    previous = last_submitted(cooperative.id)
    assessment = Assessment(cooperative_id=cooperative.id, version_id=version.id, created_by_id=user_id,
                            prefilled_from_id=previous.id if previous else None)
    db.session.add(assessment)
    db.session.flush()
    if previous is not None:
        questionnaire = versions.questionnaire_of(version)
        carried = carried_answers(questionnaire, answers_of(previous.id))
        db.session.add_all(
            Answer(assessment_id=assessment.id, question_code=code, value=value, carried_over=True,
                   updated_by_id=user_id)
            for code, value in carried.items()
        )
    return assessment


def carried_answers(questionnaire: Questionnaire, previous: Mapping[str, Any]) -> dict[str, Any]:
    """Previous answers that still fit the (possibly newer) questionnaire, matched by question code."""
    carried = {}
    for code, value in previous.items():
        question = questionnaire.question(code)
        if question is None:
            continue
        if question.kind == "multi":
            kept = [c for c in value if question.option(c) is not None] if isinstance(value, list) else []
            if kept:
                carried[code] = kept
        elif question.kind in ("scale", "single", "boolean"):
            if question.option(str(value)) is not None:
                carried[code] = value
        else:
            carried[code] = value
    return carried


def save_answer(assessment: Assessment, question_code: str, value: Any, user_id: int | None) -> bool:
    """Upsert one answer (``None`` clears it); True when something changed.

    Saving the same value again only confirms a carried-over answer; nothing else changes.
    Plain statements rather than the unit of work: every autosave comes through here.
    """
    if not claim_draft(assessment.id):
        raise SubmittedError(assessment.id)
    existing = db.session.execute(
        select(Answer.id, Answer.value, Answer.carried_over)
        .where(Answer.assessment_id == assessment.id, Answer.question_code == question_code)
    ).first()
    if value is None:
        if existing is None:
            return False
        db.session.execute(delete(Answer).where(Answer.id == existing.id))
        return True
    if existing is None:
        db.session.execute(insert(Answer).values(assessment_id=assessment.id, question_code=question_code,
                                                 value=value, updated_by_id=user_id))
        return True
    if existing.value == value and not existing.carried_over:
        return False
    db.session.execute(update(Answer).where(Answer.id == existing.id).values(
        value=value, carried_over=False, updated_at=utcnow(), updated_by_id=user_id))
    return True


def targets_for(cooperative: Cooperative, questionnaire: Questionnaire) -> dict[str, float]:
    """The dimension targets that apply to ``cooperative`` (its own, its province's, the default)."""
    rows = db.session.scalars(
        select(DimensionTarget).where(
            (DimensionTarget.cooperative_id == cooperative.id)
            | (DimensionTarget.province_code == cooperative.province_code)
        )
    ).all()
    own = {row.dimension_code: row.target for row in rows if row.cooperative_id == cooperative.id}
    province = {row.dimension_code: row.target for row in rows if row.province_code is not None}
    return scoring.resolve_targets(questionnaire, own, province)


def claim_draft(assessment_id: int) -> bool:
    """Lock the assessment row while it is still a draft; False once it has been submitted.

    Every write to a draft's answers and the submission itself start here, so the row lock
    (PostgreSQL) or the write lock (SQLite) orders them: no answer can change after the
    submission that froze it, and the submission scores exactly the answers it freezes.
    """
    return bool(db.session.execute(
        update(Assessment).where(Assessment.id == assessment_id, Assessment.status == DRAFT)
        .values(status=DRAFT).execution_options(synchronize_session=False)
    ).rowcount)


def submit(assessment: Assessment, user_id: int | None) -> scoring.Result | list:
    """Score and freeze a complete draft; returns the missing questions instead when it is not complete.

    Submitting twice creates one submission: the second request (or a concurrent one) finds no
    draft to claim and changes nothing.
    """
    questionnaire = questionnaire_for(assessment)
    if not claim_draft(assessment.id):
        db.session.refresh(assessment)
        return stored_answers_and_result(assessment)[1]
    answers = answers_of(assessment.id)
    missing = scoring.missing_required(questionnaire, answers)
    if missing:
        return missing
    result = scoring.score(questionnaire, answers, targets_for(assessment.cooperative, questionnaire))
    submitted_at = utcnow()
    db.session.execute(
        update(Assessment).where(Assessment.id == assessment.id)
        .values(status=SUBMITTED, submitted_at=submitted_at, submitted_by_id=user_id,
                overall_score=result.overall, level=result.level.level)
        .execution_options(synchronize_session=False)
    )
    db.session.add_all(
        DimensionScore(assessment_id=assessment.id, dimension_code=d.code, score=d.score, weight=d.weight,
                       target=d.target, gap=d.gap)
        for d in result.dimensions if d.score is not None
    )
    upkeep.record_submission(assessment.cooperative, assessment.id, submitted_at, questionnaire, answers, result)
    db.session.execute(update(Answer).where(Answer.assessment_id == assessment.id).values(carried_over=False))
    db.session.flush()
    db.session.refresh(assessment)
    return result


def stored_results(assessments: Sequence[Assessment]) -> dict[int, tuple[dict[str, Any], scoring.Result]]:
    """Submitted assessments' answers and results as stored at submit time, by assessment id, in
    two queries however many there are: the one way every page reads a submitted result."""
    ids = [assessment.id for assessment in assessments]
    if not ids:
        return {}
    answers: dict[int, dict[str, Any]] = {assessment_id: {} for assessment_id in ids}
    for assessment_id, code, value in db.session.execute(
            select(Answer.assessment_id, Answer.question_code, Answer.value).where(Answer.assessment_id.in_(ids))):
        answers[assessment_id][code] = value
    stored: dict[int, dict[str, scoring.DimensionResult]] = {assessment_id: {} for assessment_id in ids}
    for row in db.session.scalars(select(DimensionScore).where(DimensionScore.assessment_id.in_(ids))):
        stored[row.assessment_id][row.dimension_code] = scoring.DimensionResult(
            code=row.dimension_code, score=row.score, weight=row.weight, target=row.target)
    return {
        assessment.id: (answers[assessment.id], scoring.from_stored(
            questionnaire_for(assessment), answers[assessment.id], stored[assessment.id],
            assessment.overall_score, assessment.level))
        for assessment in assessments
    }


def stored_answers_and_result(assessment: Assessment) -> tuple[dict[str, Any], scoring.Result]:
    """One submitted assessment's answers and stored result (see ``stored_results``)."""
    return stored_results([assessment])[assessment.id]
