"""Who may raise, read and triage difficulties, and how a difficulty's status may move (pure rules).

Seeing a cooperative at all is decided by ``app.tenancy``; a cooperative's own people see only
their cooperative's difficulties, alliance staff those of their province.
"""

from __future__ import annotations

from app.auth.roles import Role
from app.difficulties.models import FORWARDED, IN_PROGRESS, NEW, RESOLVED

RAISERS = frozenset({Role.COOP_MANAGER, Role.COOP_MEMBER})
TRIAGERS = frozenset({Role.ALLIANCE, Role.ADMIN})

NEXT_STATUSES = {
    NEW: (IN_PROGRESS, RESOLVED, FORWARDED),
    IN_PROGRESS: (RESOLVED, FORWARDED),
    FORWARDED: (IN_PROGRESS, RESOLVED),
    RESOLVED: (IN_PROGRESS,),  # reopened when the answer did not solve it
}


def may_raise(role: Role) -> bool:
    return role in RAISERS


def may_triage(role: Role) -> bool:
    return role in TRIAGERS


def may_read(role: Role) -> bool:
    """A graduate placed in a cooperative reads its results, not the board's difficulties."""
    return role in RAISERS | TRIAGERS


def next_statuses(current: str) -> tuple[str, ...]:
    return NEXT_STATUSES.get(current, ())
