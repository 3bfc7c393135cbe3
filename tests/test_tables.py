"""The tables every export writes: a text typed by somebody never becomes a spreadsheet formula."""
import csv
import io
from datetime import date

from openpyxl import load_workbook

from app.tables import table_csv, table_xlsx

ROW = ("=HYPERLINK(\"http://evil.example\",\"click\")", "+7 701 000 00 01", "@SUM(A1)", "ТОО «Шебер»", 1000,
       date(2026, 11, 29))


def test_xlsx_keeps_a_formula_like_text_as_text():
    sheet = load_workbook(io.BytesIO(table_xlsx("T", ["a", "b", "c", "d", "e", "f"], [ROW]))).active
    cells = [cell for cell in sheet[2]]
    assert [cell.data_type for cell in cells[:4]] == ["s", "s", "s", "s"]
    assert cells[0].value == ROW[0] and cells[4].value == 1000 and cells[5].is_date


def test_csv_marks_a_formula_like_text_with_an_apostrophe():
    data = table_csv(["a", "b", "c", "d", "e", "f"], [ROW]).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(data)))[1]
    assert row == ["'" + ROW[0], "'+7 701 000 00 01", "'@SUM(A1)", "ТОО «Шебер»", "1000", "2026-11-29"]
