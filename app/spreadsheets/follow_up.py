"""Exports of what the alliance follows up: difficulties with their replies (what an officer pushes
upward) and placements of young graduates with their monthly reports. Same rules as the other
exports: read in batches, within the user's scope and filters, Vietnamese headers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, select, true
from sqlalchemy.orm import aliased

from app import locations
from app.auth.models import User
from app.cooperatives.models import Cooperative
from app.difficulties import categories
from app.difficulties.models import RESOLVED, Difficulty, DifficultyReply
from app.difficulties.vocabulary import status_label
from app.extensions import db
from app.placements import reporting
from app.placements.models import MonthlyReport, Placement, ReportEntry
from app.placements.vocabulary import REPORT_STATUS_LABELS, STATUS_LABELS
from app.spreadsheets.cells import Column
from app.spreadsheets.exports import LOCALE, ExportFilter, batches, current_questionnaire, local_date
from app.spreadsheets.writing import Sheet

# Excel keeps at most 32,767 characters in a cell; a longer thread is cut, and says so.
MAX_CELL_TEXT = 32_000


def clipped(text: str) -> str:
    return text if len(text) <= MAX_CELL_TEXT else text[:MAX_CELL_TEXT - 1] + "…"


# --- difficulties -----------------------------------------------------------------------------------

def difficulty_columns() -> list[Column]:
    with force_locale(LOCALE):
        return [
            Column("difficulty_id", _("Difficulty"), "integer"), Column("tax_code", _("Tax code")),
            Column("name", _("Cooperative name")), Column("ward", _("Commune or ward")),
            Column("category", _("Category")), Column("status", _("Status")),
            Column("question_code", _("Question code")), Column("question", _("Question concerned")),
            Column("description", _("Description")), Column("raised_by", _("Raised by")),
            Column("raised_on", _("Raised on"), "date"), Column("updated_on", _("Last change"), "date"),
            Column("forwarded_to", _("Forwarded to")), Column("forwarded_on", _("Forwarded on"), "date"),
            Column("resolved_on", _("Resolved on"), "date"),
            Column("reply_count", _("Number of replies"), "integer"),
            Column("last_reply_on", _("Last reply"), "date"), Column("replies", _("Replies")),
        ]


def reply_line(reply: DifficultyReply, author: str | None) -> str:
    """"05/03/2026 Nguyễn Văn An [Đang xử lý]: nội dung" — one reply of the thread on one line."""
    who = " ".join(part for part in (f"{local_date(reply.created_at):%d/%m/%Y}", author,
                                     f"[{status_label(reply.status)}]" if reply.status else None) if part)
    return f"{who}: {' '.join(reply.body.split())}"


def difficulties_sheet(export_filter: ExportFilter) -> Sheet:
    """One row per difficulty: its cooperative, category, status, the question it concerns, dates
    (raised, forwarded, resolved) and its replies joined in one cell, oldest first."""
    questionnaire = current_questionnaire()
    statement = (select(Difficulty, Cooperative, User.name)
                 .join(Cooperative, Cooperative.id == Difficulty.cooperative_id)
                 .outerjoin(User, User.id == Difficulty.raised_by_id)
                 .where(export_filter.cooperatives(), export_filter.within_year(Difficulty.created_at)))
    with force_locale(LOCALE):
        title = _("Difficulties")

    def rows() -> Iterator[list[Any]]:
        with force_locale(LOCALE):
            for batch in batches(statement, Difficulty.id):
                threads: dict[int, list[tuple[DifficultyReply, str | None]]] = {}
                for reply, author in db.session.execute(
                        select(DifficultyReply, User.name).outerjoin(User, User.id == DifficultyReply.author_id)
                        .where(DifficultyReply.difficulty_id.in_([row[0].id for row in batch]))
                        .order_by(DifficultyReply.id)):
                    threads.setdefault(reply.difficulty_id, []).append((reply, author))
                for difficulty, cooperative, raised_by in batch:
                    thread = threads.get(difficulty.id, [])
                    resolved = [reply for reply, _author in thread if reply.status == RESOLVED]
                    question = (questionnaire.question(difficulty.question_code)
                                if questionnaire and difficulty.question_code else None)
                    yield [
                        difficulty.id, cooperative.tax_code, cooperative.name,
                        locations.ward_name(cooperative.ward_code), categories.label(difficulty.category, LOCALE),
                        status_label(difficulty.status), difficulty.question_code,
                        question.text(LOCALE) if question else None, difficulty.description, raised_by,
                        local_date(difficulty.created_at), local_date(difficulty.updated_at),
                        difficulty.forwarded_to, difficulty.forwarded_on,
                        local_date(resolved[-1].created_at) if resolved and difficulty.status == RESOLVED else None,
                        len(thread), local_date(thread[-1][0].created_at) if thread else None,
                        clipped("\n".join(reply_line(reply, author) for reply, author in thread)) or None,
                    ]

    return Sheet(title, difficulty_columns(), rows())


# --- placements and their monthly reports -----------------------------------------------------------

def placement_columns() -> list[Column]:
    with force_locale(LOCALE):
        return [
            Column("placement_id", _("Placement"), "integer"), Column("graduate", _("Young graduate")),
            Column("field_of_study", _("Field of study")), Column("tax_code", _("Tax code")),
            Column("host", _("Host cooperative")), Column("ward", _("Commune or ward")),
            Column("starts_on", _("Starts on"), "date"), Column("ends_on", _("Ends on"), "date"),
            Column("ended_on", _("Last day worked"), "date"), Column("placement_status", _("Placement status")),
            Column("report_month", _("Report month"), "month"), Column("hours", _("Hours worked"), "integer"),
            Column("report_status", _("Report status")), Column("submitted_on", _("Submitted on"), "date"),
            Column("reviewed_on", _("Reviewed on"), "date"), Column("reviewed_by", _("Reviewed by")),
        ]


def hours_value(raw: str | None) -> int | str | None:
    """The hours as a number when they are one (they are stored as typed)."""
    if raw is None or raw == "":
        return None
    return int(raw) if raw.isdigit() else raw


def year_bounds(year: int | None) -> tuple[date, date] | None:
    return None if year is None else (date(year, 1, 1), date(year, 12, 31))


def placements_sheet(export_filter: ExportFilter) -> Sheet:
    """One row per monthly report, with its placement's graduate, host, term and status; a
    placement without a report (in the year) has one row with the report's columns empty."""
    bounds = year_bounds(export_filter.year)
    overlaps = true() if bounds is None else and_(Placement.starts_on <= bounds[1], Placement.ends_on >= bounds[0])
    graduate = aliased(User)
    statement = (select(Placement, Cooperative, graduate.name)
                 .join(Cooperative, Cooperative.id == Placement.cooperative_id)
                 .outerjoin(graduate, graduate.id == Placement.graduate_id)
                 .where(export_filter.cooperatives(), overlaps))
    with force_locale(LOCALE):
        title = _("Placements and monthly reports")

    def rows() -> Iterator[list[Any]]:
        with force_locale(LOCALE):
            for batch in batches(statement, Placement.id):
                reports = reports_of([row[0].id for row in batch], bounds)
                for placement, cooperative, graduate_name in batch:
                    term = [
                        placement.id, graduate_name or placement.invitee_name, placement.field_of_study or None,
                        cooperative.tax_code, cooperative.name, locations.ward_name(cooperative.ward_code),
                        placement.starts_on, placement.ends_on, placement.ended_on,
                        str(STATUS_LABELS.get(placement.status, placement.status)),
                    ]
                    own = reports.get(placement.id) or [[None] * 6]
                    for report in own:
                        yield term + report

    return Sheet(title, placement_columns(), rows())


