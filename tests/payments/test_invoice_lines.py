"""The invoice lines of a payment request without scripts: "More lines" and a line's "Remove" show the
form again (what was typed kept, nothing saved), never more rows than a request may have, lines the
script removed leave gaps the server reads in order, and the sum of the lines is shown and checked."""
import io
import re

import pytest

from app.extensions import db
from app.payments import decisions
from app.payments.models import PaymentRequest
from tests import factories
from tests.conftest import login
from tests.payments import make_grant, make_staff, make_supplier

LINES = (("Оверлок", "2", "150 000"), ("Нитки", "10", "1 500"), ("Иглы", "5", "400"))


def request_form(supplier, lines=LINES, total=None, indices=None, invoice=True, **extra):
    data = {"supplier_id": supplier.id, "invoice_number": "СФ-3",
            "invoice_date": factories.utcnow().date().isoformat(), **extra}
    for index, (item, quantity, price) in zip(indices or range(len(lines)), lines):
        data.update({f"lines-{index}-item": item, f"lines-{index}-quantity": quantity,
                     f"lines-{index}-unit_price": price})
    data["total"] = total if total is not None else str(sum(
        int(q.replace(" ", "")) * int(p.replace(" ", "")) for _item, q, p in lines))
    if invoice:
        data["invoice"] = (io.BytesIO(factories.MINIMAL_PDF), "invoice.pdf")
    return data


def rows(page):
    return sorted({int(n) for n in re.findall(r'name="lines-(\d+)-item"', page)})


@pytest.fixture
def staff_form(app_ctx, client):
    grant, supplier = make_grant(), make_supplier()
    login(client, make_staff().email)
    url = f"/manage/payments/grants/{grant.id}/requests/new"

    def post(**changes):
        response = client.post(url, data=request_form(supplier, **changes), content_type="multipart/form-data")
        return response.status_code, response.get_data(as_text=True)
    post.url, post.client, post.supplier = url, client, supplier
    return post


def test_a_new_request_starts_with_three_rows_and_both_line_buttons(staff_form):
    page = staff_form.client.get(staff_form.url).get_data(as_text=True)
    assert rows(page) == [0, 1, 2]
    assert 'name="more_lines"' in page and "data-add-line hidden" in page
    assert page.count('name="remove_line"') == 3
    assert re.search(r'src="/static/js/payment-request\.js\?v=[0-9a-f]{12}"', page)
    assert f'data-max-lines="{decisions.LINES_MAX}"' in page


def test_the_default_button_sends_the_request_not_a_line_button(staff_form):
    """Enter in a field presses the form's first submit button: it must be the one that sends."""
    page = staff_form.client.get(staff_form.url).get_data(as_text=True)
    form = page[page.index('<form method="post" enctype="multipart/form-data"'):]
    first = re.search(r"<button[^>]*type=\"submit\"[^>]*>", form)[0]
    assert "name=" not in first


def test_more_lines_without_scripts_keeps_what_was_typed_and_saves_nothing(staff_form):
    status, page = staff_form(more_lines="1", total="12")
    assert status == 200
    assert rows(page) == [0, 1, 2, 3, 4, 5]
    for item, _quantity, _price in LINES:
        assert f'value="{item}"' in page
    assert 'value="СФ-3"' in page and 'name="total" type="text" value="12"' in page
    assert "does not match the lines" not in page  # nothing was checked
    assert "Choose the invoice file again" in page  # a browser does not keep a chosen file
    assert db.session.query(PaymentRequest).count() == 0


def test_more_lines_stop_at_the_most_a_request_may_have(staff_form):
    lines = [(f"Товар {n}", "1", "100") for n in range(decisions.LINES_MAX - 1)]
    status, page = staff_form(lines=lines, more_lines="1")
    assert status == 200 and len(rows(page)) == decisions.LINES_MAX
    assert 'name="more_lines"' not in page
    assert f"A request can have at most {decisions.LINES_MAX} lines." in page
    assert "data-lines-full hidden" not in page
    _status, page = staff_form(lines=[(f"Товар {n}", "1", "100") for n in range(decisions.LINES_MAX)],
                               more_lines="1")
    assert len(rows(page)) == decisions.LINES_MAX


