"""Decisions: eligible, rejected with reasons, correction requested with a deadline. Each is
refused on a page showing an older state of the application (two screeners, two tabs), applied
once on a double click, audited, and mailed to the applicant in their language."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.applications.models import ApplicationStatus
from app.audit.services import verify
from app.auth.models import Role
from app.dbtypes import utcnow
from app.errors import InvalidChange, Refused
from app.extensions import db
from app.screening.decisions import decide_eligible, reject, request_correction
from app.screening.models import DecisionOutcome, ReasonCode, ScreeningDecision
from tests.applications import en, reload  # noqa: F401
from tests.conftest import login
from tests.factories import make_user
from tests.mail.helpers import outbox_for
from tests.screening import as_screener, audit_events, call, person, screener, second_screener  # noqa: F401
from tests.screening.helpers import review_all

S = ApplicationStatus
STALE = "This application was changed by someone else while you were looking at it. Reload and check again."


@pytest.fixture
def application(call, screener):
    """A submitted application whose checks the screener has all reviewed: "eligible" is possible."""
    application = person(call, 1)
    review_all(application, screener)
    return application


def decision_events():
    """The decisions in the audit log (the reviews of the checks before them left out)."""
    return [(event, data) for event, data in audit_events() if not event.startswith("screening.check_")]


def decisions(application):
    return db.session.execute(sa.select(ScreeningDecision).where(
        ScreeningDecision.application_id == application.id)).scalars().all()


def refusal(change):
    with pytest.raises(Refused) as refused:
        change()
    db.session.rollback()
    return str(refused.value)


def errors(change):
    with pytest.raises(InvalidChange) as invalid:
        change()
    db.session.rollback()
    return {name: [str(m) for m in messages] for name, messages in invalid.value.errors.items()}


# --- the three decisions ------------------------------------------------------------------------

def test_eligible_moves_the_application_records_the_decision_audits_and_mails(en, application, screener):
    version = application.state_version
    decision = decide_eligible(application, screener, version)
    db.session.commit()

    application = reload(application)
    assert application.status is S.ELIGIBLE
    assert application.state_version == version + 1
    assert decision.outcome is DecisionOutcome.ELIGIBLE and decision.decided_by_id == screener.id
    assert [event for event, _data in decision_events()] == ["screening.eligible"]
    assert decision_events()[0][1]["number"] == application.number
    mail = outbox_for(application.applicant.email)[-1]
    assert "passed technical screening" in mail.subject
    assert application.number in mail.body_text
    assert verify() is None


def test_rejection_keeps_its_reasons_in_order_and_tells_the_applicant(en, application, screener):
    reject(application, screener, application.state_version,
                    ["no_neet_evidence", ReasonCode.AGE], "Вам 36 лет на дату отсчёта.")
    db.session.commit()

    application = reload(application)
    assert application.status is S.REJECTED
    [decision] = decisions(application)
    assert decision.reasons == ["age", "no_neet_evidence"]
    assert application.events[-1].message == "Вам 36 лет на дату отсчёта."
    body = outbox_for(application.applicant.email)[-1].body_text
    assert "Age outside the competition's rule" in body
    assert "No documents confirming the NEET status" in body
    assert "Вам 36 лет на дату отсчёта." in body
    event, data = decision_events()[-1]
    assert event == "screening.rejected" and data["reasons"] == ["age", "no_neet_evidence"]


def test_rejection_without_a_reason_is_refused(en, application, screener):
    found = errors(lambda: reject(application, screener, application.state_version, [], "Нет"))
    assert found == {"reasons": ["Choose at least one reason for the rejection."]}
    assert reload(application).status is S.SUBMITTED
    assert decisions(application) == []


def test_other_reason_needs_a_message_and_unknown_reasons_are_refused(en, application, screener):
    found = errors(lambda: reject(application, screener, application.state_version, ["other"], " "))
    assert found == {"message": ["Explain the other reason in the message to the applicant."]}
    found = errors(lambda: reject(application, screener, application.state_version, ["bribe"], ""))
    assert "Choose reasons from the list." in found["reasons"]


def test_correction_request_records_message_steps_and_deadline(en, application, screener):
    deadline = utcnow() + timedelta(days=5)
    request_correction(application, screener, application.state_version,
                                "Загрузите справку из центра занятости.", [6, 3, 6], deadline)
    db.session.commit()

    application = reload(application)
    assert application.status is S.CORRECTION_REQUESTED
    [decision] = decisions(application)
    assert decision.correction_steps == [3, 6]
    assert decision.correction_deadline == deadline.replace(microsecond=0)
    mail = outbox_for(application.applicant.email)[-1]
    assert "please correct it" in mail.subject
    assert "Загрузите справку из центра занятости." in mail.body_text
    assert "NEET status" in mail.body_text and "Documents" in mail.body_text
    assert decision_events()[-1][0] == "screening.correction_requested"


@pytest.mark.parametrize("deadline, message", [
    (lambda: utcnow() - timedelta(minutes=1), "The deadline is in the past. Choose a date and time after now."),
    (lambda: utcnow() + timedelta(days=31), "The deadline can be at most 30 days from now."),
    (lambda: None, "Enter the deadline for the correction."),
])
def test_correction_deadline_must_be_ahead_and_not_too_far(en, application, screener, deadline, message):
    found = errors(lambda: request_correction(
        application, screener, application.state_version, "Исправьте", [6], deadline()))
    assert found == {"deadline": [message]}
    assert reload(application).status is S.SUBMITTED


def test_correction_needs_a_message_and_known_steps(en, application, screener):
    deadline = utcnow() + timedelta(days=3)
    found = errors(lambda: request_correction(application, screener, application.state_version,
                                                       "", [], deadline))
    assert set(found) == {"message", "steps"}
    found = errors(lambda: request_correction(application, screener, application.state_version,
                                                       "Исправьте", [7], deadline))
    assert found == {"steps": ["Choose parts of the application from the list."]}


def test_mail_goes_in_the_applicants_language(en, call, screener):
    kazakh = person(call, 2, locale="kk")
    reject(kazakh, screener, kazakh.state_version, ["age"])
    db.session.commit()
    mail = outbox_for(kazakh.applicant.email)[-1]
    assert mail.locale == "kk"
    assert "Сәлеметсіз бе!" in mail.body_text
    assert "шағын гранттар конкурсы" in mail.body_text  # the call's Kazakh title


# --- stale pages, double clicks ----------------------------------------------------------------------

def test_two_screeners_deciding_on_the_same_page_state_apply_only_the_first(en, application, screener,
                                                                           second_screener):
    shown = application.state_version
    decide_eligible(application, screener, shown)
    db.session.commit()

    assert refusal(lambda: reject(application, second_screener, shown, ["age"], "")) == STALE
    assert refusal(lambda: decide_eligible(application, second_screener, shown)) == STALE
    application = reload(application)
    assert application.status is S.ELIGIBLE
    assert len(decisions(application)) == 1
    assert [event for event, _data in decision_events()] == ["screening.eligible"]


def test_a_decision_without_the_version_shown_is_refused(en, application, screener):
    assert refusal(lambda: decide_eligible(application, screener, None)) == STALE
    assert refusal(lambda: decide_eligible(application, screener, application.state_version + 3)) == STALE


def test_a_double_click_decides_once(en, application, screener):
    shown = application.state_version
    first = reject(application, screener, shown, ["age"], "")
    db.session.commit()
    second = reject(application, screener, shown, ["age"], "")
    db.session.commit()

    assert second.id == first.id
    assert len(decisions(application)) == 1
    # the receipt and one decision, each followed by its survey invitation
    assert len(outbox_for(application.applicant.email)) == 4
    assert len(reload(application).events) == 2


def test_the_same_screener_in_two_tabs_with_different_decisions_is_refused(en, application, screener):
    shown = application.state_version
    decide_eligible(application, screener, shown)
    db.session.commit()
    assert refusal(lambda: reject(application, screener, shown, ["age"], "")) == STALE


def test_decided_application_is_not_decided_again(en, application, screener):
    decide_eligible(application, screener, application.state_version)
    db.session.commit()
    message = refusal(lambda: reject(application, screener, reload(application).state_version, ["age"]))
    assert message == "This application is not waiting for a screening decision: its status is Eligible."


def test_closed_screening_refuses_decisions(en, call, application, screener):
    call.screening_closed_at = utcnow()
    db.session.commit()
    message = refusal(lambda: decide_eligible(application, screener, application.state_version))
    assert message == "Screening of this competition is closed: no more decisions can be taken."


def test_while_a_correction_runs_only_a_rejection_after_the_deadline_is_possible(en, application, screener):
    request_correction(application, screener, application.state_version, "Исправьте", [6],
                                utcnow() + timedelta(days=2))
    db.session.commit()
    version = reload(application).state_version
    assert "may correct this application until" in refusal(
        lambda: reject(application, screener, version, ["incomplete"]))

    decision = decisions(application)[0]
    decision.correction_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert refusal(lambda: decide_eligible(application, screener, version)) == (
        "The deadline for the correction passed without an answer: the application can only be rejected.")
    reject(application, screener, version, ["incomplete"])
    db.session.commit()
    assert reload(application).status is S.REJECTED


# --- through the pages ----------------------------------------------------------------------------

def test_screener_rejects_through_the_page(as_screener, application):
    response = as_screener.post(f"/manage/screening/application/{application.id}/reject", data={
        "version": application.state_version, "reasons": ["duplicate", "other"], "message": "Повторная заявка.",
    })
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/screening/{application.competition_id}/")
    application = reload(application)
    assert application.status is S.REJECTED
    assert decisions(application)[0].reasons == ["duplicate", "other"]


def test_rejection_without_reason_through_the_page_shows_the_error(as_screener, application):
    response = as_screener.post(f"/manage/screening/application/{application.id}/reject", data={
        "version": application.state_version, "message": "Нет"})
    assert response.status_code == 200
    assert "Choose at least one reason for the rejection." in response.get_data(as_text=True)
    assert reload(application).status is S.SUBMITTED


def test_correction_deadline_in_the_past_through_the_page_shows_the_error(as_screener, application):
    response = as_screener.post(f"/manage/screening/application/{application.id}/correction", data={
        "version": application.state_version, "message": "Исправьте", "steps": ["6"],
        "deadline": "2020-01-01T18:00"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The deadline is in the past. Choose a date and time after now." in html
    assert reload(application).status is S.SUBMITTED


def test_second_screener_on_a_stale_page_is_told_to_reload(client, application, screener, second_screener):
    shown = application.state_version
    decide_eligible(application, screener, shown)
    db.session.commit()

    login(client, second_screener.email)
    response = client.post(f"/manage/screening/application/{application.id}/reject", data={
        "version": shown, "reasons": ["age"], "message": ""}, follow_redirects=True)
    assert STALE in response.get_data(as_text=True)
    assert reload(application).status is S.ELIGIBLE
    assert len(decisions(application)) == 1


def test_double_submit_of_the_form_decides_once(as_screener, application):
    data = {"version": application.state_version}
    first = as_screener.post(f"/manage/screening/application/{application.id}/eligible", data=data)
    second = as_screener.post(f"/manage/screening/application/{application.id}/eligible", data=data)
    assert first.status_code == second.status_code == 302
    assert len(decisions(application)) == 1
    assert [event for event, _data in decision_events()] == ["screening.eligible"]


def test_manager_and_admin_may_decide_too(client, call):
    for n, role in enumerate((Role.MANAGER, Role.ADMIN), start=10):
        application = person(call, n)
        user = make_user(f"{role.value}@example.kz", roles=(role,))
        review_all(application, user)
        login(client, user.email)
        response = client.post(f"/manage/screening/application/{application.id}/eligible",
                               data={"version": application.state_version})
        assert response.status_code == 302
        assert reload(application).status is S.ELIGIBLE
        client.post("/logout")
