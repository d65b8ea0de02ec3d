"""Starting, answering and submitting an assessment (database work; the caller commits).

Answers are upserted one per assessment × question, so saving the same answer twice or
replaying a request changes nothing. Saves of one question are ordered by its revision: a save
names the revision it last saw and is refused when a newer one was stored meanwhile (the page
then sends the value again), so the last acknowledged write wins and a late one never does.
A submitted assessment, its answers, its scores and the profile facts its questions were chosen
for never change again. A draft follows its cooperative's profile as it is today, and can move to
a newer questionnaire version with its answers carried over by question code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (JSON, Boolean, DateTime, Integer, String, Text, bindparam, case, cast, delete, exists, func,
                        literal, or_, select, type_coerce, update)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import aliased

from app.assessments import scoring, versions
from app.assessments.models import (DRAFT, SUBMITTED, Answer, Assessment, DimensionScore, DimensionTarget,
                                    QuestionnaireVersion)
from app.assessments.questionnaire import Questionnaire
from app.cooperatives.models import Cooperative
from app.database import utcnow
from app.extensions import db
from app.standings import upkeep


class SubmittedError(ValueError):
    """The assessment was submitted: its answers can no longer change."""


class NoQuestionnaire(LookupError):
    """No questionnaire content has been loaded (``flask content load``)."""


# The revision a save names when its page sent none: it matches no stored answer.
NO_REVISION = -1


class StaleRevision(ValueError):
    """The answer changed since the revision the save names; nothing was written."""

    def __init__(self, current: int) -> None:
        super().__init__(current)
        self.current = current


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


def profile_of(cooperative: Cooperative) -> dict[str, str]:
    """The cooperative's profile facts that questions may depend on (``show_if: {profile: …}``)."""
    return {"kind": cooperative.kind, "sector": cooperative.sector}


def answers_of(assessment_id: int) -> dict[str, Any]:
    """Question code → answer value."""
    rows = db.session.execute(
        select(Answer.question_code, Answer.value)
        .where(Answer.assessment_id == assessment_id, Answer.value.is_not(None))
    ).all()
    return {code: value for code, value in rows}


def answer_states(assessment_id: int) -> tuple[dict[str, Any], set[str], dict[str, int]]:
    """Question code → answer value, the codes still carried over, and question code → revision
    (cleared answers included; a question never answered is at revision 0), in one query."""
    rows = db.session.execute(
        select(Answer.question_code, Answer.value, Answer.carried_over, Answer.revision)
        .where(Answer.assessment_id == assessment_id)
    ).all()
    return ({row.question_code: row.value for row in rows if row.value is not None},
            {row.question_code for row in rows if row.carried_over},
            {row.question_code: row.revision for row in rows})


def answers_and_carried(assessment_id: int) -> tuple[dict[str, Any], set[str]]:
    """Question code → answer value, and the codes still carried over, in one query."""
    answers, carried, _revisions = answer_states(assessment_id)
    return answers, carried


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


def save_answer(assessment: Assessment, question_code: str, value: Any, user_id: int | None, *,
                revision: int | None = None) -> int:
    """Upsert one answer (``None`` clears it) and return its revision afterwards (see ``write_answer``)."""
    return write_answer(assessment.id, question_code, value, user_id, revision=revision).revision


@dataclass(frozen=True)
class Written:
    """An answer as ``write_answer`` left it, and the draft's answers then when they were asked for."""

    revision: int
    answers: dict[str, Any] | None = None


