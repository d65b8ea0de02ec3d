"""How the current user stands towards a placement, for the views of the placements wing."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.auth.roles import Role
from app.placements.models import Placement
from app.placements.permissions import Viewer


def require(allowed: bool) -> None:
    """Refuse with 403 what the person may not do (scoping already gave 404)."""
    if not allowed:
        abort(403)


def viewer_of(placement: Placement | None = None) -> Viewer:
    """The current user as a ``Viewer`` of ``placement`` (or of none)."""
    role = current_user.role_enum
    if placement is None:
        return Viewer(role)
    return Viewer(role, is_graduate=placement.graduate_id == current_user.id,
                  is_host_manager=role is Role.COOP_MANAGER and current_user.cooperative_id == placement.cooperative_id)
