"""A grantee writes the final report on a phone (390x844): the form fits the screen, photos are
chosen from the phone, what does not add up is said beside the fields, Enter in a field saves the
draft (it deletes no photo), and the report is submitted. axe-core finds nothing serious."""
import pytest

from app.extensions import db
from app.final_reports import drafting
from app.final_reports.models import ReportStatus
from tests import files
from tests.browser.fixtures import ARTIFACTS, axe_violations, log_in, page_width
from tests.final_reports import grantee_of, make_report
from tests.payments import make_signed_grant

pytestmark = pytest.mark.browser
WIDTH = 390



def fill_counts(page, total, female, male, ages):
    page.fill("#beneficiaries", str(total))
    page.fill("#female", str(female))
    page.fill("#male", str(male))
    for name, count in ages.items():
        page.fill(f"#{name}", str(count))


def test_a_grantee_writes_and_submits_the_report_on_a_phone(app, live_server, phone):
    with app.test_request_context():  # the contract's mail needs a host for its links
        grant = make_signed_grant()
        ids = {"grant": grant.id, "email": grantee_of(grant).email}
        db.session.remove()
    page = phone
    log_in(page, live_server, ids["email"])
    page.goto(f"{live_server}/my/grants/{ids['grant']}")
    page.get_by_role("link", name="Write the final report").click()
    page.wait_for_url(f"**/my/grants/{ids['grant']}/final-report")
    assert page_width(page) <= WIDTH
    page.fill("#work_done", "Купили две швейные машины, провели 12 занятий по шитью.")
    fill_counts(page, 40, 30, 10, {"age_17_22": 15, "age_23_27": 20})
    for name, text in (("#story_situation", "Айжан три года не работала."),
                       ("#story_action", "Прошла курс шитья."), ("#story_result", "Работает швеёй.")):
        page.fill(name, text)
    page.set_input_files("#photos", files=[
        {"name": "IMG_1.jpg", "mimeType": "image/jpeg", "buffer": files.picture("jpeg", size=(1200, 900))},
        {"name": "IMG_2.jpg", "mimeType": "image/jpeg", "buffer": files.picture("jpeg")}])
    page.get_by_role("button", name="Submit the report").click()
    page.wait_for_load_state()
    error = page.locator("#age_59_plus-error")
    assert "The age groups add up to 35, but the project reached 40 people" in error.inner_text()
    assert page_width(page) <= WIDTH
    page.screenshot(path=str(ARTIFACTS / "final-report-phone.png"), full_page=True)

    assert page.locator("#report-photos img").count() == 2  # the draft was saved with the photos
    page.fill("#age_28_32", "5")
    page.locator("#story_quote_by").press("Enter")  # saves the draft, deletes no photo
    page.wait_for_load_state()
    assert page.locator("#report-photos img").count() == 2 and "The draft is saved." in page.content()
    page.get_by_role("button", name="Submit the report").click()
    page.wait_for_load_state()
    assert "The final report is submitted" in page.content() and page_width(page) <= WIDTH
    with app.app_context():
        report = drafting.report_of(db.session.get(type(grant), ids["grant"]))
        assert report.status is ReportStatus.SUBMITTED and report.age_28_32 == 5 and len(report.photos) == 2
        db.session.remove()


def test_the_report_page_has_no_serious_accessibility_problem(app, live_server, audited_phone):
    with app.test_request_context():
        report = make_report(submit=False)
        ids = {"grant": report.grant_id, "email": grantee_of(report.grant).email}
        db.session.remove()
    page = audited_phone.new_page()
    log_in(page, live_server, ids["email"])
    page.goto(f"{live_server}/my/grants/{ids['grant']}/final-report")
    assert axe_violations(page) == []
