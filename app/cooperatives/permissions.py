"""Who may do what with the register, and which status changes are allowed (pure rules).

Seeing a cooperative at all is decided by ``app.tenancy``; these rules only say what a
role may do with a cooperative it can already see.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.auth.roles import Role
from app.cooperatives.vocabulary import Status


class Decision(StrEnum):
    """A change of a cooperative's status taken by the alliance."""

    APPROVE = "approve"
    REJECT = "reject"
    DISSOLVE = "dissolve"


@dataclass(frozen=True)
class Transition:
    """From which statuses a decision may be taken, the status it leads to, and whether it needs a reason."""
    from_statuses: frozenset[Status]
    to: Status
    needs_reason: bool


TRANSITIONS: dict[Decision, Transition] = {
    # A rejected registration may be approved later, once the missing papers arrive.
    Decision.APPROVE: Transition(frozenset({Status.PENDING, Status.REJECTED}), Status.ACTIVE, needs_reason=False),
    Decision.REJECT: Transition(frozenset({Status.PENDING}), Status.REJECTED, needs_reason=True),
    Decision.DISSOLVE: Transition(frozenset({Status.ACTIVE}), Status.DISSOLVED, needs_reason=True),
}

STAFF = frozenset({Role.ADMIN, Role.ALLIANCE})
PROFILE_EDITORS = STAFF | {Role.COOP_MANAGER}


def may_browse_register(role: Role) -> bool:
    """The list of every cooperative (of a province) is for alliance staff and the administrator."""
    return role in STAFF


def may_add_cooperative(role: Role) -> bool:
    """Staff enter cooperatives that did not register themselves."""
    return role in STAFF


def may_edit_profile(role: Role) -> bool:
    """Staff, and the manager of the cooperative; members and graduates only read."""
    return role in PROFILE_EDITORS


def may_decide(role: Role) -> bool:
    """Approving, rejecting and dissolving are the alliance's decisions."""
    return role in STAFF


def edits_are_audited(role: Role) -> bool:
    """Staff change other people's records, so their edits go to the audit log."""
    return role in STAFF


def fixed_province(role: Role, *, own_province: int | None, cooperative_province: int | None = None) -> int | None:
    """The province a cooperative form is fixed to, or None when the user may choose any.

    Only the administrator moves a cooperative between provinces: the province is the
    alliance's tenancy boundary, so neither alliance staff nor a manager may change it.
    """
    if role is Role.ADMIN:
        return None
    return cooperative_province if cooperative_province is not None else own_province


def next_status(decision: Decision, current: Status) -> Status | None:
    """The status ``decision`` leads to from ``current``, or None when it is not allowed."""
    transition = TRANSITIONS[decision]
    return transition.to if current in transition.from_statuses else None


def open_decisions(role: Role, current: Status) -> tuple[Decision, ...]:
    """The decisions ``role`` may take on a cooperative whose status is ``current``."""
    if not may_decide(role):
        return ()
    return tuple(decision for decision in Decision if next_status(decision, current) is not None)
