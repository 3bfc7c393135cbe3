"""Payment requests: entering one for a grant, correcting a returned one, and every change of
status after (approve, return, reject, pay), each by the table in models.py and audited."""
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import format_date, lazy_gettext as _l

from app import storage
from app.almaty import utc_to_almaty
from app.audit.services import record
from app.contracts.contracts import current_contract
from app.contracts.grants import locked_grant
from app.contracts.models import GrantStatus
from app.dbtypes import utcnow
from app.errors import FieldErrors, Refused
from app.extensions import db
from app.payments.ledger import committed, ledger
from app.payments.models import PAYMENT_TRANSITIONS, PaymentLine, PaymentRequest, PaymentStatus
from app.payments.notices import mail_grantee
from app.payments.signals import request_settled

INVOICE_NUMBER_MAX = 64
ITEM_MAX = 300
LINES_MAX = 50
QUANTITY_MAX = 100_000
UNIT_PRICE_MAX = 100_000_000
MESSAGE_MAX = 2000
ORDER_NUMBER_MAX = 64
INVOICE_KINDS = ("pdf", "jpeg", "png")


def almaty_today():
    return utc_to_almaty(utcnow()).date()


def requests_of(grant):
    return db.session.execute(sa.select(PaymentRequest).where(PaymentRequest.grant_id == grant.id)
                              .order_by(PaymentRequest.submitted_at, PaymentRequest.id)).scalars().all()


def requests_in(status):
    return db.session.execute(sa.select(PaymentRequest).where(PaymentRequest.status == status)
                              .order_by(PaymentRequest.submitted_at, PaymentRequest.id)).scalars().all()


def _require_active(grant):
    if grant.status is not GrantStatus.ACTIVE:
        raise Refused(_l("Payments are made only for a grant whose contract both sides have signed "
                         "(grant status: %(status)s).", status=grant.status.title))


def _require_transition(payment, to):
    if to not in PAYMENT_TRANSITIONS[payment.status]:
        raise Refused(_l("A request that is “%(status)s” cannot become “%(to)s”.",
                         status=payment.status.title, to=to.title))


def _change_status(payment, to, **values):
    """Moves `payment` to `to` by the table, with the values the new status needs (set together)."""
    _require_transition(payment, to)
    payment.status = to
    for name, value in values.items():
        setattr(payment, name, value)


def _clean(grant, values):
    """Supplier, invoice number and date, lines and total checked; InvalidChange if any is wrong."""
    errors = FieldErrors()
    supplier = values.get("supplier")
    if supplier is None:
        errors.add("supplier_id", _l("Choose the supplier named on the invoice."))
    elif supplier.bin_iin == grant.application.iin:
        errors.add("supplier_id", _l("The supplier's BIN/IIN is the grantee's own IIN: grant money is paid only "
                                     "to suppliers, never to the grantee."))
    number = errors.text("invoice_number", values.get("invoice_number"), INVOICE_NUMBER_MAX,
                         _l("Enter the invoice number."), paragraphs=False)
    invoice_date = values.get("invoice_date")
    if invoice_date is None:
        errors.add("invoice_date", _l("Enter the invoice date."))
    elif invoice_date > almaty_today():
        errors.add("invoice_date", _l("The invoice date is in the future."))
    elif invoice_date < (first_day := _purchases_from(grant)):
        errors.add("invoice_date", _l("The invoice is dated before the contract took effect (%(date)s): only "
                                      "purchases made under the contract are paid.", date=format_date(first_day)))
    lines = []
    for index, line in enumerate(values.get("lines") or []):
        item = (line.get("item") or "").strip()
        quantity, unit_price = line.get("quantity"), line.get("unit_price")
        if not item and quantity is None and unit_price is None:
            continue  # a blank row of the form
        if not item:
            errors.add(f"lines-{index}-item", _l("Say what is bought."))
        elif len(item) > ITEM_MAX:
            errors.add(f"lines-{index}-item", _l("At most %(max)s characters.", max=ITEM_MAX))
        errors.check_storable(f"lines-{index}-item", item, paragraphs=False)
        if quantity is None or not 0 < quantity <= QUANTITY_MAX:
            errors.add(f"lines-{index}-quantity", _l("Enter a quantity from 1 to %(max)s.", max=QUANTITY_MAX))
        if unit_price is None or not 0 < unit_price <= UNIT_PRICE_MAX:
            errors.add(f"lines-{index}-unit_price", _l("Enter a price from 1 to %(max)s tenge.", max=UNIT_PRICE_MAX))
        lines.append(PaymentLine(position=len(lines) + 1, item=item, quantity=quantity, unit_price=unit_price))
    if not lines:
        errors.add("lines", _l("Enter at least one line of the invoice."))
    elif len(lines) > LINES_MAX:
        errors.add("lines", _l("At most %(max)s lines.", max=LINES_MAX))
    total = values.get("total")
    if total is None:
        errors.add("total", _l("Enter the invoice total."))
    elif not errors and total != sum(line.quantity * line.unit_price for line in lines):
        errors.add("total", _l("The total does not match the lines: they add up to %(sum)s tenge.",
                               sum=sum(line.quantity * line.unit_price for line in lines)))
    errors.raise_if_any()
    return {"supplier": supplier, "invoice_number": number, "invoice_date": invoice_date, "total": total}, lines


