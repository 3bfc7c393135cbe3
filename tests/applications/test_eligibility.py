"""The eligibility checks: IIN, age on the reference date, region in the strata, documents, budget."""
from datetime import date, datetime, timedelta

import pytest

from app.applications import eligibility
from app.applications.models import Application, BudgetLine
from app.competitions.services import reference_date
from app.extensions import db
from tests.applications import (BIRTH, applicant, call, complete, en, iin_for_age,  # noqa: F401 (fixtures)
                                wrong_check_digit)
from tests.factories import make_competition, make_iin, make_open_competition


def by_code(found):
    return {check.code: check for check in found}


# --- IIN --------------------------------------------------------------------------------------

@pytest.mark.parametrize("iin, message", [
    ("00051750000A", "only digits"),
    ("0005175000", "exactly 12 digits"),
    ("0005170000019", "exactly 12 digits"),
    ("000517000001", "7th digit"),
    ("001332500001", "not a real date"),
    ("010229500001", "not a real date"),  # 29 February 2001
])
def test_a_malformed_iin_or_an_impossible_birth_date_fails_the_iin_check(en, call, iin, message):
    check = by_code(eligibility.check_values(call, iin=iin))["iin"]
    assert check.ok is False
    assert message in check.message


def test_a_wrong_check_digit_fails_with_a_plain_message(en, call):
    check = eligibility.iin_check(wrong_check_digit(make_iin(BIRTH)))
    assert check.ok is False
    assert check.message == "The IIN's check digit does not match: please check the number."


def test_a_valid_iin_gives_its_birth_date_and_sex_as_evidence(en, call):
    iin = make_iin(BIRTH, "male")
    check = eligibility.iin_check(f" {iin[:6]} {iin[6:]} ")
    assert check.ok is True
    assert check.evidence == {"iin": iin, "birth_date": "2000-05-17", "sex": "male"}


def test_no_iin_yet_cannot_be_told(en, call):
    found = by_code(eligibility.check_values(call, iin=""))
    assert found["iin"].ok is None and found["age"].ok is None


# --- age on the reference date ----------------------------------------------------------------

@pytest.mark.parametrize("age, ok", [(17, False), (18, True), (25, True), (35, True), (36, False)])
def test_the_age_counts_in_full_years_on_the_reference_date(en, call, age, ok):
    on = reference_date(call)
    check = by_code(eligibility.check_values(call, iin=iin_for_age(age, on)))["age"]
    assert check.ok is ok
    assert check.evidence["age"] == age
    assert f"you will be {age}" in check.message
    if not ok:
        assert "18 to 35" in check.message


def test_the_eighteenth_birthday_on_the_reference_date_counts(en, app_ctx):
    competition = make_open_competition(age_reference_date=date(2025, 10, 22))
    iin = make_iin(date(2007, 10, 22))
    assert eligibility.age_check(competition, iin).ok is True
    assert eligibility.age_check(competition, make_iin(date(2007, 10, 23))).ok is False


def test_the_reference_date_defaults_to_the_closing_day_in_almaty(en, app_ctx):
    # Closes at 20:00 UTC on 21 October: already 22 October in Almaty.
    competition = make_competition(opens_at=datetime(2025, 10, 1), closes_at=datetime(2025, 10, 21, 20, 0))
    check = eligibility.age_check(competition, make_iin(date(2007, 10, 22)))
    assert check.evidence["reference_date"] == "2025-10-22"
    assert check.ok is True


def test_a_birth_date_after_the_reference_date_fails(en, call):
    later = reference_date(call) + timedelta(days=30)
    check = eligibility.age_check(call, make_iin(later))
    assert check.ok is False
    assert "not yet born" in check.message


def test_an_invalid_iin_leaves_the_age_undecided(en, call):
    assert eligibility.age_check(call, "123").ok is None


# --- region -----------------------------------------------------------------------------------

def test_a_region_in_the_strata_passes_and_one_outside_fails_in_plain_words(en, call):
    assert eligibility.region_check(call, "ALA", "ALA-ALMALY").ok is True
    check = eligibility.region_check(call, "AST")
    assert check.ok is False
    assert "only for people registered in: Almaty city, Mangystau Region" in check.message
    assert "Astana city is not one of them" in check.message
    assert eligibility.region_check(call, None).ok is None


def test_a_stratum_with_districts_accepts_only_those_districts(en, app_ctx):
    competition = make_open_competition(strata=(("ALA", 20, ("ALA-MEDEU", "ALA-ALMALY")),))
    assert eligibility.region_check(competition, "ALA", "ALA-MEDEU").ok is True
    assert eligibility.region_check(competition, "ALA", None).ok is None
    check = eligibility.region_check(competition, "ALA", "ALA-AUEZOV")
    assert check.ok is False
    assert "Medeu" in check.message and "Almaly" in check.message


# --- documents and budget ---------------------------------------------------------------------

def test_every_required_document_must_be_present(en, call):
    check = eligibility.documents_check(call, ["identity"])
    assert check.ok is False
    assert check.evidence["missing"] == ["registration_proof", "neet_evidence"]
    assert "Proof of registration address" in check.message
    assert eligibility.documents_check(call, ["identity", "registration_proof", "neet_evidence"]).ok is True


@pytest.mark.parametrize("total, ok", [(None, None), (0, False), (1, True), (1_000_000, True), (1_000_001, False)])
def test_the_budget_must_be_above_zero_and_within_the_cap(en, call, total, ok):
    check = eligibility.budget_check(call, total)
    assert check.ok is ok


def test_a_budget_over_the_cap_says_the_total_and_the_cap(en, call):
    check = eligibility.budget_check(call, 1_200_000)
    assert check.message.startswith("The budget total is ₸1,200,000, more than the grant cap of ₸1,000,000.")


# --- all together -----------------------------------------------------------------------------

def test_a_complete_application_passes_every_check(en, complete):
    found = eligibility.checks(complete)
    assert [c.code for c in found] == list(eligibility.CODES)
    assert all(c.ok for c in found), [(c.code, c.message) for c in found]


def test_the_checks_of_an_empty_draft_cannot_tell_yet(en, call, applicant):
    application = Application(competition=call, applicant=applicant, social_categories=[])
    db.session.add(application)
    db.session.flush()
    found = by_code(eligibility.checks(application))
    assert [found[code].ok for code in ("iin", "age", "region", "budget")] == [None] * 4
    assert found["documents"].ok is False


def test_the_checks_of_an_application_out_of_the_rules_fail(en, call, applicant):
    application = Application(competition=call, applicant=applicant, social_categories=[],
                              iin=iin_for_age(40, reference_date(call)), region_code="AST",
                              budget_lines=[BudgetLine(position=1, item="Car", quantity=1, unit_price=5_000_000)])
    db.session.add(application)
    db.session.flush()
    found = by_code(eligibility.checks(application))
    assert found["iin"].ok is True
    assert [found[code].ok for code in ("age", "region", "budget")] == [False] * 3


def test_check_values_answers_only_about_the_values_given(en, call):
    assert [c.code for c in eligibility.check_values(call, budget_total=10)] == ["budget"]
    assert [c.code for c in eligibility.check_values(call, region_code="ALA")] == ["region"]
    assert eligibility.check_values(call) == []
