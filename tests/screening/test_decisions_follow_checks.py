"""Screening decisions follow the checks: "eligible" needs every check reviewed (on the result
shown now, since the latest submission) and none judged failing, unless an automatic failure is
overridden with a comment; the refusal names the checks missing or failing; a failing check ticks
its rejection reason in the reject form. Once screening is closed, an attempted decision is refused
and stays in the audit log."""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.applications.eligibility import Check
from app.applications.models import ApplicationStatus
from app.applications.submission import resubmit
from app.audit.models import AuditEntry
from app.dbtypes import utcnow
from app.errors import Refused, settle
from app.extensions import db
from app.screening import checks
from app.screening.checks import checks_of, review_check, suggested_reasons
from app.screening.decisions import decide_eligible, request_correction
from app.screening.models import ReasonCode, ScreeningDecision
from tests.applications import en, reload  # noqa: F401
from tests.screening import as_screener, call, person, screener  # noqa: F401
from tests.screening.helpers import review_all

S = ApplicationStatus
ALL_CHECKS = ("IIN check digit; Age on the reference date; Region and district in a stratum; "
              "Required documents present; Budget within the grant cap; Possible duplicates")


@pytest.fixture
def application(call):
    return person(call, 1)


def refusal(change):
    with pytest.raises(Refused) as refused:
        change()
    settle(refused.value)
    return str(refused.value)


def decisions(application):
    return db.session.execute(sa.select(ScreeningDecision).where(
        ScreeningDecision.application_id == application.id)).scalars().all()


def page(client, application):
    return client.get(f"/manage/screening/application/{application.id}").get_data(as_text=True)


def ticked_reasons(html):
    form = re.search(r'<form[^>]*action="[^"]*/reject".*?</form>', html, re.S).group(0)
    return re.findall(r'name="reasons"[^>]*value="(\w+)" checked', form)


# --- the service ------------------------------------------------------------------------------------

def test_eligible_with_no_check_reviewed_is_refused_and_says_which(en, application, screener):
    message = refusal(lambda: decide_eligible(application, screener, application.state_version))
    assert message == ("The application can be eligible only when every check is reviewed and none fails. "
                       f"Not reviewed yet: {ALL_CHECKS}.")
    assert reload(application).status is S.SUBMITTED and decisions(application) == []


def test_eligible_with_one_check_left_names_it(en, application, screener):
    review_all(application, screener)
    db.session.execute(sa.delete(checks.CheckReview).where(checks.CheckReview.code == "budget"))
    db.session.commit()
    message = refusal(lambda: decide_eligible(application, screener, application.state_version))
    assert message.endswith("Not reviewed yet: Budget within the grant cap.")


def test_a_check_saved_as_not_meeting_the_rule_refuses_eligible(en, application, screener):
    """The reproduction: the age check saved as "does not meet", then eligible clicked."""
    review_all(application, screener, overrides={"age": (False, "Возраст по удостоверению: 36 лет.")})
    message = refusal(lambda: decide_eligible(application, screener, application.state_version))
    assert "Judged as not meeting the rule: Age on the reference date." in message
    assert "Not reviewed" not in message
    assert reload(application).status is S.SUBMITTED and decisions(application) == []


def test_an_automatic_failure_overridden_with_a_comment_allows_eligible(en, call, screener):
    application = person(call, 2, birth=date(1980, 1, 1))  # too old by the IIN
    assert checks_of(application)[1].check.ok is False
    review_all(application, screener, overrides={"age": (True, "ИИН с ошибкой ЦОН: по паспорту 1998 год.")})
    decide_eligible(application, screener, application.state_version)
    db.session.commit()
    assert reload(application).status is S.ELIGIBLE


def test_reviews_before_a_correction_no_longer_count(en, application, screener):
    review_all(application, screener)
    request_correction(application, screener, application.state_version, "Загрузите справку", [6],
                       utcnow() + timedelta(days=2))
    db.session.commit()
    resubmit(reload(application), application.applicant)
    db.session.commit()
    application = reload(application)
    assert all(reviewed.before_resubmission for reviewed in checks_of(application))
    message = refusal(lambda: decide_eligible(application, screener, application.state_version))
    assert f"Not reviewed yet: {ALL_CHECKS}." in message
    review_all(application, screener)
    decide_eligible(application, screener, application.state_version)
    db.session.commit()
    assert reload(application).status is S.ELIGIBLE


def check(code, **evidence):
    return Check(code, False, "", evidence)


@pytest.mark.parametrize("failing, reasons", [
    (check("age"), [ReasonCode.AGE]),
    (check("duplicates", matches=[]), [ReasonCode.DUPLICATE]),
    (check("budget", total=1_200_000, cap=1_000_000), [ReasonCode.BUDGET_OVER_CAP]),
    (check("budget", total=0, cap=1_000_000), [ReasonCode.INCOMPLETE]),
    (check("documents", missing=["registration_proof", "neet_evidence"]),
     [ReasonCode.NO_REGISTRATION_PROOF, ReasonCode.NO_NEET_EVIDENCE]),
    (check("documents", missing=["identity"]), [ReasonCode.INCOMPLETE]),
    (check("documents", missing=[]), [ReasonCode.INCOMPLETE]),
    (check("region"), [ReasonCode.OTHER]),
    (check("iin"), [ReasonCode.OTHER]),
])
def test_each_failing_check_suggests_its_rejection_reason(failing, reasons):
    assert suggested_reasons([checks.ReviewedCheck(failing, None)]) == reasons


def test_once_screening_is_closed_an_attempted_decision_stays_on_record(en, call, application, screener):
    review_all(application, screener)
    call.screening_closed_at = utcnow()
    db.session.commit()
    message = refusal(lambda: decide_eligible(application, screener, application.state_version))
    assert message == "Screening of this competition is closed: no more decisions can be taken."
    entry = db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()
    assert entry.event == "screening.decision_refused" and entry.actor_id == screener.id
    assert entry.data["number"] == application.number and entry.data["outcome"] == "eligible"


# --- the page ---------------------------------------------------------------------------------------

def test_the_page_disables_eligible_and_says_what_is_missing(as_screener, application):
    html = page(as_screener, application)
    assert f"Not reviewed yet: {ALL_CHECKS}." in html
    assert re.search(r'<button type="submit" class="btn btn-success mt-auto" disabled', html)


def test_a_click_on_eligible_without_reviews_is_refused_with_the_reasons(as_screener, application):
    response = as_screener.post(f"/manage/screening/application/{application.id}/eligible",
                                data={"version": application.state_version})
    assert response.status_code == 200
    assert "The application can be eligible only when every check is reviewed" in response.get_data(as_text=True)
    assert reload(application).status is S.SUBMITTED


def test_after_every_review_the_page_offers_eligible(as_screener, application, screener):
    review_all(application, screener)
    html = page(as_screener, application)
    assert "Not reviewed yet" not in html
    assert re.search(r'<button type="submit" class="btn btn-success mt-auto">', html)
    assert ticked_reasons(html) == []


def test_a_failing_check_ticks_its_reason_in_the_reject_form(as_screener, call, screener):
    too_old = person(call, 2, birth=date(1980, 1, 1))
    assert ticked_reasons(page(as_screener, too_old)) == ["age"]
    judged = person(call, 3)
    review_check(judged, screener, judged.state_version, "budget", False, "Цены завышены вдвое.")
    db.session.commit()
    html = page(as_screener, judged)
    assert ticked_reasons(html) == ["budget_over_cap"]
    assert "The reasons of the failing checks are ticked." in html
