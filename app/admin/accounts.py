"""Creating accounts and placing them: shared by the administrator and invitation links.

Managers and members belong to their cooperative (``cooperative_id``); a graduate is
placed in the host cooperative instead (a ``Placement`` from today); alliance staff
belong to a province; the administrator to nothing. The caller commits.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.auth.models import Placement, User
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.database import local_today
from app.extensions import db
from app.tenancy import active_placements, placement_current

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
                   locale: str | None = None, today: date | None = None) -> User:
    """Add a user (and a graduate's placement) to the session and flush it so it has an id."""
    user = User(name=name, email=email or None, phone=phone or None, password_hash=password_hash,
                role=role.value, locale=locale)
    db.session.add(user)
    place(user, role, cooperative, province_code, today=today)
    db.session.flush()
    return user


def place(user: User, role: Role, cooperative: Cooperative | None, province_code: int | None, *,
          today: date | None = None) -> dict[str, Any]:
    """Give ``user`` a role and put them where it belongs; returns what changed (for the audit log)."""
    before = {"role": user.role, "cooperative_id": user.cooperative_id, "province_code": user.province_code}
    user.role = role.value
    user.cooperative_id = cooperative.id if cooperative is not None and works_in_cooperative(role) else None
    user.province_code = province_code if role.belongs_to_province else None
    changes = {key: [old, getattr(user, key)] for key, old in before.items() if getattr(user, key) != old}
    if user.id is not None:
        # A graduate moved to another cooperative, or no longer a graduate, leaves the old placement.
        keep = cooperative.id if role is Role.GRADUATE and cooperative is not None else None
        ended = end_placements(user.id, keep, today or local_today())
        if ended:
            changes["placement_ended"] = ended
    if role is Role.GRADUATE and cooperative is not None:
        if user.id is None:
            db.session.flush()
        if cooperative.id not in current_placements(user.id, today):
            db.session.add(Placement(graduate_id=user.id, cooperative_id=cooperative.id,
                                     starts_on=today or local_today()))
            changes["placed_in"] = cooperative.id
    return changes


def current_placements(graduate_id: int, today: date | None = None) -> set[int]:
    """Cooperatives the graduate is placed in today."""
    return set(active_placements(graduate_id, today))


def end_placements(graduate_id: int, keep: int | None, today: date) -> list[int]:
    """End the graduate's current placements other than ``keep`` yesterday; the cooperatives ended."""
    conditions = [Placement.graduate_id == graduate_id, placement_current(today)]
    if keep is not None:
        conditions.append(Placement.cooperative_id != keep)
    ended = list(db.session.scalars(select(Placement).where(*conditions)))
    for placement in ended:
        placement.ends_on = max(placement.starts_on, today - timedelta(days=1))
    return [placement.cooperative_id for placement in ended]
