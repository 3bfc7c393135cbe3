"""Each grant's mentor. The system proposes a mentor for every grant of a call that has none,
balanced by region and load: a mentor of the grantee's region first, the least loaded one, and
nobody over the maximum that staff set. Staff accept the proposal as shown, or choose the mentor
of one grant themselves, saying why. Each assignment is audited and mailed to the grantee and to
the mentor; the caller commits."""
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.applications.notices import mail_applicant
from app.audit.services import record as audit
from app.contracts.grants import locked_grant
from app.contracts.models import Grant, GrantStatus
from app.dbtypes import utcnow
from app.errors import FieldErrors, Refused
from app.extensions import db
from app.mail.services import queue_mail
from app.mentoring.candidates import NOTE_MAX, pool_of
from app.mentoring.models import CandidateStatus, MentorAssignment, MentorCandidate

# The grants that get a mentor, and those that keep their mentor busy.
ASSIGNABLE = (GrantStatus.CONTRACTING, GrantStatus.ACTIVE)
UNDER_WAY = (GrantStatus.CONTRACTING, GrantStatus.ACTIVE, GrantStatus.REPORTING)
DEFAULT_MAX_LOAD = 5
MAX_LOAD_LIMIT = 50


@dataclass(frozen=True)
class Proposal:
    """A mentor (or None: nobody has room left) for each grant of the call still without one."""

    max_load: int
    pairs: tuple  # (grant, MentorCandidate or None)

    @property
    def placed(self):
        return [(grant, mentor) for grant, mentor in self.pairs if mentor is not None]

    @property
    def unplaced(self):
        return [grant for grant, mentor in self.pairs if mentor is None]

    @property
    def fingerprint(self):
        """Names exactly this proposal: accepting it assigns what the page showed, nothing else."""
        text = f"{self.max_load}|" + ",".join(f"{grant.id}:{mentor.id if mentor else 0}" for grant, mentor in self.pairs)
        return hashlib.sha256(text.encode()).hexdigest()


def assignable_grants(competition):
    return db.session.execute(
        sa.select(Grant).where(Grant.competition_id == competition.id, Grant.status.in_(ASSIGNABLE))
        .options(selectinload(Grant.application)).order_by(Grant.number)
    ).scalars().all()


def assignments_of(competition):
    """{grant id: MentorAssignment} of the call's grants."""
    rows = db.session.execute(
        sa.select(MentorAssignment).join(Grant).where(Grant.competition_id == competition.id)).scalars()
    return {assignment.grant_id: assignment for assignment in rows}


def assignment_of(grant):
    return db.session.execute(sa.select(MentorAssignment).filter_by(grant_id=grant.id)).scalar_one_or_none()


def loads(competition):
    """{candidate id: how many grants under way the mentor has} for the call's pool."""
    return Counter(dict(db.session.execute(
        sa.select(MentorAssignment.candidate_id, sa.func.count(MentorAssignment.id)).join(Grant)
        .where(Grant.competition_id == competition.id, Grant.status.in_(UNDER_WAY))
        .group_by(MentorAssignment.candidate_id)
    ).all()))


@dataclass
class CallCounts:
    applied: int = 0  # candidates
    pooled: int = 0  # mentors in the pool
    grants: int = 0  # grants that get a mentor
    assigned: int = 0  # of them, those with a mentor


def overview():
    """{competition id: CallCounts} of every call, in three grouped queries."""
    counts = defaultdict(CallCounts)
    for competition_id, status, count in db.session.execute(
            sa.select(MentorCandidate.competition_id, MentorCandidate.status, sa.func.count(MentorCandidate.id))
            .group_by(MentorCandidate.competition_id, MentorCandidate.status)):
        counts[competition_id].applied += count
        if status is CandidateStatus.SELECTED:
            counts[competition_id].pooled = count
    grants = sa.select(Grant.competition_id, sa.func.count(Grant.id)).where(Grant.status.in_(ASSIGNABLE))
    for competition_id, count in db.session.execute(grants.group_by(Grant.competition_id)):
        counts[competition_id].grants = count
    for competition_id, count in db.session.execute(
            grants.join(MentorAssignment, MentorAssignment.grant_id == Grant.id).group_by(Grant.competition_id)):
        counts[competition_id].assigned = count
    return counts


