"""Meetings: the mentor logs each one (from the day the grant's contract took effect, never in the
future), the grantee confirms or disputes it, and each grant's months show where a meeting is
missing (the contract asks for one a month, from the month of the countersignature to today or
the end of the projects). Changes take the acting user, are audited, and the caller commits."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.almaty import utc_to_almaty
from app.applications.notices import mail_applicant
from app.audit.services import record as audit
from app.contracts.contracts import countersigned_by_grant
from app.contracts.models import Grant, GrantStatus
from app.dbtypes import utcnow
from app.errors import FieldErrors, Refused
from app.extensions import db
from app.mentoring.assignment import UNDER_WAY, assignment_of
from app.mentoring.models import MEETING_TRANSITIONS, Meeting, MeetingStatus, MentorAssignment, MentorCandidate

TOPICS_MAX = 500
TEXT_MAX = 2000
# Meetings are logged while the project runs, and while its final report is written.
LOGGABLE = (GrantStatus.ACTIVE, GrantStatus.REPORTING)


def today_in_almaty():
    return utc_to_almaty(utcnow()).date()


# --- the months of a grant ------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingMonth:
    first_day: date
    meetings: int  # held in the month and not disputed
    closed: bool  # the month is over
    required: bool = True  # False: the contract took effect late in this month, the first meeting is due the next

    @property
    def missed(self):
        return self.closed and self.required and not self.meetings


@dataclass
class Schedule:
    """A grant's meetings against the contract's monthly rule."""

    start: date | None  # the day the contract took effect (countersigned); None: not yet
    meetings: list = field(default_factory=list)  # newest first
    months: list = field(default_factory=list)

    @property
    def missed(self):
        return [month for month in self.months if month.missed]

    @property
    def due_by(self):
        """The last day by which the next meeting is due; None before the contract or after the end."""
        if not self.months or self.months[-1].closed:
            return None
        current = self.months[-1]
        due_month = _next_month(current.first_day) if current.meetings or not current.required else current.first_day
        return _next_month(due_month) - timedelta(days=1)


def _next_month(first_day):
    return date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)


LAST_REQUIRED_START_DAY = 15  # a contract that takes effect later in a month asks its first meeting the next


def meeting_months(start, end, held_on, today):
    """Each month from `start`'s to the earlier of `end`'s (None: no end) and `today`'s, with the
    number of the days `held_on` that fall in it. `start`'s month asks for a meeting only when the
    contract took effect in its first half."""
    last = min(today, end) if end else today
    if start is None or start > last:
        return []
    held = defaultdict(int)
    for day in held_on:
        held[day.year, day.month] += 1
    months, month = [], date(start.year, start.month, 1)
    while month <= last:
        months.append(MeetingMonth(first_day=month, meetings=held[month.year, month.month],
                                   closed=(month.year, month.month) < (today.year, today.month),
                                   required=bool(months) or start.day <= LAST_REQUIRED_START_DAY))
        month = _next_month(month)
    return months


def schedules(grants, today=None):
    """{grant id: Schedule} for `grants`, in two queries however many they are."""
    today = today or today_in_almaty()
    ids = [grant.id for grant in grants]
    started = countersigned_by_grant(ids)
    by_grant = defaultdict(list)
    for meeting in db.session.execute(sa.select(Meeting).where(Meeting.grant_id.in_(ids))
                                      .order_by(Meeting.held_on.desc(), Meeting.id.desc())).scalars():
        by_grant[meeting.grant_id].append(meeting)
    result = {}
    for grant in grants:
        start = utc_to_almaty(started[grant.id]).date() if grant.id in started else None
        meetings = by_grant[grant.id]
        result[grant.id] = Schedule(start=start, meetings=meetings, months=meeting_months(
            start, grant.competition.project_ends_on, [m.held_on for m in meetings if m.counts], today))
    return result


def schedule_of(grant, today=None):
    return schedules([grant], today)[grant.id]


def overdue(competition, today=None):
    """The call's grants under way with a month gone by without a meeting, the most months first:
    [(grant, assignment or None, schedule)]."""
    grants = db.session.execute(
        sa.select(Grant).where(Grant.competition_id == competition.id, Grant.status == GrantStatus.ACTIVE)
        .options(selectinload(Grant.application)).order_by(Grant.number)).scalars().all()
    found = schedules(grants, today)
    mentors = {assignment.grant_id: assignment for assignment in db.session.execute(
        sa.select(MentorAssignment).where(MentorAssignment.grant_id.in_([grant.id for grant in grants]))).scalars()}
    late = [(grant, mentors.get(grant.id), found[grant.id]) for grant in grants if found[grant.id].missed]
    return sorted(late, key=lambda row: -len(row[2].missed))


def disputed(competition):
    """The meetings of the call's grants that their grantees dispute, the latest first."""
    return db.session.execute(
        sa.select(Meeting).join(Grant).where(Grant.competition_id == competition.id,
                                             Meeting.status == MeetingStatus.DISPUTED)
        .options(selectinload(Meeting.grant).selectinload(Grant.application)).order_by(Meeting.answered_at.desc())
    ).scalars().all()


