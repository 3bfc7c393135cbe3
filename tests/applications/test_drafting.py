"""Drafting services: starting an application and saving each step, with every bad input refused
in words and nothing already saved lost."""
from datetime import timedelta

import pytest

from app.applications import completeness, drafting
from app.applications.models import Application, ApplicationStatus
from app.competitions.services import reference_date
from app.dbtypes import utcnow
from app.errors import InvalidChange, Refused
from app.extensions import db
from app.kz.iin import Sex
from tests.applications import (BIRTH, applicant, call, close_call, complete, count, draft,  # noqa: F401
                                en, iin_for_age, mark_submitted, other, reload, wrong_check_digit)
from tests.factories import make_application, make_competition, make_iin, make_open_competition

IDENTITY = {"iin": make_iin(BIRTH, "female", serial=3), "last_name": "Нұрланова", "first_name": "Айгерим",
            "patronymic": "Серікқызы", "phone": "8 701 123 45 67"}


def refused(change):
    """The field errors of a refused change, as plain strings."""
    with pytest.raises(InvalidChange) as error:
        change()
    db.session.rollback()
    return {name: " ".join(map(str, messages)) for name, messages in error.value.errors.items()}


# --- starting ---------------------------------------------------------------------------------

def test_start_makes_one_draft_and_then_continues_it(en, call, applicant):
    first = drafting.start_application(call, applicant)
    db.session.commit()
    assert first.status is ApplicationStatus.DRAFT
    assert first.phone == applicant.phone  # the account's number, to confirm at step 1
    assert drafting.start_application(call, applicant) is first
    assert count(Application) == 1


def test_a_closed_call_refuses_to_start(en, call, applicant):
    close_call(call)
    with pytest.raises(Refused) as refusal:
        drafting.start_application(call, applicant)
    assert "closed on" in str(refusal.value)
    assert count(Application) == 0


def test_a_call_not_open_yet_refuses_to_start(en, app_ctx, applicant):
    competition = make_open_competition(opens_at=utcnow() + timedelta(days=1),
                                        closes_at=utcnow() + timedelta(days=10))
    with pytest.raises(Refused) as refusal:
        drafting.start_application(competition, applicant)
    assert "open on" in str(refusal.value)


def test_start_refuses_a_second_application_after_a_submission_but_not_after_a_withdrawal(en, call, complete):
    mark_submitted(complete)
    with pytest.raises(Refused) as refusal:
        drafting.start_application(call, complete.applicant)
    assert "already submitted" in str(refusal.value)
    complete.status = ApplicationStatus.WITHDRAWN
    complete.submitted_iin = None
    db.session.commit()
    assert drafting.start_application(call, complete.applicant) is not complete


# --- step 1: identity -------------------------------------------------------------------------

def test_identity_is_stored_normalised_with_birth_date_and_sex_from_the_iin(en, draft):
    iin = IDENTITY["iin"]
    drafting.save_identity(draft, {**IDENTITY, "iin": f"{iin[:6]} {iin[6:]}", "last_name": "  Нұрланова "}, None)
    db.session.commit()
    saved = reload(draft)
    assert saved.iin == iin
    assert (saved.birth_date, saved.sex) == (BIRTH, Sex.FEMALE)
    assert saved.last_name == "Нұрланова"
    assert saved.phone == "+77011234567"


def test_a_half_filled_step_is_saved_as_a_draft(en, draft):
    drafting.save_identity(draft, {"last_name": "Ахметов"}, None)
    db.session.commit()
    saved = reload(draft)
    assert saved.last_name == "Ахметов" and saved.iin is None and saved.birth_date is None


@pytest.mark.parametrize("iin, message", [
    ("12345", "exactly 12 digits"),
    ("0005176OOO12", "only digits"),
    ("001332500001", "birth date in the IIN is not a real date"),
    (wrong_check_digit(make_iin(BIRTH)), "check digit does not match"),
])
def test_a_bad_iin_is_refused_and_what_was_saved_stays(en, draft, iin, message):
    drafting.save_identity(draft, IDENTITY, None)
    db.session.commit()
    errors = refused(lambda: drafting.save_identity(draft, {**IDENTITY, "iin": iin, "last_name": "Другая"}, None))
    assert message in errors["iin"]
    saved = reload(draft)
    assert saved.iin == IDENTITY["iin"] and saved.last_name == IDENTITY["last_name"]


def test_an_iin_already_submitted_in_the_call_is_refused_at_step_1(en, call, draft, other):
    submitted = make_application(call, other)
    mark_submitted(submitted)
    errors = refused(lambda: drafting.save_identity(draft, {**IDENTITY, "iin": submitted.iin}, None))
    assert errors["iin"] == drafting.IIN_REFUSED_MESSAGE  # another account: not told that it applied
    assert reload(draft).iin is None


def test_the_same_iin_in_another_call_or_in_a_draft_is_fine(en, call, draft, other, app_ctx):
    elsewhere = make_application(make_competition(code="ZP24"), other)
    mark_submitted(elsewhere, number="ZP24-0001")
    make_application(call, other, iin=IDENTITY["iin"])  # a draft: not submitted
    drafting.save_identity(draft, {**IDENTITY, "iin": elsewhere.iin}, None)
    drafting.save_identity(draft, IDENTITY, None)