def checked_max_load(max_load):
    if max_load is None or not 1 <= max_load <= MAX_LOAD_LIMIT:
        errors = FieldErrors()
        errors.add("max_load", _l("Enter a number of grants from 1 to %(max)s.", max=MAX_LOAD_LIMIT))
        errors.raise_if_any()
    return max_load


def propose(competition, max_load):
    """The proposal for the call's grants without a mentor: first each grant to the least loaded
    mentor of its region with room, then what is left to the least loaded mentor anywhere; a
    better score, then the earlier candidate, breaks ties."""
    checked_max_load(max_load)
    pool, load = pool_of(competition), loads(competition)
    taken = assignments_of(competition)
    waiting = [grant for grant in assignable_grants(competition) if grant.id not in taken]
    chosen = {}
    for same_region in (True, False):
        for grant in (grant for grant in waiting if grant.id not in chosen):
            free = [mentor for mentor in pool if load[mentor.id] < max_load
                    and (not same_region or mentor.region_code == grant.application.region_code)]
            if free:
                mentor = min(free, key=lambda m: (load[m.id], -(m.score_total or 0), m.id))
                load[mentor.id] += 1
                chosen[grant.id] = mentor
    return Proposal(max_load=max_load, pairs=tuple((grant, chosen.get(grant.id)) for grant in waiting))


def accept(competition, max_load, fingerprint, actor):
    """Assigns the proposal that staff saw (its `fingerprint`); refused when it has changed since.
    Returns how many grants got a mentor."""
    proposal = propose(competition, max_load)
    if fingerprint != proposal.fingerprint:
        raise Refused(_l("The proposal has changed since the page was opened: a grant or a mentor was added or "
                         "assigned. Check the new proposal and accept it again."))
    if not proposal.placed:
        raise Refused(_l("There is nothing to assign: every grant has a mentor, or no mentor has room left."))
    for grant, mentor in proposal.placed:
        _assign(grant, mentor, actor)
    audit(actor, "mentoring.proposal_accepted", {"competition": competition.id, "max_load": max_load,
                                                 "assigned": len(proposal.placed),
                                                 "unplaced": [grant.id for grant in proposal.unplaced]})
    return len(proposal.placed)


def choose(grant, mentor, reason, actor):
    """Staff choose the mentor of one grant (overriding the proposal or the mentor it has),
    saying why; the mentor must be in the pool of the grant's call."""
    errors = FieldErrors()
    reason = errors.text("reason", reason, NOTE_MAX, _l("Say why."))
    if mentor is None or mentor.competition_id != grant.competition_id or mentor.status is not CandidateStatus.SELECTED:
        errors.add("candidate_id", _l("Choose a mentor of this call's pool."))
    errors.raise_if_any()
    if grant.status not in ASSIGNABLE:
        raise Refused(_l("Only a grant whose contract is being signed or whose project is under way gets a mentor "
                         "(this grant: %(status)s).", status=grant.status.title))
    current = assignment_of(grant)
    if current is not None and current.candidate_id == mentor.id:
        raise Refused(_l("%(name)s is this grant's mentor already.", name=mentor.full_name), field="candidate_id")
    return _assign(grant, mentor, actor, reason)


def _assign(grant, mentor, actor, reason=None):
    """Makes `mentor` the grant's mentor under a lock of the grant's row; a proposal (no reason)
    only ever fills a grant without a mentor."""
    grant = locked_grant(grant)
    assignment = assignment_of(grant)
    if assignment is None:
        assignment = MentorAssignment(grant_id=grant.id)
        db.session.add(assignment)
    elif reason is None:
        raise Refused(_l("Grant %(number)s got a mentor meanwhile. Check the new proposal and accept it again.",
                         number=grant.number))
    before = assignment.candidate_id
    assignment.candidate_id, assignment.mentor = mentor.id, mentor
    assignment.assigned_at, assignment.assigned_by_id, assignment.reason = utcnow(), actor.id, reason
    db.session.flush()
    audit(actor, "mentoring.mentor_assigned", {"grant": grant.id, "mentor": mentor.id, "user": mentor.user_id,
                                               "previous": before, "reason": reason})
    mail_applicant(grant.application, "mentoring/mail/mentor_assigned", grant=grant, mentor=mentor,
                   grant_url=url_for("my_grants.grant", grant_id=grant.id, _external=True))
    queue_mail(mentor.user.email, "mentoring/mail/grantee_assigned", mentor.user.locale, grant=grant,
               application=grant.application, url=url_for("mentees.mentee", grant_id=grant.id, _external=True))
    return assignment
