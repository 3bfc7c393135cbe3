"""A withdrawal that is refused stays on record although the request rolls back: after the draw
list's commit (the eligible set cannot change any more: refused and logged), and for any other
reason (a status that cannot be withdrawn, someone else's application)."""
import pytest
import sqlalchemy as sa

from app.applications.models import Application, ApplicationStatus
from app.applications.submission import SubmissionRefused, withdraw
from app.audit.models import AuditEntry
from app.auth.models import Role
from app.errors import settle
from app.extensions import db
from tests.conftest import login
from tests.lottery.test_lifecycle import add_applications, closed_competition, committed_draw

S = ApplicationStatus


@pytest.fixture
def committed(request_ctx, make_user):
    """A competition whose draw list is committed, and one of its eligible applications."""
    manager = make_user("manager@example.kz", roles=(Role.MANAGER,))
    competition = closed_competition()
    add_applications(competition, "ALA", 3)
    add_applications(competition, "MAN", 2)
    rejected = add_applications(competition, "ALA", 1, status=S.REJECTED)[0]
    draw = committed_draw(manager, competition=competition)
    eligible = db.session.execute(sa.select(Application).where(
        Application.competition_id == draw.competition_id, Application.status == S.ELIGIBLE).limit(1)).scalar_one()
    return eligible, rejected


def last_audit_entry():
    return db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()


def refused(change):
    with pytest.raises(SubmissionRefused) as caught:
        change()
    settle(caught.value)
    return caught.value


def test_a_withdrawal_after_the_commit_is_refused_and_logged(committed):
    eligible, _rejected = committed
    refusal = refused(lambda: withdraw(eligible, eligible.applicant, "Нашла работу."))
    assert "The draw list of this competition is committed" in str(refusal)
    entry = last_audit_entry()
    assert (entry.event, entry.actor_id) == ("application.withdrawal_refused", eligible.applicant_id)
    assert entry.data["number"] == eligible.number and entry.data["why"] == "closed"
    db.session.refresh(eligible)
    assert eligible.status is S.ELIGIBLE and eligible.withdrawn_at is None


def test_a_withdrawal_refused_for_its_status_or_by_another_person_is_logged_too(committed, make_user):
    eligible, rejected = committed
    refused(lambda: withdraw(rejected, rejected.applicant))
    assert (last_audit_entry().event, last_audit_entry().data["why"]) == ("application.withdrawal_refused", "status")
    stranger = make_user("stranger@example.kz")
    refused(lambda: withdraw(eligible, stranger))
    assert (last_audit_entry().actor_id, last_audit_entry().data["why"]) == (stranger.id, "not_applicant")


def test_the_withdraw_form_posted_after_the_commit_is_refused_on_record(committed, client):
    eligible, _rejected = committed
    login(client, eligible.applicant.email)
    response = client.post(f"/my/applications/{eligible.id}/withdraw", data={"reason": "Передумала."},
                           follow_redirects=True)
    assert "The draw list of this competition is committed" in response.get_data(as_text=True)
    entry = last_audit_entry()
    assert entry.event == "application.withdrawal_refused" and entry.data["application"] == eligible.id
    db.session.refresh(eligible)
    assert eligible.status is S.ELIGIBLE
