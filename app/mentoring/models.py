"""Mentoring (DESIGN.md section 2, step 6): the people who apply to mentor grantees, the call's
pool selected from them, each grant's mentor, and the monthly meetings the mentors log."""
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.dbtypes import enum_type, utcnow
from app.enums import TitledEnum
from app.extensions import db


class Education(TitledEnum):
    SECONDARY = "secondary", _l("Secondary school")
    VOCATIONAL = "vocational", _l("Secondary vocational (college)")
    HIGHER = "higher", _l("Higher education")
    POSTGRADUATE = "postgraduate", _l("Master's degree or higher")


class Criterion(NamedTuple):
    """What staff score a candidate on, with its most points."""

    code: str
    title: str
    max_points: int


# The criteria of the mentor selection (seed 004): the same for every call.
CRITERIA = (
    Criterion("experience", _l("Experience with youth or social work"), 40),
    Criterion("projects", _l("Experience organising projects and events"), 30),
    Criterion("education", _l("Education"), 15),
    Criterion("mobility", _l("Mobility: travels to the districts"), 15),
)
MAX_SCORE = sum(criterion.max_points for criterion in CRITERIA)
# What a mentor needs at least: 3 years with youth or social work, a college or higher education.
MIN_EXPERIENCE_YEARS = 3
QUALIFYING_EDUCATION = (Education.VOCATIONAL, Education.HIGHER, Education.POSTGRADUATE)


class CandidateStatus(TitledEnum):
    NEW = "new", _l("Not scored yet")
    SCORED = "scored", _l("Scored")
    SELECTED = "selected", _l("In the pool")


S = CandidateStatus
# Every allowed change of status; scoring again keeps a scored candidate scored.
CANDIDATE_TRANSITIONS = {
    S.NEW: {S.SCORED},
    S.SCORED: {S.SCORED, S.SELECTED},
    S.SELECTED: set(),
}
del S


class MentorCandidate(db.Model):
    """A person who applied on the public form to mentor the grantees of a call; once selected
    into the pool, `user` is their mentor login."""

    __tablename__ = "mentor_candidates"
    __table_args__ = (
        sa.UniqueConstraint("competition_id", "email"),
        sa.CheckConstraint("years_experience >= 0", name="years_not_negative"),
        sa.CheckConstraint("(status = 'new') = (score_total IS NULL)", name="scored_with_total"),
        sa.CheckConstraint("(status = 'selected') = (user_id IS NOT NULL AND selected_at IS NOT NULL)",
                           name="selected_with_login"),
    )

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(db.Integer, db.ForeignKey("competitions.id"), nullable=False, index=True)
    full_name = db.Column(db.String(200), nullable=False)
    email = db.Column(db.String(254), nullable=False)  # lower-cased
    phone = db.Column(db.String(16), nullable=False)  # E.164
    locale = db.Column(db.String(2), nullable=False)  # the language they applied in: their mail's
    region_code = db.Column(db.String(8), nullable=False)
    years_experience = db.Column(db.Integer, nullable=False)
    project_experience = db.Column(db.Text, nullable=False)
    education = db.Column(enum_type(Education), nullable=False)
    mobile = db.Column(db.Boolean, nullable=False)
    # The CV, a PDF as app.storage keeps it.
    cv_stored_name = db.Column(db.String(64), nullable=False)
    cv_original_name = db.Column(db.String(255), nullable=False)
    cv_sha256 = db.Column(db.String(64), nullable=False)
    cv_size = db.Column(db.Integer, nullable=False)
    consent_at = db.Column(db.DateTime, nullable=False)
    applied_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    status = db.Column(enum_type(CandidateStatus), nullable=False, default=CandidateStatus.NEW, index=True)
    scores = db.Column(sa.JSON, nullable=False, default=dict)  # criterion code -> points
    score_total = db.Column(db.Integer, nullable=True)
    score_note = db.Column(db.Text, nullable=True)
    scored_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    scored_at = db.Column(db.DateTime, nullable=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    selected_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    selected_at = db.Column(db.DateTime, nullable=True)

    competition = db.relationship("Competition")
    user = db.relationship("User", foreign_keys=[user_id])
    scored_by = db.relationship("User", foreign_keys=[scored_by_id])

    @property
    def meets_experience(self):
        return self.years_experience >= MIN_EXPERIENCE_YEARS

    @property
    def meets_education(self):
        return self.education in QUALIFYING_EDUCATION

    @property
    def meets_requirements(self):
        return self.meets_experience and self.meets_education

    def __repr__(self):
        return f"<MentorCandidate {self.id} {self.status.value}>"


class MentorAssignment(db.Model):
    """The mentor of one grant: a member of its call's pool. Proposed by the system and accepted,
    or chosen by staff with a reason; a new choice replaces the row (the audit log keeps each)."""

    __tablename__ = "mentor_assignments"

    id = db.Column(db.Integer, primary_key=True)
    grant_id = db.Column(db.Integer, db.ForeignKey("grants.id", ondelete="CASCADE"), nullable=False, unique=True)
    candidate_id = db.Column(db.Integer, db.ForeignKey("mentor_candidates.id"), nullable=False, index=True)
    assigned_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    assigned_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    reason = db.Column(db.Text, nullable=True)  # why staff chose this mentor over the proposal

    grant = db.relationship("Grant")
    mentor = db.relationship("MentorCandidate", lazy="joined")


class MeetingFormat(TitledEnum):
    IN_PERSON = "in_person", _l("In person")
    ONLINE = "online", _l("Online")


class MeetingStatus(TitledEnum):
    LOGGED = "logged", _l("Waiting for the grantee")
    CONFIRMED = "confirmed", _l("Confirmed by the grantee")
    DISPUTED = "disputed", _l("Disputed by the grantee")


S = MeetingStatus
# The grantee answers a logged meeting once.
MEETING_TRANSITIONS = {
    S.LOGGED: {S.CONFIRMED, S.DISPUTED},
    S.CONFIRMED: set(),
    S.DISPUTED: set(),
}
del S


class Meeting(db.Model):
    """A meeting of a mentor with a grantee, as the mentor logged it, and the grantee's answer."""

    __tablename__ = "mentor_meetings"
    __table_args__ = (
        sa.UniqueConstraint("grant_id", "held_on"),
        sa.CheckConstraint("(status = 'logged') = (answered_at IS NULL)", name="answered_unless_logged"),
        sa.CheckConstraint("status <> 'disputed' OR grantee_comment IS NOT NULL", name="dispute_has_comment"),
    )

    id = db.Column(db.Integer, primary_key=True)
    grant_id = db.Column(db.Integer, db.ForeignKey("grants.id", ondelete="CASCADE"), nullable=False, index=True)
    mentor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    held_on = db.Column(db.Date, nullable=False)  # in Asia/Almaty
    format = db.Column(enum_type(MeetingFormat), nullable=False)
    topics = db.Column(db.Text, nullable=False)
    notes = db.Column(db.Text, nullable=False, default="")
    next_steps = db.Column(db.Text, nullable=False, default="")
    logged_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    status = db.Column(enum_type(MeetingStatus), nullable=False, default=MeetingStatus.LOGGED)
    grantee_comment = db.Column(db.Text, nullable=True)
    answered_at = db.Column(db.DateTime, nullable=True)

    grant = db.relationship("Grant")
    mentor = db.relationship("User")

    @property
    def counts(self):
        """Whether the meeting counts for its month: a meeting the grantee disputes does not."""
        return self.status is not MeetingStatus.DISPUTED

    def __repr__(self):
        return f"<Meeting {self.grant_id} {self.held_on} {self.status.value}>"
