"""Payment requests: what is refused, the status table, the ledger and the audit of every change."""
from datetime import date, timedelta

import pytest

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.contracts.models import GrantStatus
from app.errors import InvalidChange, Refused
from app.extensions import db
from app.payments import decisions
from app.payments.ledger import ledger
from app.payments.models import PAYMENT_TRANSITIONS, PaymentStatus
from tests import factories
from tests.payments import make_grant, make_request, make_signed_grant, make_staff, make_supplier, request_values


@pytest.fixture
def grant(app_ctx):
    return make_grant(amount=1_000_000)


@pytest.fixture
def supplier(app_ctx):
    return make_supplier()


@pytest.fixture
def staff(app_ctx):
    return make_staff()


@pytest.fixture
def finance(app_ctx):
    return make_staff(Role.FINANCE)


def events():
    return [entry.event for entry in db.session.query(AuditEntry).order_by(AuditEntry.seq)]


def test_the_full_path_submitted_approved_paid_moves_the_ledger(grant, supplier, staff, finance):
    payment = make_request(grant, supplier, staff)
    assert ledger(grant) == ledger(grant).__class__(amount=1_000_000, requested=360_000, approved=0, paid=0)
    decisions.approve(payment, staff)
    db.session.commit()
    assert (ledger(grant).approved, ledger(grant).remaining) == (360_000, 640_000)
    decisions.pay(payment, "ПП-101", decisions.almaty_today(), finance)
    db.session.commit()
    after = ledger(grant)
    assert (after.requested, after.approved, after.paid, after.remaining) == (0, 0, 360_000, 640_000)
    assert payment.status is PaymentStatus.PAID and payment.order_number == "ПП-101"
    assert events()[-3:] == ["payment.submitted", "payment.approved", "payment.paid"]
    paid = db.session.query(AuditEntry).filter_by(event="payment.paid").one()
    assert paid.data["total"] == 360_000 and paid.data["remaining"] == 640_000 and paid.actor_id == finance.id


@pytest.mark.parametrize("status, to", [
    (status, to) for status in PaymentStatus for to in PaymentStatus])
def test_the_transition_table_is_the_only_way(status, to):
    class Fake:
        pass
    payment = Fake()
    payment.status = status
    if to in PAYMENT_TRANSITIONS[status]:
        decisions._change_status(payment, to)
        assert payment.status is to
    else:
        with pytest.raises(Refused):
            decisions._change_status(payment, to)


def test_a_supplier_with_the_grantees_own_iin_is_refused(grant, staff):
    grantee_as_supplier = make_supplier(bin_iin=grant.application.iin, name="ИП Нурланова")
    with pytest.raises(InvalidChange) as refused:
        decisions.submit(grant, request_values(grantee_as_supplier), factories.upload(), staff)
    assert "never to the grantee" in str(refused.value.errors["supplier_id"][0])


@pytest.mark.parametrize("changes, field, words", [
    ({"invoice_date": date.today() + timedelta(days=2)}, "invoice_date", "future"),
    ({"invoice_date": date.today() - timedelta(days=60)}, "invoice_date", "before the contract took effect"),
    ({"total": 360_001}, "total", "does not match"),
    ({"lines": []}, "lines", "at least one line"),
    ({"invoice_number": ""}, "invoice_number", "invoice number"),
    ({"supplier": None}, "supplier_id", "supplier"),
])
def test_bad_invoices_are_refused_with_a_clear_message(grant, supplier, staff, changes, field, words):
    values = request_values(supplier)
    values.update(changes)
    with pytest.raises(InvalidChange) as refused:
        decisions.submit(grant, values, factories.upload(), staff)
    assert words in " ".join(map(str, refused.value.errors[field]))


def test_a_line_with_a_zero_quantity_is_refused_next_to_it(grant, supplier, staff):
    values = request_values(supplier, lines=(("Оверлок", 0, 150_000),), total=0)
    with pytest.raises(InvalidChange) as refused:
        decisions.submit(grant, values, factories.upload(), staff)
    assert "lines-0-quantity" in refused.value.errors


