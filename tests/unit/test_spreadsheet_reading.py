"""Reading an uploaded register file: what is read, and every kind of bad file refused (pure)."""

import io
import zipfile

import openpyxl
import pytest

from app.spreadsheets import reading
from app.spreadsheets.reading import FileProblem, Limits, column_letter

KNOWN = ("tax_code", "name", "kind", "members")
REQUIRED = ("name", "kind")
LIMITS = Limits(max_bytes=1_000_000, max_rows=50, max_cell=100, max_unzipped=5_000_000)


def workbook(*rows, labels=True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if labels:
        sheet.append(["Mã số thuế", "Tên", "Loại hình", "Số thành viên"])
    sheet.append(list(KNOWN))
    for row in rows:
        sheet.append(list(row))
    target = io.BytesIO()
    book.save(target)
    return target.getvalue()


def csv_file(*lines, encoding="utf-8-sig") -> bytes:
    return ("\r\n".join(["Mã số thuế,Tên,Loại hình,Số thành viên", ",".join(KNOWN), *lines]) + "\r\n").encode(encoding)


def read(data: bytes, limits: Limits = LIMITS) -> reading.Table:
    return reading.read(data, KNOWN, REQUIRED, limits)


def test_a_workbook_is_read_under_its_code_row_with_numbers_as_typed():
    table = read(workbook([102595740, "HTX Tân Hòa", "htx", 40.0], [None, None, None, None],
                          ["0102595740", "HTX Mỹ Xương", "Hợp tác xã (HTX)", "2,5"]))
    assert table.columns == KNOWN
    assert [(row.number, row.values) for row in table.rows] == [
        (3, {"tax_code": "102595740", "name": "HTX Tân Hòa", "kind": "htx", "members": "40"}),
        (5, {"tax_code": "0102595740", "name": "HTX Mỹ Xương", "kind": "Hợp tác xã (HTX)", "members": "2,5"}),
    ]


def test_codes_may_be_in_the_first_row_and_columns_in_any_order():
    book = openpyxl.Workbook()
    book.active.append(["members", "name", "kind", "note"])
    book.active.append([12, "Tổ hợp tác Rau sạch", "tht", "ignored"])
    target = io.BytesIO()
    book.save(target)
    table = read(target.getvalue())
    assert table.rows[0].values == {"members": "12", "name": "Tổ hợp tác Rau sạch", "kind": "tht"}


def test_a_csv_with_a_bom_or_semicolons_is_read():
    assert read(csv_file("0102595740,HTX Tân Hòa,htx,40")).rows[0].values["name"] == "HTX Tân Hòa"
    semicolons = "Tên;Loại hình\r\nname;kind\r\nHTX Tân Hòa;htx\r\n".encode()
    assert read(semicolons).rows[0].values == {"name": "HTX Tân Hòa", "kind": "htx"}


def test_formulas_and_huge_cells_are_refused_cell_by_cell():
    table = read(workbook(["0102595740", "=HYPERLINK(\"http://x\")", "htx", "=2*20"],
                          ["0100100079", "x" * 101, "htx", 5]))
    first, second = table.rows
    assert [(p.reason, p.column, p.reference) for p in first.problems] == [
        (reading.FORMULA, "name", "B3"), (reading.FORMULA, "members", "D3")]
    assert "name" not in first.values
    assert [(p.reason, p.reference) for p in second.problems] == [(reading.CELL_TOO_LONG, "B4")]
    csv_table = read(csv_file("0102595740,=cmd|' /C calc'!A0,htx,1"))
    assert csv_table.rows[0].problems[0].reason == reading.FORMULA


def zip_with(entries: dict[str, bytes]) -> bytes:
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return target.getvalue()


BAD_FILES = {
    "pdf renamed .xlsx": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00\x01", reading.NOT_A_SPREADSHEET),
    "png renamed .csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", reading.NOT_A_SPREADSHEET),
    "old excel .xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, reading.OLD_EXCEL),
    "word document": (zip_with({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
                      reading.NOT_A_SPREADSHEET),
    "damaged workbook": (zip_with({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"not xml"}),
                         reading.BROKEN),
    "zip bomb": (zip_with({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>",
                           "xl/worksheets/sheet1.xml": b"\x00" * 10_000_000}), reading.ZIP_BOMB),
    # Windows-1258, as an old Excel saves "Tên,Loại hình / Hơp tác xã" (single bytes, not UTF-8).
    "csv in windows-1258": (b"T\xean,Lo\xe1i h\xecnh\r\nname,kind\r\nH\xf5p t\xe1c x\xe3,htx\r\n", reading.ENCODING),
    "empty": (b"\xef\xbb\xbf\r\n", reading.EMPTY),
    "only headers": (csv_file(), reading.EMPTY),
    "no code row": ("Tên,Loại hình\r\nHTX A,htx\r\nHTX B,htx\r\n".encode(), reading.NO_HEADER),
    "a required column missing": ("name,members\r\nHTX A,4\r\n".encode(), reading.NO_HEADER),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_as_a_whole(case):
    data, reason = BAD_FILES[case]
    with pytest.raises(FileProblem) as refused:
        read(data)
    assert refused.value.reason == reason


def test_size_and_row_limits_are_the_callers():
    rows = [f"01{n:08d},HTX {n},htx,{n}" for n in range(51)]
    with pytest.raises(FileProblem) as refused:
        read(csv_file(*rows))
    assert (refused.value.reason, refused.value.details) == (reading.TOO_MANY_ROWS, {"limit": 50})
    assert len(read(csv_file(*rows[:50])).rows) == 50
    with pytest.raises(FileProblem) as refused:
        read(csv_file(*rows), Limits(max_bytes=100, max_rows=50, max_cell=100, max_unzipped=1))
    assert refused.value.reason == reading.TOO_LARGE


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA")])
def test_column_letters(index, letter):
    assert column_letter(index) == letter
