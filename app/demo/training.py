"""Demo training records: lessons read, quiz attempts and certificates of a few demo people.

Mỹ Xương's young graduate has completed two modules (one after a failed first attempt), its member
one and is halfway through another, its manager passed a quiz before reading the lessons; one
manager in each of two other cooperatives completed a module, so the alliance's table has rows
in both provinces. Made with the real modules and the real grading; a person who already has any
record on a module is left as they are, so seeding again adds nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, union

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.training import certificates, grading, store
from app.training.models import Certificate, LessonProgress, ModuleVersion, QuizAttempt
from app.training.modules import Module


@dataclass(frozen=True)
class DemoLearning:
    """One person's record on one module: how many lessons they read and what each attempt got right."""

    login: str  # the demo user's email or phone
    module: str
    lessons: int | None  # None: every lesson
    attempts: tuple[float, ...]  # share of the questions answered right, attempt by attempt
    days_ago: int  # when they finished


LEARNING: tuple[DemoLearning, ...] = (
    DemoLearning("tritre@htxso.vn", "etax", None, (0.6, 1.0), days_ago=45),
    DemoLearning("tritre@htxso.vn", "einvoice", None, (1.0,), days_ago=12),
    DemoLearning("thanhvien@htxmyxuong.vn", "cashless", None, (1.0,), days_ago=30),
    DemoLearning("thanhvien@htxmyxuong.vn", "ecommerce", 2, (), days_ago=3),
    DemoLearning("0912345678", "etax", 0, (0.8,), days_ago=8),
    DemoLearning("quanly@htxsenthapmuoi.vn", "dx-basics", None, (1.0,), days_ago=20),
    DemoLearning("0907222333", "traceability", None, (0.8,), days_ago=15),
)


def quiz_answers(module: Module, share_right: float) -> dict[str, str]:
    """Answers to every question: the first ``share_right`` of them right, the others wrong."""
    right = round(share_right * len(module.quiz))
    return {question.code: question.correct_code if index < right
            else next(option.code for option in question.options if not option.correct)
            for index, question in enumerate(module.quiz)}


def _record(user: User, version: ModuleVersion, learning: DemoLearning) -> bool:
    """Write one person's lessons and attempts; True when it completed the module (a certificate)."""
    module = store.module_of(version)
    finished = utcnow() - timedelta(days=learning.days_ago)
    read = module.lessons if learning.lessons is None else module.lessons[:learning.lessons]
    for index, lesson in enumerate(read):
        db.session.add(LessonProgress(user_id=user.id, module_code=module.code, lesson_code=lesson.code,
                                      done_at=finished - timedelta(hours=len(read) - index)))
    for index, share in enumerate(learning.attempts):
        answers = quiz_answers(module, share)
        grade = grading.grade(module, answers)
        db.session.add(QuizAttempt(
            token=secrets.token_urlsafe(), user_id=user.id, module_code=module.code, module_version_id=version.id,
            answers=answers, correct=grade.correct, total=grade.total, percent=grade.percent, passed=grade.passed,
            created_at=finished - timedelta(minutes=30 * (len(learning.attempts) - 1 - index))))
    db.session.flush()
    issued = certificates.issue_when_complete(user, version)
    if issued is None:
        return False
    issued.issued_at = finished
    return True


def seed_training(users_by_login: Mapping[str, User]) -> int:
    """Add the demo training records that are missing (the caller commits); how many certificates."""
    versions = store.current_versions()
    if not versions:
        store.load()
        db.session.flush()
        versions = store.current_versions()
    people = [users_by_login[learning.login] for learning in LEARNING if learning.login in users_by_login]
    ids = [person.id for person in people]
    touched = {(user_id, code) for user_id, code in db.session.execute(union(
        select(LessonProgress.user_id, LessonProgress.module_code).where(LessonProgress.user_id.in_(ids)),
        select(QuizAttempt.user_id, QuizAttempt.module_code).where(QuizAttempt.user_id.in_(ids)),
        select(Certificate.user_id, Certificate.module_code).where(Certificate.user_id.in_(ids)),
    ))}
    issued = 0
    for learning in LEARNING:
        user = users_by_login.get(learning.login)
        # A module the loaded content lacks is skipped: seeding never fails on partial content.
        if user is None or learning.module not in versions or (user.id, learning.module) in touched:
            continue
        issued += _record(user, versions[learning.module], learning)
    return issued
