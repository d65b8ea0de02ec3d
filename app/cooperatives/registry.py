"""Changes to the register: self-registration, records added or edited by staff, decisions.

Each function adds to the current transaction; the view commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import exists, or_, select

from app import audit
from app.auth import passwords
from app.auth.models import User
from app.auth.roles import Role
from app.cooperatives import permissions
from app.cooperatives.models import Cooperative
from app.cooperatives.permissions import Decision
from app.cooperatives.vocabulary import Status
from app.extensions import db

if TYPE_CHECKING:
    from app.cooperatives.forms import CooperativeForm, RegistrationForm


def audit_target(cooperative: Cooperative) -> str:
    """How audit entries name a cooperative."""
    return f"cooperative:{cooperative.id}"


def tax_code_taken(code: str, *, except_id: int | None = None) -> bool:
    """True when another cooperative already has this (normalised) tax code."""
    query = select(Cooperative.id).where(Cooperative.tax_code == code)
    if except_id is not None:
        query = query.where(Cooperative.id != except_id)
    return bool(db.session.scalar(select(exists(query))))


def accounts_using(email: str | None, phone: str | None) -> list[User]:
    """The accounts that already log in with ``email`` or ``phone``."""
    conditions = [column == value for column, value in ((User.email, email), (User.phone, phone)) if value]
    return list(db.session.scalars(select(User).where(or_(*conditions)))) if conditions else []


@dataclass(frozen=True)
class Registration:
    """A registered cooperative, and the existing accounts whose email or phone the form gave."""

    cooperative: Cooperative
    owners_of_given_logins: list[User]


def register(form: RegistrationForm, *, locale: str) -> Registration:
    """A self-registered cooperative, waiting for approval, and its manager's inactive account.

    A public form must not tell who has an account, so an email or phone number that already logs
    in to an account is accepted like any other: the new account is made without it (and not at
    all when nothing is left to log in with), and its owner is handed back to be told privately.
    """
    cooperative = Cooperative(status=Status.PENDING.value)
    form.apply_to(cooperative)
    db.session.add(cooperative)
    db.session.flush()
    # Hashed whatever happens next, so a taken login does not answer sooner.
    password_hash = passwords.hash_password(form.password.data)
    owners = accounts_using(form.email.data, form.phone.data)
    email = form.email.data if form.email.data not in {owner.email for owner in owners} else None
    phone = form.phone.data if form.phone.data not in {owner.phone for owner in owners} else None
    if email or phone:
        db.session.add(User(
            name=form.person_name.data, email=email, phone=phone, password_hash=password_hash,
            role=Role.COOP_MANAGER.value, cooperative_id=cooperative.id, locale=locale,
            active=False,  # the alliance's approval opens the account
        ))
    return Registration(cooperative, owners)


def add(form: CooperativeForm, actor: User) -> Cooperative:
    """A cooperative entered by staff: they know it, so it is active at once."""
    cooperative = Cooperative(status=Status.ACTIVE.value)
    form.apply_to(cooperative)
    db.session.add(cooperative)
    db.session.flush()
    audit.record(actor.id, "cooperative.create", audit_target(cooperative), name=cooperative.name)
    return cooperative


def save_profile(form: CooperativeForm, cooperative: Cooperative, actor: User) -> list[str]:
    """Apply an edit; staff edits are audited with the names of the changed columns."""
    changed = form.apply_to(cooperative)
    if changed and permissions.edits_are_audited(actor.role_enum):
        audit.record(actor.id, "cooperative.edit", audit_target(cooperative), fields=changed)
    return changed


def decide(cooperative: Cooperative, decision: Decision, actor: User, reason: str | None = None) -> Status:
    """Apply an allowed decision (the caller checked ``permissions.next_status``) and audit it."""
    before = cooperative.status_enum
    after = permissions.next_status(decision, before)
    if after is None:
        raise ValueError(f"{decision} is not allowed from {before}")
    cooperative.status = after.value
    cooperative.status_reason = reason or None
    details: dict[str, object] = {"from_status": before.value, "to_status": after.value}
    if reason:
        details["reason"] = reason
    if decision is Decision.APPROVE:
        details["activated_users"] = activate_accounts(cooperative)
    audit.record(actor.id, f"cooperative.{decision.value}", audit_target(cooperative), **details)
    return after


def activate_accounts(cooperative: Cooperative) -> list[int]:
    """Open the inactive accounts of an approved cooperative (the person who registered it)."""
    waiting = db.session.scalars(
        select(User).where(User.cooperative_id == cooperative.id, User.active.is_(False))
    ).all()
    for user in waiting:
        user.active = True
    return [user.id for user in waiting]


def accounts_of(cooperative: Cooperative) -> list[User]:
    """The people whose accounts belong to the cooperative, for staff reviewing it."""
    return list(db.session.scalars(
        select(User).where(User.cooperative_id == cooperative.id).order_by(User.created_at, User.id)
    ))
