"""A missed signing deadline: staff terminate the grant and, in the same transaction, the next
reserve of the stratum takes the place (and gets a grant); before the deadline it is refused. The
grantee's mail: the contract is ready (issue and reissue), the signature is confirmed."""
from datetime import timedelta

import pytest

from app.applications.models import ApplicationStatus
from app.auth.models import Role
from app.contracts import contracts
from app.contracts.models import GrantEventKind, GrantStatus
from app.extensions import db
from app.lottery.engine import RESERVE_EXHAUSTED, RESERVE_PROMOTED, WINNER_REMOVED
from tests.contracts.test_contracts import client_of, scan
from tests.contracts.test_grants import all_grants, audit_events
from tests.factories import make_user
from tests.lottery.test_lifecycle import log_events, published_draw
from tests.mail.helpers import link_in_last_mail, outbox_for


def stratum_of(draw, grant):
    return next(r["stratum"] for r in draw.results if r["ticket"] == grant.application.number)


def past_deadline(contract):
    contract.signing_deadline = contract.issued_at - timedelta(seconds=1)
    db.session.commit()


@pytest.fixture
def draw(manager):
    return published_draw(manager)


@pytest.fixture
def grant(draw):
    return next(g for g in all_grants() if stratum_of(draw, g) == "ALA")


@pytest.fixture
def issued(grant, manager):
    contract = contracts.issue(grant, manager)
    db.session.commit()
    return contract


# --- the missed deadline --------------------------------------------------------------------

def test_before_the_deadline_termination_is_refused(app, issued, grant, manager, draw):
    with pytest.raises(contracts.ContractRefused) as refused:
        contracts.terminate_for_missed_deadline(grant, manager)
    assert "has not passed yet" in str(refused.value)
    db.session.rollback()
    response = client_of(app, manager).post(f"/manage/grants/{grant.id}/missed-deadline")
    assert response.status_code == 422 and "has not passed yet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert grant.status is GrantStatus.CONTRACTING
    assert "grant.missed_deadline" not in audit_events() and RESERVE_PROMOTED not in log_events(draw)


def test_without_a_contract_it_is_refused(grant, manager):
    with pytest.raises(contracts.ContractRefused):
        contracts.terminate_for_missed_deadline(grant, manager)


def test_after_the_deadline_the_grant_is_terminated_and_the_next_reserve_gets_a_grant(app, issued, grant, manager,
                                                                                       draw):
    past_deadline(issued)
    count = len(all_grants())
    client = client_of(app, manager)
    page = client.get(f"/manage/grants/{grant.id}").get_data(as_text=True)
    assert f"/manage/grants/{grant.id}/missed-deadline" in page
    response = client.post(f"/manage/grants/{grant.id}/missed-deadline", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "next on the reserve list, now receives a grant" in page
    db.session.expire_all()
    assert grant.status is GrantStatus.TERMINATED
    assert "deadline" in grant.terminated_reason and str(issued.signing_deadline.year)[-2:] in grant.terminated_reason
    assert grant.events[-1].kind is GrantEventKind.TERMINATED
    assert grant.application.status is ApplicationStatus.WITHDRAWN
    made = all_grants()
    assert len(made) == count + 1
    newest = max(made, key=lambda g: g.id)
    assert newest.status is GrantStatus.CONTRACTING and stratum_of(draw, newest) == "ALA"
    assert newest.application.status is ApplicationStatus.WINNER
    assert newest.application.number in page
    assert {"grant.terminated", "grant.missed_deadline"} <= set(audit_events())
    assert audit_events()[-1] == "grant.missed_deadline"
    assert RESERVE_PROMOTED in log_events(draw)
    replaced = [e for e in draw.log if e.event == WINNER_REMOVED]
    assert replaced and replaced[-1].data["reason"] == "missed_deadline"


def test_with_no_reserve_left_the_grant_is_terminated_and_stays_unawarded(app, manager):
    draw = published_draw(manager, ala=3, man=2)  # every applicant wins: no reserve
    grant = all_grants()[0]
    contract = contracts.issue(grant, manager)
    db.session.commit()
    past_deadline(contract)
    count = len(all_grants())
    response = client_of(app, manager).post(f"/manage/grants/{grant.id}/missed-deadline", follow_redirects=True)
    assert response.status_code == 200 and "the grant stays unawarded" in response.get_data(as_text=True)
    db.session.expire_all()
    assert grant.status is GrantStatus.TERMINATED and len(all_grants()) == count
    assert RESERVE_EXHAUSTED in log_events(draw)


def test_only_amend_grant_may_terminate_for_a_missed_deadline(app, issued, grant):
    past_deadline(issued)
    staff = make_user("staff@example.kz", roles=(Role.STAFF,))
    client = client_of(app, staff)
    assert "missed-deadline" not in client.get(f"/manage/grants/{grant.id}").get_data(as_text=True)
    assert client.post(f"/manage/grants/{grant.id}/missed-deadline").status_code == 403
    db.session.expire_all()
    assert grant.status is GrantStatus.CONTRACTING


# --- mail -----------------------------------------------------------------------------------

def test_the_grantee_is_told_the_contract_is_ready_on_issue_and_reissue(client, issued, grant, manager):
    grantee = grant.application.applicant
    first = outbox_for(grantee.email)[-1]
    assert grant.number in first.subject and "ready to sign" in first.subject
    assert str(issued.signing_deadline.year)[-2:] in first.body_text
    assert link_in_last_mail(grantee.email, "/my/grants/") == f"/my/grants/{grant.id}"
    contracts.issue(grant, manager)
    db.session.commit()
    mails = outbox_for(grantee.email)
    assert "new version" in mails[-1].subject and "Version 2" in mails[-1].body_text


def test_the_mail_is_in_the_grantees_language(grant, manager):
    grantee = grant.application.applicant
    grantee.locale = "ru"
    db.session.commit()
    contracts.issue(grant, manager)
    db.session.commit()
    message = outbox_for(grantee.email)[-1]
    assert message.locale == "ru"


def test_the_grantee_is_told_the_signature_is_confirmed_on_countersignature(issued, grant, manager):
    grantee = grant.application.applicant
    contracts.upload_signature(grant, 1, scan(), grantee)
    contracts.confirm(grant, manager)
    before = len(outbox_for(grantee.email))
    contracts.countersign(grant, manager)
    db.session.commit()
    mails = outbox_for(grantee.email)
    assert len(mails) == before + 1
    assert "is signed" in mails[-1].subject and "the grant is active" in mails[-1].body_text
    assert f"/my/grants/{grant.id}" in mails[-1].body_text


def test_no_mail_when_the_issue_is_refused(grant, manager):
    grantee = grant.application.applicant
    before = len(outbox_for(grantee.email))
    contracts.issue(grant, manager)
    contracts.upload_signature(grant, 1, scan(), grantee)
    contracts.confirm(grant, manager)
    contracts.countersign(grant, manager)
    db.session.commit()
    with pytest.raises(contracts.ContractRefused):
        contracts.issue(grant, manager)
    db.session.rollback()
    assert len(outbox_for(grantee.email)) == before + 2
