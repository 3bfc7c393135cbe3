"""Staff return a report with comments (the grantee corrects it and submits it again) or accept it:
`report_accepted` is sent, the grant completes when its payments are closed, else when the last
open request is paid or rejected, or when staff complete it; the grantee is mailed each time."""
import pytest

from app.auth.models import Role
from app.contracts import grants
from app.contracts.models import GrantEventKind, GrantStatus
from app.errors import InvalidChange, Refused
from app.extensions import db
from app.final_reports import drafting, review
from app.final_reports.models import ReportStatus
from app.final_reports.signals import report_accepted
from app.payments import decisions
from tests.final_reports import grantee_of, make_report, report_mails, report_values, reviewer
from tests.final_reports.test_drafting import audit_events
from tests.payments import make_request, make_staff, make_supplier


@pytest.fixture
def accepted_signals():
    received = []

    def receiver(report, grant=None, actor=None, **_kwargs):
        received.append((report.id, grant.id, actor.id, report.status))

    report_accepted.connect(receiver)
    yield received
    report_accepted.disconnect(receiver)


def test_a_returned_report_is_corrected_and_submitted_again(request_ctx):
    report = make_report()
    grant, grantee, staff = report.grant, grantee_of(report.grant), reviewer()
    review.return_report(report, "Добавьте список участников занятий.\nИ фото мастерской.", staff)
    db.session.commit()
    assert report.status is ReportStatus.RETURNED and grant.status is GrantStatus.REPORTING
    assert grant.events[-1].kind is GrantEventKind.REPORT_RETURNED
    assert grant.events[-1].reason == "Добавьте список участников занятий.\nИ фото мастерской."
    [mail] = report_mails(grant)
    assert "returned for correction" in mail.subject and grant.number in mail.subject
    assert "Добавьте список участников занятий." in mail.body_text
    assert f"/my/grants/{grant.id}/final-report" in mail.body_text

    drafting.save_draft(grant, report_values(work_done="Провели 14 занятий."), [], None, grantee)
    drafting.submit(grant, grantee)
    db.session.commit()
    assert report.status is ReportStatus.SUBMITTED and report.comments is None
    assert report.work_done == "Провели 14 занятий."
    assert grant.events[-1].data == {"resubmitted": True}
    assert [event for event, _data in audit_events()][-3:] == [
        "final_report.returned", "final_report.saved", "final_report.submitted"]


@pytest.mark.parametrize("comments, message", [
    ("  ", "Write what the grantee should correct."), ("Нет\x00фото", "invisible control character"),
    ("я" * 2001, "At most 2000 characters."),
])
def test_a_return_needs_storable_comments(request_ctx, comments, message):
    report = make_report()
    with pytest.raises(InvalidChange) as refused:
        review.return_report(report, comments, reviewer())
    assert message in str(refused.value.errors["comments"][0])
    db.session.rollback()
    assert report.status is ReportStatus.SUBMITTED


def test_accepting_with_payments_closed_completes_the_grant_and_sends_the_signal(request_ctx, accepted_signals):
    report = make_report()
    grant, staff = report.grant, reviewer()
    review.accept(report, staff)
    db.session.commit()
    assert report.status is ReportStatus.ACCEPTED and report.accepted_by_id == staff.id
    assert grant.status is GrantStatus.COMPLETED
    assert [event.kind for event in grant.events][-2:] == [GrantEventKind.REPORT_ACCEPTED, GrantEventKind.COMPLETED]
    assert grant.events[-1].data == {"cause": "report_accepted"}
    assert accepted_signals == [(report.id, grant.id, staff.id, ReportStatus.ACCEPTED)]
    [mail] = report_mails(grant)
    assert "is accepted" in mail.subject and "Your grant is completed." in mail.body_text
    events = [(event, data) for event, data in audit_events("")
              if event in ("final_report.accepted", "grant.completed")]
    assert events == [("final_report.accepted", {"actor": staff.id, "grant": grant.id, "report": report.id}),
                      ("grant.completed", {"actor": staff.id, "grant": grant.id, "cause": "report_accepted"})]


def test_a_second_acceptance_is_refused(request_ctx, accepted_signals):
    report = make_report()
    review.accept(report, reviewer())
    db.session.commit()
    with pytest.raises(Refused, match="already accepted"):
        review.accept(report, make_staff(Role.MANAGER))
    db.session.rollback()
    assert len(accepted_signals) == 1 and len(report_mails(report.grant)) == 1