def write_answer(assessment_id: int, question_code: str, value: Any, user_id: int | None, *,
                 revision: int | None = None, read_answers: bool = False) -> Written:
    """Upsert one answer (``None`` clears it) in one statement that also claims the draft.

    ``revision`` is the revision the person's page last saw (0: no answer yet); when the answer
    has changed since, nothing is written and ``StaleRevision`` says the current one. None writes
    whatever was stored (seeding, tests). Saving the value already stored changes nothing, whatever
    the revision (a replayed request), except that it confirms a carried-over answer. Once the
    draft is submitted nothing is written and ``SubmittedError`` is raised.

    The statement inserts from the draft's row only while it is a draft, holding that row (see
    ``claim_draft``), and compares and sets the revision on conflict; with ``read_answers`` it also
    returns the draft's answers, so the reply needs no further query. Only a save that writes
    nothing takes a second statement, to say why.
    """
    db.session.flush()  # the statement runs on the connection itself: rows added before it go first
    connection = db.session.connection()
    statement = upsert_statement(connection.dialect.name, stored_only=value is None or revision not in (None, 0),
                                 compare=revision is not None, read_answers=read_answers)
    row = connection.execute(statement, {"assessment_id": assessment_id, "question_code": question_code,
                                         "value": value, "now": utcnow(), "user_id": user_id,
                                         "revision": revision}).first()
    if row is None:
        refused_write(assessment_id, question_code, value, revision)
        # A never-answered question was cleared: nothing to write.
        return Written(0, answers_of(assessment_id) if read_answers else None)
    if not read_answers:
        return Written(row.revision)
    answers = {code: stored for code, stored in (row.answers or []) if stored is not None}
    # PostgreSQL's subquery sees the draft as it was before this statement, SQLite's as after.
    answers.pop(question_code, None)
    if value is not None:
        answers[question_code] = value
    return Written(row.revision, answers)


@cache
def upsert_statement(dialect: str, *, stored_only: bool, compare: bool, read_answers: bool) -> Any:
    """``INSERT … SELECT`` from the open draft ``ON CONFLICT DO UPDATE`` over the revision seen, ``RETURNING``
    the revision (and the draft's answers): the one statement of every autosave. Built once per shape
    (its values are bound parameters), as building it costs more than running it.

    ``stored_only``: only an answer already stored can be cleared, or be newer than "never answered";
    ``compare``: write only over the revision seen (or the same value)."""
    assessment_id = bindparam("assessment_id", type_=Integer)
    question_code = bindparam("question_code", type_=String)
    source = select(Assessment.id, question_code, bindparam("value", type_=Answer.value.type), literal(1, Integer),
                    literal(False, Boolean), bindparam("now", type_=DateTime), bindparam("user_id", type_=Integer)) \
        .where(Assessment.id == assessment_id, Assessment.status == DRAFT)
    if stored_only:
        source = source.where(exists().where(Answer.assessment_id == assessment_id,
                                             Answer.question_code == question_code))
    # PostgreSQL: FOR SHARE waits for a submission holding the row and then finds it submitted;
    # SQLite's write lock orders them the same way.
    source = source.with_for_update(read=True)
    columns = ["assessment_id", "question_code", "value", "revision", "carried_over", "updated_at", "updated_by_id"]
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Answer).from_select(columns, source)
    new = insert.excluded
    if dialect == "postgresql":  # json has no equality; jsonb compares values
        same = cast(Answer.value, JSONB).is_not_distinct_from(cast(new.value, JSONB))
    else:  # stored as the text the same serializer wrote
        same = type_coerce(Answer.value, Text).is_not_distinct_from(type_coerce(new.value, Text))
    touched = or_(~same, Answer.carried_over)
    insert = insert.on_conflict_do_update(
        index_elements=[Answer.assessment_id, Answer.question_code],
        set_={"value": new.value,
              "revision": case((same, Answer.revision), else_=Answer.revision + 1),
              "carried_over": False,
              "updated_at": case((touched, new.updated_at), else_=Answer.updated_at),
              "updated_by_id": case((touched, new.updated_by_id), else_=Answer.updated_by_id)},
        where=or_(Answer.revision == bindparam("revision", type_=Integer), same) if compare else None)
    returned = [Answer.revision]
    if read_answers:
        returned.append(answers_json(dialect, assessment_id).label("answers"))
    return insert.returning(*returned)


def answers_json(dialect: str, assessment_id: Any) -> Any:
    """The draft's answers as one JSON array of [code, value] pairs (a subquery)."""
    other = aliased(Answer)
    if dialect == "postgresql":
        pairs = func.json_agg(func.json_build_array(other.question_code, other.value))
    else:
        pairs = func.json_group_array(func.json_array(other.question_code, func.json(other.value)))
    return type_coerce(select(pairs).where(other.assessment_id == assessment_id, other.value.is_not(None))
                       .scalar_subquery(), JSON)


