"""Who does what with a placement they can already see (pure rules; seeing it at all is decided by
``app.tenancy``, DESIGN §1).

Alliance staff (and the administrator) create, edit, end and complete placements and decide on
extensions. The graduate keeps the plan, writes and submits the monthly reports. The host's
manager comments on the plan and confirms or returns reports. Either of those two may ask for an
extension while the placement is open.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.roles import Role
from app.placements.reporting import EDITABLE, SUBMITTED

STAFF = frozenset({Role.ALLIANCE, Role.ADMIN})


@dataclass(frozen=True)
class Viewer:
    """A person looking at one placement, and how they are related to it."""

    role: Role
    is_graduate: bool = False  # the placement's own graduate
    is_host_manager: bool = False  # a manager of the host cooperative


def may_manage(viewer: Viewer) -> bool:
    """Create, edit, end early, complete."""
    return viewer.role in STAFF


def may_request_extension(viewer: Viewer, *, is_open: bool) -> bool:
    return is_open and (viewer.is_graduate or viewer.is_host_manager)


def may_decide_extension(viewer: Viewer) -> bool:
    return viewer.role in STAFF


def may_edit_plan(viewer: Viewer, *, is_open: bool) -> bool:
    return is_open and viewer.is_graduate


def may_comment_on_plan(viewer: Viewer) -> bool:
    return viewer.is_host_manager


def may_write_report(viewer: Viewer, status: str) -> bool:
    return viewer.is_graduate and status in EDITABLE


def may_start_report(viewer: Viewer) -> bool:
    return viewer.is_graduate


def may_review_report(viewer: Viewer, status: str) -> bool:
    return viewer.is_host_manager and status == SUBMITTED
