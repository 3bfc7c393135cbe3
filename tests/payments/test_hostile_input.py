"""Hostile input in every field of the new money forms never becomes a 500 and never changes a
figure: NUL and other control characters, 10^25, negative numbers, far dates. Run on SQLite and
on PostgreSQL (TEST_DATABASE_URL)."""
import io
from datetime import timedelta

import pytest

from app.auth.models import Role
from app.contracts.models import Grant
from app.extensions import db
from app.payments import decisions
from app.payments.models import PaymentRequest, Supplier
from tests.conftest import login
from tests.factories import MINIMAL_PDF
from tests.payments import make_grant, make_iban, make_staff, make_supplier, supplier_values

HOSTILE = ["Шебер\x00", "\x07", "1" + "0" * 25, "-5", "0001-01-01", "9999-12-31", "<script>x</script>", "я" * 5000]
# What no field may take: control characters, and numbers or dates far out of range.
REFUSED_EVERYWHERE = {"Шебер\x00", "\x07"}


@pytest.fixture
def grant(app_ctx):
    return make_grant()


@pytest.fixture
def as_staff(client, grant):
    login(client, make_staff(Role.MANAGER, "hostile-manager@example.kz").email)
    return client


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["name", "bin_iin", "iban", "bank", "address"])
def test_a_hostile_supplier_field_is_refused_without_a_500(as_staff, name, value):
    data = {**supplier_values(), "iban": make_iban(), name: value}
    response = as_staff.post("/manage/payments/suppliers/new", data=data)
    assert response.status_code < 500, (name, value)
    if response.status_code != 302:
        assert db.session.query(Supplier).count() == 0


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["invoice_number", "invoice_date", "lines-0-item", "lines-0-quantity",
                                  "lines-0-unit_price", "total"])
def test_a_hostile_request_field_is_refused_without_a_500(as_staff, grant, name, value):
    supplier = make_supplier()
    yesterday = (decisions.almaty_today() - timedelta(days=1)).isoformat()
    data = {"supplier_id": supplier.id, "invoice_number": "СФ-1", "invoice_date": yesterday,
            "lines-0-item": "Машина", "lines-0-quantity": "1", "lines-0-unit_price": "1000", "total": "1000",
            name: value}
    data["invoice"] = (io.BytesIO(MINIMAL_PDF), "invoice.pdf")
    response = as_staff.post(f"/manage/payments/grants/{grant.id}/requests/new", data=data,
                             content_type="multipart/form-data")
    assert response.status_code < 500, (name, value)
    numeric = name in ("lines-0-quantity", "lines-0-unit_price", "total", "invoice_date")
    if value in REFUSED_EVERYWHERE or numeric:  # a number of 10^25, -5 or text, a far date: all wrong
        assert db.session.query(PaymentRequest).count() == 0, (name, value)
    if value == "<script>x</script>" and name in ("invoice_number", "lines-0-item"):
        assert db.session.query(PaymentRequest).count() == 1  # plain text is kept (and escaped when shown)
    for payment in db.session.query(PaymentRequest):
        assert payment.total == 1000  # text fields never change a figure


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_amount_or_reason_never_changes_the_grant(as_staff, grant, value):
    for data in ({"amount": value, "reason": "Смета уменьшена."}, {"amount": "500000", "reason": value}):
        response = as_staff.post(f"/manage/grants/{grant.id}/amount", data=data)
        assert response.status_code < 500, data
    db.session.expire_all()
    amount = db.session.get(Grant, grant.id).amount
    assert amount in (1_000_000, 500_000)  # only the plain reason may go through