def refused_write(assessment_id: int, question_code: str, value: Any, revision: int | None) -> None:
    """Why ``write_answer``'s statement wrote nothing: raises when the draft was submitted or the answer
    is newer than the revision seen; returns when a never-answered question was cleared (no write needed)."""
    row = db.session.execute(
        select(Assessment.status, Answer.revision).select_from(Assessment)
        .outerjoin(Answer, (Answer.assessment_id == Assessment.id) & (Answer.question_code == question_code))
        .where(Assessment.id == assessment_id)
    ).first()
    if row is None or row.status != DRAFT:
        raise SubmittedError(assessment_id)
    if row.revision is not None or value is not None:
        raise StaleRevision(row.revision or 0)


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
    profile = profile_of(assessment.cooperative)
    missing = scoring.missing_required(questionnaire, answers, profile=profile)
    if missing:
        return missing
    result = scoring.score(questionnaire, answers, targets_for(assessment.cooperative, questionnaire),
                           profile=profile)
    submitted_at = utcnow()
    db.session.execute(
        update(Assessment).where(Assessment.id == assessment.id)
        .values(status=SUBMITTED, submitted_at=submitted_at, submitted_by_id=user_id,
                overall_score=result.overall, level=result.level.level, profile=profile)
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
            select(Answer.assessment_id, Answer.question_code, Answer.value)
            .where(Answer.assessment_id.in_(ids), Answer.value.is_not(None))):
        answers[assessment_id][code] = value
    stored: dict[int, dict[str, scoring.DimensionResult]] = {assessment_id: {} for assessment_id in ids}
    for row in db.session.scalars(select(DimensionScore).where(DimensionScore.assessment_id.in_(ids))):
        stored[row.assessment_id][row.dimension_code] = scoring.DimensionResult(
            code=row.dimension_code, score=row.score, weight=row.weight, target=row.target)
    return {
        assessment.id: (answers[assessment.id], scoring.from_stored(
            questionnaire_for(assessment), answers[assessment.id], stored[assessment.id],
            assessment.overall_score, assessment.level,
            profile=assessment.profile or scoring.UNKNOWN_PROFILE))
        for assessment in assessments
    }


def stored_answers_and_result(assessment: Assessment) -> tuple[dict[str, Any], scoring.Result]:
    """One submitted assessment's answers and stored result (see ``stored_results``)."""
    return stored_results([assessment])[assessment.id]


@dataclass(frozen=True)
class VersionOffer:
    """A newer questionnaire version a draft can move to, and how many of its answers would carry over."""

    current: int
    newer: int
    carried: int
    answered: int


def version_offer(assessment: Assessment, answers: Mapping[str, Any]) -> VersionOffer | None:
    """What the notice offering the newer questionnaire version says; None when the draft is on the latest."""
    newer = newer_version(assessment)
    if newer is None:
        return None
    carried = carried_answers(versions.questionnaire_of(newer), answers)
    return VersionOffer(current=assessment.version.number, newer=newer.number, carried=len(carried),
                        answered=len(answers))


def newer_version(assessment: Assessment) -> QuestionnaireVersion | None:
    """The latest version of the draft's questionnaire when the draft was started on an older one."""
    latest = versions.latest_version(assessment.version.code)
    return latest if latest is not None and latest.number > assessment.version.number else None


def move_to_version(assessment: Assessment, version: QuestionnaireVersion, user_id: int | None) -> bool:
    """Continue the draft on ``version``: the answers that fit it are kept (matched by question code,
    see ``carried_answers``) and marked carried over so the people answering confirm them against
    the new wording; the others are removed. False when the draft was submitted meanwhile."""
    if not claim_draft(assessment.id):
        return False
    answers = answers_of(assessment.id)
    carried = carried_answers(versions.questionnaire_of(version), answers)
    db.session.execute(delete(Answer).where(Answer.assessment_id == assessment.id,
                                            Answer.question_code.not_in(carried)))
    # Each kept answer gets a new revision: a page still open on the old version saves nothing over it.
    db.session.execute(update(Answer).where(Answer.assessment_id == assessment.id)
                       .values(carried_over=True, updated_at=utcnow(), updated_by_id=user_id,
                               revision=Answer.revision + 1))
    for code, value in carried.items():
        if value != answers[code]:  # a checklist keeps only the items the new version still has
            db.session.execute(update(Answer).where(Answer.assessment_id == assessment.id,
                                                    Answer.question_code == code).values(value=value))
    db.session.execute(update(Assessment).where(Assessment.id == assessment.id).values(version_id=version.id)
                       .execution_options(synchronize_session=False))
    db.session.flush()
    db.session.refresh(assessment)
    return True
