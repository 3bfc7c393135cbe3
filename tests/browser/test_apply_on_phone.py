"""A young person on a phone, in Kazakh: registers, fills every step of the application, uploads
the documents, submits, and reads the PDF receipt."""
import io

import pytest
from flask_babel import force_locale, gettext
from pypdf import PdfReader

from app.extensions import db
from tests.browser.fixtures import ARTIFACTS
from tests.factories import MINIMAL_PDF, make_iin, make_open_competition
from tests.mail.helpers import link_in_last_mail

pytestmark = pytest.mark.browser
PASSWORD = "менің құпиясөзім"


def save_and_continue(page):
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_applicant_applies_in_kazakh_on_a_phone_and_downloads_the_receipt(app, live_server, phone, tmp_path):
    from datetime import date
    with app.app_context():
        call = make_open_competition(code="ZP26")
        call_id = call.id
        iin = make_iin(date(2001, 3, 8), "female")
        db.session.remove()
    page = phone
    page.goto(live_server + "/lang/kk")

    page.goto(live_server + "/register")
    page.fill("#email", "dana@example.kz")
    page.fill("#phone", "+7 702 555 44 33")
    page.fill("#password", PASSWORD)
    page.fill("#password_again", PASSWORD)
    page.locator("main button[type=submit]").click()
    with app.app_context():
        link = link_in_last_mail("dana@example.kz", "/confirm/")
        db.session.remove()
    page.goto(live_server + link)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(live_server + f"/calls/{call_id}")
    page.locator(f"main a[href='/calls/{call_id}/apply']").first.click()
    page.wait_for_load_state()
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    page.fill("#iin", iin)
    page.fill("#last_name", "Сейітова")
    page.fill("#first_name", "Дана")
    page.fill("#phone", "87025554433")
    save_and_continue(page)

    page.select_option("#region_code", "ALA")
    page.select_option("#district_code", "ALA-AUEZOV")
    page.fill("#address", "Әуезов ауданы, 5-шағын аудан, 12 үй")
    save_and_continue(page)

    for box in ("#not_working", "#not_studying", "#not_in_training"):
        page.check(box)
    page.fill("#situation", "Колледжді бітірдім, қазір жұмыс істемеймін және оқымаймын.")
    save_and_continue(page)

    page.fill("#project_title", "Балаларға арналған робототехника үйірмесі")
    page.fill("#problem", "Ауданда балаларға арналған тегін үйірме жоқ.")
    page.fill("#goal", "Апта сайын 20 балаға сабақ өткізу.")
    page.fill("#target_group", "10-14 жастағы балалар")
    page.fill("#activities", "Жабдық сатып алу, сабақ кестесін жасау.")
    page.fill("#beneficiaries_count", "40")
    save_and_continue(page)

    page.fill("#lines-0-item", "Робототехника жинағы")
    page.fill("#lines-0-quantity", "4")
    page.fill("#lines-0-unit_price", "150000")
    page.fill("#lines-0-supplier", "ЖШС «Робо»")
    save_and_continue(page)

    document = tmp_path / "құжат.pdf"
    document.write_bytes(MINIMAL_PDF)
    for doc_type in ("identity", "registration_proof", "neet_evidence"):
        section = page.locator(f"#doc-{doc_type}")
        section.locator("input[type=file]").set_input_files(str(document))
        section.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
    page.screenshot(path=str(ARTIFACTS / "apply-documents-kk-phone.png"), full_page=True)
    page.locator("main a[href$='/review']:visible").last.click()
    page.wait_for_load_state()

    page.check("#consent")
    page.locator("main form[action$='/submit'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "/my/applications/" in page.url
    with app.test_request_context(), force_locale("kk"):
        submitted_notice = gettext("Your application has been submitted. Its number is %(number)s.",
                                   number="ZP26-0001")
    assert submitted_notice != "Your application has been submitted. Its number is ZP26-0001."
    assert submitted_notice in page.locator("main").inner_text()
    page.screenshot(path=str(ARTIFACTS / "apply-submitted-kk-phone.png"), full_page=True)

    with page.expect_download() as download_info:
        page.locator("main a[href$='receipt-kk.pdf']").click()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(download_info.value.path().read_bytes())).pages)
    assert "ZP26-0001" in text
    assert "Балаларға арналған робототехника үйірмесі" in text
    assert "600 000" in text or "600000" in text
