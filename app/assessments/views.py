"""Answering a self-assessment: start, one page per dimension, each answer saved as it changes, submit.

Every page works as a plain form; htmx saves each question on its own as it changes and
answers with a small status fragment. A submitted assessment never changes again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import Row, Select, bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from app.assessments import answer_input, drafts, permissions, progress, versions
from app.assessments.answer_input import AnswerError
from app.assessments.forms import CONFIRM_CARRIED, GraduateAccessForm, StartForm, SubmitForm, VersionForm
from app.assessments.models import SUBMITTED, Assessment, QuestionnaireVersion
from app.assessments.permissions import Refusal
from app.assessments.questionnaire import Dimension, Profile, Question, Questionnaire
from app.assessments.scoring import is_answered, is_visible, missing_required
from app.auth.models import User
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.database import LOCAL_ZONE, commit_retrying
from app.extensions import db
from app.i18n import current_locale
from app.numbers import parse_digits
from app.placements.models import Placement, placed_now
from app.rendering import render_page
from app.tenancy import bound_scope_filter, get_cooperative_or_404, scope_key, scope_values, within_scope

bp = Blueprint("assessments", __name__, url_prefix="/assessments")

REFUSED = {
    Refusal.FORBIDDEN: _l("Your account can read this self-assessment but not answer it."),
    Refusal.FINAL: _l("This self-assessment has been submitted: its answers can no longer change."),
}
REFUSED_STATUS = {Refusal.FORBIDDEN: 403, Refusal.FINAL: 409}
# A save that names an older revision than the stored answer's (an older save arriving late, or a
# colleague's answer saved meanwhile) writes nothing and answers 412 with the current revision:
# the page then sends the value its field holds now.
STALE_STATUS = 412
CHANGED_MEANWHILE = _l("Someone saved another answer to this question while this page was open (a colleague, or "
                       "you on another device). Your answer is shown here: save again to keep it.")
READ_ONLY_REASONS = {
    Role.GRADUATE: _l("You can read the answers. The cooperative's manager has not allowed the placed graduate "
                      "to answer."),
    Role.ALLIANCE: _l("You can read this draft. Only the cooperative's own people answer it."),
    Role.ADMIN: _l("You can read this draft. Only the cooperative's own people answer it."),
}
# Where "Save" goes when the person chose the summary page rather than a part.
OVERVIEW = "overview"


@dataclass(frozen=True)
class QuestionView:
    """One question as its page shows it."""

    question: Question
    number: int
    values: list[str]  # what the inputs show: the stored answer, or what was typed when it was refused
    error: str | None
    carried: bool
    visible: bool
    fingerprint: str
    revision: int  # of the stored answer the page shows; a save sends it back
    save_url: str

    @property
    def key(self) -> str:
        return anchor_key(self.question.code)


def anchor_key(code: str) -> str:
    """``finance.etax_filing`` → ``finance-etax_filing``: ids and links to a question use it."""
    return code.replace(".", "-")


def require(allowed: bool) -> None:
    """Refuse with 403 what the role may not do (scoping already gave 404)."""
    if not allowed:
        abort(403)


def load(assessment_id: int) -> tuple[Assessment, Cooperative, Questionnaire]:
    """The assessment, if its cooperative is one the user may see (else 404), in one query."""
    statement = select(Assessment, Cooperative).options(joinedload(Assessment.version)) \
        .where(Assessment.id == assessment_id)
    row = db.session.execute(within_scope(current_user, statement, Assessment.cooperative_id)).first()
    if row is None:
        abort(404)
    assessment, cooperative = row
    return assessment, cooperative, drafts.questionnaire_for(assessment)


def dimension_or_404(questionnaire: Questionnaire, code: str) -> Dimension:
    """The dimension ``code`` of the assessment's questionnaire version, else 404."""
    dimension = questionnaire.dimension(code)
    if dimension is None:
        abort(404)
    return dimension