def _check_remaining(grant, total, field="total"):
    """Refuses `total` when approved + paid + it would exceed the grant; the caller holds the lock."""
    remaining = grant.amount - committed(grant)
    if total > remaining:
        raise Refused(_l("This request (%(total)s tenge) exceeds what remains of the grant (%(remaining)s tenge).",
                         total=total, remaining=remaining), field=field)


def _audit_data(payment):
    return {"payment": payment.id, "grant": payment.grant_id, "supplier": payment.supplier_id,
            "supplier_bin_iin": payment.supplier.bin_iin, "invoice": payment.invoice_number,
            "invoice_date": payment.invoice_date.isoformat(), "total": payment.total,
            "lines": [[line.item, line.quantity, line.unit_price] for line in payment.lines]}


def _store_invoice(payment, invoice_file):
    stored = storage.save_upload(invoice_file, allowed=INVOICE_KINDS)
    if payment.stored_name:
        storage.delete_after_commit(payment.stored_name)
    payment.stored_name, payment.original_name = stored.stored_name, stored.original_name
    payment.kind, payment.sha256, payment.size = stored.kind, stored.sha256, stored.size


def submit(grant, values, invoice_file, actor):
    """A new request for `grant` (values: supplier, invoice_number, invoice_date, lines, total)."""
    grant = locked_grant(grant)
    _require_active(grant)
    clean, lines = _clean(grant, values)
    if invoice_file is None:
        raise Refused(_l("Attach the invoice (PDF or a photo)."), field="invoice")
    _check_remaining(grant, clean["total"])
    payment = PaymentRequest(grant=grant, created_by_id=actor.id if actor else None, status=PaymentStatus.SUBMITTED,
                             lines=lines, **clean)
    _store_invoice(payment, invoice_file)
    db.session.add(payment)
    db.session.flush()
    record(actor, "payment.submitted", {**_audit_data(payment), "file_sha256": payment.sha256})
    return payment


def resubmit(payment, values, invoice_file, actor):
    """A returned request corrected and submitted again; the invoice file is replaced if one is given."""
    grant = locked_grant(payment.grant)
    _require_active(grant)
    clean, lines = _clean(grant, values)
    _require_transition(payment, PaymentStatus.SUBMITTED)
    _check_remaining(grant, clean["total"])
    _change_status(payment, PaymentStatus.SUBMITTED, message=None, submitted_at=utcnow(), lines=lines, **clean)
    if invoice_file is not None:
        _store_invoice(payment, invoice_file)
    db.session.flush()
    record(actor, "payment.resubmitted", {**_audit_data(payment), "file_sha256": payment.sha256})
    return payment


