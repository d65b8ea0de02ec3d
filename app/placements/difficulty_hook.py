"""The one step from a difficulty written in a monthly report to a difficulty raised to the alliance.

Graduates do not raise difficulties; the host cooperative's manager does. Reading a report the
graduate has sent, the manager opens the difficulty form with the report's difficulties already
written in it, chooses what they are about, and sends them (``app/difficulties/views.create``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.placements.permissions import Viewer
from app.placements.models import MonthlyReport, Placement, ReportEntry
from app.placements.reporting import DIFFICULTIES

DRAFT = "draft"


@dataclass(frozen=True)
class ReportDifficulties:
    """What a sent report says about difficulties, and whose report it is."""

    report_id: int
    month: date
    graduate: str
    text: str


def raise_difficulty_url(report: MonthlyReport, viewer: Viewer, difficulties: str | None) -> str | None:
    """Where the report page's "raise it to the alliance" link goes: only for the host's manager,
    once the report is sent and says something about difficulties."""
    if not viewer.is_host_manager or report.status == DRAFT or not (difficulties or "").strip():
        return None
    return url_for("difficulties.create", report=report.id)


def report_difficulties(cooperative_id: int, report_id: int) -> ReportDifficulties | None:
    """The difficulties written in a sent report of a graduate placed in ``cooperative_id``; None
    for a report of another cooperative, a draft, or one that says nothing about difficulties."""
    row = db.session.execute(
        select(MonthlyReport.month, User.name, ReportEntry.value)
        .join(Placement, Placement.id == MonthlyReport.placement_id)
        .join(User, User.id == Placement.graduate_id)
        .join(ReportEntry, (ReportEntry.report_id == MonthlyReport.id) & (ReportEntry.field == DIFFICULTIES))
        .where(MonthlyReport.id == report_id, MonthlyReport.status != DRAFT,
               Placement.cooperative_id == cooperative_id)
    ).first()
    if row is None or not (row.value or "").strip():
        return None
    return ReportDifficulties(report_id, row.month, row.name, row.value.strip())
