"""Training: the module catalogue, lessons, quizzes, certificates and their public verification, and who
completed which module (for managers and alliance staff)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.assessments.versions import latest_version, questionnaire_of
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.database import commit_retrying
from app.extensions import db
from app.folding import fold
from app.i18n import current_locale
from app.paging import page_number
from app.rendering import render_page
from app.tenancy import get_cooperative_or_404, user_scope, visible_cooperatives
from app.training import catalogue, certificates, completions, grading, markdown, progress, store
from app.training.forms import MarkDoneForm, QuizForm
from app.training.models import Certificate, ModuleVersion, QuizAttempt
from app.training.modules import Module

bp = Blueprint("training", __name__, url_prefix="/training")
# The public verification page lives at /verify/<code>, outside the training prefix.
verification_bp = Blueprint("certificates", __name__)

MAX_ANSWER = 60
# Who sees who completed what: a cooperative's manager (their own people), alliance staff and the administrator.
COMPLETION_VIEWERS = frozenset({Role.COOP_MANAGER, Role.ALLIANCE, Role.ADMIN})
OVERSEERS = frozenset({Role.ALLIANCE, Role.ADMIN})


def module_or_404(code: str) -> tuple[ModuleVersion, Module]:
    """The newest version of a module and its content."""
    version = store.latest(code)
    if version is None:
        abort(404)
    return version, store.module_of(version)


def dimension_labels(locale: str, modules: Iterable[Module]) -> dict[str, str]:
    """The dimensions of the current questionnaire in its order, with their titles, then any other
    dimension a module names (shown by its code)."""
    version = latest_version()
    labels = {d.code: d.title(locale) for d in questionnaire_of(version).dimensions} if version else {}
    for module in modules:
        labels.update({code: code for code in module.dimensions if code not in labels})
    return labels


@bp.get("/")
@login_required
def index() -> Response:
    """Every module with the user's progress, filtered by dimension and searched (state in the URL)."""
    locale = current_locale()
    modules = sorted((store.module_of(version) for version in store.current_versions().values()),
                     key=lambda module: fold(module.title(locale)))
    labels = dimension_labels(locale, modules)
    offered = [(code, label) for code, label in labels.items() if any(code in m.dimensions for m in modules)]
    catalogue_filter = catalogue.parse_filter(request.args, [code for code, _label in offered])
    return render_page(
        "training/index.html", fragment="training/_modules.html", target="modules",
        modules=[m for m in modules if catalogue.matches(m, catalogue_filter, locale)],
        records=progress.progress_of(current_user.id), no_progress=progress.NO_PROGRESS,
        catalogue_filter=catalogue_filter, dimensions=offered, labels=labels, locale=locale,
    )


@bp.get("/<code>")
@login_required
def module(code: str) -> Response:
    """A module's summary, lessons with done marks, where to resume, quiz history and certificate."""
    _version, content = module_or_404(code)
    locale = current_locale()
    record = progress.progress_of(current_user.id, code).get(code, progress.NO_PROGRESS)
    return render_page(
        "training/module.html", module=content, record=record, standing=record.standing(content),
        resume=grading.resume_at(content, record.lessons_done), attempts=progress.attempts_of(current_user.id, code),
        labels=dimension_labels(locale, [content]), locale=locale,
    )


@bp.get("/<code>/lessons/<lesson_code>")
@login_required
def lesson(code: str, lesson_code: str) -> Response:
    """One lesson in the user's language, with previous/next and "mark as done"."""
    _version, content = module_or_404(code)
    current = content.lesson(lesson_code)
    if current is None:
        abort(404)
    locale = current_locale()
    position = content.lesson_codes.index(lesson_code)
    record = progress.progress_of(current_user.id, code).get(code, progress.NO_PROGRESS)
    return render_page(
        "training/lesson.html", module=content, lesson=current, body=markdown.render(current.body(locale)),
        number=position + 1, previous=content.lessons[position - 1] if position else None,
        next=content.lessons[position + 1] if position + 1 < len(content.lessons) else None,
        done=lesson_code in record.lessons_done, form=MarkDoneForm(), locale=locale,
    )


@bp.post("/<code>/lessons/<lesson_code>/done")
@login_required
def mark_done(code: str, lesson_code: str) -> Response:
    """Mark a lesson as done (again: nothing changes), then go on to the next lesson or the module."""
    version, content = module_or_404(code)
    if content.lesson(lesson_code) is None:
        abort(404)
    if not MarkDoneForm().validate_on_submit():
        abort(400)

    def record() -> Certificate | None:
        progress.mark_done(current_user.id, code, lesson_code)
        return certificates.issue_when_complete(current_user, version)

    if commit_retrying(record) is not None:
        flash(_("You have completed this module. Your certificate is ready."), "success")
    position = content.lesson_codes.index(lesson_code)
    if position + 1 < len(content.lessons):
        return redirect(url_for(".lesson", code=code, lesson_code=content.lesson_codes[position + 1]), code=303)
    return redirect(url_for(".module", code=code), code=303)


def render_quiz(content: Module, form: QuizForm, chosen: dict[str, str], *, status: int = 200) -> Response:
    """The quiz form, with ``chosen`` answers ticked (when it comes back incomplete)."""
    return render_page("training/quiz.html", module=content, form=form, chosen=chosen,
                       locale=current_locale(), status=status)


