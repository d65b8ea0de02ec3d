"""What each role's home page shows, gathered in a constant number of queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.assessments.models import DRAFT, SUBMITTED, Assessment
from app.auth.models import User
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.extensions import db
from app.tenancy import cooperative_filter, user_scope, visible_cooperatives


def for_user(user: User) -> dict[str, Any]:
    role = user.role_enum
    if role in (Role.ADMIN, Role.ALLIANCE):
        return register_summary(user)
    cooperatives = db.session.scalars(visible_cooperatives(user).order_by(Cooperative.search_name)).all()
    return {"cooperatives": cooperatives, "assessments": assessment_states([c.id for c in cooperatives])}


def assessment_states(cooperative_ids: list[int]) -> dict[int, dict[str, Assessment | None]]:
    """Per cooperative: its open draft and its last submitted assessment (two queries)."""
    states: dict[int, dict[str, Assessment | None]] = {
        cooperative_id: {"draft": None, "submitted": None} for cooperative_id in cooperative_ids}
    if not cooperative_ids:
        return states
    for draft in db.session.scalars(select(Assessment).where(
            Assessment.cooperative_id.in_(cooperative_ids), Assessment.status == DRAFT)):
        states[draft.cooperative_id]["draft"] = draft
    latest = (select(func.max(Assessment.id)).where(Assessment.cooperative_id.in_(cooperative_ids),
                                                   Assessment.status == SUBMITTED)
              .group_by(Assessment.cooperative_id))
    for submitted in db.session.scalars(select(Assessment).where(Assessment.id.in_(latest))):
        states[submitted.cooperative_id]["submitted"] = submitted
    return states


def register_summary(user: User) -> dict[str, Any]:
    """Counts per status for the cooperatives the user oversees, and the pending registrations."""
    scope = cooperative_filter(user_scope(user))
    counts = dict(
        db.session.execute(
            select(Cooperative.status, func.count()).where(scope).group_by(Cooperative.status)
        ).all()
    )
    pending = db.session.scalars(
        select(Cooperative).where(scope, Cooperative.status == Status.PENDING)
        .order_by(Cooperative.created_at).limit(10)
    ).all()
    user_count = db.session.scalar(select(func.count()).select_from(User)) if user.role == Role.ADMIN else None
    return {
        "status_counts": {status: counts.get(status.value, 0) for status in Status},
        "pending": pending,
        "user_count": user_count,
    }
