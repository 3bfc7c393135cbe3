"""The operator logs consultations as the calls end, in a real browser: the page opens with the
focus on the channel, Enter in the note saves, and the focus is back on the first field for the
next call; on a phone (390 px) the one line folds and nothing is wider than the screen."""
import pytest

from app.extensions import db
from app.office_log import queries
from app.office_log.models import Channel
from tests.browser.fixtures import axe_violations, log_in, page_width
from tests.office_log import make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def operator_email(app):
    with app.app_context():
        email = make_staff().email
        db.session.remove()
    return email


def counted(app):
    with app.app_context():
        found = queries.consultations_by_channel()
        db.session.remove()
    return found


def test_enter_saves_and_the_next_call_starts_at_the_first_field(app, live_server, desk, operator_email):
    page = desk.new_page()
    log_in(page, live_server, operator_email)
    page.goto(live_server + "/manage/office-log/consultations")
    # autofocus is applied after the page's load event, later on a busy machine
    page.wait_for_function("document.activeElement && document.activeElement.name === 'channel'", timeout=5000)
    page.keyboard.press("ArrowRight")  # from the phone call to WhatsApp
    page.select_option("#topic", "documents")
    page.select_option("#region_code", "MAN")
    page.fill("#note", "Какая справка подтверждает NEET")
    with page.expect_navigation():
        page.press("#note", "Enter")
    assert "The consultation is logged." in page.inner_text("main")
    page.wait_for_function("document.activeElement && document.activeElement.value === 'whatsapp'", timeout=5000)
    page.fill("#note", "Спросил про возраст")
    page.select_option("#topic", "conditions")
    with page.expect_navigation():
        page.press("#note", "Enter")
    assert counted(app)[Channel.WHATSAPP] == 2
    assert page.locator("[data-consultation]").count() == 2


def test_the_quick_entry_fits_a_phone(app, live_server, phone, operator_email):
    log_in(phone, live_server, operator_email)
    phone.goto(live_server + "/manage/office-log/consultations")
    assert page_width(phone) <= 390
    phone.locator("label[for=channel-4]").tap()  # a visit to the office
    phone.select_option("#topic", "grant")
    phone.fill("#note", "Принесла счёт поставщика")
    with phone.expect_navigation():
        phone.locator("[data-quick-entry] button[type=submit]").tap()
    assert counted(app)[Channel.VISIT] == 1
    assert page_width(phone) <= 390


def test_an_event_is_logged_on_a_phone(app, live_server, phone, operator_email):
    log_in(phone, live_server, operator_email)
    phone.goto(live_server + "/manage/office-log/events/new")
    phone.select_option("#kind", "open_day")
    phone.fill("#held_on", "2025-10-12")
    phone.fill("#place", "г. Жанаозен, молодёжный ресурсный центр")
    phone.select_option("#region_code", "MAN")
    phone.fill("#participants", "14")
    phone.fill("#women", "9")
    assert page_width(phone) <= 390
    with phone.expect_navigation():
        phone.locator("[data-event-form] button[type=submit]").tap()
    assert "14 participants; women: 9" in phone.inner_text("[data-totals]")
    assert page_width(phone) <= 390


def test_the_log_pages_pass_axe_with_errors_shown(app, live_server, audited_phone, operator_email):
    page = audited_phone.new_page()
    log_in(page, live_server, operator_email)
    page.goto(live_server + "/manage/office-log/consultations")
    page.fill("#note", "x" * 10)
    page.select_option("#topic", "")
    with page.expect_navigation():
        page.press("#note", "Enter")
    assert "Choose the topic." in page.inner_text("main")
    assert axe_violations(page) == []
    page.goto(live_server + "/manage/office-log/events/new")
    with page.expect_navigation():
        page.locator("[data-event-form] button[type=submit]").tap()
    assert "Choose the kind of event." in page.inner_text("main")
    assert axe_violations(page) == []
