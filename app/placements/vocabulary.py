"""The words the placement pages show for stored codes (statuses, report fields)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.placements import reporting
from app.placements.models import ACTIVE, APPROVED, COMPLETED, ENDED_EARLY, PENDING, PLANNED, REJECTED

STATUS_LABELS = {
    PLANNED: _l("Planned"),
    ACTIVE: _l("Active"),
    COMPLETED: _l("Completed"),
    ENDED_EARLY: _l("Ended early"),
}

GOAL_STATUS_LABELS = {
    "planned": _l("Not started"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "dropped": _l("Dropped"),
}

REPORT_STATUS_LABELS = {
    reporting.DRAFT: _l("Draft"),
    reporting.SUBMITTED: _l("Waiting for the host's confirmation"),
    reporting.CONFIRMED: _l("Confirmed by the host"),
    reporting.RETURNED: _l("Returned for changes"),
}

EXTENSION_STATUS_LABELS = {
    PENDING: _l("Waiting for the alliance"),
    APPROVED: _l("Approved"),
    REJECTED: _l("Not approved"),
}

REPORT_FIELD_LABELS = {
    reporting.ACTIVITIES: _l("What you did this month"),
    reporting.RESULTS: _l("Results for the cooperative"),
    reporting.HOURS: _l("Hours worked"),
    reporting.DIFFICULTIES: _l("Difficulties"),
}

REPORT_FIELD_HINTS = {
    reporting.ACTIVITIES: _l("The main tasks, one per line."),
    reporting.RESULTS: _l("What changed at the cooperative: for example, the e-tax account is registered."),
    reporting.HOURS: _l("A whole number, for example 120."),
    reporting.DIFFICULTIES: _l("What held the work back, and what help you need."),
}

REPORT_EVENT_LABELS = {
    reporting.SUBMITTED: _l("Submitted"),
    reporting.RETURNED: _l("Returned for changes"),
    reporting.CONFIRMED: _l("Confirmed"),
}
