"""A mentor on a 390 px phone logs a meeting from their start page: one tap to the form, the date
already today, the format two big buttons, a few words, save. Nothing scrolls sideways."""
import pytest

from app.extensions import db
from app.mentoring import assignment, meetings
from app.mentoring.models import MeetingFormat
from tests.browser.fixtures import ARTIFACTS, log_in, page_width
from tests.mentoring import grants_of_one_call, make_mentor, set_password, staff_member

pytestmark = pytest.mark.browser
TAP_HEIGHT = 44  # px: the smallest comfortable touch target


def test_a_mentor_logs_a_meeting_on_a_phone(app, live_server, phone):  # noqa: F811
    with app.test_request_context():  # the mails' links need a host
        grant, = grants_of_one_call(1, signed_days_ago=20)
        staff = staff_member()
        mentor = make_mentor(grant.competition, staff, 1)
        assignment.choose(grant, mentor, "Единственный наставник района", staff)
        db.session.commit()
        email, grant_id = set_password(mentor.user).email, grant.id
        db.session.remove()
    page = phone
    log_in(page, live_server, email)
    assert page.url.rstrip("/").endswith("/manage")
    page.locator(f"[data-mentee='{grant_id}'] a.btn").click()
    page.wait_for_load_state()
    assert page.locator("#held_on").input_value() == meetings.today_in_almaty().isoformat()
    online = page.locator("label[for='format-1']")
    assert online.bounding_box()["height"] >= TAP_HEIGHT
    online.click()
    page.fill("#topics", "Счета поставщиков, первые клиенты")
    assert page_width(page) <= 390
    page.screenshot(path=str(ARTIFACTS / "mentor-meeting-phone.png"), full_page=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/manage/mentees/{grant_id}")
    assert "The meeting is logged." in page.locator("main").inner_text()
    with app.app_context():
        meeting, = meetings.schedule_of(db.session.get(type(grant), grant_id)).meetings
        assert meeting.format is MeetingFormat.ONLINE and meeting.topics == "Счета поставщиков, первые клиенты"
        db.session.remove()
