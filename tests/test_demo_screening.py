"""`flask demo load --stage screened`: the demo call closed and screened, with rejections of every
reason, a correction round trip, an upheld and a dismissed appeal, on a timeline that holds."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.applications.models import Application, ApplicationStatus
from app.audit.chain import canonical_json, sha256_hex
from app.audit.services import verify
from app.auth.models import Role
from app.competitions.services import CallState, call_state
from app.dbtypes import utcnow
from app.demo import services as demo
from app.extensions import db
from app.screening.appeals import rejection_of
from app.screening.closing import closing_problems, screening_summary
from app.screening.models import Appeal, AppealStatus, ReasonCode, ScreeningDecision
from tests.conftest import login

S = ApplicationStatus


def applications():
    return db.session.execute(sa.select(Application).order_by(Application.id)).scalars().all()


def test_demo_load_stage_screened_from_the_command_line(runner, app_ctx):
    result = runner.invoke(args=["demo", "load", "--stage", "screened"])
    assert result.exit_code == 0, result.output
    assert "Demo call ZP23 closed on " in result.output and "is screened" in result.output
    assert "Screening closed: 55 eligible, 15 rejected (age 6, no_registration_proof 1, no_neet_evidence 1, " \
           "duplicate 1, incomplete 1, budget_over_cap 2, other 3); 2 corrections asked (1 answered), " \
           "2 appeals (1 upheld, 1 dismissed)." in result.output


def test_an_unknown_stage_is_refused(runner, app_ctx):
    result = runner.invoke(args=["demo", "load", "--stage", "drawn-yesterday"])
    assert result.exit_code != 0


@pytest.fixture
def screened(app_ctx):
    loaded = demo.load_demo("screened")
    db.session.commit()
    return loaded.competition


def test_the_screened_demo_tells_a_coherent_story(screened, client):
    call = screened
    now = utcnow()
    # The call is over, screening closed, nothing left undecided.
    assert call_state(call) is CallState.CLOSED
    assert call.screening_closed_at is not None and closing_problems(call)[0].startswith("Screening of this")
    found = applications()
    assert {a.status for a in found} <= {S.ELIGIBLE, S.REJECTED, S.DRAFT, S.WITHDRAWN}

    # Every submission lies inside the window, and its snapshot still matches its hash.
    for application in found:
        if application.submitted_at is None:
            continue
        assert call.opens_at <= application.submitted_at < call.closes_at
        assert sha256_hex(canonical_json(application.snapshot)) == application.snapshot_sha256
        steps = [event.at for event in application.events]
        assert steps == sorted(steps), application.number

    # Every decision came after the window, and every appeal period is over.
    decisions = db.session.execute(sa.select(ScreeningDecision)).scalars().all()
    assert all(call.closes_at < d.decided_at < now - timedelta(days=call.appeal_days + 1) for d in decisions)

    # Rejections of every reason remain in the results.
    summary = screening_summary(call)
    assert {code for code, _count in summary.reasons} == set(ReasonCode)

    # One correction asked and answered, then eligible; one unanswered, then rejected as incomplete.
    paths = {a.number: [e.status for e in a.events] for a in found if a.number}
    assert list(paths.values()).count([S.SUBMITTED, S.CORRECTION_REQUESTED, S.SUBMITTED, S.ELIGIBLE]) == 1
    assert list(paths.values()).count([S.SUBMITTED, S.CORRECTION_REQUESTED, S.REJECTED]) == 1

    # Two appeals: one upheld, one dismissed, each decided by someone other than the rejecter.
    appeals = db.session.execute(sa.select(Appeal).order_by(Appeal.id)).scalars().all()
    assert sorted(a.status.value for a in appeals) == ["dismissed", "upheld"]
    for appeal in appeals:
        assert appeal.decided_by_id != rejection_of(appeal.application).decided_by_id
        assert rejection_of(appeal.application).decided_at < appeal.submitted_at < appeal.decided_at
    upheld = next(a for a in appeals if a.status is AppealStatus.UPHELD)
    assert upheld.application.status is S.ELIGIBLE
    assert [d.original_name for d in upheld.application.documents if d.appeal_id == upheld.id]

    assert verify() is None

    # A newcomer with the staff login sees the results and the protocol; the public sees numbers only.
    client.get("/lang/en")  # the demo staff accounts read Russian by default
    login(client, demo.demo_email(Role.STAFF), demo.DEMO_PASSWORD)
    page = client.get(f"/manage/screening/calls/{call.id}/results")
    assert page.status_code == 200 and "The eligible list is final" in page.get_data(as_text=True)
    assert client.get(f"/manage/screening/calls/{call.id}/protocol-kk.pdf").status_code == 200
    public = client.get(f"/calls/{call.id}/screening-results").get_data(as_text=True)
    assert all(row.number in public for row in summary.eligible + summary.rejected)
    assert not any(a.iin in public or (a.last_name and a.last_name in public) for a in found)