def refusal_for(assessment: Assessment) -> Refusal | None:
    """Why the current user may not save answers to ``assessment`` now (None: they may)."""
    return permissions.answer_refusal(current_user.role_enum, submitted=assessment.submitted,
                                      graduate_may_answer=assessment.graduate_may_answer)


def read_only_reason(assessment: Assessment, refusal: Refusal | None) -> str | None:
    """The sentence a read-only page opens with, or None when the user answers."""
    if refusal is Refusal.FINAL:
        return str(REFUSED[Refusal.FINAL])
    if refusal is Refusal.FORBIDDEN:
        return str(READ_ONLY_REASONS.get(current_user.role_enum, REFUSED[Refusal.FORBIDDEN]))
    return None


def results_url(assessment_id: int) -> str:
    return url_for("results.show", assessment_id=assessment_id)


def submitted_page(assessment: Assessment, cooperative: Cooperative, status: int = 200) -> Response:
    """A submitted assessment: its results (for a GET), or a short page saying it is final."""
    if status == 200:
        return redirect(results_url(assessment.id), code=303)
    return render_page("assessments/submitted.html", assessment=assessment, cooperative=cooperative,
                       results_url=results_url(assessment.id), status=status)


def after_submit(assessment: Assessment) -> Response:
    return redirect(results_url(assessment.id), code=303)


def placed_graduates(cooperative_id: int) -> list[User]:
    """The graduates placed in the cooperative today (the manager decides whether they may answer)."""
    return list(db.session.scalars(
        select(User).join(Placement, Placement.graduate_id == User.id)
        .where(Placement.cooperative_id == cooperative_id, placed_now())
        .order_by(User.name)
    ))


@bp.post("/start/<int:cooperative_id>")
@login_required
def start(cooperative_id: int) -> Response:
    """Start the cooperative's self-assessment, or continue its one open draft."""
    cooperative = get_cooperative_or_404(current_user, cooperative_id)
    require(permissions.may_start(current_user.role_enum))
    if not StartForm().validate_on_submit():
        abort(400)
    try:
        # Another manager starting it at the same moment makes the retry continue theirs.
        assessment = commit_retrying(lambda: drafts.start(cooperative, current_user.id))
    except drafts.NoQuestionnaire:
        db.session.rollback()
        flash(_("The questionnaire has not been loaded yet, so the self-assessment cannot start. "
                "Please tell the alliance."), "error")
        return redirect(url_for("main.home"), code=303)
    first = drafts.questionnaire_for(assessment).dimensions[0]
    return redirect(url_for(".dimension", assessment_id=assessment.id, code=first.code), code=303)


@bp.get("/<int:assessment_id>")
@login_required
def overview(assessment_id: int) -> Response:
    """The draft's progress per dimension, the way to submit, and the graduate's access."""
    assessment, cooperative, questionnaire = load(assessment_id)
    if assessment.submitted:
        return submitted_page(assessment, cooperative)
    answers, carried = drafts.answers_and_carried(assessment.id)
    profile = drafts.profile_of(cooperative)
    role = current_user.role_enum
    rows = [
        {"dimension": dimension,
         "progress": progress.dimension_progress(questionnaire, dimension, answers, profile=profile),
         "carried": progress.unconfirmed(questionnaire, dimension, answers, carried, profile=profile)}
        for dimension in questionnaire.dimensions
    ]
    may_set_access = permissions.may_set_graduate_access(role)
    return render_page(
        "assessments/overview.html",
        assessment=assessment, cooperative=cooperative, questionnaire=questionnaire, rows=rows,
        overall=progress.overall_progress(questionnaire, answers, profile=profile),
        read_only_reason=read_only_reason(assessment, refusal_for(assessment)),
        unconfirmed=sum(row["carried"] for row in rows), confirm_carried=CONFIRM_CARRIED,
        may_submit=permissions.may_submit(role), may_set_graduate_access=may_set_access,
        graduates=placed_graduates(cooperative.id) if may_set_access else [],
        newer=drafts.version_offer(assessment, answers), may_change_version=permissions.may_start(role),
    )


