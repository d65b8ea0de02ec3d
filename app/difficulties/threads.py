"""Reading and changing difficulties (database work; the caller commits).

Raising and replying carry the form's one-time token: the same form sent twice (a double tap, a
replayed request) finds its first row and stores nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app import audit
from app.auth.models import User
from app.cooperatives.models import Cooperative
from app.database import utcnow
from app.difficulties.models import FORWARDED, OPEN, Difficulty, DifficultyReply
from app.extensions import db
from app.folding import fold
from app.tenancy import within_scope

NOTICES_SHOWN = 5  # difficulties on a cooperative's home and results page; the list has them all


def with_thread(statement: Select) -> Select:
    return statement.options(selectinload(Difficulty.replies).selectinload(DifficultyReply.author),
                             selectinload(Difficulty.raised_by))


def difficulties_of(cooperative_ids: Sequence[int], *, limit: int | None = None) -> list[Difficulty]:
    """The difficulties of these cooperatives, open ones first then newest, with their threads."""
    if not cooperative_ids:
        return []
    statement = with_thread(select(Difficulty).where(Difficulty.cooperative_id.in_(list(cooperative_ids)))
                            .order_by(Difficulty.status.not_in(OPEN), Difficulty.created_at.desc(),
                                      Difficulty.id.desc()))
    return list(db.session.scalars(statement.limit(limit) if limit else statement))


@dataclass(frozen=True)
class Raised:
    category: str
    description: str
    question_code: str | None
    assessment_id: int | None


def raise_difficulty(cooperative: Cooperative, user: User, raised: Raised, token: str) -> Difficulty:
    """Store a new difficulty, or find the one this form already stored."""
    existing = db.session.scalar(select(Difficulty).where(Difficulty.token == token))
    if existing is not None:
        return existing
    difficulty = Difficulty(cooperative_id=cooperative.id, category=raised.category,
                            description=raised.description, search_text=fold(raised.description),
                            question_code=raised.question_code, assessment_id=raised.assessment_id,
                            raised_by_id=user.id, token=token)
    db.session.add(difficulty)
    db.session.flush()
    return difficulty


def add_reply(difficulty: Difficulty, user: User, *, body: str, token: str, status: str | None = None,
              forwarded_to: str | None = None, forwarded_on: date | None = None) -> DifficultyReply:
    """Add a reply (and move the status, when one is given: written to the audit log), or find the
    reply this form already added."""
    existing = db.session.scalar(select(DifficultyReply).where(DifficultyReply.token == token))
    if existing is not None:
        return existing
    now = utcnow()
    changed = status if status and status != difficulty.status else None
    if changed:
        difficulty.status = changed
        if changed == FORWARDED:
            difficulty.forwarded_to, difficulty.forwarded_on = forwarded_to, forwarded_on
    difficulty.updated_at = now
    reply = DifficultyReply(difficulty_id=difficulty.id, author_id=user.id, body=body or "", status=changed,
                            token=token, created_at=now)
    db.session.add(reply)
    db.session.flush()
    if changed:
        forwarded = {"forwarded_to": difficulty.forwarded_to} if changed == FORWARDED else {}
        audit.record(user.id, f"difficulty.{changed}", f"cooperative:{difficulty.cooperative_id}",
                     difficulty_id=difficulty.id, **forwarded)
    return reply


def reply_sent(difficulty: Difficulty, token: str | None) -> bool:
    """True when this difficulty already has the reply sent with ``token``."""
    return bool(token) and any(reply.token == token for reply in difficulty.replies)


def get_difficulty_or_404(user: User, difficulty_id: int) -> Difficulty:
    """A difficulty of a cooperative ``user`` may see, with its thread; another tenant's is 404."""
    found = db.session.scalar(with_thread(within_scope(user, select(Difficulty), Difficulty.cooperative_id)
                                          .where(Difficulty.id == difficulty_id)))
    if found is None:
        abort(404)
    return found


def recent_by_cooperative(cooperative_ids: Sequence[int]) -> dict[int, list[Difficulty]]:
    """Per cooperative, its ``NOTICES_SHOWN`` most relevant difficulties (open first, then newest)
    with their threads, for its home and results pages (a constant number of queries)."""
    ranked = (select(Difficulty.id, func.row_number().over(
        partition_by=Difficulty.cooperative_id,
        order_by=(Difficulty.status.not_in(OPEN), Difficulty.created_at.desc(), Difficulty.id.desc())).label("rank"))
        .where(Difficulty.cooperative_id.in_(list(cooperative_ids))).subquery())
    found: dict[int, list[Difficulty]] = {cooperative_id: [] for cooperative_id in cooperative_ids}
    if not cooperative_ids:
        return found
    for difficulty in db.session.scalars(
            with_thread(select(Difficulty).join(ranked, ranked.c.id == Difficulty.id)
                        .where(ranked.c.rank <= NOTICES_SHOWN)
                        .order_by(Difficulty.status.not_in(OPEN), Difficulty.created_at.desc(), Difficulty.id.desc()))):
        found[difficulty.cooperative_id].append(difficulty)
    return found
