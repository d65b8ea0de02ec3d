"""The one step from a difficulty written in a monthly report to a difficulty raised to the alliance.

That step belongs to the difficulties feature (``app/difficulties``), which is not part of this
wing. The contract: when it registers an endpoint named ``RAISE_ENDPOINT`` that takes a POST form
(with CSRF) at a URL built from ``report_id``, and raises the report's difficulties text as a
difficulty of the host cooperative, the report page shows its button; until then it shows none.
"""

from __future__ import annotations

from flask import current_app, url_for

from app.placements.models import MonthlyReport

RAISE_ENDPOINT = "difficulties.raise_from_report"


def raise_difficulty_url(report: MonthlyReport) -> str | None:
    """Where the report page's "raise it to the alliance" form posts, or None while nothing takes it."""
    if RAISE_ENDPOINT not in current_app.view_functions:
        return None
    return url_for(RAISE_ENDPOINT, report_id=report.id)
