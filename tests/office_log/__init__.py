"""Builders for the office-log tests: staff, consultations and events logged through the services,
the audit entries they wrote, and the objects the permission walk needs."""
from datetime import date, timedelta

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.dbtypes import utcnow
from app.extensions import db
from app.office_log import consultations, events
from app.office_log.models import Channel, Consultation, EventKind, InfoEvent, Topic
from tests import factories


def make_staff(role=Role.STAFF, email=None):
    return factories.make_user(email or f"office-{role.value}@example.kz", roles=(role,))


def consultation_values(**changes):
    values = {"channel": Channel.CALL, "topic": Topic.CONDITIONS, "region_code": "MAN", "competition": None,
              "note": "Спросила, можно ли подать заявку без регистрации в Актау.", "occurred_at": None}
    values.update(changes)
    return values


def log(actor, now=None, **changes):
    """A consultation logged by `actor` through the service, committed."""
    consultation = consultations.log_consultation(consultation_values(**changes), actor, now=now)
    db.session.commit()
    return consultation


def event_values(**changes):
    values = {"kind": EventKind.OPEN_DAY, "held_on": date.today() - timedelta(days=3), "title": "ZHAS PROJECT Open Day",
              "place": "Жанаозен, молодёжный ресурсный центр", "region_code": "MAN", "participants": 14, "women": 9,
              "neet_youth": 14, "notes": "Раздали буклеты.", "competition": None}
    values.update(changes)
    return values


def add_event(actor, **changes):
    event = events.add_event(event_values(**changes), actor)
    db.session.commit()
    return event


def audit_events(prefix="office_log."):
    return [(entry.event, entry.data) for entry in db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.event.startswith(prefix)).order_by(AuditEntry.seq)).scalars()]


def office_log_url_values(user):
    """A consultation and an event logged by `user`, for the permission walk's URL variables."""
    consultation = Consultation(occurred_at=utcnow(), channel=Channel.WHATSAPP, topic=Topic.APPLYING,
                                operator_id=user.id, note="")
    event = InfoEvent(kind=EventKind.BRIEFING, held_on=date.today(), place="Актау", participants=10,
                      created_by_id=user.id)
    db.session.add_all([consultation, event])
    db.session.commit()
    return {"consultation_id": consultation.id, "event_id": event.id}
