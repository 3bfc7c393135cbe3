"""The application pages: start, each step (errors next to the fields, what was typed kept, what
was saved unchanged), review and submission, and the live checks."""
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask_babel import force_locale

from app.applications.models import Application, ApplicationStatus
from app.applications.views import money_format
from app.competitions.services import reference_date
from app.extensions import db
from tests.applications import (BIRTH, applicant, as_applicant, assert_no_inline_code, call,  # noqa: F401
                                close_call, complete, count, draft, error_next_to, iin_for_age, mark_submitted,
                                other, reload, value_of, wrong_check_digit)
from tests.factories import MINIMAL_PDF, make_application, make_iin

IIN = make_iin(BIRTH, "female", serial=3)
IDENTITY = {"iin": IIN, "last_name": "Нұрланова", "first_name": "Айгерим", "patronymic": "",
            "phone": "+7 701 123 45 67"}


def step_url(application, step):
    return f"/applications/{application.id}/step/{step}"


def html_of(response):
    return response.get_data(as_text=True)


# --- start ------------------------------------------------------------------------------------

def test_an_anonymous_visitor_is_sent_to_log_in_and_back(client, call):
    response = client.get(f"/calls/{call.id}/apply")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query) == {"next": [f"/calls/{call.id}/apply"]}


def test_the_start_page_says_what_is_needed_and_starts_a_draft(as_applicant, call, applicant):
    html = html_of(as_applicant.get(f"/calls/{call.id}/apply"))
    assert "What you need" in html
    assert "Proof of registration address" in html
    assert "Start an application" in html
    assert_no_inline_code(html)
    response = as_applicant.post(f"/calls/{call.id}/apply")
    application = db.session.execute(db.select(Application)).scalar_one()
    assert response.headers["Location"] == f"/applications/{application.id}/step/1"
    assert application.applicant_id == applicant.id

    assert "Continue your application" in html_of(as_applicant.get(f"/calls/{call.id}/apply"))
    as_applicant.post(f"/calls/{call.id}/apply")
    assert count(Application) == 1


def test_the_call_and_home_pages_link_to_the_start_page(client, call):
    for page in ("/", f"/calls/{call.id}"):
        assert f'href="/calls/{call.id}/apply"' in html_of(client.get(page))


def test_a_closed_call_refuses_to_start_and_to_save(as_applicant, call, draft):
    close_call(call)
    response = as_applicant.post(f"/calls/{call.id}/apply", follow_redirects=True)
    assert "closed on" in html_of(response)
    assert count(Application) == 1

    response = as_applicant.post(step_url(draft, 1), data=IDENTITY)
    html = html_of(response)
    assert response.status_code == 200
    assert "closed on" in html
    assert value_of(html, "last_name") == "Нұрланова"  # what was typed is still on the screen
    assert reload(draft).last_name is None
    assert as_applicant.get(step_url(draft, 1)).headers["Location"].endswith(f"/applications/{draft.id}/review")


# --- step 1 -----------------------------------------------------------------------------------

def test_identity_saves_and_goes_on_showing_birth_date_and_sex(as_applicant, draft):
    response = as_applicant.post(step_url(draft, 1), data=IDENTITY)
    assert response.headers["Location"] == step_url(draft, 2)
    saved = reload(draft)
    assert (saved.iin, saved.birth_date, saved.phone) == (IIN, BIRTH, "+77011234567")
    html = html_of(as_applicant.get(step_url(draft, 1)))
    assert "17 May 2000" in html and "Female" in html
    assert 'inputmode="numeric"' in html and 'autocomplete="family-name"' in html
    assert_no_inline_code(html)


