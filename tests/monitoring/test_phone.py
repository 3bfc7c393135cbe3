"""A monitor on a 390 px phone: from the start page to the visit's photos without scrolling sideways,
tapping the checklist's buttons, and the pages pass axe's serious and critical checks."""
import pytest

from app.extensions import db
from tests.browser.fixtures import ARTIFACTS, axe_violations, log_in, page_width
from tests.monitoring import make_group, picture, plan_for, signed_grants

pytestmark = pytest.mark.browser


def fits_the_phone(page):
    assert page_width(page) <= 390, page.url
    assert axe_violations(page) == [], page.url


def test_a_monitor_records_a_visit_with_photos_on_a_phone(app, live_server, audited_phone, tmp_path):  # noqa: F811
    with app.test_request_context():  # the contract's mail links need a host; the phone's context took SERVER_NAME
        _call, (grant,) = signed_grants(regions=("MAN",))
        group = make_group("Актау")
        plan_for(grant, group)
        email, number = group.members[0].email, grant.number
        db.session.remove()
    page = audited_phone.new_page()
    log_in(page, live_server, email)
    fits_the_phone(page)
    page.locator("[data-visit-work] a.btn").click()
    page.wait_for_load_state()
    fits_the_phone(page)
    page.locator(f"[data-planned-grant='{number}'] a.btn").click()
    page.wait_for_load_state()
    fits_the_phone(page)

    for item in page.locator("[data-check]").all():
        item.locator("label.btn").first.click()  # "Yes"
    page.locator("[data-check='purchases_in_use'] label.btn").last.click()  # "No"
    page.fill("#comment_purchases_in_use", "Швейная машина не используется.")
    page.fill("#findings", "Мастерская открыта, но одна машина стоит без дела.")
    page.locator("label[for='rating-2']").click()  # "Satisfactory"
    page.screenshot(path=str(ARTIFACTS / "monitor-visit-form-phone.png"), full_page=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Follow-up needed" in page.content()
    fits_the_phone(page)

    photo = tmp_path / "visit.jpg"
    photo.write_bytes(picture(size=(2000, 1500)))
    page.set_input_files("#photos", [str(photo)])
    page.locator("#photos").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    thumbnail = page.locator("[data-photos] img").first
    thumbnail.scroll_into_view_if_needed()  # a lazy image loads when it comes into view
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    assert thumbnail.evaluate("img => img.naturalWidth") == 320
    fits_the_phone(page)
    page.screenshot(path=str(ARTIFACTS / "monitor-visit-phone.png"), full_page=True)
