"""Consultations: the operator logs one as the call ends (channel, topic, region, a short note;
the time is now unless typed), may correct or remove their own on the day they logged it, and a
manager (MANAGE_CALL) may fix any. Every change takes the acting user and is audited with what
it changed; the caller commits."""
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.almaty import almaty_to_utc, utc_to_almaty
from app.audit.services import record as audit
from app.auth.permissions import Permission, may
from app.competitions.services import in_years, years_message
from app.dbtypes import utcnow
from app.errors import FieldErrors, Refused
from app.extensions import db
from app.kz.regions import get_region
from app.office_log.models import Consultation, Topic

NOTE_MAX = 500
# An operator's clock may run a little ahead of the server's: a time this much later is still now.
CLOCK_SLACK = timedelta(minutes=5)


def may_fix_any(user):
    """Whether `user` may correct and remove any entry of the log, whoever logged it and when."""
    return may(user, Permission.MANAGE_CALL)


def refusal_to_change(consultation, user, now=None):
    """Why `user` may not correct or remove `consultation` (None: they may). The operator changes
    their own entries on the day they logged them; later the log stands as the reports read it,
    and only a manager fixes it."""
    if may_fix_any(user):
        return None
    if consultation.operator_id != user.id:
        return _l("Only the operator who logged this consultation, or a manager, may change it.")
    if utc_to_almaty(consultation.logged_at).date() != utc_to_almaty(now or utcnow()).date():
        return _l("Consultations are corrected on the day they are logged; ask a manager to fix this one.")
    return None


def may_change(consultation, user, now=None):
    return refusal_to_change(consultation, user, now) is None


def last_choices(operator):
    """(channel, call) of the operator's latest consultation; (None, None) before their first."""
    last = db.session.execute(sa.select(Consultation).where(Consultation.operator_id == operator.id)
                              .order_by(Consultation.logged_at.desc(), Consultation.id.desc()).limit(1)).scalar()
    return (last.channel, last.competition) if last else (None, None)


def logged_today_by(operator, today):
    """How many consultations the operator logged on `today` (an Almaty day)."""
    start = almaty_to_utc(datetime.combine(today, time.min))
    return db.session.execute(sa.select(sa.func.count(Consultation.id)).where(
        Consultation.operator_id == operator.id, Consultation.logged_at >= start,
        Consultation.logged_at < start + timedelta(days=1))).scalar_one()


def log_consultation(values, actor, now=None):
    """Logs a consultation answered by `actor`. `values`: channel, topic (members or None),
    region_code ("" or None: not asked), competition (or None), note, occurred_at (naive UTC;
    None: now)."""
    now = now or utcnow()
    checked = _checked(values, now)
    consultation = Consultation(operator_id=actor.id, logged_at=now, **checked)
    db.session.add(consultation)
    db.session.flush()
    audit(actor, "office_log.consultation_logged", {"consultation": consultation.id, **_described(consultation)})
    return consultation


def update_consultation(consultation, values, actor, now=None):
    """Corrects a consultation (the same `values` as `log_consultation`, but occurred_at None
    keeps its time)."""
    now = now or utcnow()
    _refuse_unless_allowed(consultation, actor, now)
    checked = _checked({**values, "occurred_at": values.get("occurred_at") or consultation.occurred_at}, now)
    changed = assign(consultation, checked, _described)
    audit(actor, "office_log.consultation_changed", {"consultation": consultation.id, "changed": changed})
    return consultation


def delete_consultation(consultation, actor, now=None):
    """Removes a consultation logged by mistake; the audit entry keeps what it said."""
    _refuse_unless_allowed(consultation, actor, now or utcnow())
    audit(actor, "office_log.consultation_deleted", {"consultation": consultation.id,
                                                      "operator": consultation.operator_id,
                                                      **_described(consultation)})
    db.session.delete(consultation)
    db.session.flush()


def _refuse_unless_allowed(consultation, actor, now):
    reason = refusal_to_change(consultation, actor, now)
    if reason is not None:
        raise Refused(reason)


def _checked(values, now):
    errors = FieldErrors()
    if values.get("channel") is None:
        errors.add("channel", _l("Choose how the question came in."))
    topic = values.get("topic")
    if topic is None:
        errors.add("topic", _l("Choose the topic."))
    region_code = checked_region(errors, "region_code", values.get("region_code"))
    note = errors.text("note", values.get("note"), NOTE_MAX,
                        _l("Say in a few words what the question was.") if topic is Topic.OTHER else None,
                        paragraphs=False)
    occurred_at = values.get("occurred_at") or now
    if not in_years(occurred_at):
        errors.add("occurred_at", years_message())
    elif occurred_at > now + CLOCK_SLACK:
        errors.add("occurred_at", _l("That time is still to come: log a consultation once it has taken place."))
    errors.raise_if_any()
    return {"occurred_at": occurred_at, "channel": values["channel"], "topic": topic, "region_code": region_code,
            "competition_id": values["competition"].id if values.get("competition") else None, "note": note}


def assign(entry, checked, described):
    """Sets the `checked` values on an entry of the log; what changed, {name: [before, after]} as
    `described(entry)` (the audit's view of it) shows them."""
    before = described(entry)
    for name, value in checked.items():
        setattr(entry, name, value)
    db.session.flush()
    after = described(entry)
    return {name: [before[name], after[name]] for name in after if before[name] != after[name]}


def checked_region(errors, field, code):
    """The region code, None when none was chosen, with a message on `field` for an unknown one."""
    if not code:
        return None
    try:
        return get_region(code).code
    except KeyError:
        errors.add(field, _l("Choose a region from the list."))
        return None


def _described(consultation):
    """The entry's values as the audit log keeps them."""
    return {"occurred_at": consultation.occurred_at.isoformat(timespec="minutes"),
            "channel": consultation.channel.value, "topic": consultation.topic.value,
            "region": consultation.region_code, "competition": consultation.competition_id,
            "note": consultation.note}
