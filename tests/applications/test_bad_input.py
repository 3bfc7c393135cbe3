"""Bad input never becomes a 500 in the applicant's steps: a NUL byte (which PostgreSQL cannot
store) or another control character in any text field, numbers far past any budget (10^25) in the
steps and in the live check, and a receipt whose texts are one 4,000-character word."""
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.applications import drafting
from app.applications.receipt import receipt_pdf
from app.applications.submission import submit
from app.extensions import db
from tests.applications import (applicant, as_applicant, call, complete, draft, en, error_next_to,  # noqa: F401
                                reload)

CONTROL = "invisible control character"
HUGE = str(10**25)


def step_url(application, step):
    return f"/applications/{application.id}/step/{step}"


def line(item="Стол", quantity="1", price="100", supplier=""):
    return {"lines-0-item": item, "lines-0-quantity": quantity, "lines-0-unit_price": price,
            "lines-0-supplier": supplier}


@pytest.mark.parametrize("step, data, field, message", [
    (1, {"iin": "9901\x00012345"}, "iin", "only digits"),
    (1, {"last_name": "Нұр\x00ланова"}, "last_name", "only letters"),
    (1, {"first_name": "\x00"}, "first_name", "only letters"),
    (1, {"patronymic": "Серік\x00қызы"}, "patronymic", "only letters"),
    (1, {"phone": "+7 701\x00 123 45 67"}, "phone", ""),
    (2, {"region_code": "ALA\x00"}, "region_code", "only for people registered in"),
    (2, {"region_code": "ALA", "district_code": "ALA-ALMALY\x00"}, "district_code", "district"),
    (2, {"address": "ул. Абая\x00, 1"}, "address", CONTROL),
    (3, {"situation": "Ищу\x00 работу"}, "situation", CONTROL),
    (4, {"project_title": "Мастерская\x00"}, "project_title", CONTROL),
    (4, {"problem": "\x00"}, "problem", CONTROL),
    (4, {"goal": "a\x00b"}, "goal", CONTROL),
    (4, {"target_group": "a\x00b"}, "target_group", CONTROL),
    (4, {"activities": "a\x00b"}, "activities", CONTROL),
    (4, {"beneficiaries_count": "12\x00"}, "beneficiaries_count", "whole number"),
    (5, line(item="Стол\x00"), "lines-0-item", CONTROL),
    (5, line(supplier="ИП\x00"), "lines-0-supplier", CONTROL),
    (5, line(quantity="1\x00"), "lines-0-quantity", "whole number"),
    (5, line(price="\x00100"), "lines-0-unit_price", "whole number"),
])
def test_a_nul_byte_in_any_field_of_the_steps_is_refused_next_to_it(as_applicant, draft, step, data, field,
                                                                    message):
    response = as_applicant.post(step_url(draft, step), data=data)
    assert response.status_code == 200
    error = error_next_to(response.get_data(as_text=True), field)
    assert error is not None and message in error
    saved = reload(draft)
    assert saved.budget_lines == [] and saved.address is None and saved.project_title is None


@pytest.mark.parametrize("character", ["\x01", "\x07", "\x1b", "\x7f", "\x9b"])
def test_other_control_characters_are_refused_too(as_applicant, draft, character):
    response = as_applicant.post(step_url(draft, 4), data={"problem": f"a{character}b"})
    assert CONTROL in error_next_to(response.get_data(as_text=True), "problem")


def test_line_breaks_and_tabs_are_kept_in_texts_of_several_lines(as_applicant, draft):
    response = as_applicant.post(step_url(draft, 4), data={"problem": "Первое.\r\n\tВторое."})
    assert response.status_code == 302
    assert reload(draft).problem == "Первое.\r\n\tВторое."


@pytest.mark.parametrize("data, field, largest", [
    (line(price=HUGE), "lines-0-unit_price", "1,000,000,000"),
    (line(price="-" + HUGE), "lines-0-unit_price", "1,000,000,000"),
    (line(quantity=HUGE), "lines-0-quantity", "100,000"),
    (line(quantity="100 001", price="1"), "lines-0-quantity", "100,000"),
    (line(price="9" * 5000), "lines-0-unit_price", ""),  # past what Python reads as a number
])
def test_a_budget_number_no_budget_can_hold_is_refused_next_to_it(as_applicant, complete, data, field, largest):
    before = [(line.item, line.quantity, line.unit_price) for line in complete.budget_lines]
    response = as_applicant.post(step_url(complete, 5), data=data)
    assert response.status_code == 200
    error = error_next_to(response.get_data(as_text=True), field)
    assert error is not None and largest in error
    assert [(line.item, line.quantity, line.unit_price) for line in reload(complete).budget_lines] == before


def test_a_number_of_beneficiaries_of_25_digits_is_refused(as_applicant, complete):
    response = as_applicant.post(step_url(complete, 4), data={"project_title": "Новое", "beneficiaries_count": HUGE})
    assert "no larger than 1,000,000" in error_next_to(response.get_data(as_text=True), "beneficiaries_count")
    assert reload(complete).beneficiaries_count == 120


@pytest.mark.parametrize("total", [10**25, -(10**25), drafting.BUDGET_TOTAL_MAX + 1])
def test_the_live_check_refuses_a_budget_total_no_budget_can_reach(as_applicant, call, total):
    response = as_applicant.post(f"/calls/{call.id}/check", json={"budget_total": total})
    assert response.status_code == 400
    assert response.get_json()["error"] == f"budget_total can be at most {drafting.BUDGET_TOTAL_MAX}."


def test_the_live_check_answers_for_the_largest_total_a_budget_can_reach(as_applicant, call):
    response = as_applicant.post(f"/calls/{call.id}/check", json={"budget_total": drafting.BUDGET_TOTAL_MAX})
    assert response.status_code == 200
    assert response.get_json()["checks"][0]["ok"] is False  # over the grant cap, said in words


@pytest.mark.parametrize("word, lang", [("Ш" * 4000, "kk"), ("W" * 4000, "en"), ("ӘҒҚҢӨҰҮҺІ" * 445, "ru"),
                                        (("Ш" * 300 + " ") * 13, "kk")],
                         ids=["cyrillic", "latin-wide", "kazakh-letters", "300-letter-words"])
def test_a_receipt_renders_when_a_4000_character_field_is_one_long_word(en, complete, word, lang):
    word = word[:drafting.PROJECT_TEXT_MAX].strip()
    complete.problem = complete.activities = word
    complete.situation = ("\n" * 2000 + word)[:drafting.SITUATION_MAX]  # 2,000 empty lines, then the word
    complete.budget_lines[0].item = word[:drafting.BUDGET_TEXT_MAX]
    db.session.commit()
    submit(complete, complete.applicant, consent=True)
    db.session.commit()
    reader = PdfReader(BytesIO(receipt_pdf(reload(complete), lang)))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert len(reader.pages) > 2
    assert text.count(word[:60].replace(" ", "")) >= 2  # the word broken over lines, not lost
