"""The grantee's side: their ledger and requests, a request submitted from a phone (supplier from the
list or by BIN/IIN, the invoice photographed), a returned one corrected, somebody else's grant 404,
and the mail that tells them a request was returned or paid, in their language."""
import io

import pytest

from app.auth.models import Role
from app.contracts.models import GrantStatus
from app.extensions import db
from app.payments import decisions
from app.payments.models import PaymentRequest, PaymentStatus
from tests import factories
from tests.conftest import login
from tests.mail.helpers import outbox_for
from tests.payments import make_bin, make_grant, make_request, make_staff, make_supplier


def grantee_of(grant):
    return grant.application.applicant


def form_data(supplier_id="0", supplier_bin="", total="300 000"):
    return {"supplier_id": supplier_id, "supplier_bin": supplier_bin, "invoice_number": "СФ-9",
            "invoice_date": factories.utcnow().date().isoformat(),
            "lines-0-item": "Оверлок", "lines-0-quantity": "2", "lines-0-unit_price": "150 000",
            "total": total, "invoice": (io.BytesIO(factories.MINIMAL_PDF), "photo.pdf")}


def test_the_grantee_sees_the_ledger_and_the_form_opens_the_phone_camera(app_ctx, client):
    grant = make_grant()
    payment = make_request(grant, make_supplier(), None)
    login(client, grantee_of(grant).email)
    page = client.get(f"/my/grants/{grant.id}/payments").get_data(as_text=True)
    assert "Remaining" in page and "СФ-17" in page and 'data-status="submitted"' in page
    assert f"/my/grants/{grant.id}/payments" in client.get(f"/my/grants/{grant.id}").get_data(as_text=True)
    form = client.get(f"/my/grants/{grant.id}/payments/new").get_data(as_text=True)
    assert 'accept="image/*,application/pdf"' in form and 'capture="environment"' in form
    assert client.get(f"/my/grants/{grant.id}/payments/{payment.id}/invoice").status_code == 200


def test_a_grantee_submits_a_request_naming_the_supplier_by_bin(app_ctx, client):
    grant, supplier = make_grant(), make_supplier()
    login(client, grantee_of(grant).email)
    unknown = client.post(f"/my/grants/{grant.id}/payments/new", data=form_data(supplier_bin=make_bin(500)),
                          content_type="multipart/form-data").get_data(as_text=True)
    assert "No supplier with this BIN/IIN is registered yet" in unknown
    response = client.post(f"/my/grants/{grant.id}/payments/new", data=form_data(supplier_bin=supplier.bin_iin),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    payment = db.session.query(PaymentRequest).one()
    assert payment.supplier_id == supplier.id and payment.status is PaymentStatus.SUBMITTED
    assert payment.created_by_id == grantee_of(grant).id


def test_a_grant_not_yet_active_takes_no_request(app_ctx, client):
    grant = make_grant(status=GrantStatus.CONTRACTING)
    login(client, grantee_of(grant).email)
    assert client.get(f"/my/grants/{grant.id}/payments/new").status_code == 302
    response = client.post(f"/my/grants/{grant.id}/payments/new", data=form_data(supplier_id=make_supplier().id),
                           content_type="multipart/form-data")
    assert response.status_code == 302 and db.session.query(PaymentRequest).count() == 0


def test_another_grantees_grant_and_requests_answer_404(app_ctx, client):
    grant, other = make_grant(), make_grant(number="ZP25-G-0002")
    payment = make_request(grant, make_supplier(), None)
    decisions.return_for_correction(payment, "Нет печати.", make_staff())
    db.session.commit()
    login(client, grantee_of(other).email)
    for url in (f"/my/grants/{grant.id}/payments", f"/my/grants/{grant.id}/payments/new",
                f"/my/grants/{grant.id}/payments/{payment.id}/edit",
                f"/my/grants/{grant.id}/payments/{payment.id}/invoice",
                f"/my/grants/{other.id}/payments/{payment.id}/edit",
                f"/my/grants/{other.id}/payments/{payment.id}/invoice"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/my/grants/{other.id}/payments/{payment.id}/edit", data={}).status_code == 404


def test_a_returned_request_is_corrected_and_submitted_again(app_ctx, client):
    grant, supplier = make_grant(), make_supplier()
    payment = make_request(grant, supplier, None)
    login(client, grantee_of(grant).email)
    assert client.get(f"/my/grants/{grant.id}/payments/{payment.id}/edit").status_code == 302  # not returned
    decisions.return_for_correction(payment, "Нет печати на счёте.", make_staff())
    db.session.commit()
    assert "Нет печати на счёте." in client.get(f"/my/grants/{grant.id}/payments").get_data(as_text=True)
    data = form_data(supplier_id=supplier.id)
    del data["invoice"]  # the invoice already attached is kept
    response = client.post(f"/my/grants/{grant.id}/payments/{payment.id}/edit", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.refresh(payment)
    assert payment.status is PaymentStatus.SUBMITTED and payment.total == 300_000 and payment.message is None


@pytest.mark.parametrize("locale, hello", [("en", "Hello!"), ("ru", "Здравствуйте!"), ("kk", "Сәлеметсіз бе!")])
def test_the_grantee_is_mailed_in_their_language_when_returned_and_when_paid(request_ctx, locale, hello):
    grant = make_grant()
    grantee = grantee_of(grant)
    grantee.locale = locale
    supplier = make_supplier()
    payment = make_request(grant, supplier, None)
    staff = make_staff()
    decisions.return_for_correction(payment, "Нет печати.", staff)
    db.session.rollback()  # not committed: no mail either
    assert outbox_for(grantee.email) == []
    payment = db.session.get(PaymentRequest, payment.id)
    decisions.return_for_correction(payment, "Нет печати.", staff)
    db.session.commit()
    [returned] = outbox_for(grantee.email)
    assert returned.locale == locale and hello in returned.body_text and grant.number in returned.subject
    assert "Нет печати." in returned.body_text and f"/my/grants/{grant.id}/payments" in returned.body_text
    decisions.resubmit(payment, {"supplier": supplier, "invoice_number": "СФ-17",
                                 "invoice_date": payment.invoice_date, "total": payment.total,
                                 "lines": [{"item": "Швейная машина", "quantity": 2, "unit_price": 180_000}]},
                       None, grantee)
    decisions.approve(payment, staff)
    decisions.pay(payment, "ПП-77", decisions.almaty_today(), make_staff(Role.FINANCE))
    db.session.commit()
    paid = outbox_for(grantee.email)[-1]
    assert paid.locale == locale and hello in paid.body_text and len(outbox_for(grantee.email)) == 2
    assert "ПП-77" in paid.body_text and supplier.name in paid.body_text and "360" in paid.body_text