def test_too_many_lines_are_refused_not_cut_short(staff_form):
    lines = [(f"Товар {n}", "1", "100") for n in range(decisions.LINES_MAX + 40)]
    status, page = staff_form(lines=lines, total=str(100 * len(lines)))
    assert status == 200 and f"At most {decisions.LINES_MAX} lines." in page
    assert db.session.query(PaymentRequest).count() == 0


def test_removing_a_line_without_scripts_keeps_the_others(staff_form):
    status, page = staff_form(remove_line="1")
    assert status == 200 and len(rows(page)) == 2
    assert 'value="Оверлок"' in page and 'value="Иглы"' in page and 'value="Нитки"' not in page
    assert db.session.query(PaymentRequest).count() == 0


@pytest.mark.parametrize("position", ["0", "7", "x", "-1", "99999999999999999999"])
def test_removing_the_only_line_or_a_line_that_is_not_there_leaves_a_row(staff_form, position):
    status, page = staff_form(lines=LINES[:1], remove_line=position)
    assert status == 200 and len(rows(page)) == 1
    assert ('value="Оверлок"' in page) == (position != "0")


def test_lines_the_script_removed_leave_gaps_read_in_order(staff_form):
    status, _page = staff_form(indices=(0, 4, 9))
    assert status == 302
    payment = db.session.query(PaymentRequest).one()
    assert [(line.position, line.item, line.quantity, line.unit_price) for line in payment.lines] == [
        (1, "Оверлок", 2, 150_000), (2, "Нитки", 10, 1_500), (3, "Иглы", 5, 400)]
    assert payment.total == 2 * 150_000 + 10 * 1_500 + 5 * 400


def test_an_error_after_a_gap_stands_next_to_its_own_line(staff_form):
    lines = (LINES[0], ("Нитки", "много", "1 500"))
    status, page = staff_form(lines=lines, indices=(0, 6), total="300000")
    assert status == 200
    assert re.search(r'id="lines-1-quantity-error"[^>]*>Enter the quantity as a whole number', page)
    assert 'value="много"' in page
    assert db.session.query(PaymentRequest).count() == 0


def test_the_page_shows_each_amount_and_the_sum_and_a_total_off_the_sum_is_refused(staff_form):
    status, page = staff_form(total="300 000")
    assert status == 200
    assert "does not match the lines: they add up to 317000 tenge" in page
    sums = re.findall(r"data-line-amount>([^<]*)<", page)
    assert sums[:3] == ["₸300,000", "₸15,000", "₸2,000"]
    assert re.search(r"data-lines-sum>₸317,000<", page)
    assert db.session.query(PaymentRequest).count() == 0
    status, _page = staff_form(total="317 000")
    assert status == 302 and db.session.query(PaymentRequest).one().total == 317_000


def test_a_returned_request_keeps_its_lines_and_takes_more(app_ctx, client):
    from tests.payments import make_request
    grant, supplier, staff = make_grant(), make_supplier(), make_staff()
    payment = make_request(grant, supplier, staff, lines=(("Оверлок", 1, 100), ("Нитки", 2, 50)))
    decisions.return_for_correction(payment, "Нет печати.", staff)
    db.session.commit()
    login(client, staff.email)
    url = f"/manage/payments/requests/{payment.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert rows(page) == [0, 1] and 'value="Нитки"' in page
    data = request_form(supplier, lines=(("Оверлок", "1", "100"), ("Нитки", "2", "50")), invoice=False)
    page = client.post(url, data={**data, "more_lines": "1"}).get_data(as_text=True)
    assert rows(page) == [0, 1, 2, 3, 4]
    db.session.refresh(payment)
    assert payment.status.value == "returned"