@bp.post("/<int:assessment_id>/version")
@login_required
def change_version(assessment_id: int) -> Response:
    """The manager moves the draft to the questionnaire's newer version, answers carried over by code."""
    assessment, _cooperative, _questionnaire = load(assessment_id)
    require(permissions.may_start(current_user.role_enum))
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    back = url_for(".overview", assessment_id=assessment.id)
    newer = None if assessment.submitted else drafts.newer_version(assessment)
    # A second click, or a newer version loaded since the page showed, changes nothing.
    if newer is None or newer.number != form.number.data:
        return redirect(back, code=303)
    if commit_retrying(lambda: drafts.move_to_version(assessment, newer, current_user.id)):
        flash(_("The self-assessment now uses version %(number)s of the questionnaire. Check the answers "
                "carried over and answer the new questions.", number=newer.number), "success")
    return redirect(back, code=303)


@bp.post("/<int:assessment_id>/graduate-access")
@login_required
def graduate_access(assessment_id: int) -> Response:
    """The manager allows the placed graduate to answer the draft, or stops it."""
    assessment, _cooperative, _questionnaire = load(assessment_id)
    require(permissions.may_set_graduate_access(current_user.role_enum))
    back = url_for(".overview", assessment_id=assessment.id)
    if assessment.submitted:
        return redirect(back, code=303)
    form = GraduateAccessForm()
    if not form.validate_on_submit():
        abort(400)
    assessment.graduate_may_answer = form.allow.data == "yes"
    db.session.commit()
    if assessment.graduate_may_answer:
        flash(_("The placed graduate can now answer this self-assessment."), "success")
    else:
        flash(_("The placed graduate can now only read this self-assessment."), "info")
    return redirect(back, code=303)


def question_views(assessment: Assessment, questionnaire: Questionnaire, dimension: Dimension,
                   answers: Mapping[str, Any], carried: set[str], revisions: Mapping[str, int],
                   profile: Profile, *,
                   typed: Mapping[str, list[str]] | None = None,
                   errors: Mapping[str, str] | None = None) -> list[QuestionView]:
    """The dimension's questions asked of a cooperative with ``profile``, with what each shows: the
    stored answer, or what was typed if refused."""
    locale = current_locale()
    typed = typed or {}
    errors = errors or {}
    return [
        QuestionView(
            question=question,
            number=number,
            values=typed[question.code] if question.code in typed
            else answer_input.form_values(question, answers.get(question.code), locale=locale),
            error=errors.get(question.code),
            carried=question.code in carried,
            # A refused answer always shows, even if its question was hidden meanwhile.
            visible=is_visible(questionnaire, question, answers, profile=profile) or question.code in errors,
            fingerprint=answer_input.fingerprint(answers.get(question.code)),
            revision=revisions.get(question.code, 0),
            save_url=url_for(".save_answer", assessment_id=assessment.id, code=question.code),
        )
        for number, question in enumerate(progress.asked(questionnaire, dimension, profile), start=1)
    ]


def dimension_page(assessment: Assessment, cooperative: Cooperative, questionnaire: Questionnaire,
                   dimension: Dimension, *, typed: Mapping[str, list[str]] | None = None,
                   errors: Mapping[str, str] | None = None, status: int = 200) -> Response:
    """The page of one dimension, answerable or read-only for the current user."""
    answers, carried, revisions = drafts.answer_states(assessment.id)
    profile = drafts.profile_of(cooperative)
    refusal = refusal_for(assessment)
    before, after = progress.neighbours(questionnaire, dimension.code)
    return render_page(
        "assessments/dimension.html",
        assessment=assessment, cooperative=cooperative, questionnaire=questionnaire, dimension=dimension,
        position=questionnaire.dimensions.index(dimension) + 1, before=before, after=after,
        items=question_views(assessment, questionnaire, dimension, answers, carried, revisions, profile,
                             typed=typed, errors=errors),
        dimension_progress=progress.dimension_progress(questionnaire, dimension, answers, profile=profile),
        editable=refusal is None, read_only_reason=read_only_reason(assessment, refusal),
        errors=errors or {}, status=status,
    )


