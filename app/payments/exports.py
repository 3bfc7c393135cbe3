"""Payments of a period for accounting, one row per payment, as CSV or XLSX (openpyxl). The
columns are fixed (accounting imports them), headers in the requested language's words
(app.tables writes the files)."""
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.contracts.models import Grant
from app.extensions import db
from app.payments.models import PaymentRequest, PaymentStatus, Supplier
from app.tables import FORMATS, export_table, table_csv, table_xlsx  # noqa: F401 (FORMATS: the form's, CLI's)

COLUMNS = (
    _l("Grant number"), _l("Supplier"), _l("BIN/IIN"), _l("IBAN"), _l("Bank"), _l("Invoice number"),
    _l("Invoice date"), _l("Amount, tenge"), _l("Payment order number"), _l("Payment order date"),
)
WIDTHS = (14, 36, 14, 24, 24, 16, 12, 14, 18, 14)


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
    return table_csv(COLUMNS, rows(payments))


def as_xlsx(payments) -> bytes:
    return table_xlsx("payments", COLUMNS, rows(payments), WIDTHS)


def export(payments, fmt):
    """(bytes, mimetype) of `payments` in `fmt`."""
    return export_table(fmt, "payments", COLUMNS, rows(payments), WIDTHS)
