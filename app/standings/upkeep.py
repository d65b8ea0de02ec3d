"""Keeping the standings current: at submit, when a cooperative changes group, and from scratch.

``record_submission`` runs inside the submission's transaction, so a submitted assessment and
the pointer, totals and per-answer rows that describe it are committed together or not at all.
Totals are changed by increments (an upsert per dimension), so concurrent submissions of
cooperatives of the same group each add their own share under the row lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Insert, delete, event, inspect, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.assessments.models import Assessment, DimensionScore
from app.assessments.questionnaire import Questionnaire
from app.assessments.scoring import Result
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.standings.answer_facts import scored_answers, written_answers
from app.standings.models import OVERALL, LatestAssessment, QuestionScore, ScoreTotal, WrittenAnswer

Group = tuple[int, str, str]  # province, kind, sector
GROUP_COLUMNS = ("province_code", "kind", "sector")


def group_of(cooperative: Cooperative) -> Group:
    return cooperative.province_code, cooperative.kind, cooperative.sector


def result_scores(result: Result) -> dict[str, float]:
    """Dimension code (and ``OVERALL``) → score, for the dimensions that have one."""
    scores = {d.code: d.score for d in result.dimensions if d.score is not None}
    if result.overall is not None:
        scores[OVERALL] = result.overall
    return scores


def stored_scores(connection: Connection, assessment_id: int) -> dict[str, float]:
    """The scores stored for one submitted assessment, overall included (two small reads)."""
    scores = dict(connection.execute(
        select(DimensionScore.dimension_code, DimensionScore.score)
        .where(DimensionScore.assessment_id == assessment_id)).all())
    overall = connection.execute(select(Assessment.overall_score).where(Assessment.id == assessment_id)).scalar()
    if overall is not None:
        scores[OVERALL] = overall
    return scores


def _upsert(connection: Connection) -> Insert:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(ScoreTotal.__table__)
    table = ScoreTotal.__table__.c
    return statement.on_conflict_do_update(
        index_elements=[*GROUP_COLUMNS, "dimension_code"],
        set_={"contributors": table.contributors + statement.excluded.contributors,
              "total": table.total + statement.excluded.total},
    )


def change_totals(connection: Connection, group: Group, scores: Mapping[str, float], sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) one cooperative's latest scores to its group's totals."""
    if not scores:
        return
    province_code, kind, sector = group
    connection.execute(_upsert(connection), [
        {"province_code": province_code, "kind": kind, "sector": sector, "dimension_code": code,
         "contributors": sign, "total": sign * score}
        for code, score in sorted(scores.items())
    ])


def record_submission(cooperative: Cooperative, assessment_id: int, questionnaire: Questionnaire,
                      answers: Mapping[str, Any], result: Result) -> None:
    """Everything a submission adds besides its own scores: each answer's score, the text answers,
    the cooperative's pointer to its latest and previous submissions, and the group's totals."""
    session = db.session
    session.add_all(QuestionScore(assessment_id=assessment_id, question_code=row.question_code, score=row.score,
                                  option_code=row.option_code)
                    for row in scored_answers(questionnaire, answers))
    session.add_all(WrittenAnswer(assessment_id=assessment_id, question_code=row.question_code, body=row.body,
                                  search_body=row.search_body)
                    for row in written_answers(questionnaire, answers))
    pointer = session.get(LatestAssessment, cooperative.id, with_for_update=True)
    connection = session.connection()
    if pointer is None:
        session.add(LatestAssessment(cooperative_id=cooperative.id, assessment_id=assessment_id))
    else:
        change_totals(connection, group_of(cooperative), stored_scores(connection, pointer.assessment_id), -1)
        pointer.previous_id, pointer.assessment_id = pointer.assessment_id, assessment_id
    change_totals(connection, group_of(cooperative), result_scores(result), 1)


def _moved(cooperative: Cooperative) -> Group | None:
    """The group a cooperative is leaving in this flush, if its province, kind or sector changed."""
    state = inspect(cooperative)
    before = []
    changed = False
    for name in GROUP_COLUMNS:
        history = state.attrs[name].history
        if history.deleted and history.added and history.deleted[0] != history.added[0]:
            changed = True
            before.append(history.deleted[0])
        else:
            before.append(getattr(cooperative, name))
    return (int(before[0]), str(before[1]), str(before[2])) if changed else None


def _follow_moves(session: Session, _context: Any) -> None:
    """After a flush that changed a cooperative's province, kind or sector, move its latest
    scores from the old group's totals to the new one (same transaction)."""
    moves = [(cooperative, old) for cooperative in session.dirty
             if isinstance(cooperative, Cooperative) and (old := _moved(cooperative)) is not None]
    if not moves:
        return
    connection = session.connection()
    for cooperative, old in moves:
        latest = connection.execute(select(LatestAssessment.assessment_id)
                                    .where(LatestAssessment.cooperative_id == cooperative.id)).scalar()
        if latest is None:
            continue
        scores = stored_scores(connection, latest)
        change_totals(connection, old, scores, -1)
        change_totals(connection, group_of(cooperative), scores, 1)


def listen() -> None:
    """Follow group changes of cooperatives in every session (called once by the app factory)."""
    if not event.contains(Session, "after_flush", _follow_moves):
        event.listen(Session, "after_flush", _follow_moves)


# The same statements build the standings in the migration that introduced them.
REBUILD_POINTERS = """
INSERT INTO latest_assessments (cooperative_id, assessment_id, previous_id)
SELECT latest.cooperative_id, latest.assessment_id,
       (SELECT max(earlier.id) FROM assessments earlier
         WHERE earlier.cooperative_id = latest.cooperative_id AND earlier.status = 'submitted'
           AND earlier.id < latest.assessment_id)
FROM (SELECT cooperative_id, max(id) AS assessment_id FROM assessments
       WHERE status = 'submitted' GROUP BY cooperative_id) latest
"""
REBUILD_TOTALS = """
INSERT INTO score_totals (province_code, kind, sector, dimension_code, contributors, total)
SELECT c.province_code, c.kind, c.sector, s.dimension_code, count(*), sum(s.score)
FROM latest_assessments l
JOIN cooperatives c ON c.id = l.cooperative_id
JOIN dimension_scores s ON s.assessment_id = l.assessment_id
GROUP BY c.province_code, c.kind, c.sector, s.dimension_code
UNION ALL
SELECT c.province_code, c.kind, c.sector, '', count(*), sum(a.overall_score)
FROM latest_assessments l
JOIN cooperatives c ON c.id = l.cooperative_id
JOIN assessments a ON a.id = l.assessment_id
WHERE a.overall_score IS NOT NULL
GROUP BY c.province_code, c.kind, c.sector
"""


def rebuild(connection: Connection) -> None:
    """Recompute every pointer and total from the stored submissions (after a bulk load, or to
    repair a change made outside the app)."""
    connection.execute(delete(ScoreTotal))
    connection.execute(delete(LatestAssessment))
    connection.execute(text(REBUILD_POINTERS))
    connection.execute(text(REBUILD_TOTALS))