@bp.get("/<int:assessment_id>/dimensions/<code>")
@login_required
def dimension(assessment_id: int, code: str) -> Response:
    """One dimension's questions: a plain form, each answer also saved on its own as it changes."""
    assessment, cooperative, questionnaire = load(assessment_id)
    chosen = dimension_or_404(questionnaire, code)
    if assessment.submitted:
        return submitted_page(assessment, cooperative)
    return dimension_page(assessment, cooperative, questionnaire, chosen)


@bp.post("/<int:assessment_id>/dimensions/<code>")
@login_required
def save_dimension(assessment_id: int, code: str) -> Response:
    """Save the whole page (the way without JavaScript, and every Save / part button).

    Only questions the person changed on this page are written (the form carries a fingerprint
    of what it showed), so a colleague's newer answer to an untouched question survives; and a
    changed question only over the revision the page showed, so a newer answer saved meanwhile is
    not overwritten unseen: the page comes back (409) with what was typed, to be saved again.
    """
    assessment, cooperative, questionnaire = load(assessment_id)
    chosen = dimension_or_404(questionnaire, code)
    refusal = refusal_for(assessment)
    if refusal is Refusal.FORBIDDEN:
        abort(403)
    if refusal is Refusal.FINAL:
        return submitted_page(assessment, cooperative, status=409)
    answers = drafts.answers_of(assessment.id)
    profile = drafts.profile_of(cooperative)
    shown_before = progress.visibility(questionnaire, chosen, answers, profile=profile)
    confirm = request.form.get("confirm")
    locale = current_locale()
    typed: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    changed: dict[str, tuple[Any, int]] = {}
    for question in chosen.questions:
        values = request.form.getlist(question.code)
        if answer_input.untouched(question, values):
            continue
        try:
            value = answer_input.parse(question, values, locale=locale)
        except AnswerError as error:
            typed[question.code] = values
            errors[question.code] = error.message
            continue
        shown = request.form.get(f"was.{question.code}")
        if shown != answer_input.fingerprint(value) or question.code == confirm:
            changed[question.code] = (value, revision_sent(question.code))
    # The valid answers are kept even when others are refused.
    stored = store_answers(assessment, changed)
    if stored is None:
        return submitted_page(assessment, cooperative, status=409)
    for stale in stored.stale:
        typed[stale] = request.form.getlist(stale)
        errors[stale] = str(CHANGED_MEANWHILE)
    if errors:
        return dimension_page(assessment, cooperative, questionnaire, chosen, typed=typed, errors=errors,
                              status=409 if stored.stale else 422)
    answers = drafts.answers_of(assessment.id)
    return redirect(page_after_save(assessment, questionnaire, chosen, answers, profile, shown_before, confirm),
                    code=303)


def page_after_save(assessment: Assessment, questionnaire: Questionnaire, chosen: Dimension,
                    answers: Mapping[str, Any], profile: Profile, shown_before: Mapping[str, bool],
                    confirm: str | None) -> str:
    """Stay on the page when a confirmed answer or a question that just appeared needs a look;
    else go where the person asked, or on to the next part (the summary after the last)."""
    here = url_for(".dimension", assessment_id=assessment.id, code=chosen.code)
    if confirm and any(question.code == confirm for question in chosen.questions):
        return f"{here}#q-{anchor_key(confirm)}"
    # shown_before holds exactly the questions an answer can show or hide on this page.
    appeared = [question for question in chosen.questions if shown_before.get(question.code) is False
                and is_visible(questionnaire, question, answers, profile=profile)
                and not is_answered(question, answers.get(question.code))]
    if appeared:
        return f"{here}#q-{anchor_key(appeared[0].code)}"
    then = request.form.get("then")
    if then == OVERVIEW:
        return url_for(".overview", assessment_id=assessment.id)
    if then and questionnaire.dimension(then) is not None:
        return url_for(".dimension", assessment_id=assessment.id, code=then)
    _before, after = progress.neighbours(questionnaire, chosen.code)
    if after is None:
        return url_for(".overview", assessment_id=assessment.id)
    return url_for(".dimension", assessment_id=assessment.id, code=after.code)


