"""Keeping the standings current: at submit, when a cooperative changes place, and from scratch.

``record_submission`` runs inside the submission's transaction, so a submitted assessment and
the pointer, totals and per-answer rows that describe it are committed together or not at all.
Totals are changed by increments (an upsert per row), so concurrent submissions of cooperatives
of the same group each add their own share under the row lock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Insert, Table, delete, event, inspect, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.assessments.models import SUBMITTED, Assessment, DimensionScore
from app.assessments.questionnaire import Questionnaire
from app.assessments.scoring import Result
from app.cooperatives.models import Cooperative
from app.database import LOCAL_ZONE
from app.extensions import db
from app.standings.answer_facts import WEAK_BELOW, scored_answers, written_answers
from app.standings.models import (OVERALL, AnswerTotal, LatestAssessment, QuarterTotal, QuestionScore, ScoreTotal,
                                  WrittenAnswer, YearLatest)

Group = tuple[int, str, str, str]  # province, kind, sector, status: the key of the totals
GROUP_COLUMNS = ("province_code", "kind", "sector", "status")
PLACE_COLUMNS = (*GROUP_COLUMNS, "ward_code")  # what the pointer copies from its cooperative
AnswerKey = tuple[str, str, bool]  # question code, option code ("" for none), weak


def group_of(cooperative: Cooperative) -> Group:
    return cooperative.province_code, cooperative.kind, cooperative.sector, cooperative.status


def result_scores(result: Result) -> dict[str, float]:
    """Dimension code (and ``OVERALL``) → score, for the dimensions that have one."""
    scores = {d.code: d.score for d in result.dimensions if d.score is not None}
    if result.overall is not None:
        scores[OVERALL] = result.overall
    return scores


def answer_counts(rows: Iterable[tuple[str, str | None, float]]) -> Counter[AnswerKey]:
    """``(question code, option code, score)`` rows counted by question, option and weakness."""
    return Counter((code, option or "", score < WEAK_BELOW) for code, option, score in rows)


def stored_facts(connection: Connection, assessment_id: int) -> tuple[dict[str, float], Counter[AnswerKey]]:
    """The scores and answer counts one submitted assessment put in the totals (three small reads)."""
    scores = dict(connection.execute(
        select(DimensionScore.dimension_code, DimensionScore.score)
        .where(DimensionScore.assessment_id == assessment_id)).all())
    overall = connection.execute(select(Assessment.overall_score).where(Assessment.id == assessment_id)).scalar()
    if overall is not None:
        scores[OVERALL] = overall
    answers = answer_counts(connection.execute(
        select(QuestionScore.question_code, QuestionScore.option_code, QuestionScore.score)
        .where(QuestionScore.assessment_id == assessment_id)).all())
    return scores, answers


def _insert(connection: Connection, table: Table) -> Any:
    """An INSERT that can take ON CONFLICT (PostgreSQL and SQLite)."""
    return (postgresql if connection.dialect.name == "postgresql" else sqlite).insert(table)


def _upsert(connection: Connection, table: Table, key: list[str], added: list[str]) -> Insert:
    """INSERT … ON CONFLICT (key) DO UPDATE adding ``added`` columns."""
    statement = _insert(connection, table)
    return statement.on_conflict_do_update(
        index_elements=key, set_={name: table.c[name] + statement.excluded[name] for name in added})


def change_totals(connection: Connection, group: Group, scores: Mapping[str, float],
                  answers: Mapping[AnswerKey, int], sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) one cooperative's latest submission to its group's totals."""
    place = dict(zip(GROUP_COLUMNS, group, strict=True))
    if scores:
        connection.execute(
            _upsert(connection, ScoreTotal.__table__, [*GROUP_COLUMNS, "dimension_code"], ["contributors", "total"]),
            [{**place, "dimension_code": code, "contributors": sign, "total": sign * score}
             for code, score in sorted(scores.items())])
    if answers:
        connection.execute(
            _upsert(connection, AnswerTotal.__table__, [*GROUP_COLUMNS, "question_code", "option_code", "weak"],
                    ["answers"]),
            [{**place, "question_code": code, "option_code": option, "weak": weak, "answers": sign * count}
             for (code, option, weak), count in sorted(answers.items())])


