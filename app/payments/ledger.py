"""A grant's ledger: what is requested, approved, paid and remaining, and the row lock under which
an approval checks it. Approved + paid never exceed the grant's amount."""
from dataclasses import dataclass

import sqlalchemy as sa

from app.contracts.signals import amount_committed
from app.extensions import db
from app.payments.models import COMMITTED, PaymentRequest, PaymentStatus


@dataclass(frozen=True)
class Ledger:
    amount: int  # the grant
    requested: int  # submitted, awaiting a decision
    approved: int  # approved, not paid yet
    paid: int

    @property
    def remaining(self):
        """What may still be approved."""
        return self.amount - self.approved - self.paid


def sums_by_status(grant):
    """{status: total} of the grant's requests, read from the database now."""
    rows = db.session.execute(
        sa.select(PaymentRequest.status, sa.func.sum(PaymentRequest.total))
        .where(PaymentRequest.grant_id == grant.id).group_by(PaymentRequest.status))
    return {status: int(total) for status, total in rows}


def ledger(grant):
    sums = sums_by_status(grant)
    return Ledger(amount=grant.amount, requested=sums.get(PaymentStatus.SUBMITTED, 0),
                  approved=sums.get(PaymentStatus.APPROVED, 0), paid=sums.get(PaymentStatus.PAID, 0))


def committed(grant):
    """Approved + paid, read from the database now."""
    sums = sums_by_status(grant)
    return sum(sums.get(status, 0) for status in COMMITTED)


@amount_committed.connect
def _committed_of(grant, **_kwargs):
    """Contracts never lowers a grant below what payments have approved or paid."""
    return committed(grant)