def reports_of(placement_ids: Sequence[int], bounds: tuple[date, date] | None) -> dict[int, list[list[Any]]]:
    """The report columns of each placement's monthly reports (in the year), oldest month first."""
    reviewer = aliased(User)
    hours = aliased(ReportEntry)
    statement = (select(MonthlyReport, hours.value, reviewer.name)
                 .outerjoin(hours, and_(hours.report_id == MonthlyReport.id, hours.field == reporting.HOURS))
                 .outerjoin(reviewer, reviewer.id == MonthlyReport.reviewed_by_id)
                 .where(MonthlyReport.placement_id.in_(placement_ids)))
    if bounds is not None:
        statement = statement.where(MonthlyReport.month.between(*bounds))
    found: dict[int, list[list[Any]]] = {}
    for report, raw_hours, reviewed_by in db.session.execute(
            statement.order_by(MonthlyReport.placement_id, MonthlyReport.month)):
        found.setdefault(report.placement_id, []).append([
            report.month, hours_value(raw_hours), str(REPORT_STATUS_LABELS.get(report.status, report.status)),
            local_date(report.submitted_at), local_date(report.reviewed_at), reviewed_by,
        ])
    return found


EXPORTS = {
    "difficulties": difficulties_sheet,
    "placements": placements_sheet,
}
