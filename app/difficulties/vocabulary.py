"""The names of a difficulty's statuses, translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.difficulties.models import FORWARDED, IN_PROGRESS, NEW, RESOLVED

STATUS_LABELS = {
    NEW: _l("New"),
    IN_PROGRESS: _l("Being handled"),
    RESOLVED: _l("Resolved"),
    FORWARDED: _l("Forwarded to a higher body"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
