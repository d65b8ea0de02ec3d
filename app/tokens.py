"""Secret link tokens: the link carries the token, the database keeps only its hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from enum import StrEnum


class LinkState(StrEnum):
    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"


def new_token() -> tuple[str, str]:
    """A fresh (token, hash) pair."""
    token = secrets.token_urlsafe(24)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_state(expires_at: datetime, used_at: datetime | None, now: datetime) -> LinkState:
    """Whether a single-use link can still be used at ``now``."""
    if used_at is not None:
        return LinkState.USED
    if now >= expires_at:
        return LinkState.EXPIRED
    return LinkState.VALID
