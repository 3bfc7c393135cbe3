"""The grantee is told by mail, in their language, when their grant is terminated, whatever the
reason (a manager's, or the missed signing deadline): the reason, the grant's page and whom to
contact; a refused termination sends nothing."""
import pytest

from app.contracts import contracts, grants
from app.errors import InvalidChange
from app.extensions import db
from tests.conftest import login
from tests.contracts.test_deadline import draw, grant, issued, past_deadline  # noqa: F401 (fixtures)
from tests.mail.helpers import link_in_last_mail, outbox_for


def mails_of(grant):
    return outbox_for(grant.application.applicant.email)


def test_the_grantee_is_told_the_reason_and_whom_to_contact(app, grant, manager):
    before = len(mails_of(grant))
    grants.terminate(grant, "Отказался от гранта письменно.", manager)
    db.session.commit()
    mails = mails_of(grant)
    assert len(mails) == before + 1
    mail = mails[-1]
    assert mail.subject.startswith(f"Your grant {grant.number} is terminated")
    assert "Отказался от гранта письменно." in mail.body_text
    assert app.config["OFFICE_PHONE"] in mail.body_text and app.config["OFFICE_EMAIL"] in mail.body_text
    assert link_in_last_mail(grant.application.applicant.email, "/my/grants/") == f"/my/grants/{grant.id}"


def test_the_mail_is_in_the_grantees_language(grant, manager):
    grant.application.applicant.locale = "kk"
    db.session.commit()
    grants.terminate(grant, "Келісімшарт бұзылды.", manager)
    db.session.commit()
    assert mails_of(grant)[-1].locale == "kk"


def test_a_missed_deadline_tells_the_grantee_the_deadline(issued, grant, manager):
    past_deadline(issued)
    contracts.terminate_for_missed_deadline(grant, manager)
    db.session.commit()
    mail = mails_of(grant)[-1]
    assert "is terminated" in mail.subject
    assert "The contract was not signed by the deadline" in mail.body_text
    assert grant.terminated_reason in mail.body_text


def test_a_refused_termination_sends_nothing(grant, manager):
    before = len(mails_of(grant))
    with pytest.raises(InvalidChange):
        grants.terminate(grant, "   ", manager)
    db.session.rollback()
    grants.terminate(grant, "Отказался.", manager)
    db.session.commit()
    with pytest.raises(grants.GrantRefused):
        grants.terminate(grant, "Ещё раз.", manager)
    db.session.rollback()
    assert len(mails_of(grant)) == before + 1


def test_terminating_through_the_page_queues_the_mail(client, grant, manager):
    login(client, manager.email)
    response = client.post(f"/manage/grants/{grant.id}/terminate", data={"reason": "Нарушены условия договора."})
    assert response.status_code == 302
    db.session.expire_all()
    assert "Нарушены условия договора." in mails_of(grant)[-1].body_text
