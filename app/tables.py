"""Tables as files to download: a header of column titles (translated in the language of the
request) and rows of plain values, written as CSV or XLSX (openpyxl). Every feature's exports and
the dashboard's chart tables are written here, and sent with `attachment`."""
import csv
import io
from datetime import date

from flask import send_file
from openpyxl import Workbook

FORMATS = ("csv", "xlsx")
# A text that a spreadsheet would take for a formula (typed by a grantee, a supplier's name...).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_csv(columns, lines) -> bytes:
    """UTF-8 with a byte-order mark (Excel opens Cyrillic right), a header of the `columns`'
    titles, dates as YYYY-MM-DD, amounts in whole tenge without grouping."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(title) for title in columns])
    for row in lines:
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_value(value):
    """Dates as YYYY-MM-DD; a text that a spreadsheet would run as a formula starts with an
    apostrophe, which spreadsheets read as "this is text"."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_xlsx(sheet_title, columns, lines, widths=()) -> bytes:
    """One sheet named `sheet_title`: a header of the `columns`' titles, then the rows `lines`,
    dates shown as DD.MM.YYYY, every text a text (never a formula); `widths` are the first
    columns' widths in characters."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append([str(title) for title in columns])
    for row in lines:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "DD.MM.YYYY"
            elif cell.data_type == "f":  # text starting with "=": kept as text, never a formula
                cell.data_type = "s"
    for column, width in zip(sheet.iter_cols(max_row=1), widths):
        sheet.column_dimensions[column[0].column_letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_table(fmt, sheet_title, columns, lines, widths=()):
    """(bytes, mimetype) of the table (`columns`' titles, rows `lines`) in `fmt`, one of FORMATS."""
    if fmt == "csv":
        return table_csv(columns, lines), MIMETYPES["csv"]
    if fmt == "xlsx":
        return table_xlsx(sheet_title, columns, lines, widths), MIMETYPES["xlsx"]
    raise ValueError(fmt)


def attachment(data, mimetype, filename):
    """The response that downloads `data` as `filename`, kept by no cache (exports hold personal
    data and change with every decision)."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response
