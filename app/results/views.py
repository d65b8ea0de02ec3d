"""Results of submitted assessments, their answers, a cooperative's history and the alliance's review.

Each view validates, calls and renders: what the results page shows is built by ``report``,
from the scores stored at submit time. Feedback is review metadata: posting it never touches the
answers or the scores.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload
from werkzeug.wrappers import Response

from app import audit
from app.assessments import drafts
from app.assessments.models import SUBMITTED, Assessment
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
from app.results import report
from app.results.answers import answer_sheet
from app.results.forms import FEEDBACK_MAX, REVIEWED, WAITING, ReviewFilterForm, ReviewForm
from app.tenancy import get_cooperative_or_404, visible_cooperatives

bp = Blueprint("results", __name__, url_prefix="/assessments")

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


def may_review() -> bool:
    return report.is_reviewer(current_user)


def note_feedback_seen(assessment: Assessment) -> None:
    """The cooperative's own people have read the alliance's latest feedback: their home stops
    calling it new. A read receipt, written once per feedback, not a change to the results."""
    if (assessment.reviewed_at is not None and current_user.cooperative_id == assessment.cooperative_id
            and (assessment.feedback_seen_at is None or assessment.feedback_seen_at < assessment.reviewed_at)):
        assessment.feedback_seen_at = utcnow()
        db.session.commit()


def render_results(assessment: Assessment, cooperative: Cooperative, *, form: ReviewForm | None = None,
                   status: int = 200) -> Response:
    if may_review() and form is None:
        form = ReviewForm(feedback=assessment.feedback)
    return render_page("results/show.html", report=report.build(assessment, cooperative, current_user),
                       form=form if may_review() else None, form_max=FEEDBACK_MAX, locale=current_locale(),
                       notices=notices.for_cooperatives([cooperative.id], current_user.role_enum), status=status)


@bp.get("/<int:assessment_id>/results")
@login_required
def show(assessment_id: int) -> Response:
    """The results of a submitted assessment; a draft has none yet and leads to its answers."""
    assessment, cooperative = find_assessment(assessment_id)
    if not assessment.submitted:
        return redirect(draft_url(assessment), code=303)
    note_feedback_seen(assessment)
    return render_results(assessment, cooperative)


@bp.get("/<int:assessment_id>/answers")
@login_required
def answers(assessment_id: int) -> Response:
    """Every answer of a submitted assessment on one page, read-only and printable."""
    assessment, cooperative = find_assessment(assessment_id)
    if not assessment.submitted:
        return redirect(draft_url(assessment), code=303)
    questionnaire = drafts.questionnaire_for(assessment)
    locale = current_locale()
    given, result = drafts.stored_answers_and_result(assessment)
    return render_page("results/answers.html", assessment=assessment, cooperative=cooperative,
                       questionnaire_title=questionnaire.title(locale),
                       sheet=answer_sheet(questionnaire, given, locale, number, profile=result.profile))


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
                       summaries=report.summaries(assessments), draft_url=draft_url)


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
                       form=form, page=page, args=args, summaries=report.summaries(page.items), chosen=chosen,
                       levels=[(level, f"{level} — {setting.level_name(level, current_locale())}")
                               for level in setting.levels], **filter_choices(setting))


def review_args(chosen: ProvinceFilter) -> dict[str, object]:
    """The review list's own filters besides the state, as query arguments."""
    args = {key: value for key, value in chosen.base_args().items() if key != "period"}
    if chosen.level is not None:
        args["level"] = chosen.level
    return args
