"""Results of submitted assessments, a cooperative's history and the alliance's review.

Every number shown comes from the scores stored at submit time; the next steps and the
recommended training are recomputed from the same answers and questionnaire version.
Feedback is review metadata: posting it never touches the answers or the scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload
from werkzeug.wrappers import Response

from app import audit
from app.assessments import drafts, scoring, versions
from app.assessments.models import SUBMITTED, Assessment
from app.assessments.questionnaire import Level, Questionnaire
from app.auth.models import User
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.dashboard.context import filter_choices
from app.dashboard.filters import ProvinceFilter
from app.dashboard.setting import setting_for
from app.database import utcnow
from app.difficulties import notices
from app.extensions import db
from app.i18n import current_locale, number
from app.paging import page_number
from app.rendering import render_page
from app.results import comparison
from app.results.chart import ChartInput, bar_chart, whole
from app.results.forms import FEEDBACK_MAX, REVIEWED, WAITING, ReviewFilterForm, ReviewForm
from app.tenancy import get_cooperative_or_404, visible_cooperatives
from app.training import progress, recommendations
from app.training import store as training_store

bp = Blueprint("results", __name__, url_prefix="/assessments")

REVIEWER_ROLES = frozenset({Role.ALLIANCE, Role.ADMIN})
REVIEW_ROWS_TARGET = "review-rows"


def find_assessment(assessment_id: int) -> tuple[Assessment, Cooperative]:
    """The assessment and its cooperative, or 404 when either is outside the user's scope."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        abort(404)
    return assessment, get_cooperative_or_404(current_user, assessment.cooperative_id)


def draft_url(assessment: Assessment) -> str:
    """Where a draft is answered."""
    return url_for("assessments.overview", assessment_id=assessment.id)


def completed_by_viewer(cooperative: Cooperative, modules: dict) -> set[str]:
    """Modules to leave out of the recommendations: those the viewer completed, when the viewer
    is one of the cooperative's own people (a reviewer's training says nothing about it)."""
    if current_user.cooperative_id != cooperative.id:
        return set()
    return progress.completed_codes(current_user.id, modules)


def may_review() -> bool:
    return current_user.role_enum in REVIEWER_ROLES


def level_of(questionnaire: Questionnaire, assessment: Assessment) -> Level:
    return scoring.stored_level(questionnaire, assessment.level, assessment.overall_score)


def shown(value: float | None) -> int | None:
    return None if value is None else whole(value)


@dataclass(frozen=True)
class Summary:
    """What a list shows of a submitted assessment: its overall score and the name of its level."""

    score: int | None
    level: int
    level_name: str


def summaries(assessments: Iterable[Assessment]) -> dict[int, Summary]:
    """Assessment id → its summary, in the user's language (submitted assessments only)."""
    locale = current_locale()
    listed = {}
    for assessment in assessments:
        if assessment.status == SUBMITTED:
            level = level_of(versions.questionnaire_of(assessment.version), assessment)
            listed[assessment.id] = Summary(shown(assessment.overall_score), level.level, level.name(locale))
    return listed


@dataclass(frozen=True)
class DimensionRow:
    """One line of the results table, as whole numbers the way the page shows them."""

    code: str
    title: str
    score: int | None
    target: int | None
    gap: int | None
    previous: int | None
    change: int | None
    province: int | None
    same_kind_and_sector: int | None


@dataclass(frozen=True)
class ModuleLink:
    """A training module a next step links to; no title when that module is not loaded."""

    code: str
    title: str | None


@dataclass(frozen=True)
class Step:
    code: str
    question: str
    dimension: str
    gain: int
    advice: str | None
    modules: tuple[ModuleLink, ...]


