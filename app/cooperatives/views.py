"""The register of cooperatives: list, profile, staff decisions and public self-registration."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from app import locations, mail
from app.auth.models import User
from app.auth.roles import Role
from app.cooperatives import permissions, registry
from app.cooperatives.forms import ApprovalForm, CooperativeForm, ReasonForm, RegistrationForm
from app.cooperatives.models import Cooperative
from app.cooperatives.permissions import Decision
from app.cooperatives.register_query import Sort, parse_filter, register_select
from app.cooperatives.vocabulary import Kind, Sector, Status, choices
from app.extensions import db, limiter
from app.forms import AppForm
from app.i18n import current_locale
from app.numbers import parse_digits
from app.rendering import render_page
from app.tenancy import get_cooperative_or_404, visible_cooperatives

T = TypeVar("T")

bp = Blueprint("cooperatives", __name__, url_prefix="/cooperatives")

REFUSED = {
    Decision.APPROVE: _l("Only a registration that is waiting for approval or was rejected can be approved. "
                         "Its status now: %(status)s."),
    Decision.REJECT: _l("Only a registration that is waiting for approval can be rejected. "
                        "Its status now: %(status)s."),
    Decision.DISSOLVE: _l("Only an active cooperative can be marked as dissolved. Its status now: %(status)s."),
}
DONE = {
    Decision.APPROVE: _l("The cooperative is approved. Its manager can log in now."),
    Decision.REJECT: _l("The registration is rejected."),
    Decision.DISSOLVE: _l("The cooperative is marked as dissolved."),
}


def require(allowed: bool) -> None:
    """Refuse with 403 what the role may not do (scoping already gave 404)."""
    if not allowed:
        abort(403)


def decision_form(decision: Decision) -> AppForm:
    """The form of one decision; prefixed so several fit on one page."""
    if permissions.TRANSITIONS[decision].needs_reason:
        return ReasonForm(prefix=decision.value)
    return ApprovalForm(prefix=decision.value)


def saved(form: AppForm, change: Callable[[], T]) -> T | None:
    """Make ``change`` and commit it; a unique value taken meanwhile by someone else becomes a
    form error (the form's own check cannot see a concurrent request)."""
    try:
        result = change()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.form_errors.append(_("Someone saved the same tax code, email or phone number a moment ago. "
                                  "Check the form and send it again."))
        return None
    return result


@bp.get("/")
@login_required
def index() -> Response:
    """The register list of the province (or of everything, for the administrator)."""
    role = current_user.role_enum
    require(permissions.may_browse_register(role))
    fixed = permissions.fixed_province(role, own_province=current_user.province_code)
    register_filter = parse_filter(request.args, fixed_province=fixed)
    page = db.paginate(register_select(visible_cooperatives(current_user), register_filter),
                       page=register_filter.page, per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_page(
        "cooperatives/index.html", fragment="cooperatives/_results.html", target="results",
        page=page, register_filter=register_filter, args=register_filter.query_args(include_province=fixed is None),
        choose_province=fixed is None, provinces=locations.provinces(),
        wards=locations.wards(register_filter.province_code),
        kind_choices=choices(Kind), sector_choices=choices(Sector), status_choices=choices(Status), sorts=Sort,
        may_add=permissions.may_add_cooperative(role),
    )


@bp.get("/wards")
def wards() -> Response:
    """The ``<option>``s of a province's communes and wards, for the province select (htmx)."""
    province = parse_digits(request.args.get("province_code"))
    return render_page("cooperatives/_ward_options.html", wards=locations.wards(province),
                       blank=_("All communes and wards") if request.args.get("blank") == "all"
                       else _("Choose the commune or ward"))


@bp.get("/<int:cooperative_id>")
@login_required
def detail(cooperative_id: int) -> Response:
    """One cooperative's profile, with the actions the user may take."""
    return render_detail(get_cooperative_or_404(current_user, cooperative_id))


def render_detail(cooperative: Cooperative, *, failed: tuple[Decision, AppForm] | None = None,
                  status: int = 200) -> Response:
    """The profile page; ``failed`` is a decision form to show again with its errors."""
    role = current_user.role_enum
    decisions = permissions.open_decisions(role, cooperative.status_enum)
    forms = {decision: decision_form(decision) for decision in decisions}
    if failed:
        forms[failed[0]] = failed[1]
    return render_page(
        "cooperatives/detail.html", cooperative=cooperative, decisions=decisions, forms=forms,
        failed_decision=failed[0] if failed else None,
        may_edit=permissions.may_edit_profile(role),
        accounts=registry.accounts_of(cooperative) if permissions.may_decide(role) else [],
        status=status,
    )


@bp.post("/<int:cooperative_id>/<any(approve, reject, dissolve):decision>")
@login_required
def decide(cooperative_id: int, decision: str) -> Response:
    """Approve, reject or dissolve; a decision not open from the current status changes nothing."""
    cooperative = get_cooperative_or_404(current_user, cooperative_id)
    require(permissions.may_decide(current_user.role_enum))
    chosen = Decision(decision)
    back = url_for("cooperatives.detail", cooperative_id=cooperative.id)
    if permissions.next_status(chosen, cooperative.status_enum) is None:
        flash(str(REFUSED[chosen]) % {"status": cooperative.status_enum.label}, "warning")
        return redirect(back, code=303)
    form = decision_form(chosen)
    if not form.validate_on_submit():
        return render_detail(cooperative, failed=(chosen, form), status=422)
    reason = form.reason.data if isinstance(form, ReasonForm) else None
    registry.decide(cooperative, chosen, current_user, reason)
    db.session.commit()
    flash(str(DONE[chosen]), "success")
    return redirect(back, code=303)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> Response:
    """Staff add a cooperative they know: it is active at once."""
    role = current_user.role_enum
    fixed = permissions.fixed_province(role, own_province=current_user.province_code)
    # Staff without a province have no cooperatives to add to (only the administrator chooses).
    require(permissions.may_add_cooperative(role) and (fixed is not None or role is Role.ADMIN))
    form = CooperativeForm(fixed_province=fixed, province_code=current_app.config["DEFAULT_PROVINCE_CODE"])
    if form.validate_on_submit():
        cooperative = saved(form, lambda: registry.add(form, current_user))
        if cooperative is not None:
            flash(_("%(name)s is in the register.", name=cooperative.name), "success")
            return redirect(url_for("cooperatives.detail", cooperative_id=cooperative.id), code=303)
    return render_page("cooperatives/form.html", form=form, cooperative=None,
                       status=422 if form.errors else 200)


@bp.route("/<int:cooperative_id>/edit", methods=["GET", "POST"])
@login_required
def edit(cooperative_id: int) -> Response:
    """Edit the profile; nobody changes the status here (see ``decide``)."""
    cooperative = get_cooperative_or_404(current_user, cooperative_id)
    role = current_user.role_enum
    require(permissions.may_edit_profile(role))
    fixed = permissions.fixed_province(role, own_province=current_user.province_code,
                                       cooperative_province=cooperative.province_code)
    form = CooperativeForm(obj=cooperative, office_phone=cooperative.phone, fixed_province=fixed,
                           existing_id=cooperative.id)
    if form.validate_on_submit():
        if saved(form, lambda: registry.save_profile(form, cooperative, current_user)) is not None:
            flash(_("The profile is saved."), "success")
            return redirect(url_for("cooperatives.detail", cooperative_id=cooperative.id), code=303)
    return render_page("cooperatives/form.html", form=form, cooperative=cooperative,
                       status=422 if form.errors else 200)


def is_registration_attempt(_response: Response) -> bool:
    """Every registration sent counts towards the limit, refused ones too (they probe the register
    and the logins as much as accepted ones); asking for a province's wards is no attempt."""
    return "refresh_wards" not in request.form


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATION_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=is_registration_attempt, scope="registration")
def register() -> Response:
    """Public self-registration: a pending cooperative and an account opened on approval. The answer
    is the same whether or not the email or phone given already has an account."""
    form = RegistrationForm(fixed_province=None, province_code=current_app.config["DEFAULT_PROVINCE_CODE"])
    if form.refreshing_wards():
        form.keep_ward_of_province()
        return render_page("cooperatives/register.html", form=form)
    if form.validate_on_submit():
        registration = saved(form, lambda: registry.register(form, locale=current_locale()))
        if registration is not None:
            response = redirect(url_for("cooperatives.registered"), code=303)
            mail.send_after(response, [login_in_use_notice(owner, registration.cooperative)
                                       for owner in registration.owners_of_given_logins if owner.email])
            return response
    return render_page("cooperatives/register.html", form=form, status=422 if form.errors else 200)


def login_in_use_notice(owner: User, cooperative: Cooperative) -> tuple[str, str, str]:
    """The email telling ``owner`` that a registration gave the email or phone of their account."""
    with force_locale(owner.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("A cooperative registration gave your email or phone number")
        paragraphs = [
            _("Hello %(name)s,", name=owner.name),
            _("Someone registered %(cooperative)s on HTX Số and gave your email address or phone number for "
              "its account. Your account already logs in with it, so no second account uses it and your "
              "account has not changed.", cooperative=cooperative.name),
            _("If it was you, keep logging in to your account as before; the Cooperative Alliance will review "
              "the registration and may contact you. If it was not you, there is nothing to do."),
            _("HTX Số — the provincial Cooperative Alliance's digital transformation service."),
        ]
    return owner.email, subject, "\n\n".join(paragraphs) + "\n"


@bp.get("/register/thanks")
def registered() -> Response:
    """The thank-you page after a registration (a GET, so reloading sends nothing twice)."""
    return render_page("cooperatives/registered.html")