@pytest.mark.parametrize("phone, message", [
    ("+7 495 123 45 67", "Only Kazakh phone numbers"),  # Moscow
    ("+1 202 555 0147", "Only Kazakh phone numbers"),
    ("+7 727 250 00 00", "mobile phone number, not a landline"),  # Almaty landline
    ("12", "not a valid phone number"),
])
def test_a_phone_that_is_not_a_kazakh_mobile_is_refused(en, draft, phone, message):
    errors = refused(lambda: drafting.save_identity(draft, {**IDENTITY, "phone": phone}, None))
    assert message in errors["phone"]
    assert reload(draft).iin is None


@pytest.mark.parametrize("name, message", [
    ("<script>alert(1)</script>", "only letters, spaces, hyphens and apostrophes"),
    ("Айгерим2", "cannot contain digits"),
    ("../../etc/passwd", "only letters, spaces, hyphens and apostrophes"),
    ("А" * 300, "at most 100 characters"),
])
def test_names_with_markup_digits_paths_or_300_characters_are_refused(en, draft, name, message):
    drafting.save_identity(draft, IDENTITY, None)
    db.session.commit()
    errors = refused(lambda: drafting.save_identity(draft, {**IDENTITY, "first_name": name}, None))
    assert message in errors["first_name"]
    assert reload(draft).first_name == IDENTITY["first_name"]


@pytest.mark.parametrize("name", ["Әлі-Нұр", "O'Brien", "Жанна Мария", "Ğülnur"])
def test_names_in_kazakh_russian_or_latin_letters_are_accepted(en, draft, name):
    drafting.save_identity(draft, {**IDENTITY, "first_name": name}, None)
    assert draft.first_name == name


def test_an_age_outside_the_rule_is_saved_and_shown_as_a_warning(en, call, draft):
    drafting.save_identity(draft, {**IDENTITY, "iin": iin_for_age(36, reference_date(call))}, None)
    db.session.commit()
    warnings = completeness.eligibility_warnings(draft)
    assert [(step, check.code) for step, check in warnings] == [(1, "age")]
    assert (1, "Enter your IIN.") not in completeness.problems_before_submit(draft)


# --- step 2: registration ---------------------------------------------------------------------

def test_registration_in_a_stratum_region_is_saved(en, draft):
    drafting.save_registration(draft, {"region_code": "MAN", "district_code": "MAN-AKTAU",
                                       "address": "  12 мкр,  дом 5 "}, None)
    assert (draft.region_code, draft.district_code, draft.address) == ("MAN", "MAN-AKTAU", "12 мкр, дом 5")


def test_a_region_outside_the_strata_is_refused_in_plain_words(en, draft):
    errors = refused(lambda: drafting.save_registration(draft, {"region_code": "AST"}, None))
    assert "only for people registered in" in errors["region_code"]
    assert reload(draft).region_code is None


def test_a_district_of_another_region_or_outside_the_stratum_is_refused(en, app_ctx, applicant):
    competition = make_open_competition(strata=(("ALA", 20, ("ALA-MEDEU",)), ("MAN", 8, ())))
    application = make_application(competition, applicant, district_code="ALA-MEDEU")
    errors = refused(lambda: drafting.save_registration(
        application, {"region_code": "MAN", "district_code": "ALA-MEDEU"}, None))
    assert "district of the chosen region" in errors["district_code"]
    errors = refused(lambda: drafting.save_registration(
        application, {"region_code": "ALA", "district_code": "ALA-AUEZOV"}, None))
    assert "Medeu" in errors["district_code"]
    assert reload(application).district_code == "ALA-MEDEU"


def test_a_district_is_needed_where_the_region_has_districts(en, complete):
    drafting.save_registration(complete, {"region_code": "ALA", "address": "ул. Абая, 1"}, None)
    assert (2, "Choose your district.") in completeness.problems_before_submit(complete)


# --- step 3: NEET -----------------------------------------------------------------------------

def test_the_neet_declaration_and_categories_are_saved_in_a_stable_order(en, draft):
    drafting.save_neet(draft, {"not_working": True, "not_studying": True, "not_in_training": False,
                               "situation": " Ищу работу ", "social_categories": ["rural", "orphan"]}, None)
    assert (draft.not_working, draft.not_studying, draft.not_in_training) == (True, True, False)
    assert draft.social_categories == ["orphan", "rural"]
    assert draft.situation == "Ищу работу"
    assert (3, "Confirm that you are not working, not studying and not in training.") in \
        completeness.problems_before_submit(draft)


def test_an_unknown_category_or_a_too_long_story_is_refused(en, draft):
    errors = refused(lambda: drafting.save_neet(
        draft, {"social_categories": ["king"], "situation": "x" * 3001}, None))
    assert "from the list" in errors["social_categories"]
    assert "at most 3000 characters" in errors["situation"]


# --- step 4: project --------------------------------------------------------------------------

