"""The demo's mentoring: for a call whose grants have signed contracts, 9 candidates, a pool of the
7 who meet the requirements with their logins, every grant assigned, and the meetings so far."""
from datetime import timedelta

import sqlalchemy as sa

from app.auth.models import Role
from app.auth.services import authenticate
from app.dbtypes import utcnow
from app.demo.mentoring import load_mentoring
from app.extensions import db
from app.mentoring import assignment, candidates, meetings
from app.mentoring.models import CandidateStatus, Meeting, MeetingStatus
from tests.mentoring import grants_of_one_call, staff_member

PASSWORD = "demo-password-2023"


def test_the_demo_call_gets_its_mentors_assignments_and_meetings(app_ctx):
    grants = grants_of_one_call(6, regions=("ALA", "ALA", "MAN", "ALA", "MAN", "ALA"), signed_days_ago=75)
    call = grants[0].competition
    demo = load_mentoring(call, staff_member(), PASSWORD, "demo.example.kz", now=utcnow())
    db.session.commit()

    assert (demo.candidates, demo.pool, demo.assigned, demo.meetings) == (9, 7, 6, 18)
    assert demo.line() == "Demo mentors: 9 candidates, 7 in the pool, 6 grants assigned, 18 meetings logged."
    ranked = candidates.ranked(call)
    assert len(ranked) == 9 and all(candidate.score_total is not None for candidate in ranked)
    pool = candidates.pool_of(call)
    assert {candidate.status for candidate in pool} == {CandidateStatus.SELECTED}
    assert all(candidate.meets_requirements for candidate in pool)
    assert sorted(c.email for c in ranked if c.status is CandidateStatus.SCORED) == [
        "mentor06@demo.example.kz", "mentor09@demo.example.kz"]  # 2 years; a school education

    mentor = pool[0].user
    assert mentor.roles == {Role.MENTOR} and authenticate(mentor.email, PASSWORD, "127.0.0.1") == mentor

    taken = assignment.assignments_of(call)
    assert set(taken) == {grant.id for grant in grants}
    assert all(taken[grant.id].mentor.region_code == grant.application.region_code for grant in grants)
    for grant in grants:
        schedule = meetings.schedule_of(grant)
        assert [meeting.held_on for meeting in reversed(schedule.meetings)] == [
            schedule.start + timedelta(days=days) for days in (12, 40, 70)]  # the 100th day is still to come
        assert [meeting.status for meeting in reversed(schedule.meetings)] == [MeetingStatus.CONFIRMED,
                                                                             MeetingStatus.LOGGED, MeetingStatus.LOGGED]
    logged = db.session.execute(sa.select(Meeting.logged_at)).scalars().all()
    assert max(logged) < utcnow() - timedelta(days=4)  # logged on the evening of each meeting


def test_contracts_signed_today_get_no_meeting_yet(app_ctx):
    grants = grants_of_one_call(2, signed_days_ago=0)
    demo = load_mentoring(grants[0].competition, staff_member(), PASSWORD, "demo.example.kz")
    assert (demo.assigned, demo.meetings) == (2, 0)
