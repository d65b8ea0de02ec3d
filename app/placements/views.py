"""Placements: the alliance's list and follow-up, creating, editing, ending and completing a
placement, extension requests and decisions, and each placement's progress view.

Every page is scoped by ``app.tenancy`` (another tenant's placement is a 404); every change is a
POST form with CSRF that works without JavaScript, answers 422 with the form as typed when it is
refused, and is written to the audit log.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from app import audit, mail
from app.auth.models import User
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.database import local_today
from app.extensions import db
from app.i18n import current_locale
from app.i18n import date as date_text
from app.invitations import links
from app.invitations.models import Invitation
from app.locations import ward_name
from app.paging import page_number
from app.placements import listing, permissions, reporting, service
from app.placements.access import require, viewer_of
from app.placements.forms import (CompleteForm, EditPlacementForm, EndEarlyForm, ExtensionDecisionForm, ExtensionForm,
                                  NewPlacementForm, PlacementFilterForm)
from app.placements.host_progress import host_progress
from app.placements.models import PENDING, REJECTED, Extension, Placement
from app.placements.progress import gather
from app.placements.term_messages import message, remaining_sentence
from app.placements.terms import Refusal, Rule
from app.placements.vocabulary import EXTENSION_STATUS_LABELS, STATUS_LABELS
from app.rendering import render_page
from app.tenancy import get_cooperative_or_404, get_placement_or_404, visible_cooperatives, visible_placements

bp = Blueprint("placements", __name__, url_prefix="/placements")

RESULTS_TARGET = "placement-results"
MONTH_PATTERNS = {"vi": "MM/yyyy", "en": "MMMM yyyy"}
# Where each rule's refusal is shown on a placement form.
REFUSAL_FIELDS = {
    Rule.END_AFTER_START: "ends_on",
    Rule.NO_OVERLAP: "starts_on",
    Rule.PERSON_LIMIT: "ends_on",
    Rule.YEARLY_COUNT: "starts_on",
}


@bp.app_template_filter("month")
def month_text(month: date) -> str:
    """A month as the reader writes it: 10/2026, or October 2026."""
    return format_date(month, MONTH_PATTERNS.get(current_locale(), "MMMM yyyy"))


def show_refusals(form: Any, refusals: list[Refusal], fields: dict[Rule, str] = REFUSAL_FIELDS) -> None:
    for refusal in refusals:
        form[fields[refusal.rule]].errors.append(message(refusal))


def labels() -> dict[str, Any]:
    return {"status_labels": STATUS_LABELS, "extension_labels": EXTENSION_STATUS_LABELS,
            "status_of": service.status_on}


@bp.get("/")
@login_required
def index() -> Response:
    """Staff: every placement of the province, filtered, with the two monthly lists. Others: their own."""
    viewer = viewer_of()
    require(viewer.role is not Role.COOP_MEMBER)
    today = local_today()
    if not permissions.may_manage(viewer):
        placements = db.session.scalars(listing.with_people(visible_placements(current_user))
                                        .order_by(Placement.starts_on.desc(), Placement.id.desc())).all()
        # What waits for this person: reports to confirm (the host's manager), or to fix (the graduate).
        waiting = listing.reports_waiting([p.id for p in placements],
                                          reporting.RETURNED if viewer.role is Role.GRADUATE else reporting.SUBMITTED)
        return render_page("placements/mine.html", placements=placements, today=today, waiting=waiting,
                           own=viewer.role is Role.GRADUATE, **labels())
    filters = listing.parse_filters(request.args)
    form = filter_form(filters)
    page = db.paginate(listing.filtered(current_user, filters, today), page=page_number(request.args),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    ending = db.session.scalars(listing.ending_soon(current_user, today)).all()
    missing = db.session.scalars(listing.missing_report(current_user, today)).all()
    progress = host_progress([*page.items, *ending, *missing])
    return render_page("placements/index.html", fragment="placements/_results.html", target=RESULTS_TARGET,
                       form=form, page=page, args=filters.as_args(), ending=ending, missing=missing,
                       progress=progress, today=today, last_month=listing.last_month(today),
                       ending_days=listing.ENDING_WITHIN_DAYS, **labels())


def filter_form(filters: listing.Filters) -> PlacementFilterForm:
    """The filter form showing ``filters``, its choices drawn from the placements the user may see."""
    form = PlacementFilterForm(formdata=None, data={
        "status": filters.status or "", "cooperative": str(filters.cooperative_id or ""),
        "ward": str(filters.ward_code or ""), "field": filters.field})
    form.status.choices = [("", _("All statuses")), *((code, str(label)) for code, label in STATUS_LABELS.items())]
    hosts = db.session.execute(
        visible_placements(current_user).with_only_columns(Cooperative.id, Cooperative.name, Cooperative.ward_code)
        .distinct().order_by(Cooperative.name)).all()
    form.cooperative.choices = [("", _("All cooperatives")), *((str(id_), name) for id_, name, _ward in hosts)]
    wards = sorted({ward for _id, _name, ward in hosts}, key=ward_name)
    form.ward.choices = [("", _("All communes and wards")), *((str(code), ward_name(code)) for code in wards)]
    return form


def host_choices() -> list[tuple[int, str]]:
    """The active cooperatives the user may place a graduate in, by name."""
    rows = db.session.execute(visible_cooperatives(current_user).where(Cooperative.status == Status.ACTIVE)
                              .with_only_columns(Cooperative.id, Cooperative.name).order_by(Cooperative.name))
    return [(id_, name) for id_, name in rows]


def find_graduate(form: NewPlacementForm) -> User | None:
    email, phone = form.login_conditions()
    conditions = [User.email == email] if email else []
    if phone:
        conditions.append(User.phone == phone)
    if not conditions:
        return None
    return db.session.scalar(select(User).where(or_(*conditions), User.role == Role.GRADUATE.value))


def shown_link(invitation: Invitation, token: str, cooperative: Cooperative) -> dict[str, Any]:
    """The invitation link to hand over once, and an SMS carrying it."""
    link = url_for("invitations.accept", token=token, _external=True)
    text = _("%(inviter)s invites you to join %(cooperative)s on HTX Số as a young graduate. Create your account "
             "here: %(link)s", inviter=current_user.name, cooperative=cooperative.name, link=link)
    return {"link": link, "sms_href": mail.sms_href(text), "expires_at": invitation.expires_at}


def term_audit(placement: Placement) -> dict[str, Any]:
    return {"cooperative_id": placement.cooperative_id, "graduate_id": placement.graduate_id,
            "starts_on": placement.starts_on.isoformat(), "ends_on": placement.ends_on.isoformat()}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> Response:
    """Place a graduate (their account, or an invitation link for them) in a cooperative of the province."""
    require(permissions.may_manage(viewer_of()))
    chosen = listing.whole_number(request.args.get("cooperative"))
    form = NewPlacementForm(data={"cooperative_id": chosen})
    form.cooperative_id.choices = [(0, _("Choose the cooperative")), *host_choices()]
    if form.validate_on_submit():
        cooperative = get_cooperative_or_404(current_user, form.cooperative_id.data)
        graduate = find_graduate(form) if form.graduate_login.data else None
        if form.graduate_login.data and graduate is None:
            form.graduate_login.errors.append(_("No young graduate's account logs in with this. Leave it empty and "
                                                "give their name to invite them."))
        elif graduate is None and current_user.role_enum is not Role.ALLIANCE:
            form.invitee_name.errors.append(_("Only alliance staff invite graduates. Create the account on the "
                                              "Users page, then place it here."))
        else:
            try:
                placement = service.create(
                    cooperative=cooperative, graduate_id=graduate.id if graduate else None,
                    starts_on=form.starts_on.data, ends_on=form.ends_on.data, field_of_study=form.field_of_study.data,
                    funding_note=form.funding_note.data, invitee_name=form.invitee_name.data or "",
                    created_by_id=current_user.id)
            except service.PlacementRefused as refused:
                db.session.rollback()
                show_refusals(form, refused.refusals)
            else:
                return created(placement, cooperative, graduate)
    return render_page("placements/new.html", form=form, status=422 if form.errors else 200)


def created(placement: Placement, cooperative: Cooperative, graduate: User | None) -> Response:
    """Audit and commit a new placement; show the invitation link when the graduate has no account."""
    invited = None
    if graduate is None:
        invitation, token = links.issue(cooperative, Role.GRADUATE.value, placement.invitee_name, current_user.id)
        db.session.flush()
        placement.invitation_id = invitation.id
        invited = shown_link(invitation, token, cooperative)
    audit.record(current_user.id, "placement.create", f"placement:{placement.id}", **term_audit(placement))
    db.session.commit()
    if invited is not None:
        return render_page("placements/invited.html", placement=placement, invited=invited)
    flash(_("%(name)s is placed in %(cooperative)s.", name=placement.person_name, cooperative=cooperative.name),
          "success")
    return redirect(url_for(".show", placement_id=placement.id), code=303)


@bp.post("/<int:placement_id>/invitation")
@login_required
def reinvite(placement_id: int) -> Response:
    """A new invitation link for a graduate who has not created their account yet (the old one
    expired or was lost)."""
    placement = get_placement_or_404(current_user, placement_id)
    require(permissions.may_manage(viewer_of(placement)) and current_user.role_enum is Role.ALLIANCE)
    if not CompleteForm().validate_on_submit():
        abort(400)
    if placement.graduate_id is not None:
        return redirect(url_for(".show", placement_id=placement.id), code=303)
    invitation, token = links.issue(placement.cooperative, Role.GRADUATE.value, placement.invitee_name,
                                    current_user.id)
    db.session.flush()
    placement.invitation_id = invitation.id
    db.session.commit()
    return render_page("placements/invited.html", placement=placement,
                       invited=shown_link(invitation, token, placement.cooperative))


@bp.get("/<int:placement_id>")
@login_required
def show(placement_id: int) -> Response:
    """The placement's progress view."""
    placement = get_placement_or_404(current_user, placement_id)
    return placement_page(placement)


