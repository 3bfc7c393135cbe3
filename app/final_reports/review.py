"""The project office's side of a final report: returning it to the grantee with comments, or
accepting it, which announces `report_accepted` and completes the grant once its payments are
closed (no request awaiting approval, none approved and not paid). A grant whose payments are
still open when its report is accepted completes when its last open request is paid or rejected
(payments' `request_settled`), or when staff complete it. Each change is audited, written on the
grant's timeline and mailed to the grantee; the caller commits."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from app.audit.services import record
from app.contracts.grants import mail_grantee, move, timeline_event
from app.contracts.models import GrantEventKind, GrantStatus
from app.dbtypes import utcnow
from app.errors import FieldErrors, Refused
from app.final_reports.drafting import change_status, locked
from app.final_reports.models import ReportStatus
from app.final_reports.signals import report_accepted
from app.payments.ledger import ledger
from app.payments.signals import request_settled

COMMENTS_MAX = 2000


def return_report(report, comments, actor):
    """Back to the grantee with what to correct; they may correct it and submit it again."""
    errors = FieldErrors()
    comments = errors.text("comments", comments, COMMENTS_MAX, _l("Write what the grantee should correct."))
    errors.raise_if_any()
    grant, report = locked(report.grant)
    change_status(report, ReportStatus.RETURNED, comments=comments)
    timeline_event(grant, GrantEventKind.REPORT_RETURNED, actor, comments)
    record(actor, "final_report.returned", {"grant": grant.id, "report": report.id, "comments": comments})
    _mail_grantee(report, "report_returned")
    return report


def accept(report, actor):
    """Accepts the submitted report (a grant has one accepted report: a second acceptance is
    refused) and completes the grant if its payments are closed."""
    grant, report = locked(report.grant)
    if report.status is ReportStatus.ACCEPTED:
        raise Refused(_l("This final report is already accepted: a grant has only one accepted report."))
    if grant.status is not GrantStatus.REPORTING:
        raise Refused(_l("A grant that is “%(status)s” takes no final report.", status=grant.status.title))
    change_status(report, ReportStatus.ACCEPTED, accepted_at=utcnow(), accepted_by_id=actor.id)
    timeline_event(grant, GrantEventKind.REPORT_ACCEPTED, actor)
    record(actor, "final_report.accepted", {"grant": grant.id, "report": report.id})
    report_accepted.send(report, grant=grant, actor=actor)
    completed = _complete_if_payments_closed(grant, actor, "report_accepted")
    _mail_grantee(report, "report_accepted", completed=completed)
    return report


def payments_closed(grant):
    """Whether no payment request of the grant awaits approval or payment."""
    money = ledger(grant)
    return money.requested == 0 and money.approved == 0


def complete(grant, actor):
    """Staff complete a grant whose report is accepted and whose payments are closed (the last
    open request was returned, say, which completes nothing by itself)."""
    grant, report = locked(grant)
    if report is None or report.status is not ReportStatus.ACCEPTED:
        raise Refused(_l("A grant is completed once its final report is accepted."))
    if not payments_closed(grant):
        raise Refused(_l("Payment requests of this grant still await approval or payment: the grant completes "
                         "by itself when the last of them is paid or rejected."))
    _complete(grant, actor, "staff")
    return grant


def _complete(grant, actor, cause):
    move(grant, GrantStatus.COMPLETED)
    timeline_event(grant, GrantEventKind.COMPLETED, actor, data={"cause": cause})
    record(actor, "grant.completed", {"grant": grant.id, "cause": cause})


def _complete_if_payments_closed(grant, actor, cause):
    if payments_closed(grant):
        _complete(grant, actor, cause)
        return True
    return False


@request_settled.connect
def _complete_when_the_last_payment_settles(payment, actor=None, **_kwargs):
    """A grant waiting in "Final report" with its report accepted completes when its last open
    payment request is paid or rejected."""
    if payment.grant.status is not GrantStatus.REPORTING:
        return
    grant, report = locked(payment.grant)
    if report is not None and report.status is ReportStatus.ACCEPTED and grant.status is GrantStatus.REPORTING:
        _complete_if_payments_closed(grant, actor, "payments_closed")


def _mail_grantee(report, template, **context):
    """Queues `templates/final_reports/mail/<template>.txt` for the grantee, with a link to the report."""
    mail_grantee(report.grant, f"final_reports/mail/{template}", report=report,
                 report_url=url_for("my_final_report.report", grant_id=report.grant_id, _external=True), **context)
