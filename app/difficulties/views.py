"""Difficulties and proposals: a cooperative raises them and reads the answers; alliance staff
list, search and triage them, beside what boards wrote in their assessments."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.assessments import versions
from app.assessments.models import SUBMITTED, Assessment
from app.dashboard.setting import setting_for
from app.dashboard.context import choose_province, filter_choices
from app.database import commit_retrying, utcnow
from app.difficulties import categories, listing, permissions
from app.difficulties.forms import TEXT_MAX, RaiseForm, ReplyForm, new_token
from app.difficulties.models import STATUSES, Difficulty
from app.difficulties.threads import (Raised, add_reply, difficulties_of, get_difficulty_or_404, raise_difficulty,
                                      reply_sent)
from app.difficulties.vocabulary import status_label
from app.extensions import db
from app.i18n import current_locale
from app.numbers import row_id
from app.placements.difficulty_hook import report_difficulties
from app.rendering import render_page
from app.tenancy import get_cooperative_or_404, user_scope

bp = Blueprint("difficulties", __name__, url_prefix="/difficulties")

LIST_TARGET = "difficulty-rows"


def require(allowed: bool) -> None:
    if not allowed:
        abort(403)


@bp.get("/")
@login_required
def index() -> Response:
    """Staff: the province's difficulties, filtered and searched. A cooperative: its own."""
    role = current_user.role_enum
    require(permissions.may_read(role))
    if not permissions.may_triage(role):
        cooperative = get_cooperative_or_404(current_user, current_user.cooperative_id or 0)
        return render_page("difficulties/own.html", cooperative=cooperative,
                           difficulties=difficulties_of([cooperative.id]), may_raise=permissions.may_raise(role),
                           locale=current_locale())
    setting = setting_for(current_user, request.args)
    if setting.selected.province_code is None:
        return choose_province("difficulties.index")
    state = request.args.get("state") if request.args.get("state") in STATUSES else None
    category = request.args.get("category") if request.args.get("category") in categories.codes() else None
    selected = setting.selected
    page = db.paginate(listing.raised(user_scope(current_user), selected, state=state, category=category,
                                      since=selected.since(utcnow())),
                       page=selected.page, per_page=current_app.config["PER_PAGE"], error_out=False)
    args = {**selected.base_args(), **({"q": selected.text} if selected.text else {}),
            **({"state": state} if state else {}), **({"category": category} if category else {})}
    return render_page("difficulties/index.html", fragment="difficulties/_rows.html", target=LIST_TARGET,
                       page=page, args=args, selected=selected, state=state, category=category,
                       states=[(status, status_label(status)) for status in STATUSES],
                       category_choices=[(c.code, c.label(current_locale())) for c in categories.categories()],
                       locale=current_locale(), **filter_choices(setting))


@bp.get("/written")
@login_required
def written() -> Response:
    """Staff: what boards wrote in their submitted assessments about difficulties and support."""
    require(permissions.may_triage(current_user.role_enum))
    setting = setting_for(current_user, request.args)
    if setting.selected.province_code is None:
        return choose_province("difficulties.written")
    selected = setting.selected
    page = db.paginate(listing.written(user_scope(current_user), selected, selected.since(utcnow())),
                       page=selected.page, per_page=current_app.config["PER_PAGE"], error_out=False)
    args = {**selected.base_args(), **({"q": selected.text} if selected.text else {})}
    return render_page("difficulties/written.html", fragment="difficulties/_written_rows.html", target=LIST_TARGET,
                       page=page, args=args, selected=selected, setting=setting, locale=current_locale(),
                       **filter_choices(setting))


