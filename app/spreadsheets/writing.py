"""Writing rows as XLSX or CSV in constant memory, whatever the number of rows.

XLSX goes through openpyxl's write-only mode (rows are spilled to a temporary file as they come)
into a temporary file that is then sent; CSV is produced line by line as UTF-8 with a byte-order
mark, so Excel opens Vietnamese text correctly. Both put the Vietnamese labels in the first row
and the column codes in the second, and every text cell goes through ``cells.neutralise``.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from app.spreadsheets.cells import Cell, Column, neutralise

BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# Excel's limit for a sheet title.
MAX_SHEET_TITLE = 31


@dataclass(frozen=True)
class Sheet:
    """A named sheet: its columns and its rows (an iterator, read once)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def csv_chunks(sheet: Sheet) -> Iterator[bytes]:
    """The sheet as CSV, one encoded line at a time, starting with the byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: Iterable[Any]) -> bytes:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue().encode("utf-8")

    yield BOM.encode("utf-8") + line(column.label for column in sheet.columns)
    yield line(column.code for column in sheet.columns)
    for row in sheet.rows:
        yield line(_csv_text(neutralise(value)) for value in row)


def write_xlsx(sheets: Iterable[Sheet], target: IO[bytes]) -> None:
    """Write the sheets to ``target`` (a binary file) as one workbook."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    muted = Font(italic=True, color="666666")
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title[:MAX_SHEET_TITLE])
        worksheet.freeze_panes = "A3"
        worksheet.append([_header(worksheet, column.label, bold) for column in sheet.columns])
        worksheet.append([_header(worksheet, column.code, muted) for column in sheet.columns])
        formats = [column.number_format for column in sheet.columns]
        for row in sheet.rows:
            worksheet.append([_cell(worksheet, neutralise(value), number_format)
                              for value, number_format in zip(row, formats, strict=True)])
    workbook.save(target)


def _header(worksheet: Any, text: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, value=neutralise(text))
    cell.font = font
    return cell


def _cell(worksheet: Any, value: Cell, number_format: str | None) -> WriteOnlyCell | Cell:
    if value is None or number_format is None or isinstance(value, str):
        return value
    cell = WriteOnlyCell(worksheet, value=value)
    cell.number_format = number_format
    return cell


def xlsx_file(sheets: Iterable[Sheet]) -> IO[bytes]:
    """The workbook in a temporary file, rewound and ready to send (deleted when closed)."""
    target = tempfile.TemporaryFile()
    write_xlsx(sheets, target)
    target.seek(0)
    return target
