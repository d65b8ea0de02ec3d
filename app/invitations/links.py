"""Making an invitation link: the one way a link comes to exist (the invitation page, and alliance
staff placing a graduate who has no account yet)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from app import audit
from app.cooperatives.models import Cooperative
from app.database import utcnow
from app.extensions import db
from app.invitations.models import Invitation
from app.tokens import new_token


def issue(cooperative: Cooperative, role: str, invitee_name: str, created_by_id: int) -> tuple[Invitation, str]:
    """Add a single-use, expiring invitation and its audit entry (the caller commits); returns it and
    its token, which exists nowhere else: the link is shown once."""
    token, token_hash = new_token()
    invitation = Invitation(
        token_hash=token_hash, role=role, cooperative_id=cooperative.id, invitee_name=invitee_name,
        created_by_id=created_by_id,
        expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"]),
    )
    db.session.add(invitation)
    audit.record(created_by_id, "invitation.create", f"cooperative:{cooperative.id}", role=role)
    return invitation, token
