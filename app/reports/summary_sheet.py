"""The yearly report as one spreadsheet sheet: each section's sentences, then its figures, as numbers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _

from app.reports.wording import Worded
from app.spreadsheets.cells import Column
from app.spreadsheets.writing import Sheet


def rows(report: Worded) -> Iterator[list[Any]]:
    for section in report.sections:
        for sentence in section.sentences:
            yield [section.title, "", None, None, None, "", sentence]
        for row in section.rows:
            share = None if row.share is None else row.share / 10
            yield [section.title, row.label, row.value, share, row.previous, row.note, ""]


def sheet(report: Worded, alliance: str) -> Sheet:
    """The report of ``alliance`` (who reports) for its year: its heading, then one row per sentence
    and per figure."""
    columns = [
        Column("section", _("Section")),
        Column("figure", _("Figure")),
        Column("value", _("Number or score"), "integer"),
        Column("share_percent", _("Share (%)"), "number"),
        Column("previous_year", _("In %(year)s", year=str(report.previous_year)), "integer"),
        Column("note", _("Note")),
        Column("sentence", _("Sentence for the report")),
    ]
    heading = _("Digital transformation of cooperatives in %(year)s", year=str(report.year))
    return Sheet(title=_("Report %(year)s", year=str(report.year)), columns=columns,
                 rows=[[heading, alliance, None, None, None, "", ""], *rows(report)])