@pytest.mark.parametrize("field, typed, message", [
    ("iin", "12345678", "exactly 12 digits"),
    ("iin", "001332500001", "not a real date"),
    ("iin", wrong_check_digit(IIN), "check digit does not match"),
    ("phone", "+7 495 123 45 67", "Only Kazakh phone numbers"),
    ("first_name", "<script>alert(1)</script>", "only letters"),
    ("last_name", "Ахметов2", "cannot contain digits"),
    ("last_name", "Ж" * 300, "at most 100 characters"),
])
def test_a_bad_identity_value_is_said_next_to_its_field_and_nothing_saved_is_lost(
        as_applicant, draft, field, typed, message):
    as_applicant.post(step_url(draft, 1), data=IDENTITY)
    response = as_applicant.post(step_url(draft, 1), data={**IDENTITY, "last_name": "Другая", field: typed})
    html = html_of(response)
    assert response.status_code == 200
    assert message in error_next_to(html, field)
    assert "&lt;script&gt;" in html if "<script>" in typed else True
    assert "<script>alert" not in html
    saved = reload(draft)
    assert (saved.iin, saved.last_name, saved.first_name) == (IIN, "Нұрланова", "Айгерим")


def test_an_iin_submitted_by_another_account_is_refused_at_step_1_without_saying_it_applied(
        as_applicant, call, draft, other):
    submitted = mark_submitted(make_application(call, other))
    response = as_applicant.post(step_url(draft, 1), data={**IDENTITY, "iin": submitted.iin})
    message = error_next_to(html_of(response), "iin")
    assert message == ("An application cannot be submitted with this IIN. If this is your IIN, contact the "
                       "project office.")
    assert "already" not in message
    assert reload(draft).iin is None


def test_an_iin_the_account_itself_submitted_is_refused_at_step_1_saying_so(as_applicant, call, draft, applicant):
    submitted = mark_submitted(make_application(call, applicant, iin=make_iin(BIRTH, serial=7)))
    response = as_applicant.post(step_url(draft, 1), data={**IDENTITY, "iin": submitted.iin})
    assert error_next_to(html_of(response), "iin") == \
        "An application with this IIN has already been submitted in this competition."


def test_an_age_outside_the_rule_is_saved_with_a_warning(as_applicant, call, draft):
    iin = iin_for_age(40, reference_date(call))
    response = as_applicant.post(step_url(draft, 1), data={**IDENTITY, "iin": iin}, follow_redirects=True)
    html = html_of(response)
    assert "you will be 40, but this competition is for people aged 18 to 35" in html
    assert reload(draft).iin == iin


# --- steps 2 to 4 -----------------------------------------------------------------------------

def test_registration_offers_only_the_calls_regions_and_refuses_others(as_applicant, complete):
    html = html_of(as_applicant.get(step_url(complete, 2)))
    assert re.search(r'<option [^>]*value="ALA"', html) and re.search(r'<option [^>]*value="MAN"', html)
    assert 'value="AST"' not in html
    assert 'data-region="ALA"' in html  # districts grouped by region for strata.js
    response = as_applicant.post(step_url(complete, 2), data={"region_code": "AST", "address": "Астана"})
    assert "only for people registered in" in error_next_to(html_of(response), "region_code")
    assert value_of(html_of(response), "address") == "Астана"
    assert reload(complete).region_code == "ALA"


def test_the_neet_step_saves_the_ticks_and_categories(as_applicant, draft):
    response = as_applicant.post(step_url(draft, 3), data={
        "not_working": "y", "not_studying": "y", "not_in_training": "y", "situation": "Ищу работу",
        "social_categories": ["rural", "young_parent"]})
    assert response.headers["Location"] == step_url(draft, 4)
    saved = reload(draft)
    assert (saved.not_working, saved.not_in_training, saved.social_categories) == \
        (True, True, ["rural", "young_parent"])
    html = html_of(as_applicant.get(step_url(draft, 3)))
    assert re.search(r'value="rural"\s+checked', html)


@pytest.mark.parametrize("typed, message", [("abc", "whole number"), ("-5", "at least 1"), ("12.5", "whole number")])
def test_a_wrong_number_of_beneficiaries_is_said_next_to_it(as_applicant, complete, typed, message):
    response = as_applicant.post(step_url(complete, 4), data={"project_title": "Новое", "beneficiaries_count": typed})
    html = html_of(response)
    assert message in error_next_to(html, "beneficiaries_count")
    assert value_of(html, "project_title") == "Новое"
    saved = reload(complete)
    assert (saved.project_title, saved.beneficiaries_count) == ("Швейная мастерская для молодых мам", 120)


