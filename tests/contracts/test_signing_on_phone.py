"""A grantee signs the contract on a phone (390x844): the page explains both ways (the EDS, or
paper and a scan), the file input takes the .cms file as well as a photo, the upload goes through
and nothing is wider than the screen."""
import pytest

from app.contracts import contracts
from app.demo.certificates import signed_cms
from app.extensions import db
from tests.browser.fixtures import ARTIFACTS, log_in, page_width
from tests.contracts.test_grants import all_grants
from tests.lottery.test_lifecycle import published_draw

pytestmark = pytest.mark.browser
WIDTH = 390


def test_a_grantee_uploads_the_e_signature_file_on_a_phone(app, live_server, phone, manager, tmp_path):
    with app.test_request_context():  # the mail of the issue links to the page
        published_draw(manager)
        grant = all_grants()[0]
        contract = contracts.issue(grant, manager)
        db.session.commit()
        application = grant.application
        signature = signed_cms(contract.pdf, f"{application.last_name} {application.first_name}", application.iin)
        ids = {"grant": grant.id, "email": application.applicant.email}
        db.session.remove()
    (tmp_path / "contract.pdf.cms").write_bytes(signature)

    log_in(phone, live_server, ids["email"])
    phone.goto(f"{live_server}/my/grants/{ids['grant']}")
    ways = phone.locator("[data-signing-ways] li")
    assert ways.count() == 2 and "eGov or NCALayer" in ways.nth(0).inner_text()
    file_input = phone.locator("#file")
    assert file_input.get_attribute("capture") is None and ".cms" in file_input.get_attribute("accept")
    assert page_width(phone) <= WIDTH
    phone.screenshot(path=str(ARTIFACTS / "contract-signing-phone.png"), full_page=True)

    file_input.set_input_files(str(tmp_path / "contract.pdf.cms"))
    phone.locator("#contract button[type=submit]").click()
    phone.wait_for_load_state()
    assert "e-signature of" in phone.locator("[data-uploaded=cms]").inner_text()
    assert page_width(phone) <= WIDTH
    phone.screenshot(path=str(ARTIFACTS / "contract-signed-phone.png"), full_page=True)