def quarter_of(moment: datetime) -> int:
    """``year * 10 + quarter`` of a stored (naive UTC) time, in Vietnam's calendar."""
    local = moment.replace(tzinfo=UTC).astimezone(LOCAL_ZONE)
    return local.year * 10 + (local.month - 1) // 3 + 1


def year_of(moment: datetime) -> int:
    """The year of a stored (naive UTC) time, in Vietnam's calendar."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).year


def point_year(connection: Connection, cooperative_id: int, submitted_at: datetime, assessment_id: int,
               overall: float | None, level: int | None) -> None:
    """Make a submission just made its cooperative's latest of its year."""
    statement = _insert(connection, YearLatest.__table__).values(
        year=year_of(submitted_at), cooperative_id=cooperative_id, assessment_id=assessment_id,
        overall_score=overall, level=level)
    connection.execute(statement.on_conflict_do_update(
        index_elements=["year", "cooperative_id"],
        set_={name: statement.excluded[name] for name in ("assessment_id", "overall_score", "level")}))


def latest_of_each_year(rows: Iterable[tuple[int, int, datetime, float | None, int | None]]) -> list[dict[str, Any]]:
    """Each cooperative's latest submission of each year, from ``(cooperative, assessment, submitted at,
    overall score, level)`` rows in any order: the rows of ``YearLatest``."""
    chosen: dict[tuple[int, int], tuple[datetime, int, float | None, int | None]] = {}
    for cooperative_id, assessment_id, submitted_at, overall, level in rows:
        key = (year_of(submitted_at), cooperative_id)
        if key not in chosen or (submitted_at, assessment_id) > chosen[key][:2]:
            chosen[key] = (submitted_at, assessment_id, overall, level)
    return [{"year": year, "cooperative_id": cooperative_id, "assessment_id": assessment_id,
             "overall_score": overall, "level": level}
            for (year, cooperative_id), (_, assessment_id, overall, level) in sorted(chosen.items())]


def rebuild_years(connection: Connection, cooperative_id: int | None = None) -> None:
    """Point at the latest submission of each year again: one cooperative's, or every cooperative's."""
    submitted = select(Assessment.cooperative_id, Assessment.id, Assessment.submitted_at, Assessment.overall_score,
                       Assessment.level).where(Assessment.status == SUBMITTED)
    removed = delete(YearLatest)
    if cooperative_id is not None:
        submitted = submitted.where(Assessment.cooperative_id == cooperative_id)
        removed = removed.where(YearLatest.cooperative_id == cooperative_id)
    connection.execute(removed)
    rows = latest_of_each_year(connection.execute(submitted))
    if rows:
        connection.execute(YearLatest.__table__.insert(), rows)


def change_quarter(connection: Connection, place: tuple[int, str, str], quarter: int, overall: float | None,
                   sign: int) -> None:
    """Count (``sign`` 1) or uncount (-1) one submission in its quarter."""
    province_code, kind, sector = place
    connection.execute(
        _upsert(connection, QuarterTotal.__table__, ["province_code", "kind", "sector", "quarter"],
                ["submissions", "scored", "total"]),
        [{"province_code": province_code, "kind": kind, "sector": sector, "quarter": quarter, "submissions": sign,
          "scored": sign if overall is not None else 0, "total": sign * (overall or 0.0)}])


