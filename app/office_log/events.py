"""Information events: staff log each Open Day, briefing or master session once it has taken place
(the day, the place, how many came and, when counted, how many of them were women and NEET
youth); whoever logged it, or a manager, corrects or removes it. Every change takes the acting
user and is audited; the caller commits."""
from datetime import date

from flask_babel import lazy_gettext as _l

from app.almaty import utc_to_almaty
from app.audit.services import record as audit
from app.competitions.services import in_years, years_message
from app.dbtypes import utcnow
from app.errors import FieldErrors, Refused
from app.extensions import db
from app.office_log.consultations import assign, checked_region, may_fix_any
from app.office_log.models import InfoEvent

TITLE_MAX = 200
PLACE_MAX = 200
NOTES_MAX = 2000
PARTICIPANTS_MAX = 100_000  # more than any hall or stream of a small-grants project holds


def refusal_to_change(event, user):
    """Why `user` may not correct or remove `event` (None: they may)."""
    if may_fix_any(user) or event.created_by_id == user.id:
        return None
    return _l("Only the person who logged this event, or a manager, may change it.")


def may_change(event, user):
    return refusal_to_change(event, user) is None


def add_event(values, actor, today=None):
    """Logs an event. `values`: kind (an EventKind or None), held_on, title, place, region_code,
    participants, women, neet_youth (whole numbers; women and neet_youth None when not counted),
    notes, competition (or None)."""
    event = InfoEvent(created_by_id=actor.id, **_checked(values, today))
    db.session.add(event)
    db.session.flush()
    audit(actor, "office_log.event_added", {"event": event.id, **_described(event)})
    return event


def update_event(event, values, actor, today=None):
    _refuse_unless_allowed(event, actor)
    changed = assign(event, _checked(values, today), _described)
    audit(actor, "office_log.event_changed", {"event": event.id, "changed": changed})
    return event


def delete_event(event, actor):
    """Removes an event logged by mistake; the audit entry keeps what it said."""
    _refuse_unless_allowed(event, actor)
    audit(actor, "office_log.event_deleted", {"event": event.id, "created_by": event.created_by_id,
                                              **_described(event)})
    db.session.delete(event)
    db.session.flush()


def _refuse_unless_allowed(event, actor):
    reason = refusal_to_change(event, actor)
    if reason is not None:
        raise Refused(reason)


def _checked(values, today):
    today = today or utc_to_almaty(utcnow()).date()
    errors = FieldErrors()
    if values.get("kind") is None:
        errors.add("kind", _l("Choose the kind of event."))
    held_on = values.get("held_on")
    if not isinstance(held_on, date):
        errors.add("held_on", _l("Enter the day of the event."))
    elif not in_years(held_on):
        errors.add("held_on", years_message())
    elif held_on > today:
        errors.add("held_on", _l("The day is still to come: log an event once it has taken place."))
    title = errors.text("title", values.get("title"), TITLE_MAX, paragraphs=False)
    place = errors.text("place", values.get("place"), PLACE_MAX,
                         _l("Say where it took place, for example: Aktau, youth resource centre; or Online, Zoom."),
                         paragraphs=False)
    region_code = checked_region(errors, "region_code", values.get("region_code"))
    notes = errors.text("notes", values.get("notes"), NOTES_MAX)
    participants = _count(errors, "participants", values.get("participants"), PARTICIPANTS_MAX,
                          _l("At most %(most)s.", most=PARTICIPANTS_MAX), _l("Enter how many people took part."))
    if participants is None:
        ceiling, too_many = PARTICIPANTS_MAX, _l("At most %(most)s.", most=PARTICIPANTS_MAX)
    else:
        ceiling, too_many = participants, _l("No more than the %(most)s who took part.", most=participants)
    women = _count(errors, "women", values.get("women"), ceiling, too_many)
    neet_youth = _count(errors, "neet_youth", values.get("neet_youth"), ceiling, too_many)
    errors.raise_if_any()
    return {"kind": values["kind"], "held_on": held_on, "title": title, "place": place, "region_code": region_code,
            "participants": participants, "women": women, "neet_youth": neet_youth, "notes": notes,
            "competition_id": values["competition"].id if values.get("competition") else None}


def _count(errors, field, value, most, too_many, missing=None):
    """A number of people from 0 to `most`; None when not given (with `missing`'s message if set)."""
    if value is None:
        if missing:
            errors.add(field, missing)
        return None
    if not isinstance(value, int) or value < 0:
        errors.add(field, _l("Enter a whole number of people, 0 or more."))
        return None
    if value > most:
        errors.add(field, too_many)
        return None
    return value


def _described(event):
    return {"kind": event.kind.value, "held_on": event.held_on.isoformat(), "title": event.title,
            "place": event.place, "region": event.region_code, "participants": event.participants,
            "women": event.women, "neet_youth": event.neet_youth, "notes": event.notes,
            "competition": event.competition_id}
