"""A young person answers a survey on a phone from the link in their mail, in Russian, without
logging in: five big buttons, a comment, sent in a few taps."""
import pytest

from app.extensions import db
from tests.browser.fixtures import ARTIFACTS, axe_violations, page_width
from tests.factories import make_open_competition
from tests.screening import person
from tests.surveys import invitations, survey_links

pytestmark = pytest.mark.browser


def survey_link(app, live_server):
    with app.test_request_context(base_url=live_server):
        application = person(make_open_competition(code="ZP26"), 1, locale="ru")
        [path] = survey_links(application.applicant.email)
        db.session.remove()
    return live_server + path


def test_a_person_answers_on_a_phone_in_a_few_taps(app, live_server, phone):
    page = phone
    page.goto(survey_link(app, live_server))
    assert page_width(page) <= 390
    buttons = page.locator("label.btn[for^=score-]")
    assert buttons.count() == 5
    for index in range(5):
        box = buttons.nth(index).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44  # a thumb's target
    page.screenshot(path=str(ARTIFACTS / "survey-answer-phone.png"), full_page=True)

    buttons.nth(4).click()
    page.fill("#comment", "Всё понятно, спасибо колл-центру!")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Thank you!" in page.content() or "Спасибо!" in page.content()
    with app.app_context():
        [invitation] = invitations()
        assert (invitation.score, invitation.comment) == (5, "Всё понятно, спасибо колл-центру!")
        db.session.remove()


def test_the_answer_page_has_no_serious_accessibility_problem(app, live_server, audited_phone):
    page = audited_phone.new_page()
    page.goto(survey_link(app, live_server))
    assert axe_violations(page) == []
