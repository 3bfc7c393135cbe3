"""Visits: who may see and record them, recording one (the date, who was there, the checklist,
findings, rating), adding its photos, and resolving the follow-up a bad finding raises. A member of
a group records visits to the grants planned for the group; staff who manage monitoring or the
grants read every visit. Each change takes the acting user, is audited; the caller commits."""
import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.audit.services import record
from app.auth.permissions import Permission, may
from app.contracts.grants import locked_grant
from app.contracts.models import Grant
from app.dbtypes import utcnow
from app.errors import FieldErrors, Refused
from app.extensions import db
from app.monitoring import photos
from app.monitoring.models import CheckAnswer, CheckItem, PlannedVisit, Visit, VisitCheck, VisitRating, group_members
from app.monitoring.plan import VISITED_STATUSES, contract_days, planned_visit, require_visited
from app.payments.decisions import almaty_today, requests_of
from app.payments.models import COMMITTED

OTHERS_MAX = 1000
COMMENT_MAX = 500
FINDINGS_MAX = 5000
NOTE_MAX = 2000
# Answers that need a word on what is missing.
EXPLAINED = (CheckAnswer.PARTLY, CheckAnswer.NO)


# --- who may do what ------------------------------------------------------------------------------

def is_member(user, group):
    return any(member.id == user.id for member in group.members)


def recording_plan(user, grant):
    """The grant's planned visit when `user` is a member of its group (they may record visits to
    it), else None."""
    entry = planned_visit(grant)
    return entry if entry is not None and is_member(user, entry.group) else None


def reads_every_visit(user):
    return may(user, Permission.MANAGE_MONITORING) or may(user, Permission.MANAGE_GRANTS)


def may_read(user, visit):
    """Staff who manage monitoring or grants read every visit; a group's members read its visits
    and those of the grants planned for it."""
    return (reads_every_visit(user) or is_member(user, visit.group)
            or recording_plan(user, visit.grant) is not None)


def may_add_photos(user, visit):
    return is_member(user, visit.group)


# --- reading -----------------------------------------------------------------------------------

def visits_of(grant):
    return db.session.execute(sa.select(Visit).where(Visit.grant_id == grant.id)
                              .order_by(Visit.visited_on.desc(), Visit.id.desc())).scalars().all()


def work_of(user):
    """(planned visit, the grant's visits) for every grant planned for `user`'s groups that is
    still visited (not terminated), the earliest planned first."""
    entries = db.session.execute(
        sa.select(PlannedVisit).join(Grant).join(group_members, group_members.c.group_id == PlannedVisit.group_id)
        .where(group_members.c.user_id == user.id, Grant.status.in_(VISITED_STATUSES))
        .options(joinedload(PlannedVisit.grant).joinedload(Grant.application), joinedload(PlannedVisit.group))
        .order_by(PlannedVisit.planned_on, Grant.number)).scalars().all()
    visits = {}
    for visit in db.session.execute(sa.select(Visit).where(Visit.grant_id.in_([e.grant_id for e in entries]))
                                    .order_by(Visit.visited_on, Visit.id)).scalars():
        visits.setdefault(visit.grant_id, []).append(visit)
    return [(entry, visits.get(entry.grant_id, [])) for entry in entries]


def purchases_of(grant):
    """The invoice lines approved or paid on `grant`: what the group expects to find in place."""
    return [line for payment in requests_of(grant) if payment.status in COMMITTED for line in payment.lines]


def open_follow_ups():
    """The visits whose follow-up is open, the oldest first."""
    return db.session.execute(
        sa.select(Visit).where(Visit.needs_follow_up, Visit.resolved_at.is_(None))
        .options(joinedload(Visit.grant).joinedload(Grant.application))
        .order_by(Visit.visited_on, Visit.id)).scalars().all()


# --- recording -----------------------------------------------------------------------------------