def placement_page(placement: Placement, *, decision_error: str | None = None, status: int = 200) -> Response:
    viewer = viewer_of(placement)
    today = local_today()
    pending = service.pending_extension(placement.id)
    return render_page(
        "placements/show.html", placement=placement, today=today, status=status,
        may_manage=permissions.may_manage(viewer) and placement.is_open,
        may_reinvite=permissions.may_manage(viewer) and placement.graduate_id is None
        and current_user.role_enum is Role.ALLIANCE,
        may_request_extension=permissions.may_request_extension(viewer, is_open=placement.is_open) and pending is None,
        may_decide=permissions.may_decide_extension(viewer), pending=pending, decision_error=decision_error,
        may_start_reports=permissions.may_start_report(viewer),
        decision_form=ExtensionDecisionForm(formdata=None), complete_form=CompleteForm(formdata=None),
        extensions=[extension for extension in placement.extensions if extension.status != PENDING],
        **gather(placement, today), **labels())


def open_placement(placement_id: int) -> Placement:
    """A placement the user manages and that is still open (a closed one is history: 409)."""
    placement = get_placement_or_404(current_user, placement_id)
    require(permissions.may_manage(viewer_of(placement)))
    if not placement.is_open:
        abort(409)
    return placement


@bp.route("/<int:placement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(placement_id: int) -> Response:
    placement = open_placement(placement_id)
    form = EditPlacementForm(obj=placement)
    if form.validate_on_submit():
        before = term_audit(placement)
        try:
            service.change_term(placement, starts_on=form.starts_on.data, ends_on=form.ends_on.data)
        except service.PlacementRefused as refused:
            db.session.rollback()
            show_refusals(form, refused.refusals)
        else:
            placement.field_of_study = form.field_of_study.data or ""
            placement.funding_note = form.funding_note.data or ""
            after = term_audit(placement)
            changes = {key: [before[key], after[key]] for key in after if after[key] != before[key]}
            audit.record(current_user.id, "placement.update", f"placement:{placement.id}", **changes)
            db.session.commit()
            flash(_("The placement has been saved."), "success")
            return redirect(url_for(".show", placement_id=placement.id), code=303)
    return render_page("placements/edit.html", form=form, placement=placement, status=422 if form.errors else 200)


@bp.route("/<int:placement_id>/end", methods=["GET", "POST"])
@login_required
def end_early(placement_id: int) -> Response:
    """End a placement before its planned end, with the reason; one that has not begun ends before it."""
    placement = open_placement(placement_id)
    today = local_today()
    started = placement.starts_on <= today
    form = EndEarlyForm(data={"last_day": min(today, placement.ends_on) if started else None})
    if form.validate_on_submit():
        last_day = form.last_day.data if started else placement.starts_on - timedelta(days=1)
        if started and (last_day is None or not placement.starts_on <= last_day <= min(today, placement.ends_on)):
            form.last_day.errors.append(_("Give a day from %(start)s to %(end)s.", start=date_text(placement.starts_on),
                                          end=date_text(min(today, placement.ends_on))))
        else:
            service.end_early(placement, last_day, form.reason.data)
            audit.record(current_user.id, "placement.end_early", f"placement:{placement.id}",
                         last_day=last_day.isoformat(), reason=form.reason.data)
            db.session.commit()
            flash(_("The placement has ended."), "info")
            return redirect(url_for(".show", placement_id=placement.id), code=303)
    return render_page("placements/end.html", form=form, placement=placement, started=started,
                       status=422 if form.errors else 200)


@bp.post("/<int:placement_id>/complete")
@login_required
def complete(placement_id: int) -> Response:
    placement = get_placement_or_404(current_user, placement_id)
    require(permissions.may_manage(viewer_of(placement)))
    if not CompleteForm().validate_on_submit():
        abort(400)
    today = local_today()
    if placement.is_open and placement.starts_on <= today:
        service.complete(placement, today)
        audit.record(current_user.id, "placement.complete", f"placement:{placement.id}",
                     last_day=placement.last_day.isoformat())
        db.session.commit()
        flash(_("The placement is completed."), "success")
    elif placement.is_open:
        flash(_("A placement that has not begun cannot be completed: end it instead."), "error")
    return redirect(url_for(".show", placement_id=placement.id), code=303)


@bp.route("/<int:placement_id>/extension", methods=["GET", "POST"])
@login_required
def request_extension(placement_id: int) -> Response:
    """The graduate or the host's manager asks to move the end date; the form shows what remains of
    the person's limit, and a date beyond it is refused with the arithmetic."""
    placement = get_placement_or_404(current_user, placement_id)
    require(permissions.may_request_extension(viewer_of(placement), is_open=placement.is_open))
    pending = service.pending_extension(placement.id)
    if pending is not None:
        flash(_("A request to extend this placement is already waiting for the alliance."), "info")
        return redirect(url_for(".show", placement_id=placement.id), code=303)
    form = ExtensionForm()
    if form.validate_on_submit():
        if form.new_ends_on.data <= placement.ends_on:
            form.new_ends_on.errors.append(_("Give a day after the current end (%(end)s).",
                                             end=date_text(placement.ends_on)))
        else:
            refusals = service.extension_refusals(placement, form.new_ends_on.data)
            show_refusals(form, refusals, {rule: "new_ends_on" for rule in Rule})
        if not form.errors:
            return extension_requested(placement, form)
    limit_end, remaining = service.extension_limit(placement)
    return render_page("placements/extension.html", form=form, placement=placement,
                       remaining_sentence=remaining_sentence(remaining, service.limits_for(placement.cooperative).max_years,
                                                             limit_end),
                       status=422 if form.errors else 200)


def extension_requested(placement: Placement, form: ExtensionForm) -> Response:
    extension = Extension(placement_id=placement.id, requested_by_id=current_user.id,
                          previous_ends_on=placement.ends_on, new_ends_on=form.new_ends_on.data,
                          reason=form.reason.data)
    db.session.add(extension)
    try:
        db.session.flush()
    except IntegrityError:
        # A second click, or the other person's request a moment earlier: one request waits.
        db.session.rollback()
        return redirect(url_for(".show", placement_id=placement.id), code=303)
    audit.record(current_user.id, "placement.extension_request", f"placement:{placement.id}",
                 new_ends_on=extension.new_ends_on.isoformat())
    db.session.commit()
    flash(_("The request has been sent to the alliance."), "success")
    return redirect(url_for(".show", placement_id=placement.id), code=303)


@bp.post("/extensions/<int:extension_id>/decision")
@login_required
def decide_extension(extension_id: int) -> Response:
    """Alliance staff approve (the end date moves) or reject a request, with a comment."""
    extension = db.session.get(Extension, extension_id)
    if extension is None:
        abort(404)
    placement = get_placement_or_404(current_user, extension.placement_id)
    require(permissions.may_decide_extension(viewer_of(placement)))
    form = ExtensionDecisionForm()
    if not form.validate_on_submit():
        return placement_page(placement, decision_error=" ".join(str(error) for error in form.comment.errors) or None,
                              status=422)
    if extension.status != PENDING:
        return redirect(url_for(".show", placement_id=placement.id), code=303)
    if form.decision.data == "approve":
        try:
            service.approve(extension, decided_by_id=current_user.id, comment=form.comment.data)
        except service.PlacementRefused as refused:
            db.session.rollback()
            return placement_page(placement, decision_error=" ".join(message(r) for r in refused.refusals),
                                  status=422)
        flash(_("The extension is approved: the placement now ends on %(end)s.", end=date_text(placement.ends_on)),
              "success")
    else:
        service.decide(extension, REJECTED, decided_by_id=current_user.id, comment=form.comment.data)
        flash(_("The extension is not approved."), "info")
    audit.record(current_user.id, f"placement.extension_{form.decision.data}", f"placement:{placement.id}",
                 extension_id=extension.id, new_ends_on=extension.new_ends_on.isoformat())
    db.session.commit()
    return redirect(url_for(".show", placement_id=placement.id), code=303)