@lru_cache(maxsize=16)
def saving_statement(scope: tuple) -> Select:
    """The draft an autosave writes to (its id, status and graduate access), its cooperative's name and
    profile, and its questionnaire version, within the scope of users with ``scope`` (``scope_key``):
    built once per kind of scope, its values bound when it runs."""
    return (select(Assessment.id, Assessment.status, Assessment.graduate_may_answer, Assessment.version_id,
                   QuestionnaireVersion.content_hash, Cooperative.name, Cooperative.kind, Cooperative.sector)
            .join(Cooperative, Cooperative.id == Assessment.cooperative_id)
            .join(QuestionnaireVersion, QuestionnaireVersion.id == Assessment.version_id)
            .where(Assessment.id == bindparam("assessment_id"), bound_scope_filter(scope)))


def load_for_saving(assessment_id: int) -> tuple[Row, Questionnaire]:
    """What ``load`` gives, as the plain values an autosave needs, in one query (else 404)."""
    draft = db.session.connection().execute(saving_statement(scope_key(current_user)),
                                            {"assessment_id": assessment_id, **scope_values(current_user)}).first()
    if draft is None:
        abort(404)
    return draft, versions.stored_questionnaire(draft.version_id, draft.content_hash)


@bp.post("/<int:assessment_id>/answers/<code>")
@login_required
def save_answer(assessment_id: int, code: str) -> Response:
    """Save one question's answer as it changes (htmx); replies with its status and, out of band,
    the page's progress and which conditional questions now show."""
    draft, questionnaire = load_for_saving(assessment_id)
    question = questionnaire.question(code)
    if question is None:
        abort(404)
    chosen = dimension_or_404(questionnaire, question.dimension)
    # The whole page (without htmx) names the draft (its id) and the cooperative (its name).
    context: dict[str, Any] = {"assessment": draft, "cooperative": draft, "question": question,
                               "key": anchor_key(code), "dimension": chosen}
    refusal = permissions.answer_refusal(current_user.role_enum, submitted=draft.status == SUBMITTED,
                                         graduate_may_answer=draft.graduate_may_answer)
    if refusal is not None:
        return answer_status(context, error=str(REFUSED[refusal]), status=REFUSED_STATUS[refusal])
    values = request.form.getlist(code)
    try:
        value = answer_input.parse(question, values, locale=current_locale())
    except AnswerError as error:
        return answer_status(context, error=error.message, status=422)
    if answer_input.untouched(question, values):
        answers, carried_codes, revisions = drafts.answer_states(draft.id)
        revision, carried = revisions.get(code, 0), code in carried_codes
    else:
        try:
            written = commit_retrying(lambda: drafts.write_answer(draft.id, code, value, current_user.id,
                                                                  revision=revision_sent(code), read_answers=True))
        except drafts.SubmittedError:
            db.session.rollback()
            return answer_status(context, error=str(REFUSED[Refusal.FINAL]), status=REFUSED_STATUS[Refusal.FINAL])
        except drafts.StaleRevision as stale:
            db.session.rollback()
            return answer_status(context, error=str(CHANGED_MEANWHILE), stale=True, revision=stale.current,
                                 status=STALE_STATUS)
        # A save confirms a carried-over answer.
        answers, revision, carried = written.answers, written.revision, False
    profile = drafts.profile_of(draft)
    return answer_status(
        context, saved_at=datetime.now(LOCAL_ZONE).strftime("%H:%M"),  # the same in both languages
        carried=carried,
        fingerprint=answer_input.fingerprint(answers.get(code)),
        revision=revision,
        dimension_progress=progress.dimension_progress(questionnaire, chosen, answers, profile=profile),
        visibility=progress.visibility(questionnaire, chosen, answers, profile=profile),
        save_url=url_for(".save_answer", assessment_id=draft.id, code=code),
    )


