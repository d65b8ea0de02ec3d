"""Invitation links: alliance staff and managers invite people into a cooperative; the
invited person opens the link, creates an account and lands logged in.

A link is single-use and expires; only the hash of its token is stored, so the link is
shown once, right after it is made.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app import audit, i18n, mail
from app.admin.accounts import create_account, logins_in_use
from app.auth import passwords
from app.auth.models import User
from app.auth.roles import Role
from app.auth.views import end_session, start_session
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.database import utcnow
from app.extensions import db, limiter
from app.invitations import links, rules
from app.invitations.forms import AcceptInvitationForm, InvitationForm
from app.invitations.models import Invitation
from app.rendering import render_page, wants_fragment
from app.tenancy import get_cooperative_or_404
from app.tokens import LinkState, hash_token, link_state

bp = Blueprint("invitations", __name__, url_prefix="/invitations")

OPEN_TARGET = "open-invitations"
# Where a new link waits, between the POST that makes it and the page that shows it once.
NEW_LINK = "new_invitation_link"
# Said of an email or phone number that already has an account, without telling which of the two.
LOGIN_UNUSABLE = _l("This email address or phone number cannot be used for a new account. "
                    "Give another one, or ask the person who invited you.")


def invitable(cooperative_id: int) -> tuple[Cooperative, tuple[Role, ...]]:
    """The cooperative and the roles the current user may give in it (404 outside their scope,
    then 403 when their role may not invite there)."""
    cooperative = get_cooperative_or_404(current_user, cooperative_id)
    roles = roles_from(current_user, cooperative)
    if not roles:
        abort(403)
    return cooperative, roles


def roles_from(person: User, cooperative: Cooperative) -> tuple[Role, ...]:
    """The roles ``person`` may give in ``cooperative`` today."""
    inviter = rules.Inviter(role=person.role_enum, province_code=person.province_code,
                            cooperative_id=person.cooperative_id)
    host = rules.Host(id=cooperative.id, province_code=cooperative.province_code,
                      active=cooperative.status == Status.ACTIVE)
    return rules.invitable_roles(inviter, host)


def open_invitations(cooperative_id: int) -> list[Invitation]:
    """Links of the cooperative that can still be used, the soonest to expire first."""
    return list(db.session.scalars(
        select(Invitation)
        .where(Invitation.cooperative_id == cooperative_id, Invitation.used_at.is_(None),
               Invitation.expires_at > utcnow())
        .options(selectinload(Invitation.created_by))
        .order_by(Invitation.expires_at, Invitation.id)
    ))


def open_list(cooperative: Cooperative, *, cancelled: bool) -> dict[str, Any]:
    """What the open-invitations fragment needs."""
    return {"cooperative": cooperative, "invitations": open_invitations(cooperative.id), "cancelled": cancelled,
            "role_labels": {role.value: role.label for role in Role}}


def invitation_form(roles: tuple[Role, ...]) -> InvitationForm:
    form = InvitationForm()
    form.offer(roles)
    if not mail.enabled():
        del form.email  # nothing would be sent: do not ask for an address
    return form


def accept_link(token: str) -> str:
    return url_for("invitations.accept", token=token, _external=True)


def shareable(invitation: Invitation, token: str, cooperative: Cooperative) -> dict[str, Any]:
    """The link to hand over, and ready-made messages carrying it."""
    link = accept_link(token)
    message = _("%(inviter)s invites you to join %(cooperative)s on HTX Số. Create your account here: %(link)s",
                inviter=invitation.created_by.name, cooperative=cooperative.name, link=link)
    return {
        "link": link,
        "message": message,
        "sms_href": mail.sms_href(message),
        "expires_at": invitation.expires_at,
        "role": Role(invitation.role),
        "invitee_name": invitation.invitee_name,
        "emailed_to": None,
        "email_failed": False,
    }


def keep_new_link(invitation: Invitation, token: str, *, emailed_to: str | None, email_failed: bool) -> None:
    """Hold a new link in the inviter's session until the page after the redirect shows it. Only the
    hash is stored in the database, and the link never appears in a URL or a log."""
    session[NEW_LINK] = {"id": invitation.id, "token": token, "emailed_to": emailed_to,
                         "email_failed": email_failed}


def take_new_link(cooperative: Cooperative) -> dict[str, Any] | None:
    """The new link of ``cooperative`` waiting to be shown, once: reloading the page shows it no more."""
    waiting = session.get(NEW_LINK)
    if not waiting:
        return None
    invitation = db.session.get(Invitation, waiting["id"])
    if invitation is None or invitation.cooperative_id != cooperative.id:
        return None
    del session[NEW_LINK]
    created = shareable(invitation, waiting["token"], cooperative)
    created.update(emailed_to=waiting["emailed_to"], email_failed=waiting["email_failed"])
    return created


def send_invitation_email(to: str, invitation: Invitation, cooperative: Cooperative, link: str) -> bool:
    subject = _("Invitation to %(cooperative)s on HTX Số", cooperative=cooperative.name)
    name = invitation.invitee_name
    paragraphs = [
        _("Hello %(name)s,", name=name) if name else _("Hello,"),
        _("%(inviter)s invites you to join %(cooperative)s on HTX Số as %(role)s.",
          inviter=current_user.name, cooperative=cooperative.name, role=Role(invitation.role).label),
        _("Open this link to create your account. It works once and expires on %(when)s.",
          when=i18n.datetime_(invitation.expires_at)),
        link,
        _("HTX Số — the provincial Cooperative Alliance's digital transformation service."),
    ]
    return mail.send(to, subject, "\n\n".join(paragraphs) + "\n")


@bp.route("/new/<int:cooperative_id>", methods=["GET", "POST"])
@login_required
def create(cooperative_id: int) -> Response:
    """Make a link, then redirect: the page after the redirect shows it once, so reloading it makes
    no second link."""
    cooperative, roles = invitable(cooperative_id)
    form = invitation_form(roles)
    if form.validate_on_submit():
        invitation, token = links.issue(cooperative, form.role.data, form.invitee_name.data or "", current_user.id)
        db.session.commit()
        email = form.email.data if "email" in form else None
        sent = bool(email) and send_invitation_email(email, invitation, cooperative, accept_link(token))
        keep_new_link(invitation, token, emailed_to=email if sent else None, email_failed=bool(email) and not sent)
        return redirect(url_for("invitations.create", cooperative_id=cooperative.id), code=303)
    created = None if wants_fragment(request.htmx, OPEN_TARGET) else take_new_link(cooperative)
    return render_page("invitations/new.html", fragment="invitations/_open.html", target=OPEN_TARGET,
                       form=form, created=created, status=422 if form.errors else 200,
                       **open_list(cooperative, cancelled=False))


@bp.post("/<int:invitation_id>/cancel")
@login_required
def cancel(invitation_id: int) -> Response:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        abort(404)
    cooperative, _roles = invitable(invitation.cooperative_id)
    # A second click, or a link used meanwhile, changes nothing.
    if link_state(invitation.expires_at, invitation.used_at, utcnow()) is LinkState.VALID:
        invitation.expires_at = utcnow()
        audit.record(current_user.id, "invitation.cancel", f"cooperative:{cooperative.id}",
                     invitation_id=invitation.id, role=invitation.role)
        db.session.commit()
    if wants_fragment(request.htmx, OPEN_TARGET):
        return render_page("invitations/new.html", fragment="invitations/_open.html", target=OPEN_TARGET,
                           **open_list(cooperative, cancelled=True))
    flash(_("The invitation has been cancelled: its link no longer works."), "info")
    return redirect(url_for("invitations.create", cooperative_id=cooperative.id), code=303)


def why_unusable(invitation: Invitation) -> str | None:
    """``used``, ``expired`` or ``closed`` (the cooperative is no longer active); None if usable."""
    state = link_state(invitation.expires_at, invitation.used_at, utcnow())
    if state is not LinkState.VALID:
        return state.value
    if invitation.cooperative.status != Status.ACTIVE:
        return "closed"
    # A link speaks for whoever made it: it stops working when they may no longer give that role.
    creator = invitation.created_by
    if not creator.active or invitation.role not in roles_from(creator, invitation.cooperative):
        return "expired"
    return None


def unusable(invitation: Invitation, reason: str) -> Response:
    return render_page("invitations/unusable.html", invitation=invitation, reason=reason, status=410)


def claim(invitation: Invitation, user: User) -> bool:
    """Mark the invitation used by ``user``; False when another request used it first."""
    result = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow(), used_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def invitation_of(token: str) -> Invitation:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None:
        abort(404)
    return invitation


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATION_LIMIT_PER_ADDRESS"], methods=["POST"],
               scope="invitation-accept")
def accept(token: str) -> Response:
    """Create the invited person's account. Someone logged in is asked first whether to log out
    (see ``switch``): opening a link never changes whose session it is on its own."""
    invitation = invitation_of(token)
    reason = why_unusable(invitation)
    if reason:
        return unusable(invitation, reason)
    role = Role(invitation.role)
    if current_user.is_authenticated:
        return render_page("invitations/switch.html", invitation=invitation, role=role, token=token,
                           account=f"{current_user.name} ({current_user.email or current_user.phone})",
                           status=409 if request.method == "POST" else 200)
    form = AcceptInvitationForm(data={"name": invitation.invitee_name or None})
    if form.validate_on_submit():
        taken = logins_in_use(form.email.data, form.phone.data)
        if not taken:
            try:
                user = create_account(name=form.name.data, email=form.email.data, phone=form.phone.data,
                                      password_hash=passwords.hash_password(form.password.data),
                                      role=role, cooperative=invitation.cooperative, invitation_id=invitation.id)
            except IntegrityError:
                # Someone took the email or phone between the check and the insert.
                db.session.rollback()
                taken = logins_in_use(form.email.data, form.phone.data)
                if not taken:
                    raise
            else:
                if not claim(invitation, user):
                    db.session.rollback()
                    return unusable(invitation, LinkState.USED.value)
                user.last_login_at = utcnow()
                audit.record(user.id, "invitation.accept", f"user:{user.id}", role=role.value,
                             cooperative_id=invitation.cooperative_id, invitation_id=invitation.id)
                db.session.commit()
                start_session(user)
                flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
                return redirect(url_for("main.home"), code=303)
        # Which of the two has an account is not said: the same words go on each login given.
        for field in (form.email, form.phone):
            if field.data:
                field.errors.append(str(LOGIN_UNUSABLE))
    return render_page("invitations/accept.html", form=form, invitation=invitation, role=role, token=token,
                       status=422 if form.errors else 200)


@bp.post("/<token>/switch")
def switch(token: str) -> Response:
    """The person logged in chose to log out and accept the invitation as the person invited."""
    invitation_of(token)
    end_session()
    flash(_("You have logged out. Create the invited person's account below."), "info")
    return redirect(url_for("invitations.accept", token=token), code=303)