@bp.get("/<code>/quiz")
@login_required
def quiz(code: str) -> Response:
    """Every question of the quiz in one form, with a new one-time token for this attempt."""
    _version, content = module_or_404(code)
    return render_quiz(content, QuizForm(token=secrets.token_urlsafe()), {})


@bp.post("/<code>/quiz")
@login_required
def submit_quiz(code: str) -> Response:
    """Grade an attempt on the server and store it once, however often it is sent."""
    version, content = module_or_404(code)
    form = QuizForm()
    answers = {question.code: request.form.get(f"answer-{question.code}", "")[:MAX_ANSWER]
               for question in content.quiz}
    answers = {question_code: value for question_code, value in answers.items() if value}
    if not form.validate_on_submit():
        form.token.data = secrets.token_urlsafe()
        return render_quiz(content, form, answers, status=422)
    token = form.token.data

    def record() -> tuple[QuizAttempt, Certificate | None]:
        sent_before = progress.attempt_by_token(token)
        if sent_before is not None:
            return sent_before, None
        graded = grading.grade(content, answers)
        attempt = progress.record_attempt(current_user.id, version, token, answers, graded)
        return attempt, certificates.issue_when_complete(current_user, version)

    attempt, issued = commit_retrying(record)
    if attempt.user_id != current_user.id:
        abort(404)
    if issued is not None:
        flash(_("You have completed this module. Your certificate is ready."), "success")
    return redirect(url_for(".attempt", code=attempt.module_code, attempt_id=attempt.id), code=303)


@bp.get("/<code>/quiz/attempts/<int:attempt_id>")
@login_required
def attempt(code: str, attempt_id: int) -> Response:
    """One attempt's result: every answer right or wrong with its explanation, and the score."""
    taken = db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.id == attempt_id, QuizAttempt.user_id == current_user.id, QuizAttempt.module_code == code))
    if taken is None:
        abort(404)
    _version, content = module_or_404(code)
    graded = grading.grade(store.module_of(taken.module_version), taken.answers)
    record = progress.progress_of(current_user.id, code).get(code, progress.NO_PROGRESS)
    return render_page(
        "training/attempt.html", attempt=taken, module=content, marked=graded.marked,
        pass_mark=graded.pass_mark, skipped=sum(item.chosen is None for item in graded.marked),
        record=record, resume=grading.resume_at(content, record.lessons_done),
        lessons_left=len(grading.lessons_left(content, record.lessons_done)), locale=current_locale(),
    )


@bp.get("/certificates/<verification_code>")
@login_required
def certificate(verification_code: str) -> Response:
    """A certificate to show or print on A4: its holder, their manager, the province's alliance staff
    and the administrator may open it; anyone else gets 404."""
    issued = certificates.by_code(verification_code)
    if issued is None:
        abort(404)
    cooperative = issued.cooperative
    if not certificates.may_view(current_user.role_enum, user_scope(current_user),
                                 is_holder=issued.user_id == current_user.id, cooperative_id=issued.cooperative_id,
                                 province_code=cooperative.province_code if cooperative else None):
        abort(404)
    verification_url = url_for("certificates.verify", code=issued.verification_code, _external=True)
    return render_page(
        "training/certificate.html", certificate=issued, cooperative=cooperative,
        module=store.module_of(issued.module_version), locale=current_locale(), verification_url=verification_url,
        issuer=certificates.alliance_name(certificates.issuing_province(issued)),
        qr_code=certificates.qr_code(verification_url),
    )


@verification_bp.get("/verify/<code>")
def verify(code: str) -> Response:
    """Public check of a certificate: only the name, the module, the date and that it is valid."""
    issued = certificates.by_code(code)
    if issued is None:
        return render_page("training/verify.html", certificate=None, module=None, status=404)
    return render_page("training/verify.html", certificate=issued, module=store.module_of(issued.module_version),
                       issuer=certificates.alliance_name(certificates.issuing_province(issued)),
                       locale=current_locale())


@bp.get("/cooperatives/<int:cooperative_id>/completions")
@login_required
def cooperative_completions(cooperative_id: int) -> Response:
    """Which of a cooperative's people (and its placed graduates) completed which modules."""
    cooperative = get_cooperative_or_404(current_user, cooperative_id)
    if current_user.role_enum not in COMPLETION_VIEWERS:
        abort(403)
    locale = current_locale()
    modules = store.current_modules()
    people, columns = completions.cooperative_records(cooperative.id, modules, locale)
    return render_page("training/cooperative_completions.html", cooperative=cooperative, people=people,
                       columns=[modules[code] for code in columns], no_progress=progress.NO_PROGRESS, locale=locale)


@bp.get("/completions")
@login_required
def province_completions() -> Response:
    """Per cooperative the user oversees: people who completed a module, certificates, per module."""
    if current_user.role_enum not in OVERSEERS:
        abort(403)
    visible = visible_cooperatives(current_user)
    page = db.paginate(visible.order_by(Cooperative.search_name, Cooperative.id),
                       page=page_number(request.args), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    totals = completions.in_cooperatives(visible.with_only_columns(Cooperative.id))
    locale = current_locale()
    modules = store.current_modules()
    # A column for each module completed somewhere in the scope; the others would be empty.
    columns = sorted((modules[code] for code in totals.by_module if code in modules),
                     key=lambda module: fold(module.title(locale)))
    return render_page("training/completions.html", page=page, totals=totals, columns=columns,
                       counts=completions.by_cooperative([c.id for c in page.items]),
                       no_completions=completions.NONE, locale=locale)
