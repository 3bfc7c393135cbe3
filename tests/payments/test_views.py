"""The staff pages: suppliers, a request entered, approved and paid through the forms, refusals shown
on the page, and the exports downloaded."""
import csv
import io

from app.auth.models import Role
from app.extensions import db
from app.payments.models import PaymentRequest, PaymentStatus, Supplier
from tests import factories
from tests.conftest import login
from tests.payments import make_bin, make_grant, make_iban, make_staff, make_supplier


def test_staff_add_a_supplier_and_a_duplicate_bin_names_the_holder(app_ctx, client):
    login(client, make_staff().email)
    form = {"name": "ТОО «Шебер»", "bin_iin": make_bin(), "iban": make_iban(), "bank": "Kaspi", "address": "Алматы"}
    assert client.post("/manage/payments/suppliers/new", data=form).status_code == 302
    page = client.post("/manage/payments/suppliers/new", data={**form, "name": "ИП Другой"}).get_data(as_text=True)
    assert "already registered for the supplier “ТОО «Шебер»”" in page.replace("&#34;", '"')
    bad = client.post("/manage/payments/suppliers/new",
                      data={**form, "bin_iin": "123456789012", "iban": "KZ00125KZT5004100100"}).get_data(as_text=True)
    assert "check digit" in bad and "IBAN" in bad
    assert db.session.query(Supplier).count() == 1
    assert "ТОО «Шебер»" in client.get("/manage/payments/suppliers").get_data(as_text=True)


def test_a_request_goes_from_the_form_to_approval_to_payment(app_ctx, client):
    grant, supplier, staff = make_grant(), make_supplier(), make_staff()
    finance = make_staff(Role.FINANCE)
    login(client, staff.email)
    today = factories.utcnow().date().isoformat()
    data = {"supplier_id": supplier.id, "invoice_number": "СФ-1", "invoice_date": today,
            "lines-0-item": "Оверлок", "lines-0-quantity": "2", "lines-0-unit_price": "150 000",
            "total": "300 000", "invoice": (io.BytesIO(factories.MINIMAL_PDF), "invoice.pdf")}
    wrong = client.post(f"/manage/payments/grants/{grant.id}/requests/new",
                        data={**data, "total": "300 001", "invoice": (io.BytesIO(factories.MINIMAL_PDF), "i.pdf")},
                        content_type="multipart/form-data")
    assert "does not match the lines" in wrong.get_data(as_text=True)
    response = client.post(f"/manage/payments/grants/{grant.id}/requests/new", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    payment = db.session.query(PaymentRequest).one()
    assert client.get(f"/manage/payments/requests/{payment.id}/invoice").status_code == 200
    assert client.post(f"/manage/payments/requests/{payment.id}/approve").status_code == 302
    client = client.application.test_client()  # another person, another browser
    login(client, finance.email)
    assert client.post(f"/manage/payments/finance/requests/{payment.id}/pay",
                       data={f"pay-{payment.id}-order_number": "ПП-5",
                             f"pay-{payment.id}-order_date": today}).status_code == 302
    db.session.refresh(payment)
    assert payment.status is PaymentStatus.PAID
    export = client.get(f"/manage/payments/finance/export?start={today}&end={today}&fmt=csv")
    rows = list(csv.reader(io.StringIO(export.get_data().decode("utf-8-sig"))))
    assert [row[7] for row in rows[1:]] == ["300000"]
    assert client.get(f"/manage/payments/grants/{grant.id}").status_code == 403  # finance does not approve


def test_paying_a_request_nobody_approved_is_refused_on_the_page(app_ctx, client):
    grant, supplier = make_grant(), make_supplier()
    login(client, make_staff(Role.FINANCE).email)
    payment = PaymentRequest(grant_id=grant.id, supplier_id=supplier.id, invoice_number="1",
                             invoice_date=grant.created_at.date(), total=5, stored_name="0" * 32 + ".pdf",
                             original_name="i.pdf", kind="pdf", sha256="0" * 64, size=1)
    db.session.add(payment)
    db.session.commit()
    response = client.post(f"/manage/payments/finance/requests/{payment.id}/pay",
                           data={f"pay-{payment.id}-order_number": "1",
                                 f"pay-{payment.id}-order_date": grant.created_at.date().isoformat()})
    assert response.status_code == 422 and "Only an approved request can be paid" in response.get_data(as_text=True)


def test_an_export_without_a_period_asks_for_one(app_ctx, client):
    login(client, make_staff().email)
    response = client.get("/manage/payments/export", follow_redirects=True)
    assert "Choose the first and the last day" in response.get_data(as_text=True)