def test_a_request_over_the_remaining_amount_is_refused(grant, supplier, staff):
    first = make_request(grant, supplier, staff, lines=(("Оборудование", 1, 800_000),))
    decisions.approve(first, staff)
    db.session.commit()
    with pytest.raises(Refused, match="exceeds what remains"):
        decisions.submit(grant, request_values(supplier, lines=(("Стол", 1, 200_001),)), factories.upload(), staff)


def test_approving_past_the_grant_amount_is_refused(grant, supplier, staff):
    first = make_request(grant, supplier, staff, lines=(("Оборудование", 1, 600_000),))
    second = make_request(grant, supplier, staff, lines=(("Мебель", 1, 600_000),))
    decisions.approve(first, staff)
    db.session.commit()
    with pytest.raises(Refused, match="exceeds what remains"):
        decisions.approve(second, staff)
    db.session.rollback()
    assert second.status is PaymentStatus.SUBMITTED and ledger(grant).approved == 600_000


@pytest.mark.parametrize("status", [GrantStatus.CONTRACTING, GrantStatus.REPORTING, GrantStatus.TERMINATED])
def test_a_grant_that_is_not_active_takes_no_request(app_ctx, supplier, staff, status):
    grant = make_grant(status=GrantStatus.CONTRACTING)
    if status is GrantStatus.TERMINATED:
        grant.terminated_reason = "Отказ от подписания"
    grant.status = status
    db.session.commit()
    with pytest.raises(Refused, match="signed"):
        decisions.submit(grant, request_values(supplier), factories.upload(), staff)


def test_paying_an_unapproved_request_is_refused(grant, supplier, staff, finance):
    payment = make_request(grant, supplier, staff)
    with pytest.raises(Refused, match="Only an approved request"):
        decisions.pay(payment, "ПП-1", decisions.almaty_today(), finance)


def test_a_payment_order_needs_a_number_and_a_date_not_in_the_future(grant, supplier, staff, finance):
    payment = make_request(grant, supplier, staff)
    decisions.approve(payment, staff)
    db.session.commit()
    with pytest.raises(InvalidChange) as refused:
        decisions.pay(payment, " ", decisions.almaty_today() + timedelta(days=1), finance)
    assert set(refused.value.errors) == {"order_number", "order_date"}


def test_a_returned_request_is_corrected_and_submitted_again(grant, supplier, staff):
    payment = make_request(grant, supplier, staff)
    with pytest.raises(InvalidChange):
        decisions.return_for_correction(payment, "  ", staff)
    decisions.return_for_correction(payment, "Счёт без печати поставщика.", staff)
    db.session.commit()
    assert payment.status is PaymentStatus.RETURNED and payment.message == "Счёт без печати поставщика."
    decisions.resubmit(payment, request_values(supplier, lines=(("Швейная машина", 1, 180_000),)),
                       factories.upload(), staff)
    db.session.commit()
    assert payment.status is PaymentStatus.SUBMITTED and payment.message is None and payment.total == 180_000
    assert [line.quantity for line in payment.lines] == [1]
    assert events()[-2:] == ["payment.returned", "payment.resubmitted"]


def test_a_rejected_request_stays_rejected(grant, supplier, staff):
    payment = make_request(grant, supplier, staff)
    decisions.reject(payment, "Покупка не из бюджета проекта.", staff)
    db.session.commit()
    with pytest.raises(Refused):
        decisions.approve(payment, staff)
    with pytest.raises(Refused):
        decisions.resubmit(payment, request_values(supplier), None, staff)


def test_an_invoice_dated_before_the_contract_was_countersigned_is_refused(app_ctx, supplier):
    grant = make_signed_grant(signed_days_ago=10, number="ZP25-G-0007")
    staff = make_staff()
    with pytest.raises(InvalidChange) as refused:
        decisions.submit(grant, request_values(supplier, invoice_date=decisions.almaty_today() - timedelta(days=11)),
                         factories.upload(), staff)
    assert "before the contract took effect" in str(refused.value.errors["invoice_date"][0])
    payment = make_request(grant, supplier, staff, invoice_date=decisions.almaty_today() - timedelta(days=10))
    assert payment.status is PaymentStatus.SUBMITTED  # the day the contract took effect
