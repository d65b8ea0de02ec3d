"""What each role's home page shows, gathered in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import locations
from app.assessments import drafts, permissions, versions
from app.assessments.models import DRAFT, SUBMITTED, Answer, Assessment
from app.assessments.progress import Progress, asked, overall_progress
from app.assessments.questionnaire import Profile
from app.auth.models import User
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.dashboard.context import dashboard_context
from app.dashboard.setting import setting_for
from app.database import utcnow
from app.difficulties import notices
from app.extensions import db
from app.i18n import current_locale, number
from app.placements import progress as placement_progress
from app.results import report
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
    drafts_open = [draft for state in states.values() if (draft := state["draft"]) is not None]
    not_started = next((c for c in cooperatives if not any(states[c.id].values())), None)
    home = {"cooperatives": cooperatives, "assessments": states,
            "statuses": {cooperative.id: status_of(user, states[cooperative.id]) for cooperative in cooperatives},
            "summaries": report.summaries(submitted),
            "draft_progress": draft_progress(drafts_open, {c.id: drafts.profile_of(c) for c in cooperatives}),
            # What the self-assessment asks, for a cooperative that has not started one.
            "size": assessment_size(drafts.profile_of(not_started)) if not_started else None,
            "may_start": permissions.may_start(role), "may_manage": role is Role.COOP_MANAGER,
            "recommendations": recommended_training(user, submitted),
            "notices": notices.for_cooperatives([c.id for c in cooperatives], role)}
    if role is Role.GRADUATE:
        home.update(placement_progress.leading(user.id))
    return home


def assessment_states(cooperative_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per cooperative: its open draft, the newer questionnaire version it could move to (a number, or
    None) and its last submitted assessment, in a constant number of queries."""
    states: dict[int, dict[str, Any]] = {
        cooperative_id: {"draft": None, "newer": None, "submitted": None} for cooperative_id in cooperative_ids}
    if not cooperative_ids:
        return states
    latest = versions.latest_version()
    for draft in db.session.scalars(select(Assessment).options(selectinload(Assessment.version)).where(
            Assessment.cooperative_id.in_(cooperative_ids), Assessment.status == DRAFT)):
        states[draft.cooperative_id]["draft"] = draft
        if latest is not None and latest.code == draft.version.code and latest.number > draft.version.number:
            states[draft.cooperative_id]["newer"] = latest.number
    latest = (select(func.max(Assessment.id)).where(Assessment.cooperative_id.in_(cooperative_ids),
                                                   Assessment.status == SUBMITTED)
              .group_by(Assessment.cooperative_id))
    for submitted in db.session.scalars(select(Assessment).options(selectinload(Assessment.version))
                                        .where(Assessment.id.in_(latest))):
        states[submitted.cooperative_id]["submitted"] = submitted
    return states


class NextAction(StrEnum):
    """The one thing the home page offers first."""

    START = "start"
    CONTINUE = "continue"
    READ_DRAFT = "read_draft"
    RESULTS = "results"
    REASSESS = "reassess"
    TRAINING = "training"


# After this long the last results say less about the cooperative today: offer a new round first.
# (A suggestion only: the results stay one tap away, and the manager may re-assess at any time.)
REASSESS_AFTER = timedelta(days=365)


def next_action(*, may_start: bool, may_answer: bool, has_draft: bool, last_submitted_at: datetime | None,
                now: datetime) -> NextAction:
    """What a person should do next on their cooperative's home (pure)."""
    if has_draft and may_answer:
        return NextAction.CONTINUE
    if has_draft and last_submitted_at is None:
        return NextAction.READ_DRAFT
    if last_submitted_at is None:
        return NextAction.START if may_start else NextAction.TRAINING
    if may_start and now - last_submitted_at >= REASSESS_AFTER:
        return NextAction.REASSESS
    return NextAction.RESULTS


@dataclass(frozen=True)
class HomeStatus:
    """A cooperative as its home shows it: the next action, and whether feedback is new."""

    action: NextAction
    new_feedback: bool


def has_new_feedback(assessment: Assessment | None) -> bool:
    """Feedback given (or edited) since the cooperative's people last opened those results."""
    return (assessment is not None and assessment.reviewed_at is not None
            and (assessment.feedback_seen_at is None or assessment.feedback_seen_at < assessment.reviewed_at))


def status_of(user: User, state: dict[str, Assessment | None]) -> HomeStatus:
    draft, submitted = state["draft"], state["submitted"]
    role = user.role_enum
    action = next_action(
        may_start=permissions.may_start(role),
        may_answer=draft is not None and permissions.may_answer(role, graduate_may_answer=draft.graduate_may_answer),
        has_draft=draft is not None, last_submitted_at=submitted.submitted_at if submitted else None, now=utcnow())
    # New feedback is news for the cooperative's own people (who mark it read by opening the results),
    # not for the placed graduate.
    return HomeStatus(action, has_new_feedback(submitted) and role is not Role.GRADUATE)


def draft_progress(open_drafts: list[Assessment], profiles: dict[int, Profile]) -> dict[int, Progress]:
    """Draft id → how many of the questions its cooperative is asked are answered, in one query for
    every draft (``profiles``: each cooperative's profile, by id)."""
    if not open_drafts:
        return {}
    answers: dict[int, dict[str, Any]] = {draft.id: {} for draft in open_drafts}
    for assessment_id, code, value in db.session.execute(
            select(Answer.assessment_id, Answer.question_code, Answer.value)
            .where(Answer.assessment_id.in_(list(answers)))):
        answers[assessment_id][code] = value
    return {draft.id: overall_progress(versions.questionnaire_of(draft.version), answers[draft.id],
                                       profile=profiles[draft.cooperative_id])
            for draft in open_drafts}


@dataclass(frozen=True)
class AssessmentSize:
    """How big the self-assessment is, for a cooperative about to start it."""

    parts: int
    questions: int

    @property
    def minutes(self) -> tuple[int, int]:
        """A range to plan for, in steps of five minutes: 20–30 for 55 questions."""
        def five(seconds: float) -> int:
            return max(5, 5 * round(seconds / 300))
        low = five(self.questions * SECONDS_PER_QUESTION[0])
        return low, max(low + 5, five(self.questions * SECONDS_PER_QUESTION[1]))


# A board member reads, thinks and taps: about 20 to 35 seconds a question on a phone.
SECONDS_PER_QUESTION = (20, 33)


def assessment_size(profile: Profile) -> AssessmentSize | None:
    """The size of the questionnaire a new self-assessment of a cooperative with ``profile`` would use:
    the questions it is asked (None before the questionnaire is loaded)."""
    version = versions.latest_version()
    if version is None:
        return None
    questionnaire = versions.questionnaire_of(version)
    return AssessmentSize(parts=len(questionnaire.dimensions), questions=sum(
        len(asked(questionnaire, dimension, profile)) for dimension in questionnaire.dimensions))


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