def about(cooperative_id: int, question_code: str | None, assessment_id: str | None) -> tuple[str | None, int | None, str | None]:
    """The question of the cooperative's submitted assessment a difficulty concerns: its code, the
    assessment and the question's text; nothing when the link names something else."""
    wanted = row_id(assessment_id)
    if not question_code or wanted is None:
        return None, None, None
    assessment = db.session.get(Assessment, wanted)
    if assessment is None or assessment.cooperative_id != cooperative_id or assessment.status != SUBMITTED:
        return None, None, None
    question = versions.questionnaire_of(assessment.version).question(question_code)
    if question is None:
        return None, None, None
    return question.code, assessment.id, question.text(current_locale())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> Response:
    """A cooperative's manager or member raises a difficulty, optionally about one question."""
    require(permissions.may_raise(current_user.role_enum))
    cooperative = get_cooperative_or_404(current_user, current_user.cooperative_id or 0)
    form = RaiseForm()
    source = request.form if request.method == "POST" else request.args
    question_code, assessment_id, question_text = about(cooperative.id, source.get("question"),
                                                        source.get("assessment"))
    from_report = report_difficulties(cooperative.id, report_id) if (report_id := row_id(source.get("report"))) else None
    if request.method == "GET":
        form.token.data = new_token()
        form.question.data, form.assessment.data = question_code or "", assessment_id or ""
        if from_report:
            form.description.data = from_report.text[:TEXT_MAX]
    elif form.validate_on_submit():
        raised = Raised(form.category.data, form.description.data, question_code, assessment_id)
        difficulty = commit_retrying(lambda: raise_difficulty(cooperative, current_user, raised, form.token.data))
        flash(_("Your difficulty is sent to the alliance. Its answers will appear here and on your home page."),
              "success")
        return redirect(url_for("difficulties.show", difficulty_id=difficulty.id), code=303)
    return render_page("difficulties/new.html", form=form, cooperative=cooperative, question_text=question_text,
                       from_report=from_report, status=422 if form.errors else 200)


def reply_form(difficulty: Difficulty) -> ReplyForm:
    """The reply form; only staff get the status fields."""
    form = ReplyForm()
    form.offer_statuses(difficulty.status)
    if not permissions.may_triage(current_user.role_enum):
        del form.status, form.forwarded_to, form.forwarded_on
    return form


def render_thread(difficulty: Difficulty, form: ReplyForm, *, status: int = 200) -> Response:
    locale = current_locale()
    question_text = None
    if difficulty.question_code:
        version = versions.latest_version()
        question = versions.questionnaire_of(version).question(difficulty.question_code) if version else None
        question_text = question.text(locale) if question else difficulty.question_code
    return render_page("difficulties/show.html", difficulty=difficulty, form=form, question_text=question_text,
                       may_triage=permissions.may_triage(current_user.role_enum), locale=locale, status=status)


@bp.get("/<int:difficulty_id>")
@login_required
def show(difficulty_id: int) -> Response:
    require(permissions.may_read(current_user.role_enum))
    difficulty = get_difficulty_or_404(current_user, difficulty_id)
    form = reply_form(difficulty)
    form.token.data = new_token()
    return render_thread(difficulty, form)


@bp.post("/<int:difficulty_id>/replies")
@login_required
def reply(difficulty_id: int) -> Response:
    """Reply in the thread; staff may move the status with it (forwarded: to whom, on which day)."""
    require(permissions.may_read(current_user.role_enum))
    difficulty = get_difficulty_or_404(current_user, difficulty_id)
    form = reply_form(difficulty)
    if reply_sent(difficulty, form.token.data):
        # The same form again (a double tap, a replayed request): the status it set is no longer a
        # choice, but nothing is wrong and nothing more is stored.
        return redirect(url_for("difficulties.show", difficulty_id=difficulty.id), code=303)
    if not form.validate_on_submit():
        return render_thread(difficulty, form, status=422)
    triage = permissions.may_triage(current_user.role_enum)
    commit_retrying(lambda: add_reply(
        difficulty, current_user, body=form.body.data or "", token=form.token.data,
        status=form.new_status or None,
        forwarded_to=form.forwarded_to.data if triage else None,
        forwarded_on=form.forwarded_on.data if triage else None))
    flash(_("Your reply is saved."), "success")
    return redirect(url_for("difficulties.show", difficulty_id=difficulty.id), code=303)


@bp.app_template_global()
def category_label(code: str) -> str:
    """A difficulty category's name in the reader's language."""
    return categories.label(code, current_locale())


bp.add_app_template_global(status_label, "status_label")
