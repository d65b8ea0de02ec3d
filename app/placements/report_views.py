"""Monthly reports: the graduate starts the report of a month, writes it (each field saved as it is
typed, in order, with the same guarantees as assessment answers; the whole page also saves as a
plain form), and submits it; the host's manager confirms it or returns it with a comment; alliance
staff read them all. A difficulty written in a report can be raised to the alliance in one step
(see ``difficulty_hook``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.database import commit_retrying, local_today, utcnow
from app.extensions import db
from app.numbers import parse_digits
from app.placements import permissions, report_store, reporting
from app.placements.access import require, viewer_of
from app.placements.difficulty_hook import raise_difficulty_url
from app.placements.forms import ReviewReportForm, StartReportForm, SubmitReportForm
from app.placements.host_progress import local_date
from app.placements.models import Goal, MonthlyReport, Placement
from app.placements.progress import goals_of
from app.placements.report_store import Outcome
from app.placements.vocabulary import (REPORT_EVENT_LABELS, REPORT_FIELD_HINTS, REPORT_FIELD_LABELS,
                                      REPORT_STATUS_LABELS)
from app.province_settings.models import settings_for
from app.rendering import render_page
from app.tenancy import get_placement_or_404

bp = Blueprint("monthly_reports", __name__, url_prefix="/reports")

NOT_EDITABLE = 409
STALE = _l("This text was changed in another window after this page was opened, so it was not saved. "
           "Your text is still here: copy it, reload the page, and write it in again.")


def load(report_id: int) -> tuple[MonthlyReport, Placement]:
    """The report and its placement, scoped: another tenant's report is not found."""
    report = db.session.get(MonthlyReport, report_id)
    if report is None:
        abort(404)
    return report, get_placement_or_404(current_user, report.placement_id)


def field_names(goals: list[Goal]) -> list[str]:
    """The report's fields: the fixed ones, then one per goal of the plan."""
    return [*reporting.FIELDS, *(reporting.goal_field(goal.id) for goal in goals)]


@bp.post("/start/<int:placement_id>")
@login_required
def start(placement_id: int) -> Response:
    """Open the report of a month of the placement (a draft), or the one already started."""
    placement = get_placement_or_404(current_user, placement_id)
    require(permissions.may_start_report(viewer_of(placement)))
    form = StartReportForm()
    months = reporting.report_months(placement.starts_on, placement.last_day, local_today())
    month = next((m for m in months if m.isoformat() == form.month.data), None)
    if not form.validate_on_submit() or month is None:
        abort(400)
    # The graduate's other tab starting the same month at the same moment: the retry finds it.
    report = commit_retrying(lambda: report_store.start(placement.id, month))
    return redirect(url_for(".show", report_id=report.id), code=303)


def report_page(report: MonthlyReport, placement: Placement, *, typed: Mapping[str, str] | None = None,
                errors: Mapping[str, str] | None = None, review_form: ReviewReportForm | None = None,
                missing: list[str] | None = None, status: int = 200) -> Response:
    viewer = viewer_of(placement)
    stored = report_store.entries_of(report.id)
    goals = goals_of(placement.id)
    names = field_names(goals)
    due_day = settings_for(placement.cooperative.province_code).report_due_day
    first = report.first_submitted_at
    editable = permissions.may_write_report(viewer, report.status)
    return render_page(
        "placements/report.html", report=report, placement=placement, goals=goals,
        values={name: (typed or {}).get(name, stored[name].value if name in stored else "") for name in names},
        next_revisions={name: (stored[name].revision if name in stored else 0) + 1 for name in names},
        errors=errors or {}, missing=missing or [], editable=editable,
        may_review=permissions.may_review_report(viewer, report.status),
        review_form=review_form or ReviewReportForm(formdata=None),
        due_on=reporting.due_on(report.month, due_day),
        late=reporting.is_late(report.month, due_day, local_date(first) if first else None, local_today()),
        events=report_store.events_of(report.id), status_labels=REPORT_STATUS_LABELS, event_labels=REPORT_EVENT_LABELS,
        field_labels=REPORT_FIELD_LABELS, field_hints=REPORT_FIELD_HINTS,
        raise_difficulty=raise_difficulty_url(report, viewer, stored[reporting.DIFFICULTIES].value if reporting.DIFFICULTIES in stored else None),
        status=status)


@bp.get("/<int:report_id>")
@login_required
def show(report_id: int) -> Response:
    report, placement = load(report_id)
    return report_page(report, placement)


def revision_of(name: str) -> int | None:
    """The revision the page gave a field's save (``rev.<field>``), or None when it is missing or odd."""
    return parse_digits(request.form.get(f"rev.{name}", ""), max_digits=15)