def _locked(payment):
    """The request reloaded under a row lock: two clicks on two workers cannot both act on it."""
    return db.session.execute(sa.select(PaymentRequest).where(PaymentRequest.id == payment.id).with_for_update()
                              .execution_options(populate_existing=True)).scalar_one()


def approve(payment, actor):
    """Approves under the grant's row lock, so that approved + paid stay within the grant."""
    grant = locked_grant(payment.grant)
    payment = _locked(payment)
    _require_active(grant)
    if payment.supplier.bin_iin == grant.application.iin:
        raise Refused(_l("The supplier's BIN/IIN is the grantee's own IIN: grant money is paid only to suppliers, "
                         "never to the grantee."))
    _require_transition(payment, PaymentStatus.APPROVED)
    _check_remaining(grant, payment.total, field=None)
    _change_status(payment, PaymentStatus.APPROVED, approved_by_id=actor.id, approved_at=utcnow())
    db.session.flush()
    after = ledger(grant)
    record(actor, "payment.approved", {**_audit_data(payment), "approved": after.approved, "paid": after.paid,
                                       "remaining": after.remaining})
    return payment


def _purchases_from(grant):
    """The first day an invoice of the grant may carry: the day its contract was countersigned
    (or, before that, the day the grant was awarded), in Almaty."""
    contract = current_contract(grant)
    signed = contract.countersigned_at if contract is not None and contract.countersigned_at else None
    return utc_to_almaty(signed or grant.created_at).date()


def _with_message(payment, to, message, actor, event):
    errors = FieldErrors()
    message = errors.text("message", message, MESSAGE_MAX, _l("Write what is wrong, for the grantee."))
    errors.raise_if_any()
    payment = _locked(payment)
    _change_status(payment, to, message=message)
    db.session.flush()
    record(actor, event, {"payment": payment.id, "grant": payment.grant_id, "total": payment.total,
                          "message": message})
    return payment


def return_for_correction(payment, message, actor):
    """Back to the grantee with what to correct; they are told by mail in the same transaction."""
    payment = _with_message(payment, PaymentStatus.RETURNED, message, actor, "payment.returned")
    mail_grantee(payment, "request_returned")
    return payment


def reject(payment, message, actor):
    payment = _with_message(payment, PaymentStatus.REJECTED, message, actor, "payment.rejected")
    request_settled.send(payment, actor=actor)
    return payment


def pay(payment, order_number, order_date, actor):
    """Finance records the payment order that paid an approved request."""
    errors = FieldErrors()
    order_number = errors.text("order_number", order_number, ORDER_NUMBER_MAX,
                               _l("Enter the payment order number."), paragraphs=False)
    if order_date is None:
        errors.add("order_date", _l("Enter the payment order date."))
    elif order_date > almaty_today():
        errors.add("order_date", _l("The payment order date is in the future."))
    errors.raise_if_any()
    payment = _locked(payment)
    if payment.status is not PaymentStatus.APPROVED:
        raise Refused(_l("Only an approved request can be paid (this one is “%(status)s”).",
                         status=payment.status.title))
    if order_date < payment.approved_at.date() - timedelta(days=1):
        raise Refused(_l("The payment order is dated before the request was approved."), field="order_date")
    _change_status(payment, PaymentStatus.PAID, order_number=order_number, order_date=order_date,
                   paid_by_id=actor.id, paid_at=utcnow())
    db.session.flush()
    after = ledger(payment.grant)
    record(actor, "payment.paid", {"payment": payment.id, "grant": payment.grant_id, "total": payment.total,
                                   "supplier_bin_iin": payment.supplier.bin_iin, "iban": payment.supplier.iban,
                                   "order_number": order_number, "order_date": order_date.isoformat(),
                                   "paid": after.paid, "remaining": after.remaining})
    mail_grantee(payment, "request_paid")
    request_settled.send(payment, actor=actor)
    return payment


def transitions_allowed(payment):
    """For the templates: the statuses this request may go to now."""
    return PAYMENT_TRANSITIONS[payment.status]


