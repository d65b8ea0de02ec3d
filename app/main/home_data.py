"""What each role's home page shows, gathered in a constant number of queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import locations
from app.assessments import drafts, versions
from app.assessments.models import DRAFT, SUBMITTED, Assessment
from app.auth.models import User
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.dashboard.context import dashboard_context
from app.dashboard.setting import setting_for
from app.difficulties import notices
from app.extensions import db
from app.i18n import current_locale, number
from app.tenancy import cooperative_filter, user_scope, visible_cooperatives
from app.training import progress
from app.training import store as training_store
from app.training.recommendations import Recommendation, recommend


def for_user(user: User) -> dict[str, Any]:
    role = user.role_enum
    if role is Role.ALLIANCE:
        return {**dashboard_context(setting_for(user, {})), **register_summary(user)}
    if role is Role.ADMIN:
        return register_summary(user)
    cooperatives = db.session.scalars(visible_cooperatives(user).order_by(Cooperative.search_name)).all()
    states = assessment_states([c.id for c in cooperatives])
    submitted = [latest for state in states.values() if (latest := state["submitted"]) is not None]
    return {"cooperatives": cooperatives, "assessments": states,
            "recommendations": recommended_training(user, submitted),
            "notices": notices.for_cooperatives([c.id for c in cooperatives], role)}


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
    for submitted in db.session.scalars(select(Assessment).options(selectinload(Assessment.version))
                                        .where(Assessment.id.in_(latest))):
        states[submitted.cooperative_id]["submitted"] = submitted
    return states


def recommended_training(user: User, submitted: list[Assessment]) -> dict[int, list[Recommendation]]:
    """Per cooperative: the modules its latest submitted results recommend to ``user`` (leaving out
    those the user completed), in a constant number of queries however many cooperatives there are."""
    if not submitted:
        return {}
    modules = training_store.current_modules()
    if not modules:
        return {}
    completed = progress.completed_codes(user.id, modules)
    results = drafts.stored_results(submitted)
    locale = current_locale()
    recommended = {}
    for assessment in submitted:
        answers, result = results[assessment.id]
        recommended[assessment.cooperative_id] = recommend(
            versions.questionnaire_of(assessment.version), answers, result, modules, completed, locale,
            number=number)
    return recommended


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
        "provinces": locations.provinces(),
    }
