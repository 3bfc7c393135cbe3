"""A grantee on a phone (390x844) enters a payment request: the invoice's lines added and removed in
the page, each line's amount and the sum written as they are typed, a total off the sum flagged,
never more lines than a request may have, Enter sends the request, and nothing is wider than the
screen. Staff at the office find the supplier by typing its BIN/IIN."""
import re

import pytest

from app.extensions import db
from app.payments import decisions
from app.payments.models import PaymentRequest
from tests import factories
from tests.browser.fixtures import ARTIFACTS, axe_violations, log_in, page_width
from tests.payments import make_bin, make_grant, make_staff, make_supplier

pytestmark = pytest.mark.browser
WIDTH = 390



def lines(page):
    return page.locator("[data-line]")


def fill_line(page, position, item, quantity, price):
    line = lines(page).nth(position)
    line.locator("[data-item]").fill(item)
    line.locator("[data-quantity]").fill(quantity)
    line.locator("[data-unit-price]").fill(price)


@pytest.fixture
def grantee_page(app, live_server, phone):
    with app.app_context():
        grant, supplier = make_grant(), make_supplier()
        ids = {"grant": grant.id, "bin": supplier.bin_iin, "email": grant.application.applicant.email}
        db.session.remove()
    log_in(phone, live_server, ids["email"])
    phone.goto(f"{live_server}/my/grants/{ids['grant']}/payments/new")
    return phone, ids


def test_a_grantee_adds_and_removes_lines_and_sees_the_sum_on_a_phone(app, grantee_page):
    page, ids = grantee_page
    assert page.locator("#invoice").get_attribute("capture") == "environment"
    assert page.locator("[data-more-lines]").is_hidden() and page.locator("[data-add-line]").is_visible()
    assert lines(page).count() == 3

    page.fill("#supplier_bin", ids["bin"])
    page.fill("#invoice_number", "СФ-21")
    page.fill("#invoice_date", factories.utcnow().date().isoformat())
    fill_line(page, 0, "Оверлок", "2", "150 000")
    assert lines(page).nth(0).locator("[data-line-amount]").inner_text() == "₸300,000"
    fill_line(page, 1, "Нитки", "10", "1500")
    assert page.locator("[data-lines-sum]").inner_text() == "₸315,000"

    page.locator("[data-add-line]").click()
    assert lines(page).count() == 4
    assert lines(page).nth(3).locator("legend").inner_text() == "Line 4"
    assert page.evaluate("document.activeElement.name") == "lines-3-item"
    fill_line(page, 3, "Иглы", "5", "400")
    assert page.locator("[data-lines-sum]").inner_text() == "₸317,000"

    lines(page).nth(1).locator("[data-remove-line]").click()  # the script removes it: nothing is sent
    assert lines(page).count() == 3
    assert [lines(page).nth(n).locator("legend").inner_text() for n in range(3)] == ["Line 1", "Line 2", "Line 3"]
    assert lines(page).nth(2).locator("[data-remove-line]").get_attribute("aria-label") == "Remove line 3"
    assert page.locator("[data-lines-sum]").inner_text() == "₸302,000"

    page.fill("#total", "300 000")
    assert page.locator("[data-total-mismatch]").is_visible()
    page.fill("#total", "302 000")
    assert page.locator("[data-total-mismatch]").is_hidden()
    assert page_width(page) <= WIDTH
    page.screenshot(path=str(ARTIFACTS / "payment-request-phone.png"), full_page=True)

    page.set_input_files("#invoice_file", files=[{"name": "invoice.pdf", "mimeType": "application/pdf",
                                                  "buffer": factories.MINIMAL_PDF}])
    page.locator("#invoice_number").press("Enter")  # Enter sends the request, it removes no line
    page.wait_for_load_state()
    assert page.url.endswith(f"/my/grants/{ids['grant']}/payments")
    assert page_width(page) <= WIDTH
    page.screenshot(path=str(ARTIFACTS / "payment-ledger-phone.png"), full_page=True)
    with app.app_context():
        payment = db.session.query(PaymentRequest).one()
        assert [(line.item, line.quantity, line.unit_price) for line in payment.lines] == [
            ("Оверлок", 2, 150_000), ("Иглы", 5, 400)]
        assert payment.total == 302_000
        db.session.remove()


def test_lines_stop_at_the_most_a_request_may_have(grantee_page):
    page, _ids = grantee_page
    add = page.locator("[data-add-line]")
    while add.is_visible():
        add.click()
    assert lines(page).count() == decisions.LINES_MAX
    assert page.locator("[data-lines-full]").is_visible()
    lines(page).nth(0).locator("[data-remove-line]").click()
    assert add.is_visible() and page.locator("[data-lines-full]").is_hidden()
    assert page_width(page) <= WIDTH


def test_the_only_line_removed_is_emptied_not_lost(grantee_page):
    page, _ids = grantee_page
    for _n in range(2):
        lines(page).nth(0).locator("[data-remove-line]").click()
    fill_line(page, 0, "Оверлок", "1", "100")
    lines(page).nth(0).locator("[data-remove-line]").click()
    assert lines(page).count() == 1
    assert lines(page).nth(0).locator("[data-item]").input_value() == ""
    assert page.locator("[data-lines-sum]").inner_text() == "₸0"


def test_staff_find_the_supplier_by_typing_its_bin(app, live_server, desk):
    from playwright.sync_api import expect

    with app.app_context():
        grant, supplier = make_grant(), make_supplier()
        staff = make_staff()
        ids = {"grant": grant.id, "bin": supplier.bin_iin, "supplier": supplier.id, "name": supplier.name,
               "email": staff.email, "unknown": make_bin(500)}
        db.session.remove()
    page = desk.new_page()
    log_in(page, live_server, ids["email"])
    page.goto(f"{live_server}/manage/payments/grants/{ids['grant']}/requests/new")
    found = page.locator("[data-supplier-found]")
    page.fill("#supplier_bin", ids["bin"][:6] + " " + ids["bin"][6:])
    expect(found).to_contain_text(ids["name"])
    assert page.locator("#supplier_id").input_value() == str(ids["supplier"])

    page.fill("#supplier_bin", ids["unknown"])
    expect(found).to_contain_text("No supplier with this BIN/IIN is registered yet")
    assert page.locator("#supplier_id").input_value() == "0"
    href = page.locator("[data-add-supplier]").get_attribute("href")
    assert re.search(rf"/manage/payments/suppliers/new\?bin_iin={ids['unknown']}$", href)


def test_the_grantees_payment_pages_have_no_serious_axe_violations(app, live_server, audited_phone):
    with app.app_context():
        grant, supplier = make_grant(), make_supplier()
        ids = {"grant": grant.id, "bin": supplier.bin_iin, "email": grant.application.applicant.email}
        db.session.remove()
    page = audited_phone.new_page()
    log_in(page, live_server, ids["email"])
    page.goto(f"{live_server}/my/grants/{ids['grant']}/payments/new")
    page.locator("[data-add-line]").click()
    lines(page).nth(0).locator("[data-remove-line]").click()
    page.locator("main button[type=submit]").last.click()  # refused: every error on the page
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count()
    assert axe_violations(page) == []
    page.goto(f"{live_server}/my/grants/{ids['grant']}/payments")
    assert axe_violations(page) == []