def test_free_text_with_markup_is_saved_as_typed_and_escaped_on_every_page(as_applicant, complete):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    as_applicant.post(step_url(complete, 3), data={"not_working": "y", "not_studying": "y",
                                                   "not_in_training": "y", "situation": evil})
    as_applicant.post(step_url(complete, 4), data={"project_title": evil, "problem": evil, "goal": "g",
                                                   "target_group": "t", "activities": "a",
                                                   "beneficiaries_count": "5"})
    assert reload(complete).situation == evil
    for url in (step_url(complete, 3), step_url(complete, 4), f"/applications/{complete.id}/review"):
        html = html_of(as_applicant.get(url))
        assert "&lt;script&gt;" in html
        assert "<script>alert" not in html and "<img src=x" not in html


# --- step 5: budget ---------------------------------------------------------------------------

def budget(*lines):
    data = {}
    for index, (item, quantity, price, supplier) in enumerate(lines):
        data.update({f"lines-{index}-item": item, f"lines-{index}-quantity": quantity,
                     f"lines-{index}-unit_price": price, f"lines-{index}-supplier": supplier})
    return data


def saved_lines(application):
    return [(l.item, l.quantity, l.unit_price) for l in reload(application).budget_lines]


def test_the_budget_page_shows_the_saved_lines_blank_ones_and_the_total(as_applicant, complete):
    html = html_of(as_applicant.get(step_url(complete, 5)))
    assert value_of(html, "lines-0-item") == "Швейная машина Janome"
    assert value_of(html, "lines-2-item") == "" and value_of(html, "lines-4-item") == ""
    assert "₸510,000" in html
    assert f'data-cap="{complete.competition.grant_cap}"' in html
    assert_no_inline_code(html)


def test_the_budget_saves_amounts_typed_with_spaces(as_applicant, complete):
    response = as_applicant.post(step_url(complete, 5), data=budget(("Ноутбук", "1", "350 000", "Sulpak"),
                                                                     ("", "", "", "")))
    assert response.headers["Location"] == step_url(complete, 6)
    assert saved_lines(complete) == [("Ноутбук", 1, 350_000)]


def test_save_and_add_more_lines_stays_on_the_budget(as_applicant, complete):
    response = as_applicant.post(step_url(complete, 5), data={**budget(("Ноутбук", "1", "350000", "")), "more": "1"})
    assert response.headers["Location"] == step_url(complete, 5) + "#budget-lines"


@pytest.mark.parametrize("quantity, price, field, message", [
    ("1", "-100", "unit_price", "0 or more"),
    ("1", "сто", "unit_price", "whole number of tenge"),
    ("0", "100", "quantity", "at least 1"),
    ("1.5", "100", "quantity", "whole number"),
])
def test_a_negative_or_non_numeric_amount_is_said_next_to_its_field(as_applicant, complete, quantity, price,
                                                                    field, message):
    before = saved_lines(complete)
    response = as_applicant.post(step_url(complete, 5), data=budget(("Ноутбук", "1", "350000", ""),
                                                                     ("Стол", quantity, price, "")))
    html = html_of(response)
    assert message in error_next_to(html, f"lines-1-{field}")
    assert value_of(html, "lines-1-item") == "Стол"
    assert saved_lines(complete) == before


def test_a_budget_over_the_cap_is_refused_with_the_lines_shown_again(as_applicant, complete):
    before = saved_lines(complete)
    response = as_applicant.post(step_url(complete, 5), data=budget(("Ноутбук", "2", "450 000", "Sulpak"),
                                                                     ("Принтер", "1", "150 000", "Technodom")))
    html = html_of(response)
    assert response.status_code == 200
    message = error_next_to(html, "budget-total")
    assert "₸1,050,000" in message and "₸1,000,000" in message
    assert (value_of(html, "lines-0-item"), value_of(html, "lines-0-unit_price")) == ("Ноутбук", "450 000")  # as typed
    assert value_of(html, "lines-1-supplier") == "Technodom"
    assert saved_lines(complete) == before


