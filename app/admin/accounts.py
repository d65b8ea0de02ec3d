"""Creating accounts and placing them: shared by the administrator and invitation links.

Managers and members belong to their cooperative (``cooperative_id``); a graduate is
placed in the host cooperative instead (a placement from today, under the term rules of
``app.placements``, or the placement their invitation was made for); alliance staff belong
to a province; the administrator to nothing. The caller commits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.auth.models import User
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.database import local_today
from app.extensions import db
from app.placements import service as placements

LOGIN_TAKEN = {
    "email": _l("Another account already uses this email address."),
    "phone": _l("Another account already uses this phone number."),
}


def works_in_cooperative(role: Role) -> bool:
    """Managers and members belong to the cooperative; a graduate is only placed in it."""
    return role in (Role.COOP_MANAGER, Role.COOP_MEMBER)


def logins_in_use(email: str | None, phone: str | None, *, except_user_id: int | None = None) -> dict[str, str]:
    """Which of ``email`` and ``phone`` another account already logs in with (field → message)."""
    conditions = []
    if email:
        conditions.append(User.email == email)
    if phone:
        conditions.append(User.phone == phone)
    if not conditions:
        return {}
    query = select(User.email, User.phone).where(or_(*conditions))
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    taken: dict[str, str] = {}
    for found_email, found_phone in db.session.execute(query):
        if email and found_email == email:
            taken["email"] = str(LOGIN_TAKEN["email"])
        if phone and found_phone == phone:
            taken["phone"] = str(LOGIN_TAKEN["phone"])
    return taken


def create_account(*, name: str, email: str | None, phone: str | None, password_hash: str, role: Role,
                   cooperative: Cooperative | None = None, province_code: int | None = None,
                   locale: str | None = None, today: date | None = None,
                   invitation_id: int | None = None) -> User:
    """Add a user (and a graduate's placement) to the session and flush it so it has an id.

    A graduate accepting an invitation gets the placement it was made for. Without one, the term
    rules decide: the administrator's form is refused (``PlacementRefused``), while an accepted
    invitation still creates the account, placed nowhere until the alliance places them.
    """
    user = User(name=name, email=email or None, phone=phone or None, password_hash=password_hash,
                role=role.value, locale=locale)
    db.session.add(user)
    place(user, role, cooperative, province_code, today=today, invitation_id=invitation_id,
          strict=invitation_id is None)
    db.session.flush()
    return user


def place(user: User, role: Role, cooperative: Cooperative | None, province_code: int | None, *,
          today: date | None = None, invitation_id: int | None = None, strict: bool = True) -> dict[str, Any]:
    """Give ``user`` a role and put them where it belongs; returns what changed (for the audit log).
    A graduate's new placement the term rules refuse raises ``PlacementRefused`` when ``strict``,
    and is left out otherwise."""
    before = {"role": user.role, "cooperative_id": user.cooperative_id, "province_code": user.province_code}
    user.role = role.value
    user.cooperative_id = cooperative.id if cooperative is not None and works_in_cooperative(role) else None
    user.province_code = province_code if role.belongs_to_province else None
    changes = {key: [old, getattr(user, key)] for key, old in before.items() if getattr(user, key) != old}
    if user.id is not None:
        # A graduate moved to another cooperative, or no longer a graduate, leaves the old placement.
        keep = cooperative.id if role is Role.GRADUATE and cooperative is not None else None
        ended = placements.end_current(user.id, keep, today or local_today())
        if ended:
            changes["placement_ended"] = ended
    if role is Role.GRADUATE and cooperative is not None:
        if user.id is None:
            db.session.flush()
        if cooperative.id not in placements.current_cooperatives(user.id, today):
            try:
                placements.place_now(user.id, cooperative, today=today, invitation_id=invitation_id)
            except placements.PlacementRefused:
                if strict:
                    raise
            else:
                changes["placed_in"] = cooperative.id
    return changes
