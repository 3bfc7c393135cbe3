"""The screen in few clicks: every check judged in one form (errors beside the check they concern),
"eligible" confirmed when checks were overridden, and the staff's own wording, dates and sizes."""
from datetime import date

import pytest
import sqlalchemy as sa

from app.applications.models import ApplicationStatus
from app.errors import InvalidChange
from app.extensions import db
from app.screening import checks
from app.screening.models import CheckReview
from tests.applications import en, reload  # noqa: F401
from tests.screening import as_screener, audit_events, call, person, screener  # noqa: F401
from tests.screening.helpers import review_all

S = ApplicationStatus


@pytest.fixture
def application(call):
    return person(call, 1)


def screen_url(application, action=""):
    return f"/manage/screening/application/{application.id}" + (f"/{action}" if action else "")


def all_checks(application, **overrides):
    """The checks form as the page sends it: every judgement at the automatic result, except
    `overrides`: code -> (verdict, comment)."""
    data = {}
    for reviewed in checks.checks_of(application):
        verdict, comment = overrides.get(reviewed.code, ("pass" if reviewed.check.ok else "fail", ""))
        data.update({f"check-{reviewed.code}-version": application.state_version,
                     f"check-{reviewed.code}-verdict": verdict, f"check-{reviewed.code}-comment": comment})
    return data


def reviews():
    return {review.code: review for review in db.session.execute(sa.select(CheckReview)).scalars()}


def test_one_click_confirms_every_check_and_a_second_decides_eligible(as_screener, application):
    response = as_screener.post(screen_url(application, "checks"), data=all_checks(application))
    assert response.status_code == 302 and response.headers["Location"].endswith("#decision-heading")
    assert set(reviews()) == set(checks.CHECK_CODES)
    assert [event for event, _data in audit_events()] == ["screening.check_confirmed"] * 6

    response = as_screener.post(screen_url(application, "eligible"), data={"version": application.state_version})
    assert response.status_code == 302
    assert reload(application).status is S.ELIGIBLE


def test_saving_the_same_judgements_again_records_nothing_new(as_screener, application):
    as_screener.post(screen_url(application, "checks"), data=all_checks(application))
    as_screener.post(screen_url(application, "checks"), data=all_checks(application))
    assert len(audit_events()) == 6


def test_an_override_without_comment_is_shown_beside_its_check_and_nothing_is_saved(as_screener, application):
    response = as_screener.post(screen_url(application, "checks"), data=all_checks(
        application, budget=("fail", ""), age=("pass", "typed and kept")))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="check-budget-comment-error"' in html
    assert html.index('id="check-budget"') < html.index('id="check-budget-comment-error"') < html.index(
        'id="check-duplicates"')
    assert "typed and kept" in html
    assert 'action="/manage/screening/application/%d/checks#first-error"' % application.id in html
    assert html.index('id="check-age"') < html.index('id="first-error"') < html.index('id="check-budget-comment-error"')
    assert reviews() == {}


def test_review_checks_service_names_each_failing_check(en, application, screener):
    with pytest.raises(InvalidChange) as invalid:
        checks.review_checks(application, screener, application.state_version,
                             {"budget": (False, ""), "age": (False, " "), "iin": (True, "")})
    db.session.rollback()
    assert set(invalid.value.errors) == {"check-budget-comment", "check-age-comment"}


def test_a_check_left_without_a_verdict_stays_unreviewed(en, application, screener):
    checks.review_checks(application, screener, application.state_version, {"iin": (True, ""), "age": (None, "")})
    db.session.commit()
    assert set(reviews()) == {"iin"}


@pytest.fixture
def too_old(call):
    """An application whose age check fails automatically (the screener will override it)."""
    return person(call, 2, birth=date(1980, 1, 1))


def test_eligible_after_overrides_asks_to_confirm_them(as_screener, too_old, screener):
    application = too_old
    review_all(application, screener, overrides={"age": (True, "Дата рождения в паспорте другая.")})
    page = as_screener.get(screen_url(application)).get_data(as_text=True)
    assert "These checks were overridden against the automatic result:" in page
    assert "Дата рождения в паспорте другая." in page

    response = as_screener.post(screen_url(application, "eligible"),
                                data={"version": application.state_version, "overrides": "age"})
    assert response.status_code == 200
    assert "tick the confirmation and decide" in response.get_data(as_text=True)
    assert reload(application).status is S.SUBMITTED

    response = as_screener.post(screen_url(application, "eligible"), data={
        "version": application.state_version, "overrides": "age", "confirmed": "y"})
    assert response.status_code == 302
    assert reload(application).status is S.ELIGIBLE


def test_a_confirmation_of_other_overrides_does_not_count(as_screener, too_old, screener):
    application = too_old
    review_all(application, screener)
    response = as_screener.post(screen_url(application, "eligible"), data={
        "version": application.state_version, "overrides": "budget", "confirmed": "y"})
    assert response.status_code == 200
    assert reload(application).status is S.SUBMITTED


def test_the_staff_screen_speaks_of_the_applicant_with_dates_and_sizes_in_the_language(as_screener, application):
    html = as_screener.get(screen_url(application)).get_data(as_text=True)
    assert "the applicant will be" in html
    assert "you will be" not in html and "Your project" not in html and "About you" not in html
    assert application.birth_date.isoformat() not in html
    assert "2 January 1995" in html  # the birth date, in the IIN's evidence and the submitted data
    assert " KB" in html and " kB" not in html