def results_context(assessment: Assessment, cooperative: Cooperative) -> dict[str, object]:
    """Everything the results page shows, in a constant number of queries."""
    locale = current_locale()
    questionnaire = drafts.questionnaire_for(assessment)
    answers, result = drafts.stored_answers_and_result(assessment)
    modules = training_store.current_modules()
    previous = drafts.last_submitted(cooperative.id, before_id=assessment.id)
    scores = comparison.stored_scores([assessment.id] + ([previous.id] if previous else []))
    own = scores[assessment.id]
    before = scores[previous.id] if previous else {}
    peers = comparison.peer_averages(cooperative)

    rows = []
    for dimension in questionnaire.dimensions:
        stored = own.get(dimension.code)
        earlier = before.get(dimension.code)
        score = shown(stored.score) if stored else None
        was = shown(earlier.score) if earlier else None
        rows.append(DimensionRow(
            code=dimension.code,
            title=dimension.title(locale),
            score=score,
            target=shown(stored.target) if stored else None,
            gap=shown(stored.gap) if stored else None,
            previous=was,
            # The change between the whole numbers shown, so the table adds up for its readers.
            change=score - was if score is not None and was is not None else None,
            province=shown(peers.province.dimensions.get(dimension.code)),
            same_kind_and_sector=shown(peers.same_kind_and_sector.dimensions.get(dimension.code)),
        ))
    chart = bar_chart([
        ChartInput(code=dimension.code, label=dimension.title(locale),
                   score=stored.score if (stored := own.get(dimension.code)) else None,
                   target=stored.target if stored else None,
                   previous=earlier.score if (earlier := before.get(dimension.code)) else None)
        for dimension in questionnaire.dimensions
    ])
    steps = []
    for step in result.next_steps:
        question = questionnaire.question(step.question_code)
        dimension = questionnaire.dimension(step.dimension_code)
        steps.append(Step(
            code=step.question_code,
            question=question.text(locale) if question else step.question_code,
            dimension=dimension.title(locale) if dimension else step.dimension_code,
            gain=whole(step.gain),
            advice=step.advice(locale) if step.advice else None,
            modules=tuple(ModuleLink(code, modules[code].title(locale) if code in modules else None)
                          for code in step.modules),
        ))
    level = level_of(questionnaire, assessment)
    next_level = next((item for item in questionnaire.levels if item.level == level.level + 1), None)
    reviewer = db.session.get(User, assessment.reviewed_by_id) if assessment.reviewed_by_id else None
    overall = shown(assessment.overall_score)
    previous_overall = shown(previous.overall_score) if previous else None
    return {
        "assessment": assessment,
        "cooperative": cooperative,
        "questionnaire_title": questionnaire.title(locale),
        "overall": overall,
        "level": level,
        "next_level": next_level,
        "rows": rows,
        "chart": chart,
        "steps": steps,
        "previous": previous,
        "previous_overall": previous_overall,
        "overall_change": overall - previous_overall if overall is not None and previous_overall is not None else None,
        "peers": peers,
        "province_overall": shown(peers.province.overall),
        "same_kind_overall": shown(peers.same_kind_and_sector.overall),
        "reviewer": reviewer,
        "min_peers": comparison.MIN_PEERS,
        "notices": notices.for_cooperatives([cooperative.id], current_user.role_enum),
        "recommendations": recommendations.recommend(
            questionnaire, answers, result, modules, completed_by_viewer(cooperative, modules), locale,
            number=number),
        "locale": locale,
    }


def render_results(assessment: Assessment, cooperative: Cooperative, *, form: ReviewForm | None = None,
                   status: int = 200) -> Response:
    if may_review() and form is None:
        form = ReviewForm(feedback=assessment.feedback)
    return render_page("results/show.html", form=form if may_review() else None, form_max=FEEDBACK_MAX, status=status,
                       **results_context(assessment, cooperative))


@bp.get("/<int:assessment_id>/results")
@login_required
def show(assessment_id: int) -> Response:
    """The results of a submitted assessment; a draft has none yet and leads to its answers."""
    assessment, cooperative = find_assessment(assessment_id)
    if not assessment.submitted:
        return redirect(draft_url(assessment), code=303)
    return render_results(assessment, cooperative)


