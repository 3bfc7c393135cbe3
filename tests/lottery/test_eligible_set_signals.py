"""The draw freezes the eligible set at commit through the signals of the features below it:
an appeal upheld after the commit is refused on record (draw log and audit log), withdrawal closes,
and every app built by create_app has the draw's receivers connected."""
import subprocess
import sys

import pytest
import sqlalchemy as sa

from app.applications.models import Application, ApplicationStatus
from app.applications.submission import can_withdraw
from app.audit.models import AuditEntry
from app.auth.models import Role
from app.dbtypes import utcnow
from app.errors import settle
from app.extensions import db
from app.screening.appeals import decide_appeal
from app.screening.models import Appeal, AppealStatus
from app.screening.signals import EligibilityChangeRefused
from tests.conftest import login
from tests.lottery.test_lifecycle import add_applications, closed_competition, committed_draw
from tests.screening.helpers import staff_user

REFUSAL = "The draw list of this competition is committed"


@pytest.fixture
def appealed_after_commit(make_user):
    """A committed draw, and an application of its competition appealed (not on the list)."""
    manager = make_user("manager@example.kz", roles=(Role.MANAGER,))
    competition = closed_competition()
    add_applications(competition, "ALA", 3)
    add_applications(competition, "MAN", 2)
    appellant = add_applications(competition, "ALA", 1, status=ApplicationStatus.APPEALED)[0]
    db.session.add(Appeal(application_id=appellant.id, text="Мне 35 лет.", status=AppealStatus.PENDING,
                          submitted_at=utcnow()))
    draw = committed_draw(manager, competition=competition)
    return draw, appellant


def audit_entries():
    return db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()


def test_an_appeal_upheld_after_the_commit_is_refused_on_record(appealed_after_commit):
    draw, appellant = appealed_after_commit
    decider = staff_user("decider@example.kz")
    with pytest.raises(EligibilityChangeRefused, match=REFUSAL) as refused:
        decide_appeal(appellant.appeal, decider, True, "", appellant.state_version)
    settle(refused.value)  # as the view does: the refusal stays on record, nothing else changed

    db.session.refresh(draw)
    assert draw.log[-1].event == "eligible_set.change_refused"
    assert draw.log[-1].data == {"ticket": appellant.number, "change": "eligible"}
    last = audit_entries()[-1]
    assert last.event == "draw.eligible_set_change_refused" and last.actor_id == decider.id
    assert appellant.status is ApplicationStatus.APPEALED
    assert appellant.appeal.status is AppealStatus.PENDING


def test_the_appeal_screen_shows_the_refusal_and_keeps_it_on_record(client, appealed_after_commit):
    draw, appellant = appealed_after_commit
    decider = staff_user("decider@example.kz")
    login(client, decider.email)
    response = client.post(f"/manage/screening/appeals/{appellant.appeal.id}",
                           data={"outcome": "upheld", "message": "", "state_version": appellant.state_version})
    assert response.status_code == 200 and REFUSAL in response.get_data(as_text=True)
    db.session.refresh(draw)
    assert draw.log[-1].event == "eligible_set.change_refused"
    db.session.refresh(appellant)
    assert appellant.status is ApplicationStatus.APPEALED


def test_a_dismissal_after_the_commit_goes_through(appealed_after_commit):
    draw, appellant = appealed_after_commit
    decide_appeal(appellant.appeal, staff_user("decider@example.kz"), False, "Нет.", appellant.state_version)
    db.session.commit()
    assert appellant.status is ApplicationStatus.REJECTED
    db.session.refresh(draw)
    assert draw.log[-1].event != "eligible_set.change_refused"


def test_withdrawal_closes_at_the_commit_without_leaving_a_trace(appealed_after_commit):
    draw, _appellant = appealed_after_commit
    eligible = db.session.execute(sa.select(Application).where(
        Application.competition_id == draw.competition_id, Application.status == ApplicationStatus.ELIGIBLE
    ).limit(1)).scalar_one()
    entries, events = len(draw.log), len(audit_entries())
    assert not can_withdraw(eligible, eligible.applicant)
    db.session.refresh(draw)
    assert (len(draw.log), len(audit_entries())) == (entries, events)


def test_create_app_connects_the_draws_receivers(tmp_path):
    """In a fresh interpreter: building the app is enough, nothing else imports the draw."""
    script = (
        "from app import create_app\n"
        f"create_app({{'TESTING': True, 'SECRET_KEY': 'x', 'INSTANCE_PATH': {str(tmp_path)!r},\n"
        f"            'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/db.sqlite3'}})\n"
        "from app.applications.signals import withdrawal_closed\n"
        "from app.screening.signals import eligibility_changing\n"
        "for signal in (withdrawal_closed, eligibility_changing):\n"
        "    owners = {receiver.__module__ for receiver in signal.receivers_for(object())}\n"
        "    assert 'app.lottery.lifecycle' in owners, (signal.name, owners)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
