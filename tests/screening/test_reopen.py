"""A manager reopens a screening decision with a reason, before screening closes: the application
waits for a decision again (its check reviews kept), the audit log says who and why, and the
applicant is told in their language. The draw's veto and a closed screening refuse it."""
import pytest

from app.applications.models import ApplicationStatus
from app.audit.services import verify
from app.auth.models import Role
from app.dbtypes import utcnow
from app.errors import InvalidChange, Refused
from app.extensions import db
from app.screening import checks, decisions
from app.screening.models import ReasonCode
from app.screening.signals import EligibilityChangeRefused, eligibility_changing
from tests.applications import en, reload  # noqa: F401
from tests.conftest import login
from tests.factories import make_user
from tests.mail.helpers import outbox_for
from tests.screening import audit_events, call, person, screener  # noqa: F401
from tests.screening.helpers import make_eligible, reject

S = ApplicationStatus
REASON = "Паспорт просмотрен не полностью."


@pytest.fixture
def manager(app_ctx):
    return make_user("manager@example.kz", roles=(Role.MANAGER,), locale="en")


@pytest.fixture
def eligible(call, screener):
    return make_eligible(person(call, 1), screener)


def test_manager_reopens_an_eligible_decision_audited_and_mailed(en, eligible, manager):
    version = eligible.state_version
    decisions.reopen(eligible, manager, version, REASON)
    db.session.commit()
    application = reload(eligible)
    assert application.status is S.SUBMITTED and application.state_version == version + 1
    assert application.events[-1].message == REASON and application.events[-1].actor_id == manager.id
    event, data = audit_events()[-1]
    assert event == "screening.decision_reopened"
    assert data["reason"] == REASON and data["outcome"] == "eligible"
    mail = outbox_for(application.applicant.email)[-1]
    assert "reopened" in mail.subject and REASON in mail.body_text
    # The reviews still stand: the screener may decide again at once.
    assert checks.eligibility_problems(checks.checks_of(application)) == []
    decisions.decide_eligible(application, manager, application.state_version)
    db.session.commit()
    assert reload(application).status is S.ELIGIBLE
    assert verify() is None


def test_a_rejection_can_be_reopened_and_the_mail_is_in_the_applicants_language(en, call, screener, manager):
    application = reject(person(call, 2, locale="kk"), screener, reasons=(ReasonCode.AGE,))
    decisions.reopen(application, manager, application.state_version, REASON)
    db.session.commit()
    assert reload(application).status is S.SUBMITTED
    mail = outbox_for(application.applicant.email)[-1]
    assert mail.locale == "kk" and REASON in mail.body_text


def test_reopening_needs_a_reason(en, eligible, manager):
    with pytest.raises(InvalidChange) as invalid:
        decisions.reopen(eligible, manager, eligible.state_version, "  ")
    assert set(invalid.value.errors) == {"reason"}


def test_reopening_is_refused_after_screening_closed(en, call, eligible, manager):
    call.screening_closed_at = utcnow()
    db.session.commit()
    with pytest.raises(Refused, match="Screening of this competition is closed"):
        decisions.reopen(eligible, manager, eligible.state_version, REASON)


def test_reopening_is_refused_on_a_stale_page_and_when_nothing_was_decided(en, call, eligible, manager):
    with pytest.raises(Refused, match="changed by someone else"):
        decisions.reopen(eligible, manager, eligible.state_version - 1, REASON)
    db.session.rollback()
    waiting = person(call, 3)
    with pytest.raises(Refused, match="Only an eligible or rejected application can be reopened"):
        decisions.reopen(waiting, manager, waiting.state_version, REASON)


def test_the_draw_is_asked_before_an_eligible_application_stops_being_eligible(en, eligible, manager):
    asked = []

    def veto(application, attempt=None, **_kwargs):
        asked.append(attempt)
        raise EligibilityChangeRefused("The draw list is committed.")

    eligibility_changing.connect(veto)
    try:
        with pytest.raises(EligibilityChangeRefused):
            decisions.reopen(eligible, manager, eligible.state_version, REASON)
    finally:
        eligibility_changing.disconnect(veto)
    db.session.rollback()
    assert asked == [{"application": eligible.id, "ticket": eligible.number, "change": "reopened"}]
    assert reload(eligible).status is S.ELIGIBLE


def test_manager_reopens_through_the_page_and_a_screener_may_not(client, eligible, manager, screener):
    url = f"/manage/screening/application/{eligible.id}"
    login(client, screener.email)
    assert "Reopen the decision" not in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/reopen", data={"version": eligible.state_version, "reason": REASON}).status_code == 403
    client.post("/logout")
    login(client, manager.email)
    page = client.get(url).get_data(as_text=True)
    assert "Reopen the decision" in page
    response = client.post(f"{url}/reopen", data={"version": eligible.state_version, "reason": ""})
    assert response.status_code == 200 and "Write why the decision is reopened." in response.get_data(as_text=True)
    response = client.post(f"{url}/reopen", data={"version": eligible.state_version, "reason": REASON})
    assert response.status_code == 302
    assert reload(eligible).status is S.SUBMITTED
    assert REASON in client.get(url).get_data(as_text=True)