# --- progress, review and submission ----------------------------------------------------------

def test_the_step_list_shows_which_steps_are_complete(as_applicant, draft):
    as_applicant.post(step_url(draft, 1), data=IDENTITY)
    html = html_of(as_applicant.get(step_url(draft, 2)))
    assert "Step 2 of 7" in html
    assert "1 of 6 parts complete" in html
    assert '<progress class="w-100" max="6" value="1"' in html
    assert 'aria-current="step"' in html


def test_the_review_lists_what_is_missing_with_links_and_no_submit_button(as_applicant, draft):
    html = html_of(as_applicant.get(f"/applications/{draft.id}/review"))
    assert "Still missing before you can submit" in html
    assert f'href="/applications/{draft.id}/step/6">Documents</a>: Upload this document: Identity document.' in html
    assert "Submit the application" not in html
    assert_no_inline_code(html)


def test_the_review_shows_every_step_warnings_and_the_consent(as_applicant, call, applicant):
    application = make_application(call, applicant, iin=iin_for_age(36, reference_date(call)))
    html = html_of(as_applicant.get(f"/applications/{application.id}/review"))
    for text in ("Нұрланова", "+7 701 123 45 67", "Almaty city", "Almaly", "Швейная машина Janome", "₸510,000",
                 "Not studying: <strong>Yes</strong>", "Registered as unemployed"):
        assert text in html
    assert "Please check" in html and "you will be 36" in html
    assert "I agree to the processing of my personal data" in html
    assert f'action="/applications/{application.id}/submit"' in html
    assert html.count(">Edit</a>") == 6


def test_submitting_without_consent_is_refused_next_to_the_checkbox(as_applicant, complete):
    response = as_applicant.post(f"/applications/{complete.id}/submit", data={})
    assert response.status_code == 200
    assert "agree to its processing" in error_next_to(html_of(response), "consent")
    assert reload(complete).status is ApplicationStatus.DRAFT