@pytest.mark.parametrize("count_", [0, -5, 2_000_000])
def test_the_number_of_beneficiaries_must_be_a_positive_whole_number(en, complete, count_):
    errors = refused(lambda: drafting.save_project(complete, {"project_title": "X", "beneficiaries_count": count_},
                                                   None))
    assert "whole number, at least 1" in errors["beneficiaries_count"]
    assert reload(complete).beneficiaries_count == 120


def test_the_project_is_saved(en, draft):
    drafting.save_project(draft, {"project_title": " Мастерская ", "problem": "P", "goal": "G",
                                  "target_group": "T", "activities": "A", "beneficiaries_count": 30}, None)
    assert draft.project_title == "Мастерская" and draft.beneficiaries_count == 30


# --- step 5: budget ---------------------------------------------------------------------------

def line(item="Оверлок", quantity=1, unit_price=150_000, supplier="ИП Ахметов"):
    return {"item": item, "quantity": quantity, "unit_price": unit_price, "supplier": supplier}


def saved_lines(application):
    return [(l.item, l.quantity, l.unit_price) for l in reload(application).budget_lines]


def test_the_budget_replaces_the_lines_and_skips_blank_ones(en, complete):
    drafting.save_budget(complete, [line(), {"item": "", "quantity": None, "unit_price": None, "supplier": ""},
                                    line("Нитки", 10, 1_500)], None)
    db.session.commit()
    assert saved_lines(complete) == [("Оверлок", 1, 150_000), ("Нитки", 10, 1_500)]
    assert [l.position for l in complete.budget_lines] == [1, 2]


@pytest.mark.parametrize("bad, field, message", [
    ({"unit_price": -100}, "unit_price", "0 or more"),
    ({"quantity": 0}, "quantity", "at least 1"),
    ({"quantity": -2}, "quantity", "at least 1"),
    ({"quantity": None}, "quantity", "at least 1"),
    ({"unit_price": "abc"}, "unit_price", "whole number"),
    ({"item": ""}, "item", "what you will buy"),
])
def test_a_wrong_budget_line_is_refused_next_to_its_field(en, complete, bad, field, message):
    before = saved_lines(complete)
    errors = refused(lambda: drafting.save_budget(complete, [line(), line(**bad)], None))
    assert message in errors[f"lines-1-{field}"]
    assert saved_lines(complete) == before


def test_a_budget_over_the_cap_is_refused_with_the_total_and_the_cap(en, complete):
    before = saved_lines(complete)
    errors = refused(lambda: drafting.save_budget(complete, [line(unit_price=600_000), line(unit_price=400_001)],
                                                  None))
    assert errors["total"].startswith(
        "The budget total is ₸1,000,001, more than the grant cap of ₸1,000,000.")
    assert saved_lines(complete) == before


def test_a_budget_of_exactly_the_cap_is_accepted(en, complete):
    drafting.save_budget(complete, [line(quantity=2, unit_price=500_000)], None)
    assert complete.budget_total == 1_000_000


# --- what cannot be changed -------------------------------------------------------------------

SAVES = [
    lambda a: drafting.save_identity(a, IDENTITY, None),
    lambda a: drafting.save_registration(a, {"region_code": "ALA"}, None),
    lambda a: drafting.save_neet(a, {}, None),
    lambda a: drafting.save_project(a, {}, None),
    lambda a: drafting.save_budget(a, [line()], None),
]


@pytest.mark.parametrize("save", SAVES)
def test_a_closed_call_refuses_every_save(en, call, complete, save):
    close_call(call)
    with pytest.raises(Refused) as refusal:
        save(complete)
    assert "closed on" in str(refusal.value)


@pytest.mark.parametrize("save", SAVES)
def test_a_submitted_application_cannot_be_changed(en, complete, save):
    mark_submitted(complete)
    assert not drafting.editable(complete)
    with pytest.raises(Refused) as refusal:
        save(complete)
    assert str(refusal.value) == "This application has been submitted and can no longer be changed."


# --- before submission ------------------------------------------------------------------------

def test_a_complete_application_has_no_problems(en, complete):
    assert completeness.problems_before_submit(complete) == []
    assert completeness.complete_steps(complete) == {1, 2, 3, 4, 5, 6}


def test_an_empty_draft_lists_what_every_step_still_needs(en, draft):
    problems = completeness.problems_before_submit(draft)
    assert {step for step, _ in problems} == {1, 2, 3, 4, 5, 6}
    messages = [str(message) for _, message in problems]
    assert "Enter your IIN." in messages
    assert "Add at least one purchase to the budget." in messages
    assert "Upload this document: Identity document." in messages
    assert "Upload this document: Supplier quote." not in messages  # optional
    assert completeness.complete_steps(draft) == set()


def test_failing_eligibility_checks_are_warnings_not_problems(en, call, applicant):
    application = make_application(call, applicant, iin=iin_for_age(40, reference_date(call)))
    assert completeness.problems_before_submit(application) == []
    assert [check.code for _, check in completeness.eligibility_warnings(application)] == ["age"]