# --- the mentor's grants --------------------------------------------------------------------

def mentees_of(user):
    """The mentor's grants under way with their schedules: [(assignment, schedule)], by grant number."""
    assignments = db.session.execute(
        sa.select(MentorAssignment).join(MentorCandidate).join(Grant)
        .where(MentorCandidate.user_id == user.id, Grant.status.in_(UNDER_WAY)).order_by(Grant.number)
        .options(selectinload(MentorAssignment.grant).selectinload(Grant.application))
    ).scalars().all()
    found = schedules([assignment.grant for assignment in assignments])
    return [(assignment, found[assignment.grant_id]) for assignment in assignments]


def is_mentor_of(user, grant):
    assignment = assignment_of(grant)
    return assignment is not None and assignment.mentor.user_id == user.id


# --- logging and answering ------------------------------------------------------------------

def log_meeting(grant, values, actor, today=None):
    """The grant's mentor logs a meeting: values held_on, format, topics, notes, next_steps."""
    if not is_mentor_of(actor, grant):
        raise Refused(_l("This grant is not assigned to you."))
    if grant.status not in LOGGABLE:
        raise Refused(_l("Meetings are logged while the project is under way (this grant: %(status)s).",
                         status=grant.status.title))
    start = schedule_of(grant, today).start
    if start is None:
        raise Refused(_l("The contract of this grant has not taken effect yet: meetings are logged from the day "
                         "the director countersigns it."))
    today = today or today_in_almaty()
    errors = FieldErrors()
    held_on = values.get("held_on")
    if held_on is None:
        errors.add("held_on", _l("Enter the date of the meeting."))
    elif held_on > today:
        errors.add("held_on", _l("The date is in the future: log a meeting after it has taken place."))
    elif held_on < start:
        errors.add("held_on", _l("The date is before the contract took effect on %(date)s.",
                                 date=format_date(start, "long")))
    if values.get("format") is None:
        errors.add("format", _l("Choose in person or online."))
    topics = errors.text("topics", values.get("topics"), TOPICS_MAX, _l("Say in a few words what you discussed."))
    notes = errors.text("notes", values.get("notes"), TEXT_MAX)
    next_steps = errors.text("next_steps", values.get("next_steps"), TEXT_MAX)
    errors.raise_if_any()
    meeting = Meeting(grant_id=grant.id, mentor_id=actor.id, held_on=held_on, format=values["format"],
                      topics=topics, notes=notes, next_steps=next_steps)
    try:
        with db.session.begin_nested():
            db.session.add(meeting)
            db.session.flush()
    except IntegrityError:  # a meeting on that day already (the form sent twice, say)
        raise Refused(_l("A meeting on %(date)s is logged for this grant already.",
                         date=format_date(held_on, "long")), field="held_on") from None
    audit(actor, "mentoring.meeting_logged", {"meeting": meeting.id, "grant": grant.id,
                                              "held_on": held_on.isoformat(), "format": meeting.format.value})
    mail_applicant(grant.application, "mentoring/mail/meeting_logged", grant=grant, meeting=meeting,
                   meeting_url=url_for("my_mentoring.meeting", grant_id=grant.id, meeting_id=meeting.id,
                                       _external=True))
    return meeting


def _answer(meeting, status, actor, comment=None):
    if status not in MEETING_TRANSITIONS[meeting.status]:
        raise Refused(_l("You have answered about this meeting already: %(status)s.", status=meeting.status.title))
    meeting.status, meeting.grantee_comment, meeting.answered_at = status, comment, utcnow()
    db.session.flush()
    audit(actor, f"mentoring.meeting_{status.value}", {"meeting": meeting.id, "grant": meeting.grant_id,
                                                      "comment": comment})
    return meeting


def confirm(meeting, actor):
    """The grantee confirms that the meeting took place as logged."""
    return _answer(meeting, MeetingStatus.CONFIRMED, actor)


def dispute(meeting, comment, actor):
    """The grantee says what is wrong with the meeting; it no longer counts for its month."""
    errors = FieldErrors()
    comment = errors.text("comment", comment, TEXT_MAX, _l("Say what is wrong with this meeting."))
    errors.raise_if_any()
    return _answer(meeting, MeetingStatus.DISPUTED, actor, comment)
