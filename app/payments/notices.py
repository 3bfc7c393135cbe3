"""Mail to a grantee about their payment requests: in their language, through the outbox, queued in
the transaction that changes the request."""
from flask import url_for

from app.mail.services import queue_mail


def mail_grantee(payment, template, **context):
    """Queues `templates/payments/mail/<template>.txt` for the grantee of `payment`'s grant, with the
    grant's number, the invoice, the supplier and a link to the grantee's payments page."""
    grantee = payment.grant.application.applicant
    queue_mail(
        grantee.email, f"payments/mail/{template}", grantee.locale,
        grant_number=payment.grant.number, payment=payment, supplier=payment.supplier,
        url=url_for("my_payments.ledger", grant_id=payment.grant_id, _external=True),
        **context,
    )