def record_visit(grant, values, actor):
    """Records a visit of the actor's group to `grant` from `values`: visited_on (a date),
    member_ids (the members present), others_present, checks ({CheckItem: (CheckAnswer or None,
    comment)}), findings and rating (a VisitRating or None). A visit rated poor or with any item
    answered "no" needs a follow-up."""
    grant = locked_grant(grant)  # two members recording at once take turns
    entry = recording_plan(actor, grant)
    if entry is None:
        raise Refused(_l("This grant is not planned for your monitoring group."))
    require_visited(grant)
    group = entry.group
    errors = FieldErrors()
    visited_on = values.get("visited_on")
    contract_day = contract_days([grant.id]).get(grant.id)
    if visited_on is None:
        errors.add("visited_on", _l("Enter the day of the visit."))
    elif visited_on > almaty_today():
        errors.add("visited_on", _l("The day of the visit is in the future."))
    elif contract_day is None or visited_on < contract_day:
        errors.add("visited_on", _l("The visit is dated before the contract took effect (%(date)s).",
                                    date=format_date(contract_day) if contract_day else "—"))
    elif db.session.execute(sa.select(Visit.id).filter_by(grant_id=grant.id, group_id=group.id,
                                                          visited_on=visited_on)).first():
        errors.add("visited_on", _l("Your group's visit on this day is already recorded."))
    members = {member.id: member for member in group.members}
    member_ids = list(dict.fromkeys(values.get("member_ids") or []))
    if not member_ids:
        errors.add("member_ids", _l("Tick the members of the group who were there."))
    elif any(member_id not in members for member_id in member_ids):
        errors.add("member_ids", _l("Tick members of this group only."))
    others = errors.text("others_present", values.get("others_present"), OTHERS_MAX)
    checks = []
    for item in CheckItem:
        answer, comment = (values.get("checks") or {}).get(item, (None, ""))
        comment = errors.text(f"comment_{item.value}", comment, COMMENT_MAX, paragraphs=False)
        if answer is None:
            errors.add(f"check_{item.value}", _l("Answer yes, partly or no."))
        elif answer in EXPLAINED and not comment:
            errors.add(f"comment_{item.value}", _l("Say what is missing."))
        checks.append(VisitCheck(item=item, answer=answer, comment=comment or None))
    findings = errors.text("findings", values.get("findings"), FINDINGS_MAX)
    if not findings:
        errors.add("findings", _l("Write what the group found."))
    rating = values.get("rating")
    if rating is None:
        errors.add("rating", _l("Choose the rating."))
    errors.raise_if_any()
    follow_up = rating is VisitRating.POOR or any(check.answer is CheckAnswer.NO for check in checks)
    visit = Visit(grant_id=grant.id, group=group, visited_on=visited_on, others_present=others, findings=findings,
                  rating=rating, needs_follow_up=follow_up, recorded_by_id=actor.id, checks=checks,
                  members_present=[members[member_id] for member_id in member_ids])
    db.session.add(visit)
    db.session.flush()
    record(actor, "monitoring.visit_recorded", {
        "visit": visit.id, "grant": grant.id, "group": group.id, "visited_on": visited_on.isoformat(),
        "members": member_ids, "rating": rating.value, "follow_up": follow_up,
        "checks": {check.item.value: check.answer.value for check in checks}})
    return visit


def add_photos(visit, files, actor):
    """Adds the photos `files` (werkzeug FileStorages) to `visit`: each is checked by content
    (JPEG or PNG), stored encoded again, with a thumbnail. One bad file refuses them all."""
    if not may_add_photos(actor, visit):
        raise Refused(_l("Only a member of the visit's group adds its photos."))
    added = photos.store(visit, files, actor)
    db.session.flush()
    record(actor, "monitoring.photos_added", {
        "visit": visit.id, "grant": visit.grant_id,
        "photos": [{"photo": photo.id, "sha256": photo.sha256} for photo in added]})
    return added


# --- follow-up ---------------------------------------------------------------------------------

def resolve_follow_up(visit, note, actor):
    """Staff close the follow-up the visit raised, saying what was done."""
    visit = db.session.execute(  # two people resolving at once: the second sees the first's note
        sa.select(Visit).where(Visit.id == visit.id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one()
    if not visit.needs_follow_up:
        raise Refused(_l("This visit raised no follow-up."))
    if visit.resolved_at is not None:
        raise Refused(_l("This follow-up is already resolved."))
    errors = FieldErrors()
    note = errors.text("note", note, NOTE_MAX)
    if not note:
        errors.add("note", _l("Say what was done about the finding."))
    errors.raise_if_any()
    visit.resolved_at, visit.resolved_by_id, visit.resolution = utcnow(), actor.id, note
    db.session.flush()
    record(actor, "monitoring.follow_up_resolved", {"visit": visit.id, "grant": visit.grant_id, "note": note})
    return visit
