"""The public transparency pages on a phone (390x844), with scripts off as on the slowest phones:
nothing wider than the screen, the figures and a consented project's photos there, and axe-core
finds no serious or critical violation (scripts on for axe only)."""
import pytest
import sqlalchemy as sa

from app.contracts.models import Grant
from app.competitions.models import Competition
from app.demo.services import DEMO_CODE
from app.extensions import db
from app.final_reports.models import FinalReport, ReportStatus
from tests.browser.fixtures import PHONE, _context, axe_violations, page_width

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_without_scripts(browser, app):  # noqa: F811
    for context in _context(browser, app, **PHONE, java_script_enabled=False):
        yield context.new_page()


@pytest.fixture
def demo_pages(app, demo_stages):
    """The public pages of the demo call after its whole cycle, a consented project's last."""
    demo_stages.load("completed")
    with app.app_context():
        call = db.session.execute(sa.select(Competition).where(Competition.code == DEMO_CODE)).scalar_one()
        consented = db.session.execute(
            sa.select(Grant.number).join(FinalReport, FinalReport.grant_id == Grant.id)
            .where(FinalReport.status == ReportStatus.ACCEPTED, FinalReport.consent_to_publish.is_(True))
            .order_by(Grant.number)).scalars().first()
        pages = ["/results", f"/calls/{call.id}/transparency", f"/calls/{call.id}/projects",
                 f"/projects/{consented}"]
        db.session.remove()
    return pages


def test_the_pages_fit_a_phone_without_scripts_and_have_no_serious_axe_violations(
        live_server, phone_without_scripts, audited_phone, demo_pages):  # noqa: F811
    page = phone_without_scripts
    for path in demo_pages:
        assert page.goto(live_server + path).status == 200, path
        assert page_width(page) <= PHONE["viewport"]["width"], path
    assert page.locator("[data-consented-story]").is_visible()
    photos = page.locator("main img")
    assert photos.count() >= 1
    for index in range(photos.count()):
        photos.nth(index).scroll_into_view_if_needed()  # lazy: it loads when it comes into view
        page.wait_for_function("image => image.complete && image.naturalWidth > 0",
                               arg=photos.nth(index).element_handle())
        assert photos.nth(index).get_attribute("alt")

    page = audited_phone.new_page()
    found = {}
    for path in demo_pages:
        assert page.goto(live_server + path).status == 200, path
        page.wait_for_load_state("load")
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert not found, found
