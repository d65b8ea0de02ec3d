"""Cells and files written for the alliance's spreadsheets (pure)."""

import io
from datetime import date, datetime

import openpyxl
import pytest

from app.spreadsheets.cells import Column, neutralise
from app.spreadsheets.writing import Sheet, csv_chunks, write_xlsx


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+84 912 345 678", "'+84 912 345 678"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("Hợp tác xã = tốt", "Hợp tác xã = tốt"),
    ("", ""),
    (-5, -5),
    (12.5, 12.5),
    (None, None),
    (date(2026, 1, 2), date(2026, 1, 2)),
])
def test_formula_looking_text_is_defused_and_the_rest_kept(value, expected):
    assert neutralise(value) == expected


COLUMNS = [Column("name", "Tên"), Column("members", "Số thành viên", "integer"),
           Column("score", "Điểm", "number"), Column("on", "Ngày", "date")]
ROWS = [["=1+1", 40, 61.25, date(2026, 3, 4)], ["Hợp tác xã Tân Hòa", None, None, None]]


def test_csv_starts_with_a_bom_and_has_labels_then_codes():
    data = b"".join(csv_chunks(Sheet("Hợp tác xã", COLUMNS, iter(ROWS))))
    text = data.decode("utf-8")
    assert text.startswith("\ufeffTên,Số thành viên,Điểm,Ngày\r\n")
    lines = text.lstrip("\ufeff").split("\r\n")
    assert lines[1] == "name,members,score,on"
    assert lines[2] == "'=1+1,40,61.2,04/03/2026"
    assert lines[3] == "Hợp tác xã Tân Hòa,,,"


def test_xlsx_keeps_numbers_and_dates_as_such_and_defuses_formulas():
    target = io.BytesIO()
    write_xlsx([Sheet("Hợp tác xã", COLUMNS, iter(ROWS))], target)
    sheet = openpyxl.load_workbook(io.BytesIO(target.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Tên", "Số thành viên", "Điểm", "Ngày")
    assert rows[1] == ("name", "members", "score", "on")
    assert rows[2] == ("'=1+1", 40, 61.25, datetime(2026, 3, 4))
    assert sheet["A3"].data_type == "s"  # text, never a formula
    assert sheet["B3"].number_format == "#,##0" and sheet["D3"].number_format == "DD/MM/YYYY"