@pytest.mark.parametrize("last", ["paid", "rejected"])
def test_a_grant_with_open_payments_completes_when_the_last_is_paid_or_rejected(request_ctx, last):
    report = make_report(submit=False)
    grant, staff, finance = report.grant, reviewer(), make_staff(Role.FINANCE)
    supplier = make_supplier()
    approved = make_request(grant, supplier, grantee_of(grant))
    decisions.approve(approved, staff)
    waiting = make_request(grant, supplier, grantee_of(grant), invoice_number="СФ-18")
    drafting.submit(grant, grantee_of(grant))
    review.accept(report, staff)
    db.session.commit()
    assert grant.status is GrantStatus.REPORTING
    assert "when the last of its payments to suppliers is made" in report_mails(grant)[-1].body_text
    settle_first, settle_last = (
        (lambda: decisions.reject(waiting, "Дубликат счёта.", staff),
         lambda: decisions.pay(approved, "ПП-1", decisions.almaty_today(), finance)) if last == "paid" else
        (lambda: decisions.pay(approved, "ПП-1", decisions.almaty_today(), finance),
         lambda: decisions.reject(waiting, "Дубликат счёта.", staff)))
    settle_first()
    db.session.commit()
    assert grant.status is GrantStatus.REPORTING  # one request is still open
    settle_last()
    db.session.commit()
    assert grant.status is GrantStatus.COMPLETED
    assert grant.events[-1].kind is GrantEventKind.COMPLETED and grant.events[-1].data == {"cause": "payments_closed"}
    assert grant.events[-1].actor_id == (finance.id if last == "paid" else staff.id)


def test_a_payment_settled_before_the_report_is_accepted_completes_nothing(request_ctx):
    report = make_report(submit=False)
    grant, staff = report.grant, reviewer()
    payment = make_request(grant, make_supplier(), grantee_of(grant))
    decisions.approve(payment, staff)
    drafting.submit(grant, grantee_of(grant))
    decisions.pay(payment, "ПП-2", decisions.almaty_today(), make_staff(Role.FINANCE))
    db.session.commit()
    assert grant.status is GrantStatus.REPORTING and report.status is ReportStatus.SUBMITTED


def test_staff_complete_a_grant_only_once_its_report_is_accepted_and_payments_closed(request_ctx):
    report = make_report(submit=False)
    grant, staff = report.grant, reviewer()
    payment = make_request(grant, make_supplier(), grantee_of(grant))
    drafting.submit(grant, grantee_of(grant))
    db.session.commit()
    with pytest.raises(Refused, match="once its final report is accepted"):
        review.complete(grant, staff)
    db.session.rollback()
    review.accept(report, staff)
    db.session.commit()
    with pytest.raises(Refused, match="still await approval or payment"):
        review.complete(grant, staff)
    db.session.rollback()
    decisions.return_for_correction(payment, "Нет печати.", staff)  # returned: not open, completes nothing
    db.session.commit()
    assert grant.status is GrantStatus.REPORTING
    review.complete(grant, staff)
    db.session.commit()
    assert grant.status is GrantStatus.COMPLETED and grant.events[-1].data == {"cause": "staff"}


def test_a_report_of_a_grant_terminated_meanwhile_is_not_accepted(request_ctx):
    report = make_report()
    grants.terminate(report.grant, "Нарушение условий договора.", make_staff(Role.MANAGER))
    db.session.commit()
    with pytest.raises(Refused, match="takes no final report"):
        review.accept(report, reviewer())
    db.session.rollback()
    assert report.status is ReportStatus.SUBMITTED


def test_a_draft_is_neither_accepted_nor_returned(request_ctx):
    report = make_report(submit=False)
    report.grant.status = GrantStatus.REPORTING  # as if submitted once: the table alone refuses
    for decide in (lambda: review.accept(report, reviewer()), lambda: review.return_report(report, "Нет.", reviewer())):
        with pytest.raises(Refused, match="cannot become"):
            decide()
        db.session.rollback()


@pytest.mark.parametrize("locale, hello", [("ru", "Здравствуйте!"), ("kk", "Сәлеметсіз бе!")])
def test_the_grantee_is_mailed_in_their_language(request_ctx, locale, hello):
    report = make_report()
    grantee_of(report.grant).locale = locale
    review.return_report(report, "Добавьте фото.", reviewer())
    db.session.commit()
    [mail] = report_mails(report.grant)
    assert mail.locale == locale and hello in mail.body_text