@bp.post("/<int:assessment_id>/review")
@login_required
def review(assessment_id: int) -> Response:
    """Leave or edit the alliance's feedback, which marks the assessment reviewed."""
    assessment, cooperative = find_assessment(assessment_id)
    if not may_review():
        abort(403)
    if not assessment.submitted:
        abort(404)
    form = ReviewForm()
    if not form.validate_on_submit():
        return render_results(assessment, cooperative, form=form, status=422)
    # Sending the same text again (a double click, a replayed request) changes nothing.
    if form.feedback.data != assessment.feedback:
        edited = assessment.reviewed_at is not None
        assessment.feedback = form.feedback.data
        assessment.reviewed_at = utcnow()
        assessment.reviewed_by_id = current_user.id
        audit.record(current_user.id, "assessment.review", f"assessment:{assessment.id}",
                     cooperative_id=cooperative.id, edited=edited)
        db.session.commit()
    flash(_("The feedback is saved. The cooperative sees it on its results page."), "success")
    return redirect(url_for("results.show", assessment_id=assessment.id), code=303)


@bp.get("/history/<int:cooperative_id>")
@login_required
def history(cooperative_id: int) -> Response:
    """A cooperative's assessments, newest first."""
    cooperative = get_cooperative_or_404(current_user, cooperative_id)
    assessments = db.session.scalars(
        select(Assessment).options(selectinload(Assessment.version))
        .where(Assessment.cooperative_id == cooperative.id).order_by(Assessment.id.desc())
    ).all()
    return render_page("results/history.html", cooperative=cooperative, assessments=assessments,
                       summaries=summaries(assessments), draft_url=draft_url)


@bp.get("/reviews")
@login_required
def reviews() -> Response:
    """The submitted assessments of the user's province, newest first, to review; filtered by review
    state, level, commune or ward, sector and kind (all in the URL)."""
    if not may_review():
        abort(403)
    form = ReviewFilterForm(formdata=request.args)
    if not form.validate():
        form.state.data = ""  # an unknown value in an old link shows everything
    state = form.state.data
    setting = setting_for(current_user, request.args)
    chosen = setting.selected
    visible_ids = visible_cooperatives(current_user).with_only_columns(Cooperative.id)
    query = (
        select(Assessment).join(Assessment.cooperative)
        .options(contains_eager(Assessment.cooperative), selectinload(Assessment.version))
        .where(Assessment.status == SUBMITTED, Assessment.cooperative_id.in_(visible_ids))
    )
    if state == REVIEWED:
        query = query.where(Assessment.reviewed_at.is_not(None))
    elif state == WAITING:
        query = query.where(Assessment.reviewed_at.is_(None))
    for column, value in ((Cooperative.province_code, chosen.province_code), (Cooperative.ward_code, chosen.ward_code),
                          (Cooperative.sector, chosen.sector), (Cooperative.kind, chosen.kind),
                          (Assessment.level, chosen.level)):
        if value is not None:
            query = query.where(column == value)
    page = db.paginate(query.order_by(Assessment.submitted_at.desc(), Assessment.id.desc()),
                       page=page_number(request.args), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    args = {**({"state": state} if state else {}), **review_args(chosen)}
    return render_page("results/reviews.html", fragment="results/_review_rows.html", target=REVIEW_ROWS_TARGET,
                       form=form, page=page, args=args, summaries=summaries(page.items), chosen=chosen,
                       levels=[(level, f"{level} — {setting.level_name(level, current_locale())}")
                               for level in setting.levels], **filter_choices(setting))


def review_args(chosen: ProvinceFilter) -> dict[str, object]:
    """The review list's own filters besides the state, as query arguments."""
    args = {key: value for key, value in chosen.base_args().items() if key != "period"}
    if chosen.level is not None:
        args["level"] = chosen.level
    return args
