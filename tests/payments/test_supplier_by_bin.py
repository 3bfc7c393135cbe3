"""Staff entering a request for a grantee name the supplier by the BIN/IIN on the invoice: the
registered supplier is found by it (as it is typed, by the page's script, and on sending), an
unregistered number says so and links to adding the supplier with the number filled in, and a
number that is not the supplier chosen in the list is refused."""
import io
import re

import pytest

from app.extensions import db
from app.payments import decisions
from app.payments.models import PaymentRequest
from tests import factories
from tests.conftest import login
from tests.payments import make_bin, make_grant, make_request, make_staff, make_supplier


def form(supplier_bin="", supplier_id="0"):
    return {"supplier_bin": supplier_bin, "supplier_id": supplier_id, "invoice_number": "СФ-4",
            "invoice_date": factories.utcnow().date().isoformat(),
            "lines-0-item": "Оверлок", "lines-0-quantity": "1", "lines-0-unit_price": "120 000", "total": "120 000",
            "invoice": (io.BytesIO(factories.MINIMAL_PDF), "invoice.pdf")}


@pytest.fixture
def staff(app_ctx, client):
    login(client, make_staff().email)
    return client


def send(client, grant, **fields):
    response = client.post(f"/manage/payments/grants/{grant.id}/requests/new", data=form(**fields),
                           content_type="multipart/form-data")
    return response.status_code, response.get_data(as_text=True)


def test_the_supplier_is_found_by_the_bin_typed_with_spaces(staff):
    grant, supplier = make_grant(), make_supplier()
    make_supplier(name="ИП Другой", bin_iin=make_bin(900))
    spaced = " ".join(supplier.bin_iin[i:i + 4] for i in range(0, 12, 4))
    status, _page = send(staff, grant, supplier_bin=spaced)
    assert status == 302
    assert db.session.query(PaymentRequest).one().supplier_id == supplier.id


def test_an_unregistered_bin_says_so_and_links_to_adding_the_supplier(staff):
    grant, _supplier = make_grant(), make_supplier()
    number = make_bin(500)
    status, page = send(staff, grant, supplier_bin=number)
    assert status == 200
    assert "No supplier with this BIN/IIN is registered yet: add it" in page
    assert f'href="/manage/payments/suppliers/new?bin_iin={number}" target="_blank"' in page
    assert 'value="Оверлок"' in page  # the rest of the form is kept
    assert db.session.query(PaymentRequest).count() == 0
    new = staff.get(f"/manage/payments/suppliers/new?bin_iin={number}").get_data(as_text=True)
    assert re.search(rf'name="bin_iin"[^>]*value="{number}"', new)
    hostile = staff.get("/manage/payments/suppliers/new", query_string={"bin_iin": "12\x00<b>"})
    assert hostile.status_code == 200 and "\x00" not in hostile.get_data(as_text=True)


def test_a_bin_with_a_wrong_check_digit_is_refused_beside_the_field(staff):
    grant = make_grant()
    status, page = send(staff, grant, supplier_bin="123456789012")
    assert status == 200 and 'id="supplier_bin-error"' in page and "check digit" in page
    assert db.session.query(PaymentRequest).count() == 0


def test_a_bin_that_is_not_the_supplier_chosen_in_the_list_is_refused(staff):
    grant, supplier = make_grant(), make_supplier()
    other = make_supplier(name="ИП Другой", bin_iin=make_bin(900))
    status, page = send(staff, grant, supplier_bin=other.bin_iin, supplier_id=str(supplier.id))
    assert status == 200 and "not the one chosen in the list" in page
    status, _page = send(staff, grant, supplier_bin=supplier.bin_iin, supplier_id=str(supplier.id))
    assert status == 302


def test_the_list_alone_still_names_the_supplier(staff):
    grant, supplier = make_grant(), make_supplier()
    status, _page = send(staff, grant, supplier_id=str(supplier.id))
    assert status == 302 and db.session.query(PaymentRequest).one().supplier_id == supplier.id


def test_the_grantees_own_iin_typed_as_a_supplier_is_refused(staff):
    grant = make_grant()
    supplier = make_supplier(name="ИП Грантополучатель", bin_iin=grant.application.iin)
    status, page = send(staff, grant, supplier_bin=supplier.bin_iin)
    assert status == 200 and "never to the grantee" in page
    assert db.session.query(PaymentRequest).count() == 0


def test_the_finder_answers_as_the_bin_is_typed(staff):
    supplier = make_supplier()
    found = staff.get(f"/manage/payments/suppliers/find?bin_iin={supplier.bin_iin}").get_json()
    assert found == {"found": True, "id": supplier.id,
                     "message": f"{supplier.name} · {supplier.iban} ({supplier.bank})"}
    number = make_bin(500)
    unknown = staff.get(f"/manage/payments/suppliers/find?bin_iin={number}").get_json()
    assert unknown["found"] is False and "No supplier with this BIN/IIN" in unknown["message"]
    assert unknown["add_url"] == f"/manage/payments/suppliers/new?bin_iin={number}"


@pytest.mark.parametrize("text", ["", "12", "123456789012", "abc\x00def", "9" * 10_000, "١٢٣٤٥٦٧٨٩٠١٢"])
def test_the_finder_says_why_a_number_is_wrong_and_never_fails(staff, text):
    response = staff.get("/manage/payments/suppliers/find", query_string={"bin_iin": text})
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["found"] is False and answer["message"] and "add_url" not in answer


def test_the_finder_is_for_those_who_approve_payments(app_ctx, client):
    from app.auth.models import Role
    login(client, make_staff(Role.FINANCE).email)
    assert client.get("/manage/payments/suppliers/find?bin_iin=1").status_code == 403


def test_a_returned_request_opens_with_its_suppliers_bin(staff):
    grant, supplier = make_grant(), make_supplier()
    payment = make_request(grant, supplier, None)
    decisions.return_for_correction(payment, "Нет печати.", make_staff(email="other@example.kz"))
    db.session.commit()
    page = staff.get(f"/manage/payments/requests/{payment.id}/edit").get_data(as_text=True)
    assert re.search(rf'name="supplier_bin"[^>]*value="{supplier.bin_iin}"', page)


@pytest.mark.parametrize("text", ["12\x00", "1" * 10_000, "10000000000000000000000000", "<script>x</script>"])
def test_a_hostile_bin_in_the_request_form_is_refused_without_a_500(staff, text):
    grant = make_grant()
    status, page = send(staff, grant, supplier_bin=text)
    assert status == 200 and 'id="supplier_bin-error"' in page and "<script>x" not in page
    assert db.session.query(PaymentRequest).count() == 0
