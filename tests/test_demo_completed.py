"""`flask demo load --stage completed`: the demo call's whole cycle, its history dated over months
(the stages before run on the clock of `STORY_DAYS` ago): every grant under way paid, mentored,
monitored and reported on, surveys answered, the office log kept, and the audit chain in the order
of time. The stage takes a while to load: it is loaded once per session (tests/demo_stages.py)."""
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.audit.services import verify_log
from app.contracts.contracts import current_contract
from app.contracts.models import Grant, GrantStatus
from app.dbtypes import clock_at, utcnow
from app.demo.completed import STORY_DAYS
from app.extensions import db
from app.final_reports.models import FinalReport, ReportStatus
from app.lottery.models import Draw
from app.mentoring.models import Meeting, MentorAssignment
from app.monitoring.models import Visit
from app.office_log.models import Consultation
from app.payments.ledger import ledger
from app.surveys.models import SurveyInvitation, SurveyStage


def test_the_clock_runs_on_from_the_moment_set_and_comes_back():
    moment = utcnow() - timedelta(days=100)
    with clock_at(moment):
        inside = utcnow()
        assert timedelta(0) <= inside - moment < timedelta(seconds=5)
    assert abs(utcnow() - (moment + timedelta(days=100))) < timedelta(seconds=5)


def test_the_completed_stage_tells_the_whole_cycle_over_months(demo_stages, app_ctx):
    result = demo_stages.load("completed")
    assert result.exit_code == 0, result.output
    now = utcnow()
    draw = db.session.execute(sa.select(Draw)).scalar_one()
    assert timedelta(days=STORY_DAYS - 1) < now - draw.published_at < timedelta(days=STORY_DAYS + 1)

    grants = db.session.execute(sa.select(Grant).order_by(Grant.number)).scalars().all()
    under_way = [grant for grant in grants if grant.status not in (GrantStatus.TERMINATED, GrantStatus.CONTRACTING)]
    assert len(under_way) == 27
    completed = [grant for grant in under_way if grant.status is GrantStatus.COMPLETED]
    assert len(completed) >= 20
    for grant in completed:  # paid to the tenge, reported on
        assert ledger(grant).paid == grant.amount
    mentors = {row.grant_id for row in db.session.execute(sa.select(MentorAssignment)).scalars()}
    assert {grant.id for grant in under_way} <= mentors

    meetings = db.session.execute(sa.select(Meeting)).scalars().all()
    assert len(meetings) >= 2 * len(under_way)
    signed_on = {grant.id: current_contract(grant).countersigned_at.date() for grant in under_way}
    assert all(signed_on[meeting.grant_id] < meeting.held_on < now.date() for meeting in meetings)
    visits = db.session.execute(sa.select(Visit)).scalars().all()
    assert len(visits) >= len(under_way) - 5
    assert all(signed_on[visit.grant_id] < visit.visited_on <= now.date() for visit in visits)

    reports = Counter(report.status for report in db.session.execute(sa.select(FinalReport)).scalars())
    assert reports[ReportStatus.ACCEPTED] >= 20 and reports[ReportStatus.RETURNED] == 1
    answered = Counter(invitation.stage for invitation in db.session.execute(sa.select(SurveyInvitation)).scalars()
                       if invitation.answered_at is not None)
    assert all(answered[stage] > 0 for stage in SurveyStage)
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) > 100

    # The history is in the order of time, and the audit chain holds over it.
    times = db.session.execute(sa.select(AuditEntry.at).order_by(AuditEntry.seq)).scalars().all()
    assert times == sorted(times)
    assert verify_log().ok
