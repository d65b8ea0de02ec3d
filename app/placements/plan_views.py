"""A placement's plan: the graduate's goals, each tied to an area or a question of the host's latest
submitted self-assessment (its weakest areas and next steps are listed to pick from) or free, with a
target month and a status; the host's manager reads it and comments."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.assessments import drafts, versions
from app.assessments.questionnaire import Questionnaire
from app.assessments.scoring import Result
from app.extensions import db
from app.i18n import current_locale
from app.placements import permissions
from app.placements.access import require, viewer_of
from app.placements.forms import GoalForm, PlanCommentForm
from app.placements.models import Goal, Placement, PlanComment
from app.placements.plan import Tie, parse_tie, tie_choices, weakest_first
from app.placements.progress import goals_of
from app.placements.vocabulary import GOAL_STATUS_LABELS
from app.rendering import render_page
from app.tenancy import get_placement_or_404

bp = Blueprint("plans", __name__, url_prefix="/placements/<int:placement_id>/plan")


def host_results(placement: Placement) -> tuple[int | None, Questionnaire | None, Result | None]:
    """The host's latest submitted self-assessment: its id, questionnaire and stored result."""
    latest = drafts.last_submitted(placement.cooperative_id)
    if latest is None:
        return None, None, None
    _answers, result = drafts.stored_results([latest])[latest.id]
    return latest.id, versions.questionnaire_of(latest.version), result


def goal_form(placement_goals: list[Goal], questionnaire: Questionnaire | None, result: Result | None,
              **kwargs: Any) -> GoalForm:
    form = GoalForm(**kwargs)
    kept = [Tie(goal.dimension_code, goal.question_code) for goal in placement_goals]
    form.link.choices = [(choice.value, choice.label) for choice in tie_choices(
        questionnaire, result, current_locale(), _("Free goal (not tied to the results)"), _("Area: %(title)s"),
        kept)]
    return form


def plan_page(placement: Placement, *, form: GoalForm | None = None, comment_form: PlanCommentForm | None = None,
              status: int = 200) -> Response:
    viewer = viewer_of(placement)
    assessment_id, questionnaire, result = host_results(placement)
    goals = goals_of(placement.id)
    may_edit = permissions.may_edit_plan(viewer, is_open=placement.is_open)
    if form is None and may_edit:
        picked = parse_tie(request.args.get("pick", ""), questionnaire)
        form = goal_form(goals, questionnaire, result, formdata=None,
                         data={"link": picked.value, "title": suggested_title(picked, questionnaire, result)})
    comments = db.session.scalars(select(PlanComment).where(PlanComment.placement_id == placement.id)
                                  .order_by(PlanComment.created_at)).all()
    locale = current_locale()
    return render_page(
        "placements/plan.html", placement=placement, goals=goals, form=form, may_edit=may_edit,
        may_comment=permissions.may_comment_on_plan(viewer),
        comment_form=comment_form or PlanCommentForm(formdata=None), comments=comments,
        questionnaire=questionnaire, result=result, assessment_id=assessment_id, locale=locale,
        weakest=[d for d in weakest_first(result) if d.gap > 0] if result else [],
        goal_labels=GOAL_STATUS_LABELS, tie_label=lambda goal: tie_label(goal, questionnaire, locale),
        status=status)


def suggested_title(tie: Tie, questionnaire: Questionnaire | None, result: Result | None) -> str:
    """A picked next step becomes a goal named after its advice; a picked area after the area."""
    if questionnaire is None or not tie.value:
        return ""
    locale = current_locale()
    if tie.question_code:
        step = next((s for s in (result.next_steps if result else ()) if s.question_code == tie.question_code), None)
        if step is not None and step.advice is not None:
            return step.advice(locale)[:200]
        return questionnaire.question(tie.question_code).text(locale)[:200]  # type: ignore[union-attr]
    return _("Raise the score in %(area)s", area=questionnaire.dimension(tie.dimension_code).title(locale))  # type: ignore[union-attr, arg-type]


def tie_label(goal: Goal, questionnaire: Questionnaire | None, locale: str) -> str | None:
    """What a goal is tied to, as the plan shows it."""
    if questionnaire is None:
        return None
    if goal.question_code and (question := questionnaire.question(goal.question_code)) is not None:
        return _("Question: %(text)s", text=question.text(locale))
    if goal.dimension_code and (dimension := questionnaire.dimension(goal.dimension_code)) is not None:
        return _("Area: %(title)s", title=dimension.title(locale))
    return None


@bp.get("")
@login_required
def show(placement_id: int) -> Response:
    return plan_page(get_placement_or_404(current_user, placement_id))


def editable_placement(placement_id: int) -> Placement:
    placement = get_placement_or_404(current_user, placement_id)
    require(permissions.may_edit_plan(viewer_of(placement), is_open=placement.is_open))
    return placement


def apply(goal: Goal, form: GoalForm, questionnaire: Questionnaire | None, assessment_id: int | None) -> None:
    tie = parse_tie(form.link.data, questionnaire)
    goal.title = form.title.data
    goal.dimension_code, goal.question_code = tie.dimension_code, tie.question_code
    goal.assessment_id = assessment_id if tie.value else None
    goal.target_month = form.target_month.data
    goal.status = form.status.data


@bp.post("/goals")
@login_required
def add_goal(placement_id: int) -> Response:
    placement = editable_placement(placement_id)
    assessment_id, questionnaire, result = host_results(placement)
    form = goal_form(goals_of(placement.id), questionnaire, result)
    if not form.validate_on_submit():
        return plan_page(placement, form=form, status=422)
    goal = Goal(placement_id=placement.id)
    apply(goal, form, questionnaire, assessment_id)
    db.session.add(goal)
    db.session.commit()
    flash(_("The goal has been added to the plan."), "success")
    return redirect(url_for(".show", placement_id=placement.id), code=303)


@bp.route("/goals/<int:goal_id>", methods=["GET", "POST"])
@login_required
def edit_goal(placement_id: int, goal_id: int) -> Response:
    placement = editable_placement(placement_id)
    goal = db.session.scalar(select(Goal).where(Goal.id == goal_id, Goal.placement_id == placement.id))
    if goal is None:
        abort(404)
    assessment_id, questionnaire, result = host_results(placement)
    form = goal_form(goals_of(placement.id), questionnaire, result, obj=goal,
                     data={"link": Tie(goal.dimension_code, goal.question_code).value})
    if form.validate_on_submit():
        apply(goal, form, questionnaire, goal.assessment_id or assessment_id)
        db.session.commit()
        flash(_("The goal has been saved."), "success")
        return redirect(url_for(".show", placement_id=placement.id), code=303)
    return render_page("placements/goal.html", placement=placement, goal=goal, form=form,
                       status=422 if form.errors else 200)


@bp.post("/comments")
@login_required
def comment(placement_id: int) -> Response:
    placement = get_placement_or_404(current_user, placement_id)
    require(permissions.may_comment_on_plan(viewer_of(placement)))
    form = PlanCommentForm()
    if not form.validate_on_submit():
        return plan_page(placement, comment_form=form, status=422)
    db.session.add(PlanComment(placement_id=placement.id, author_id=current_user.id, body=form.body.data))
    db.session.commit()
    flash(_("Your comment has been added to the plan."), "success")
    return redirect(url_for(".show", placement_id=placement.id) + "#comments", code=303)

