"""Who may invite which role into which cooperative (pure: plain values in, roles out).

Alliance staff invite into any active cooperative of their own province; a manager
invites into their own cooperative, if it is active. Nobody else invites. The roles
each inviter may give come from ``INVITABLE_ROLES``.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.roles import INVITABLE_ROLES, Role


@dataclass(frozen=True)
class Inviter:
    """The person sending an invitation, and where they belong."""

    role: Role
    province_code: int | None = None
    cooperative_id: int | None = None


@dataclass(frozen=True)
class Host:
    """The cooperative the invitation is for."""

    id: int
    province_code: int
    active: bool


def invitable_roles(inviter: Inviter, host: Host) -> tuple[Role, ...]:
    """The roles ``inviter`` may give in ``host`` (empty when they may not invite there)."""
    if not host.active:
        return ()
    if inviter.role is Role.ALLIANCE:
        at_home = inviter.province_code is not None and inviter.province_code == host.province_code
    elif inviter.role is Role.COOP_MANAGER:
        at_home = inviter.cooperative_id == host.id
    else:
        at_home = False
    return INVITABLE_ROLES[inviter.role] if at_home else ()

