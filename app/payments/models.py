"""Suppliers, payment requests with their invoice lines, and the status table of a request."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.dbtypes import enum_type, utcnow
from app.enums import TitledEnum
from app.extensions import db


class Supplier(db.Model):
    """A company or an individual entrepreneur paid against invoices; reused across grants."""

    __tablename__ = "suppliers"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(300), nullable=False)
    bin_iin = db.Column(db.String(12), nullable=False, unique=True)  # a BIN, or an entrepreneur's IIN
    iban = db.Column(db.String(20), nullable=False)  # KZ..., without spaces
    bank = db.Column(db.String(200), nullable=False)
    address = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    def __repr__(self):
        return f"<Supplier {self.bin_iin} {self.name}>"


class PaymentStatus(TitledEnum):
    SUBMITTED = "submitted", _l("Awaiting approval")
    RETURNED = "returned", _l("Returned for correction")
    APPROVED = "approved", _l("Approved, awaiting payment")
    PAID = "paid", _l("Paid")
    REJECTED = "rejected", _l("Rejected")


S = PaymentStatus
# Every allowed change of status; anything else is refused.
PAYMENT_TRANSITIONS = {
    S.SUBMITTED: {S.APPROVED, S.RETURNED, S.REJECTED},
    S.RETURNED: {S.SUBMITTED},
    S.APPROVED: {S.PAID},
    S.PAID: set(),
    S.REJECTED: set(),
}
# The statuses whose money is spent or promised: their sum never exceeds the grant's amount.
COMMITTED = (S.APPROVED, S.PAID)
del S


class PaymentRequest(db.Model):
    """A request to pay one supplier's invoice from one grant."""

    __tablename__ = "payment_requests"
    __table_args__ = (
        sa.CheckConstraint("total > 0", name="total_positive"),
        sa.CheckConstraint("(status IN ('returned', 'rejected')) = (message IS NOT NULL)",
                           name="message_when_returned_or_rejected"),
        sa.CheckConstraint("(status = 'paid') = (order_number IS NOT NULL AND order_date IS NOT NULL "
                           "AND paid_at IS NOT NULL)", name="order_when_paid"),
        sa.CheckConstraint("(status IN ('approved', 'paid')) = (approved_at IS NOT NULL)",
                           name="approved_when_committed"),
    )

    id = db.Column(db.Integer, primary_key=True)
    grant_id = db.Column(db.Integer, db.ForeignKey("grants.id"), nullable=False, index=True)
    supplier_id = db.Column(db.Integer, db.ForeignKey("suppliers.id"), nullable=False, index=True)
    invoice_number = db.Column(db.String(64), nullable=False)
    invoice_date = db.Column(db.Date, nullable=False)
    total = db.Column(db.BigInteger, nullable=False)  # tenge; the sum of the lines
    status = db.Column(enum_type(PaymentStatus), nullable=False, default=PaymentStatus.SUBMITTED, index=True)
    message = db.Column(db.Text, nullable=True)  # why it was returned or rejected
    # The invoice file, as app.storage keeps it.
    stored_name = db.Column(db.String(64), nullable=False)
    original_name = db.Column(db.String(255), nullable=False)
    kind = db.Column(db.String(8), nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    submitted_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    approved_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    approved_at = db.Column(db.DateTime, nullable=True)
    paid_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    paid_at = db.Column(db.DateTime, nullable=True)
    order_number = db.Column(db.String(64), nullable=True)  # the payment order (платёжное поручение)
    order_date = db.Column(db.Date, nullable=True)

    grant = db.relationship("Grant")
    supplier = db.relationship("Supplier")
    lines = db.relationship("PaymentLine", order_by="PaymentLine.position", cascade="all, delete-orphan")

    def __repr__(self):
        return f"<PaymentRequest {self.id} {self.status.value} {self.total}>"


class PaymentLine(db.Model):
    """One line of the invoice: what is bought, how many, at what price."""

    __tablename__ = "payment_lines"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("unit_price > 0", name="unit_price_positive"),
    )

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(db.Integer, db.ForeignKey("payment_requests.id", ondelete="CASCADE"), nullable=False,
                           index=True)
    position = db.Column(db.Integer, nullable=False)
    item = db.Column(db.String(300), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    unit_price = db.Column(db.BigInteger, nullable=False)

    @property
    def amount(self):
        return self.quantity * self.unit_price
