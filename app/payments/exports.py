"""Payments of a period for accounting, one row per payment, as CSV or XLSX (openpyxl). The
columns are fixed (accounting imports them), headers in the requested language's words."""
import csv
import io
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook

from app.contracts.models import Grant
from app.extensions import db
from app.payments.models import PaymentRequest, PaymentStatus, Supplier

FORMATS = ("csv", "xlsx")
COLUMNS = (
    _l("Grant number"), _l("Supplier"), _l("BIN/IIN"), _l("IBAN"), _l("Bank"), _l("Invoice number"),
    _l("Invoice date"), _l("Amount, tenge"), _l("Payment order number"), _l("Payment order date"),
)


def paid_between(start: date, end: date):
    """The payments whose payment order is dated from `start` to `end` (both included)."""
    return db.session.execute(
        sa.select(PaymentRequest).join(Grant, PaymentRequest.grant_id == Grant.id)
        .join(Supplier, PaymentRequest.supplier_id == Supplier.id)
        .where(PaymentRequest.status == PaymentStatus.PAID,
               PaymentRequest.order_date >= start, PaymentRequest.order_date <= end)
        .order_by(PaymentRequest.order_date, Grant.number, PaymentRequest.id)).scalars().all()


def rows(payments):
    for p in payments:
        yield (p.grant.number, p.supplier.name, p.supplier.bin_iin, p.supplier.iban, p.supplier.bank,
               p.invoice_number, p.invoice_date, p.total, p.order_number, p.order_date)


def as_csv(payments) -> bytes:
    """UTF-8 with a byte-order mark (Excel opens Cyrillic right), dates as YYYY-MM-DD, amounts in
    whole tenge without grouping."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(title) for title in COLUMNS])
    for row in rows(payments):
        writer.writerow([value.isoformat() if isinstance(value, date) else value for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(payments) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "payments"
    sheet.append([str(title) for title in COLUMNS])
    for row in rows(payments):
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "DD.MM.YYYY"
    for column, width in zip("ABCDEFGHIJ", (14, 36, 14, 24, 24, 16, 12, 14, 18, 14)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(payments, fmt):
    """(bytes, mimetype) of `payments` in `fmt`."""
    if fmt == "csv":
        return as_csv(payments), "text/csv; charset=utf-8"
    if fmt == "xlsx":
        return as_xlsx(payments), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    raise ValueError(fmt)
