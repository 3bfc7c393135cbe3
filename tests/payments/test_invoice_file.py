"""The grantee attaches the invoice from a phone: a camera input (`capture`, which on a phone opens
the camera and nothing else) and beside it a plain file input, for an invoice that came as a PDF;
one of them, not both."""
import io
import re

import pytest

from app.extensions import db
from app.payments.models import PaymentRequest
from tests import factories
from tests.conftest import login
from tests.payments import make_grant, make_supplier


def pdf():
    return (io.BytesIO(factories.MINIMAL_PDF), "invoice.pdf")


@pytest.fixture
def grantee(app_ctx, client):
    grant, supplier = make_grant(), make_supplier()
    login(client, grant.application.applicant.email)
    url = f"/my/grants/{grant.id}/payments/new"

    def post(**files):
        data = {"supplier_bin": supplier.bin_iin, "invoice_number": "СФ-8",
                "invoice_date": factories.utcnow().date().isoformat(), "lines-0-item": "Оверлок",
                "lines-0-quantity": "1", "lines-0-unit_price": "90 000", "total": "90 000", **files}
        response = client.post(url, data=data, content_type="multipart/form-data")
        return response.status_code, response.get_data(as_text=True)
    post.url, post.client = url, client
    return post


def test_the_camera_input_and_the_file_input(grantee):
    page = grantee.client.get(grantee.url).get_data(as_text=True)
    camera = re.search(r'<input[^>]*name="invoice"[^>]*>', page)[0]
    assert 'capture="environment"' in camera and 'accept="image/*,application/pdf"' in camera
    file = re.search(r'<input[^>]*name="invoice_file"[^>]*>', page)[0]
    assert "capture" not in file and "application/pdf" in file and "image/jpeg" in file


def test_an_invoice_that_came_as_a_pdf_is_attached_as_a_file(grantee):
    status, _page = grantee(invoice_file=pdf())
    assert status == 302
    assert db.session.query(PaymentRequest).one().original_name == "invoice.pdf"


def test_a_photo_and_a_file_together_are_refused(grantee):
    status, page = grantee(invoice=pdf(), invoice_file=pdf())
    assert status == 200 and "either its photo or a file, not both" in page
    assert db.session.query(PaymentRequest).count() == 0


def test_no_invoice_at_all_is_asked_for(grantee):
    status, page = grantee()
    assert status == 200 and "Attach the invoice" in page


def test_more_lines_asks_for_the_file_again(grantee):
    status, page = grantee(invoice_file=pdf(), more_lines="1")
    assert status == 200 and "Choose the invoice file again" in page
    assert db.session.query(PaymentRequest).count() == 0