def parse_page(names: list[str]) -> tuple[dict[str, tuple[str, int]], dict[str, str], dict[str, str]]:
    """The page's fields as sent: what to save (value, revision), what was typed, and each refusal."""
    values: dict[str, tuple[str, int]] = {}
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in names:
        if name not in request.form:
            continue
        typed[name] = request.form[name]
        revision = revision_of(name)
        if revision is None:
            abort(400)
        try:
            values[name] = (reporting.clean(name, request.form[name]), revision)
        except reporting.FieldError as error:
            errors[name] = error.message
    return values, typed, errors


def save_page(report: MonthlyReport, placement: Placement) -> Response | None:
    """Save every valid field the page sent (and commit); the page to answer with when something was
    refused (422, as typed) or the report can no longer change (409), else None."""
    if not SubmitReportForm().validate_on_submit():
        abort(400)
    values, typed, errors = parse_page(field_names(goals_of(placement.id)))
    try:
        outcomes = commit_retrying(lambda: report_store.save_fields(report.id, values))
    except report_store.NotEditable:
        db.session.rollback()
        db.session.refresh(report)
        flash(_("This report has been submitted: it can no longer change."), "error")
        return report_page(report, placement, status=NOT_EDITABLE)
    errors.update({name: str(STALE) for name, outcome in outcomes.items() if outcome is Outcome.STALE})
    if errors:
        return report_page(report, placement, typed=typed, errors=errors, status=422)
    return None


def writable(report_id: int) -> tuple[MonthlyReport, Placement]:
    report, placement = load(report_id)
    require(viewer_of(placement).is_graduate)
    return report, placement


@bp.post("/<int:report_id>")
@login_required
def save(report_id: int) -> Response:
    """Save the whole page (the way without JavaScript, and the Save button)."""
    report, placement = writable(report_id)
    refused = save_page(report, placement)
    if refused is not None:
        return refused
    flash(_("The report has been saved."), "success")
    return redirect(url_for(".show", report_id=report.id), code=303)


@bp.post("/<int:report_id>/fields/<name>")
@login_required
def save_field(report_id: int, name: str) -> Response:
    """Save one field as it is typed (htmx): its status, and out of band the revision its next save carries."""
    report, placement = writable(report_id)
    if name not in field_names(goals_of(placement.id)):
        abort(404)
    revision = revision_of(name) if f"rev.{name}" in request.form else None
    if revision is None or name not in request.form:
        abort(400)
    context: dict[str, Any] = {"report": report, "name": name}
    try:
        value = reporting.clean(name, request.form[name])
    except reporting.FieldError as error:
        return field_status(context, error=error.message, status=422)
    try:
        outcome = commit_retrying(lambda: report_store.save_field(report.id, name, value, revision))
    except report_store.NotEditable:
        db.session.rollback()
        return field_status(context, error=_("This report has been submitted: it can no longer change."),
                            status=NOT_EDITABLE)
    if outcome is Outcome.STALE:
        return field_status(context, error=str(STALE), status=NOT_EDITABLE)
    stored = report_store.entries_of(report.id)[name]
    return field_status(context, saved_at=format_time(utcnow(), "HH:mm"), next_revision=stored.revision + 1)


def field_status(context: dict[str, Any], *, status: int = 200, error: str | None = None, **outcome: Any) -> Response:
    """A field's save status: the fragment for htmx, a whole page otherwise."""
    return render_page("placements/field_saved.html", fragment="placements/_field_status.html",
                       target=f"rs-{context['name']}", status=status, error=error, saved=bool(outcome),
                       **context, **outcome)


@bp.post("/<int:report_id>/submit")
@login_required
def submit(report_id: int) -> Response:
    """Save the page, then submit the report to the host's manager."""
    report, placement = writable(report_id)
    if report.status not in reporting.EDITABLE:
        return redirect(url_for(".show", report_id=report.id), code=303)
    refused = save_page(report, placement)
    if refused is not None:
        return refused
    missing = report_store.submit(report, current_user.id)
    if missing:
        db.session.rollback()
        return report_page(report, placement, missing=missing, status=422)
    db.session.commit()
    flash(_("The report has been sent to the cooperative's manager."), "success")
    return redirect(url_for(".show", report_id=report.id), code=303)


@bp.post("/<int:report_id>/review")
@login_required
def review(report_id: int) -> Response:
    """The host's manager confirms the report, or returns it with a comment."""
    report, placement = load(report_id)
    require(viewer_of(placement).is_host_manager)
    form = ReviewReportForm()
    if not form.validate_on_submit():
        return report_page(report, placement, review_form=form, status=422)
    confirm = form.decision.data == "confirm"
    if report_store.review(report, confirm=confirm, comment=form.comment.data, actor_id=current_user.id):
        db.session.commit()
        flash(_("The report is confirmed.") if confirm else _("The report has been returned to the graduate."),
              "success")
    return redirect(url_for(".show", report_id=report.id), code=303)