def record_submission(cooperative: Cooperative, assessment_id: int, submitted_at: datetime,
                      questionnaire: Questionnaire, answers: Mapping[str, Any], result: Result) -> None:
    """Everything a submission adds besides its own scores: each answer's score, the text answers,
    the cooperative's pointers to its latest and previous submissions and to its latest of the year,
    and its group's totals."""
    session = db.session
    scored = scored_answers(questionnaire, answers, profile=result.profile)
    session.add_all(QuestionScore(assessment_id=assessment_id, question_code=row.question_code, score=row.score,
                                  option_code=row.option_code) for row in scored)
    session.add_all(WrittenAnswer(assessment_id=assessment_id, question_code=row.question_code, body=row.body,
                                  search_body=row.search_body)
                    for row in written_answers(questionnaire, answers, profile=result.profile))
    pointer = session.get(LatestAssessment, cooperative.id, with_for_update=True)
    connection = session.connection()
    group = group_of(cooperative)
    if pointer is None:
        pointer = LatestAssessment(cooperative_id=cooperative.id, previous_id=None, previous_overall_score=None)
        session.add(pointer)
    else:
        change_totals(connection, group, *stored_facts(connection, pointer.assessment_id), -1)
        pointer.previous_id, pointer.previous_overall_score = pointer.assessment_id, pointer.overall_score
    pointer.assessment_id, pointer.submitted_at = assessment_id, submitted_at
    pointer.overall_score, pointer.level = result.overall, result.level.level
    for name in PLACE_COLUMNS:
        setattr(pointer, name, getattr(cooperative, name))
    change_totals(connection, group, result_scores(result),
                  answer_counts((row.question_code, row.option_code, row.score) for row in scored), 1)
    change_quarter(connection, group[:3], quarter_of(submitted_at), result.overall, 1)
    point_year(connection, cooperative.id, submitted_at, assessment_id, result.overall, result.level.level)


def _follow_moves(session: Session, _context: Any, _instances: Any) -> None:
    """Before a flush that changes a cooperative's province, ward, kind, sector or status (approved,
    dissolved), bring its pointer along and move its latest submission from its old group's totals
    to its new one (same transaction). The old group is read from the database, which still holds it."""
    changed = {cooperative.id: cooperative for cooperative in session.dirty
               if isinstance(cooperative, Cooperative) and cooperative.id is not None
               and any(inspect(cooperative).attrs[name].history.has_changes() for name in PLACE_COLUMNS)}
    if not changed:
        return
    connection = session.connection()
    rows = connection.execute(
        select(Cooperative.id, *(getattr(Cooperative, name) for name in GROUP_COLUMNS), LatestAssessment.assessment_id)
        .join(LatestAssessment, LatestAssessment.cooperative_id == Cooperative.id)
        .where(Cooperative.id.in_(sorted(changed)))).all()
    for cooperative_id, *old, latest in rows:
        cooperative = changed[cooperative_id]
        connection.execute(update(LatestAssessment).where(LatestAssessment.cooperative_id == cooperative_id)
                           .values({name: getattr(cooperative, name) for name in PLACE_COLUMNS}))
        new = group_of(cooperative)
        if tuple(old) != new:
            facts = stored_facts(connection, latest)
            change_totals(connection, tuple(old), *facts, -1)  # type: ignore[arg-type]
            change_totals(connection, new, *facts, 1)


def listen() -> None:
    """Follow cooperatives' changes of place in every session (called once by the app factory).
    Changes made outside the app's models (plain SQL) need ``flask standings rebuild``."""
    if not event.contains(Session, "before_flush", _follow_moves):
        event.listen(Session, "before_flush", _follow_moves)


def restamp(assessment_id: int, submitted_at: datetime) -> None:
    """Give a submission another date (demo and test data dated in the past), moving it between quarters
    and years."""
    connection = db.session.connection()
    before, overall, cooperative_id, *place = connection.execute(
        select(Assessment.submitted_at, Assessment.overall_score, Cooperative.id, Cooperative.province_code,
               Cooperative.kind, Cooperative.sector)
        .join(Cooperative, Cooperative.id == Assessment.cooperative_id).where(Assessment.id == assessment_id)).one()
    change_quarter(connection, tuple(place), quarter_of(before), overall, -1)  # type: ignore[arg-type]
    change_quarter(connection, tuple(place), quarter_of(submitted_at), overall, 1)  # type: ignore[arg-type]
    connection.execute(update(Assessment).where(Assessment.id == assessment_id).values(submitted_at=submitted_at))
    connection.execute(update(LatestAssessment).where(LatestAssessment.assessment_id == assessment_id)
                       .values(submitted_at=submitted_at))
    rebuild_years(connection, cooperative_id)


