"""What goes into a spreadsheet cell (pure).

A text that a spreadsheet program would read as a formula (it starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) is written with a leading apostrophe, so a cooperative's name or a
typed difficulty can never run as a formula on an officer's computer (OWASP "CSV injection").
Numbers, dates and empty cells pass unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | date | datetime | None


def neutralise(value: Any) -> Cell:
    """The value as a cell: formula-looking text defused, everything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its code (second header row, and what the import reads), its
    Vietnamese label (first header row) and how its values are written."""

    code: str
    label: str
    kind: str = "text"  # text, integer, number (one decimal), money (VND), date, month, datetime

    NUMBER_FORMATS = {"integer": "#,##0", "number": "#,##0.0", "money": "#,##0", "date": "DD/MM/YYYY",
                      "month": "MM/YYYY", "datetime": "DD/MM/YYYY HH:MM"}

    @property
    def number_format(self) -> str | None:
        return self.NUMBER_FORMATS.get(self.kind)
