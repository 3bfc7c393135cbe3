"""A rejected applicant on a phone, in Russian: reads why (the reasons, the screener's message) and
until when they may appeal, on the status card and on the appeal card (the same day), then appeals."""
import pytest
from flask_babel import force_locale, format_date

from app.extensions import db
from app.screening import appeals
from app.screening.models import ReasonCode
from tests.browser.fixtures import ARTIFACTS, log_in, page_width
from tests.factories import make_open_competition
from tests.screening.helpers import reject, staff_user, submitted

pytestmark = pytest.mark.browser
MESSAGE = "Справка из центра занятости не приложена."


def test_a_rejected_applicant_sees_the_reasons_the_message_and_the_deadline_and_appeals(app, live_server, phone):
    with app.test_request_context(base_url=live_server):  # the mails link to the live server
        call = make_open_competition(code="ZP27", appeal_days=5)
        application = submitted(call, "asel@example.kz", locale="ru")
        application = reject(application, staff_user("screener@example.kz"),
                             reasons=(ReasonCode.AGE, ReasonCode.NO_NEET_EVIDENCE), message=MESSAGE)
        application_id = application.id
        with force_locale("ru"):
            last_day = format_date(appeals.last_appeal_day(appeals.appeal_deadline(application)), "d MMMM y")
            reasons = [str(ReasonCode.AGE.title), str(ReasonCode.NO_NEET_EVIDENCE.title)]
        db.session.remove()
    page = phone
    page.goto(live_server + "/lang/ru")
    log_in(page, live_server, "asel@example.kz")

    page.goto(live_server + f"/my/applications/{application_id}")
    status = page.locator("[data-rejection]")
    assert reasons[0] == "Возраст не соответствует требованиям конкурса"
    for reason in reasons:
        assert status.get_by_text(reason).is_visible()
    assert status.get_by_text(MESSAGE).is_visible()
    assert last_day in page.locator("[data-appeal-deadline]").inner_text()
    appeal_card = page.locator("section[aria-labelledby=appeal-heading]")
    assert last_day in appeal_card.inner_text()  # the same day on both cards
    assert page_width(page) <= 390
    page.screenshot(path=str(ARTIFACTS / "applicant-rejected.png"), full_page=True)

    appeal_card.locator("a.btn").click()
    page.wait_for_load_state()
    assert reasons[1] in page.locator("main").inner_text()
    page.fill("#text", "Я состою на учёте в центре занятости, справку прикладываю.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/my/applications/{application_id}")
    assert page.get_by_role("heading", name="Ваша апелляция").is_visible()
    assert page.get_by_text("Ожидает решения").is_visible()