def rebuild_quarters(connection: Connection) -> None:
    """Count every submission in its quarter again (the quarter is taken in Vietnam's calendar here,
    the same way on every database)."""
    counted: dict[tuple[int, str, str, int], list] = {}
    for submitted_at, overall, province_code, kind, sector in connection.execute(
            select(Assessment.submitted_at, Assessment.overall_score, Cooperative.province_code, Cooperative.kind,
                   Cooperative.sector)
            .join(Cooperative, Cooperative.id == Assessment.cooperative_id)
            .where(Assessment.status == "submitted")):
        row = counted.setdefault((province_code, kind, sector, quarter_of(submitted_at)), [0, 0, 0.0])
        row[0] += 1
        if overall is not None:
            row[1] += 1
            row[2] += overall
    connection.execute(delete(QuarterTotal))
    if counted:
        connection.execute(QuarterTotal.__table__.insert(), [
            {"province_code": province_code, "kind": kind, "sector": sector, "quarter": quarter,
             "submissions": submissions, "scored": scored, "total": total}
            for (province_code, kind, sector, quarter), (submissions, scored, total) in sorted(counted.items())])


# The same statements build the standings in the migration that introduced them.
REBUILD_POINTERS = """
INSERT INTO latest_assessments (cooperative_id, assessment_id, previous_id, province_code, ward_code, kind, sector,
                                status, submitted_at, overall_score, level, previous_overall_score)
SELECT c.id, a.id, p.id, c.province_code, c.ward_code, c.kind, c.sector, c.status, a.submitted_at,
       a.overall_score, a.level, p.overall_score
FROM (SELECT latest.cooperative_id, latest.assessment_id,
             (SELECT max(earlier.id) FROM assessments earlier
               WHERE earlier.cooperative_id = latest.cooperative_id AND earlier.status = 'submitted'
                 AND earlier.id < latest.assessment_id) AS previous_id
      FROM (SELECT cooperative_id, max(id) AS assessment_id FROM assessments
             WHERE status = 'submitted' GROUP BY cooperative_id) latest) pair
JOIN cooperatives c ON c.id = pair.cooperative_id
JOIN assessments a ON a.id = pair.assessment_id
LEFT JOIN assessments p ON p.id = pair.previous_id
"""
REBUILD_TOTALS = """
INSERT INTO score_totals (province_code, kind, sector, status, dimension_code, contributors, total)
SELECT l.province_code, l.kind, l.sector, l.status, s.dimension_code, count(*), sum(s.score)
FROM latest_assessments l
JOIN dimension_scores s ON s.assessment_id = l.assessment_id
GROUP BY l.province_code, l.kind, l.sector, l.status, s.dimension_code
UNION ALL
SELECT l.province_code, l.kind, l.sector, l.status, '', count(*), sum(l.overall_score)
FROM latest_assessments l
WHERE l.overall_score IS NOT NULL
GROUP BY l.province_code, l.kind, l.sector, l.status
"""
REBUILD_ANSWER_TOTALS = f"""
INSERT INTO answer_totals (province_code, kind, sector, status, question_code, option_code, weak, answers)
SELECT l.province_code, l.kind, l.sector, l.status, q.question_code, coalesce(q.option_code, ''),
       q.score < {WEAK_BELOW}, count(*)
FROM latest_assessments l
JOIN question_scores q ON q.assessment_id = l.assessment_id
GROUP BY l.province_code, l.kind, l.sector, l.status, q.question_code, coalesce(q.option_code, ''),
         q.score < {WEAK_BELOW}
"""
REBUILD = (REBUILD_POINTERS, REBUILD_TOTALS, REBUILD_ANSWER_TOTALS)


def rebuild(connection: Connection) -> None:
    """Recompute every pointer and total from the stored submissions (after a bulk load, or to
    repair a change made outside the app)."""
    for table in (AnswerTotal, ScoreTotal, LatestAssessment):
        connection.execute(delete(table))
    for statement in REBUILD:
        connection.execute(text(statement))
    rebuild_quarters(connection)
    rebuild_years(connection)
