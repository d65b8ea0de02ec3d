"""Marking and unmarking model cooperatives (database work; the caller commits).

Only a cooperative whose latest submitted assessment the alliance has reviewed can be marked:
a model is recognised on results someone checked. Marking a model again, or unmarking one that
is not, changes nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from app import audit
from app.assessments.models import Assessment
from app.auth.models import User
from app.cooperatives.models import Cooperative
from app.database import utcnow
from app.exemplars.models import Exemplar
from app.extensions import db
from app.standings.models import LatestAssessment


def current_exemplar(cooperative_id: int) -> Exemplar | None:
    return db.session.scalar(select(Exemplar).where(Exemplar.cooperative_id == cooperative_id,
                                                    Exemplar.ended_at.is_(None)))


def latest_reviewed(cooperative_id: int) -> bool:
    """True when the cooperative's latest submitted assessment has been reviewed."""
    return db.session.scalar(
        select(Assessment.reviewed_at.is_not(None))
        .join(LatestAssessment, LatestAssessment.assessment_id == Assessment.id)
        .where(LatestAssessment.cooperative_id == cooperative_id)) is True


def mark(cooperative: Cooperative, actor: User, reason: str) -> Exemplar:
    """Make the cooperative a model (the current marking if it already is one)."""
    existing = current_exemplar(cooperative.id)
    if existing is not None:
        return existing
    exemplar = Exemplar(cooperative_id=cooperative.id, reason=reason, marked_by_id=actor.id, marked_at=utcnow())
    db.session.add(exemplar)
    db.session.flush()
    audit.record(actor.id, "exemplar.mark", f"cooperative:{cooperative.id}", reason=reason)
    return exemplar


def unmark(cooperative: Cooperative, actor: User, reason: str) -> None:
    """End the cooperative's current marking, if it has one."""
    existing = current_exemplar(cooperative.id)
    if existing is None:
        return
    existing.ended_at, existing.ended_by_id, existing.end_reason = utcnow(), actor.id, reason
    audit.record(actor.id, "exemplar.unmark", f"cooperative:{cooperative.id}", reason=reason)


def current_exemplars(cooperative_ids: list[int]) -> dict[int, Exemplar]:
    """Cooperative id → its current marking, for those of ``cooperative_ids`` that are models."""
    if not cooperative_ids:
        return {}
    return {row.cooperative_id: row for row in db.session.scalars(
        select(Exemplar).where(Exemplar.cooperative_id.in_(cooperative_ids), Exemplar.ended_at.is_(None)))}
