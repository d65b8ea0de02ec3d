"""Reading an uploaded spreadsheet (XLSX or CSV) into rows of text, safely (pure: no Flask).

The file's content decides its type, never its name: a zip holding a workbook is XLSX, UTF-8 text is
CSV, anything else is refused. Before openpyxl opens a workbook the zip's directory is checked, so a
zip bomb (huge or highly compressed parts, too many entries) is refused unread; openpyxl parses the
XML through defusedxml. Limits (bytes, rows, characters per cell) come from the caller's settings.
A problem with the whole file raises ``FileProblem``; a problem with one cell is kept on its row.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls and other compound files
MAX_ZIP_ENTRIES = 200
MAX_COMPRESSION_RATIO = 100


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_cell: int
    max_unzipped: int


class FileProblem(ValueError):
    """Why a whole file cannot be read; ``reason`` names it, ``details`` fill the message."""

    def __init__(self, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


# Reasons a file is refused.
NOT_A_SPREADSHEET = "not_a_spreadsheet"
OLD_EXCEL = "old_excel"
TOO_LARGE = "too_large"
ZIP_BOMB = "zip_bomb"
BROKEN = "broken"
ENCODING = "encoding"
TOO_MANY_ROWS = "too_many_rows"
NO_HEADER = "no_header"
EMPTY = "empty"

# Reasons a cell is refused (kept on its row).
FORMULA = "formula"
CELL_TOO_LONG = "cell_too_long"


@dataclass(frozen=True)
class CellProblem:
    reason: str
    column: str  # the column code
    reference: str  # "D5", as a spreadsheet program names the cell


@dataclass
class Row:
    number: int  # the row number in the file, as the person sees it
    values: dict[str, str]
    problems: list[CellProblem] = field(default_factory=list)


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]  # the codes found in the header, in file order
    rows: tuple[Row, ...]


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def as_text(value: Any) -> str:
    """A cell's value as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def read(data: bytes, known: Sequence[str], required: Iterable[str], limits: Limits) -> Table:
    """The rows of the file's first sheet under the header row that holds the ``known`` column codes
    (the first or the second row: the template puts labels first and codes second)."""
    if len(data) > limits.max_bytes:
        raise FileProblem(TOO_LARGE, limit=limits.max_bytes)
    if not data.strip(b"\xef\xbb\xbf \r\n\t"):
        raise FileProblem(EMPTY)
    if data.startswith(OLD_EXCEL_MAGIC):
        raise FileProblem(OLD_EXCEL)
    grid = _xlsx_cells(data, limits) if data.startswith(XLSX_MAGIC) else _csv_cells(data)
    return _table(grid, known, set(required), limits)


def _xlsx_cells(data: bytes, limits: Limits) -> Iterator[list[tuple[Any, bool]]]:
    """Rows of (value, is_formula) from the first sheet of a workbook."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise FileProblem(NOT_A_SPREADSHEET) from error
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileProblem(NOT_A_SPREADSHEET)
    unzipped = sum(entry.file_size for entry in entries)
    packed = max(1, sum(entry.compress_size for entry in entries))
    if (len(entries) > MAX_ZIP_ENTRIES or unzipped > limits.max_unzipped
            or unzipped / packed > MAX_COMPRESSION_RATIO):
        raise FileProblem(ZIP_BOMB)
    from openpyxl import load_workbook  # openpyxl reads XML through defusedxml when it is installed

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows():
            yield [(cell.value, getattr(cell, "data_type", None) == "f") for cell in row]
        workbook.close()
    except FileProblem:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure means a broken file
        raise FileProblem(BROKEN) from error


def _csv_cells(data: bytes) -> Iterator[list[tuple[Any, bool]]]:
    # Control bytes other than tab and line ends mean a binary file (an image, a PDF, a program).
    if any(byte < 0x09 or 0x0e <= byte < 0x20 for byte in data[:4096] if byte not in (0x0b, 0x0c, 0x1a)):
        raise FileProblem(NOT_A_SPREADSHEET)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem(ENCODING) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            yield [(value, value.startswith("=")) for value in row]
    except csv.Error as error:
        raise FileProblem(BROKEN) from error


def _table(grid: Iterable[list[tuple[Any, bool]]], known: Sequence[str], required: set[str],
           limits: Limits) -> Table:
    columns: tuple[str, ...] | None = None
    rows: list[Row] = []
    known_set = set(known)
    for number, cells in enumerate(grid, start=1):
        texts = [as_text(value) for value, _formula in cells]
        if columns is None:
            if number > 2:
                raise FileProblem(NO_HEADER, missing=sorted(required))
            codes = tuple(text.strip().lower() for text in texts)
            if known_set & set(codes):
                missing = required - set(codes)
                if missing:
                    raise FileProblem(NO_HEADER, missing=sorted(missing))
                columns = codes
            continue
        if not any(texts):
            continue
        if len(rows) >= limits.max_rows:
            raise FileProblem(TOO_MANY_ROWS, limit=limits.max_rows)
        row = Row(number=number, values={})
        for index, ((value, formula), text) in enumerate(zip(cells, texts, strict=True)):
            code = columns[index] if index < len(columns) else ""
            if code not in known_set:
                continue
            reference = f"{column_letter(index)}{number}"
            if formula or (isinstance(value, str) and value.startswith("=")):
                row.problems.append(CellProblem(FORMULA, code, reference))
            elif len(text) > limits.max_cell:
                row.problems.append(CellProblem(CELL_TOO_LONG, code, reference))
            else:
                row.values[code] = text
        rows.append(row)
    if columns is None:
        raise FileProblem(NO_HEADER, missing=sorted(required))
    if not rows:
        raise FileProblem(EMPTY)
    return Table(columns=columns, rows=tuple(rows))
