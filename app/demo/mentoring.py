"""Demo mentoring for a call whose grants have signed contracts, like seed 004: 9 candidates apply
on the public form's service, staff score them and select the 7 who meet the requirements into
the pool (logins mentor01@... with the demo password), every grant gets a mentor as the system
proposes, and each mentor logs the monthly meetings so far (four at most per grant, the grantee
confirming the first). The people and texts are in app/demo/data/mentoring.json."""
import json
import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from io import BytesIO
from pathlib import Path

import sqlalchemy as sa
from reportlab.lib.units import mm
from werkzeug.datastructures import FileStorage

from app.almaty import almaty_to_utc, utc_to_almaty
from app.audit.services import record
from app.auth.models import Role
from app.auth.services import create_user, find_user
from app.contracts.models import Grant, GrantStatus
from app.dbtypes import utcnow
from app.demo.applications import url_context
from app.extensions import db
from app.mentoring import assignment, candidates, meetings
from app.mentoring.models import Education, MeetingFormat
from app.pdf import paragraph_styles, plain, register_fonts, render

DATA = json.loads((Path(__file__).parent / "data" / "mentoring.json").read_text(encoding="utf-8"))
EMAIL = "mentor{:02d}@{}"
# The meetings of each grant: this many days after its contract took effect, those already past.
MEETING_DAYS = (12, 40, 70, 100)


@dataclass(frozen=True)
class MentoringDemo:
    candidates: int
    pool: int
    assigned: int
    meetings: int

    def line(self):
        return (f"Demo mentors: {self.candidates} candidates, {self.pool} in the pool, {self.assigned} grants "
                f"assigned, {self.meetings} meetings logged.")


def load_mentoring(competition, staff, password, email_domain, now=None):
    """Adds the mentoring of `competition` (its grants' contracts countersigned) in the current
    transaction, `staff` scoring, selecting and assigning; the caller commits."""
    now = now or utcnow()
    with url_context():
        people = [_apply(competition, n, email_domain, person) for n, person in enumerate(DATA["candidates"], 1)]
        for candidate, person in people:
            candidates.score(candidate, person["scores"], "", staff)
        chosen = [candidate for candidate, _person in people if candidate.meets_requirements]
        chosen = sorted(chosen, key=lambda c: -c.score_total)[:DATA["pool"]]
        for candidate in chosen:
            _mentor_account(candidate, password)
            candidates.select(candidate, staff)
        grants = db.session.execute(sa.select(Grant).where(
            Grant.competition_id == competition.id, Grant.status.in_(assignment.ASSIGNABLE))).scalars().all()
        assigned = 0
        if chosen and grants:
            proposal = assignment.propose(competition, math.ceil(len(grants) / len(chosen)))
            assigned = assignment.accept(competition, proposal.max_load, proposal.fingerprint, staff)
        logged = sum(_meetings(grant, now) for grant in grants)
    return MentoringDemo(candidates=len(people), pool=len(chosen), assigned=assigned, meetings=logged)


def _apply(competition, n, email_domain, person):
    values = {"full_name": person["full_name"], "email": EMAIL.format(n, email_domain), "phone": f"+770155500{n:02d}",
              "region_code": person["region"], "mobile": person["mobile"],
              "years_experience": person["years"], "project_experience": person["experience"],
              "education": Education(person["education"]), "consent": True}
    return candidates.apply(competition, values, _cv(person), person["locale"]), person


def _cv(person):
    """A one-page CV: the name, the experience and a DEMO mark."""
    register_fonts()
    styles = paragraph_styles()
    story = [plain(person["full_name"], styles["title"]), plain(person["experience"], styles["body"]),
             plain("DEMO", styles["small"])]
    data = render(story, 20 * mm, "CV", person["locale"], "DEMO")
    return FileStorage(BytesIO(data), filename="cv.pdf", content_type="application/pdf")


def _mentor_account(candidate, password):
    """The mentor's login with the demo password, made before the selection reuses it."""
    if find_user(candidate.email) is None:
        user = create_user(candidate.email, password, [Role.MENTOR], locale=candidate.locale, confirmed=True)
        record(None, "user.created", {"user": user.id, "roles": [Role.MENTOR.value]})


def _meetings(grant, now):
    """The grant's meetings so far, logged by its mentor in the evening of each; the grantee
    confirmed the first the next day."""
    if grant.status is not GrantStatus.ACTIVE:
        return 0
    today = utc_to_almaty(now).date()
    start = meetings.schedule_of(grant, today).start
    mentor = assignment.assignment_of(grant).mentor.user
    count = 0
    for n, days in enumerate(MEETING_DAYS):
        held_on = start + timedelta(days=days)
        if held_on >= today:
            break
        text = DATA["meetings"][n % len(DATA["meetings"])]
        meeting = meetings.log_meeting(grant, {"held_on": held_on, "format": MeetingFormat(text["format"]),
                                               "topics": text["topics"], "notes": text["notes"],
                                               "next_steps": text["next_steps"]}, mentor, today=today)
        meeting.logged_at = almaty_to_utc(datetime.combine(held_on, time(19, 30)))
        if n == 0:
            meetings.confirm(meeting, grant.application.applicant)
            meeting.answered_at = meeting.logged_at + timedelta(days=1)
        count += 1
    return count
