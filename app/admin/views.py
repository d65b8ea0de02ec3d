"""User administration: list, create, edit, deactivate and reactivate accounts, and issue
one-time password links. Administrators only; every change of access is audited."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app import audit, phones
from app.admin.accounts import create_account, logins_in_use, place
from app.admin.forms import CooperativeField, EditUserForm, NewUserForm, UserFilterForm
from app.auth import passwords
from app.auth.models import PasswordReset, User
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.database import local_today, utcnow
from app.extensions import db, login_manager
from app.mail import sms_href
from app.numbers import digits_only
from app.paging import page_number
from app.placements import service as placements
from app.placements.models import Placement
from app.placements.term_messages import messages as refusal_messages
from app.rendering import render_page
from app.tenancy import visible_cooperatives
from app.tokens import new_token

bp = Blueprint("admin", __name__, url_prefix="/admin")

RESULTS_TARGET = "user-results"


@bp.before_request
def require_admin() -> Response | None:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role_enum is not Role.ADMIN:
        abort(403)
    return None


def filtered_users(filters: dict[str, str]) -> Select[tuple[User]]:
    """The user list query for the search and filters in the URL."""
    query = select(User).options(selectinload(User.cooperative),
                                 selectinload(User.placements).selectinload(Placement.cooperative))
    if text := filters.get("q"):
        conditions = [User.name.icontains(text, autoescape=True), User.email.icontains(text, autoescape=True)]
        if phones.looks_like_phone(text):
            digits = phones.normalise(text) or digits_only(text)
            conditions.append(User.phone.contains(digits, autoescape=True))
        query = query.where(or_(*conditions))
    if role := filters.get("role"):
        query = query.where(User.role == role)
    if state := filters.get("state"):
        query = query.where(User.active.is_(state == "active"))
    return query.order_by(User.name, User.id)


@bp.get("/users")
def users() -> Response:
    form = UserFilterForm(formdata=request.args)
    if not form.validate():
        # A filter value that is not valid is ignored rather than refused: the URL may be old.
        for field in form:
            if field.errors:
                field.data, field.errors = field.default, []
    filters = {field.name: field.data.strip() for field in form if field.data}
    page = db.paginate(filtered_users(filters), page=page_number(request.args),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_page("admin/users.html", fragment="admin/_users_table.html", target=RESULTS_TARGET,
                       form=form, page=page, args=filters, today=local_today())


def find_cooperative(field: CooperativeField, role: Role) -> tuple[Cooperative | None, bool]:
    """The cooperative the field names for ``role``, and whether the field is fine (an error is
    added if not). Roles outside cooperatives ignore the field."""
    reference = field.reference
    if reference is None or not role.belongs_to_cooperative:
        return None, True
    condition = Cooperative.id == reference if isinstance(reference, int) else Cooperative.tax_code == reference
    cooperative = db.session.scalar(visible_cooperatives(current_user).where(condition))
    if cooperative is None:
        field.errors.append(_("No cooperative in the register has this tax code or number."))
        return None, False
    return cooperative, True


def issue_reset(user: User) -> tuple[str, PasswordReset]:
    """A fresh one-time password link for ``user``; earlier unused links stop working."""
    now = utcnow()
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None), PasswordReset.expires_at > now)
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    token, token_hash = new_token()
    reset = PasswordReset(token_hash=token_hash, user_id=user.id, created_by_id=current_user.id,
                          expires_at=now + timedelta(hours=current_app.config["PASSWORD_RESET_HOURS"]))
    db.session.add(reset)
    audit.record(current_user.id, "user.reset_link", f"user:{user.id}")
    return token, reset


def show_reset_link(user: User, token: str, reset: PasswordReset, *, new_account: bool) -> Response:
    link = url_for("auth.reset_password", token=token, _external=True)
    message = _("HTX Số: open this link to set the password of your account (it works once): %(link)s", link=link)
    return render_page("admin/link.html", person=user, link=link, expires_at=reset.expires_at,
                       sms=sms_href(message, user.phone), new_account=new_account)


@bp.route("/users/new", methods=["GET", "POST"])
def create_user() -> Response:
    form = NewUserForm()
    if form.validate_on_submit():
        role = Role(form.role.data)
        cooperative, cooperative_ok = find_cooperative(form.cooperative, role)
        taken = logins_in_use(form.email.data, form.phone.data)
        for name, message in taken.items():
            form[name].errors.append(message)
        if cooperative_ok and not taken:
            try:
                # Nobody knows this password: the person chooses their own through the link.
                user = create_account(name=form.name.data, email=form.email.data, phone=form.phone.data,
                                      password_hash=passwords.hash_password(secrets.token_urlsafe(32)),
                                      role=role, cooperative=cooperative, province_code=form.province_code.data)
            except placements.PlacementRefused as refused:
                db.session.rollback()
                form.cooperative.errors.extend(refusal_messages(refused.refusals))
                return render_page("admin/new.html", form=form, status=422)
            audit.record(current_user.id, "user.create", f"user:{user.id}", role=role.value,
                         cooperative_id=cooperative.id if cooperative else None,
                         province_code=user.province_code)
            token, reset = issue_reset(user)
            db.session.commit()
            return show_reset_link(user, token, reset, new_account=True)
    return render_page("admin/new.html", form=form, status=422 if form.errors else 200)


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def initial_values(user: User) -> dict[str, Any]:
    """The edit form as the account stands; a graduate's cooperative is their current placement."""
    cooperative = user.cooperative
    if user.role_enum is Role.GRADUATE:
        placed = placements.current_cooperatives(user.id)
        cooperative = next((p.cooperative for p in user.placements if p.cooperative_id in placed), None)
    reference = (cooperative.tax_code or str(cooperative.id)) if cooperative else None
    return {"name": user.name, "role": user.role, "cooperative": reference, "province_code": user.province_code}


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> Response:
    user = get_user_or_404(user_id)
    form = EditUserForm(data=initial_values(user))
    if user.id == current_user.id:
        form.locked_role = user.role
    if form.validate_on_submit():
        role = Role(form.role.data)
        cooperative, cooperative_ok = find_cooperative(form.cooperative, role)
        if cooperative_ok:
            user.name = form.name.data
            try:
                changes = place(user, role, cooperative, form.province_code.data)
            except placements.PlacementRefused as refused:
                db.session.rollback()
                form.cooperative.errors.extend(refusal_messages(refused.refusals))
                return render_page("admin/edit.html", form=form, person=user, status=422)
            if changes:
                action = "user.role_change" if "role" in changes else "user.reassign"
                audit.record(current_user.id, action, f"user:{user.id}", **changes)
            db.session.commit()
            flash(_("The account of %(name)s has been saved.", name=user.name), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id), code=303)
    return render_page("admin/edit.html", form=form, person=user, status=422 if form.errors else 200)


@bp.post("/users/<int:user_id>/deactivate")
def deactivate(user_id: int) -> Response:
    user = get_user_or_404(user_id)
    if user.id == current_user.id:
        abort(403)  # the last administrator must not lock everyone out
    if user.active:
        user.active = False
        user.end_sessions()
        audit.record(current_user.id, "user.deactivate", f"user:{user.id}")
        db.session.commit()
    flash(_("%(name)s can no longer log in; their open sessions have ended.", name=user.name), "info")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.post("/users/<int:user_id>/reactivate")
def reactivate(user_id: int) -> Response:
    user = get_user_or_404(user_id)
    if not user.active:
        user.active = True
        audit.record(current_user.id, "user.reactivate", f"user:{user.id}")
        db.session.commit()
    flash(_("%(name)s can log in again.", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.post("/users/<int:user_id>/reset-link")
def reset_link(user_id: int) -> Response:
    user = get_user_or_404(user_id)
    if not user.active:
        flash(_("Reactivate the account first: a deactivated account cannot set a password."), "error")
        return redirect(url_for("admin.edit_user", user_id=user.id), code=303)
    token, reset = issue_reset(user)
    db.session.commit()
    return show_reset_link(user, token, reset, new_account=False)