def test_submitting_with_consent_goes_to_the_applications_page(as_applicant, complete):
    response = as_applicant.post(f"/applications/{complete.id}/submit", data={"consent": "y"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/my/applications/{complete.id}"
    saved = reload(complete)
    assert saved.status is ApplicationStatus.SUBMITTED and saved.number == "ZP25-0001"
    assert as_applicant.get(step_url(complete, 1)).headers["Location"].endswith(f"/applications/{complete.id}/review")
    response = as_applicant.post(step_url(complete, 1), data=IDENTITY)
    assert "can no longer be changed" in html_of(response)
    assert reload(complete).last_name == "Нұрланова"


def test_an_incomplete_application_is_refused_on_submit(as_applicant, draft):
    response = as_applicant.post(f"/applications/{draft.id}/submit", data={"consent": "y"})
    assert "not complete" in html_of(response)
    assert reload(draft).status is ApplicationStatus.DRAFT


def test_an_iin_submitted_meanwhile_by_someone_else_is_refused_on_submit(as_applicant, call, complete, other):
    rival = make_application(call, other, iin=complete.iin)
    mark_submitted(rival)
    response = as_applicant.post(f"/applications/{complete.id}/submit", data={"consent": "y"})
    assert "cannot be submitted with this IIN" in html_of(response)
    assert reload(complete).status is ApplicationStatus.DRAFT


def test_step_numbers_outside_1_to_6_are_not_found(as_applicant, draft):
    for step in (0, 7, 99):
        assert as_applicant.get(step_url(draft, step)).status_code == 404


# --- live checks ------------------------------------------------------------------------------

def check(client, competition, **values):
    return client.post(f"/calls/{competition.id}/check", json=values)


def test_the_live_check_answers_about_the_iin_and_age(as_applicant, call):
    answer = check(as_applicant, call, iin=wrong_check_digit(IIN)).get_json()
    assert [(c["code"], c["ok"]) for c in answer["checks"]] == [("iin", False), ("age", None)]
    assert "check digit" in answer["checks"][0]["message"]
    answer = check(as_applicant, call, iin=IIN).get_json()
    assert [c["ok"] for c in answer["checks"]] == [True, True]
    assert answer["identity"] == {"birth_date": "17 May 2000", "sex": "Female"}
    answer = check(as_applicant, call, iin=iin_for_age(17, reference_date(call))).get_json()
    assert answer["checks"][1]["ok"] is False and "you will be 17" in answer["checks"][1]["message"]


def test_the_live_check_answers_about_the_region_and_the_budget(as_applicant, call):
    answer = check(as_applicant, call, region_code="AST").get_json()
    assert answer["checks"][0]["ok"] is False
    answer = check(as_applicant, call, budget_total=1_000_001).get_json()
    assert answer["checks"] == [{"code": "budget", "ok": False, "message": answer["checks"][0]["message"]}]
    assert "₸1,000,001" in answer["checks"][0]["message"]


@pytest.mark.parametrize("body", [[1, 2], {"iin": 123}, {"budget_total": "1000"}, {"budget_total": True}])
def test_the_live_check_refuses_values_of_the_wrong_type(as_applicant, call, body):
    assert as_applicant.post(f"/calls/{call.id}/check", json=body).status_code == 400


def test_the_live_check_needs_the_csrf_header(client, app, call, applicant, csrf_enabled):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": applicant.email, "password": "correct horse 42", "csrf_token": token})
    assert check(client, call, iin=IIN).status_code == 400
    page = client.get(f"/calls/{call.id}/apply").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(f"/calls/{call.id}/check", json={"iin": IIN}, headers={"X-CSRFToken": token})
    assert response.status_code == 200


def test_the_step_forms_carry_what_the_live_checks_need(as_applicant, draft):
    html = html_of(as_applicant.get(step_url(draft, 1)))
    assert f'data-check-url="/calls/{draft.competition_id}/check"' in html
    assert 'data-csrf="' in html and 'data-check="iin"' in html and 'aria-live="polite"' in html
    assert 'src="/static/js/apply.js' in html


def test_with_csrf_on_every_form_of_the_pages_carries_its_token(client, csrf_enabled, complete):
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"email": complete.applicant.email, "password": "correct horse 42",
                                "csrf_token": token})
    pages = [f"/calls/{complete.competition_id}/apply", f"/applications/{complete.id}/review"]
    pages += [step_url(complete, step) for step in range(1, 7)]
    for url in pages:
        html = html_of(client.get(url))
        forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", html, re.S)
        assert forms, url
        for form in forms:
            assert re.search(r'name="([\w-]+-)?csrf_token"[^>]* value="[^"]+"', form), (url, form[:120])
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(step_url(complete, 4), data={"csrf_token": token, "project_title": "С токеном",
                                                         "beneficiaries_count": "10"})
    assert response.status_code == 302
    assert reload(complete).project_title == "С токеном"
    html = html_of(client.get(step_url(complete, 6)))
    token = re.search(r'name="doc-other-csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(f"/applications/{complete.id}/documents/new/other", content_type="multipart/form-data",
                           data={"doc-other-csrf_token": token,
                                 "doc-other-file": (io.BytesIO(MINIMAL_PDF), "quote.pdf")})
    assert response.status_code == 302
    assert len(reload(complete).documents) == 4


def test_the_budget_step_tells_the_script_how_the_server_writes_money(as_applicant, complete, app):
    html = html_of(as_applicant.get(step_url(complete, 5)))
    assert 'data-money-group=","' in html and 'data-money-pattern="₸{n}"' in html
    with app.test_request_context(), force_locale("kk"):
        assert money_format() == {"group": "\u00a0", "pattern": "{n}\u00a0₸"}


def test_a_refused_budget_marks_the_error_at_the_total_for_the_script_to_show(as_applicant, complete):
    response = as_applicant.post(step_url(complete, 5), data=budget(("Ноутбук", "3", "450 000", "Sulpak")))
    html = html_of(response)
    assert re.search(r'<div class="card mb-3" id="budget-summary">.*id="budget-total-error"[^>]*data-form-error', html, re.S)