def revision_sent(code: str) -> int:
    """The revision of the answer to ``code`` the page last saw (``rev.<code>``). A save that names
    none, or an unreadable one, is treated as naming no revision at all: it is refused unless it
    changes nothing, and the reply tells the page the current one."""
    revision = parse_digits(request.form.get(f"rev.{code}"), max_digits=9)
    return drafts.NO_REVISION if revision is None else revision


@dataclass(frozen=True)
class Stored:
    """What ``store_answers`` did: each written question's revision, each stale one's current revision."""

    revisions: dict[str, int]
    stale: dict[str, int]


def store_answers(assessment: Assessment, values: Mapping[str, tuple[Any, int]]) -> Stored | None:
    """Upsert each (value, revision the page saw) and commit; None when the assessment was submitted
    meanwhile (nothing is saved). A question whose answer changed since its page saw it is left as
    it is (``stale``): a colleague's first answer landing at the same moment makes ours stale, and
    the page sends it again over theirs (the last acknowledged write wins).
    """
    def change() -> Stored:
        stored = Stored({}, {})
        for code, (value, revision) in values.items():
            try:
                stored.revisions[code] = drafts.save_answer(assessment, code, value, current_user.id,
                                                            revision=revision)
            except drafts.StaleRevision as stale:
                stored.stale[code] = stale.current
        return stored

    try:
        return commit_retrying(change)
    except drafts.SubmittedError:
        db.session.rollback()
        return None


def answer_status(context: dict[str, Any], *, status: int = 200, error: str | None = None, stale: bool = False,
                  **outcome: Any) -> Response:
    """The question's save status: the fragment for htmx, a whole page otherwise."""
    return render_page("assessments/answer.html", fragment="assessments/_answer_status.html",
                       target=f"s-{context['key']}", status=status, error=error, stale=stale,
                       saved=bool(outcome) and not stale, **context, **outcome)


@bp.post("/<int:assessment_id>/submit")
@login_required
def submit(assessment_id: int) -> Response:
    """Submit a complete draft (manager only). An incomplete one lists what is missing; answers carried
    over from the last round and not yet confirmed are asked about once, and submitting through that
    question confirms them (a submission confirms every answer it freezes)."""
    assessment, cooperative, questionnaire = load(assessment_id)
    require(permissions.may_submit(current_user.role_enum))
    form = SubmitForm()
    if not form.validate_on_submit():
        abort(400)
    if assessment.submitted:
        return after_submit(assessment)
    answers, carried = drafts.answers_and_carried(assessment.id)
    profile = drafts.profile_of(cooperative)
    missing = missing_required(questionnaire, answers, profile=profile)
    if missing:
        return incomplete_page(assessment, cooperative, questionnaire, missing)
    waiting = [(dimension, count) for dimension in questionnaire.dimensions
               if (count := progress.unconfirmed(questionnaire, dimension, answers, carried, profile=profile))]
    if waiting and form.carried.data != CONFIRM_CARRIED:
        return render_page("assessments/confirm_carried.html", assessment=assessment, cooperative=cooperative,
                           waiting=waiting, unconfirmed=sum(count for _dimension, count in waiting),
                           confirm_carried=CONFIRM_CARRIED)
    outcome = drafts.submit(assessment, current_user.id)
    if isinstance(outcome, list):  # a colleague cleared an answer meanwhile
        return incomplete_page(assessment, cooperative, questionnaire, outcome)
    db.session.commit()
    return after_submit(assessment)


def incomplete_page(assessment: Assessment, cooperative: Cooperative, questionnaire: Questionnaire,
                    missing: list[Question]) -> Response:
    """The questions that still need an answer before the draft can be submitted (422)."""
    return render_page("assessments/incomplete.html", assessment=assessment, cooperative=cooperative,
                       missing=[(question, questionnaire.dimension(question.dimension)) for question in missing],
                       anchor_key=anchor_key, status=422)
