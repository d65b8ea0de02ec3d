"""Each person's training record: lessons done, quiz attempts and certificates, read and written.

``progress_of`` reads a person's record on every module (or one) in three queries, whatever the
number of modules; ``progress_of_people`` does the same for a whole cooperative. Lessons are
recorded by codes, so the record outlives content changes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import case, func, select

from app.extensions import db
from app.training.grading import Grade, is_complete
from app.training.models import Certificate, LessonProgress, ModuleVersion, QuizAttempt
from app.training.modules import Module


class Standing(StrEnum):
    NOT_STARTED = "not_started"
    READING = "reading"
    QUIZ_PASSED = "quiz_passed"
    COMPLETED = "completed"


@dataclass(frozen=True)
class ModuleProgress:
    """One person's record on one module, as plain values."""

    lessons_done: frozenset[str] = frozenset()
    best_percent: int | None = None
    passed: bool = False
    certificate_code: str | None = None
    completed_at: datetime | None = None  # when the certificate was issued

    def done_count(self, module: Module) -> int:
        """Lessons of the module as it is now that are done (codes of removed lessons do not count)."""
        return sum(code in self.lessons_done for code in module.lesson_codes)

    def standing(self, module: Module) -> Standing:
        """Where the person stands; a certificate keeps the module completed even after a lesson was added."""
        if self.certificate_code or is_complete(module, self.lessons_done, self.passed):
            return Standing.COMPLETED
        if self.passed:
            return Standing.QUIZ_PASSED
        if self.lessons_done or self.best_percent is not None:
            return Standing.READING
        return Standing.NOT_STARTED


NO_PROGRESS = ModuleProgress()


def progress_of(user_id: int, module_code: str | None = None) -> dict[str, ModuleProgress]:
    """The person's record per module code (every module, or only ``module_code``); modules never
    touched are missing: use ``.get(code, NO_PROGRESS)``."""
    return progress_of_people([user_id], module_code).get(user_id, {})


def progress_of_people(user_ids: Collection[int],
                       module_code: str | None = None) -> dict[int, dict[str, ModuleProgress]]:
    """``progress_of`` for several people at once, still in three queries: user id → module code →
    record; people who touched nothing are missing."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    lessons = (select(LessonProgress.user_id, LessonProgress.module_code, LessonProgress.lesson_code)
               .where(LessonProgress.user_id.in_(ids)))
    attempts = (select(QuizAttempt.user_id, QuizAttempt.module_code, func.max(QuizAttempt.percent),
                       func.max(case((QuizAttempt.passed, 1), else_=0)))
                .where(QuizAttempt.user_id.in_(ids)).group_by(QuizAttempt.user_id, QuizAttempt.module_code))
    issued = (select(Certificate.user_id, Certificate.module_code, Certificate.verification_code,
                     Certificate.issued_at).where(Certificate.user_id.in_(ids)))
    if module_code is not None:
        lessons = lessons.where(LessonProgress.module_code == module_code)
        attempts = attempts.where(QuizAttempt.module_code == module_code)
        issued = issued.where(Certificate.module_code == module_code)
    done: dict[tuple[int, str], set[str]] = {}
    for user_id, code, lesson_code in db.session.execute(lessons):
        done.setdefault((user_id, code), set()).add(lesson_code)
    scores: dict[tuple[int, str], tuple[int | None, bool]] = {
        (user_id, code): (best, bool(passed)) for user_id, code, best, passed in db.session.execute(attempts)}
    certified: dict[tuple[int, str], tuple[str, datetime]] = {
        (user_id, code): (value, when) for user_id, code, value, when in db.session.execute(issued)}
    records: dict[int, dict[str, ModuleProgress]] = {}
    for key in done.keys() | scores.keys() | certified.keys():
        best, passed = scores.get(key, (None, False))
        certificate_code, completed_at = certified.get(key, (None, None))
        records.setdefault(key[0], {})[key[1]] = ModuleProgress(
            lessons_done=frozenset(done.get(key, ())), best_percent=best, passed=passed,
            certificate_code=certificate_code, completed_at=completed_at)
    return records


def completed_codes(user_id: int, modules: Mapping[str, Module]) -> set[str]:
    """The codes of the modules the person has completed (three queries)."""
    return {code for code, record in progress_of(user_id).items()
            if code in modules and record.standing(modules[code]) is Standing.COMPLETED}


def mark_done(user_id: int, module_code: str, lesson_code: str) -> None:
    """Record a lesson as done; a lesson done before stays as it was (a second click changes nothing)."""
    exists = db.session.scalar(select(LessonProgress.id).where(
        LessonProgress.user_id == user_id, LessonProgress.module_code == module_code,
        LessonProgress.lesson_code == lesson_code))
    if exists is None:
        db.session.add(LessonProgress(user_id=user_id, module_code=module_code, lesson_code=lesson_code))
        db.session.flush()


def attempts_of(user_id: int, module_code: str) -> list[QuizAttempt]:
    """The person's quiz attempts on a module, newest first."""
    return list(db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.module_code == module_code)
        .order_by(QuizAttempt.created_at.desc(), QuizAttempt.id.desc())))


def attempt_by_token(token: str) -> QuizAttempt | None:
    return db.session.scalar(select(QuizAttempt).where(QuizAttempt.token == token))


def record_attempt(user_id: int, version: ModuleVersion, token: str, answers: dict[str, Any],
                   grade: Grade) -> QuizAttempt:
    """Store a graded attempt; the token's unique constraint refuses the same attempt sent twice at once."""
    attempt = QuizAttempt(token=token, user_id=user_id, module_code=version.code, module_version_id=version.id,
                          answers=answers, correct=grade.correct, total=grade.total, percent=grade.percent,
                          passed=grade.passed)
    db.session.add(attempt)
    db.session.flush()
    return attempt
