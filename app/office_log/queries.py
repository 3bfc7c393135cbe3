"""What the office log counts, in one place for the list pages, the exports, the dashboard and
the report to the Operator. Every function takes the call (`competition`: only its entries; None:
every entry) and a period of Almaty days, `start` and `end` both included (None: open-ended)."""
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from app.almaty import almaty_to_utc
from app.extensions import db
from app.office_log.models import Channel, Consultation, EventKind, InfoEvent, Topic


@dataclass(frozen=True)
class Participants:
    """Events and the people at them; `women` and `neet_youth` add up the events that counted them."""

    events: int = 0
    participants: int = 0
    women: int = 0
    neet_youth: int = 0


# --- consultations --------------------------------------------------------------------------

def _day_start(day):
    return almaty_to_utc(datetime.combine(day, time.min))


def _consultation_conditions(competition, start, end, channel=None, region_code=None):
    conditions = []
    if competition is not None:
        conditions.append(Consultation.competition_id == competition.id)
    if start is not None:
        conditions.append(Consultation.occurred_at >= _day_start(start))
    if end is not None:
        conditions.append(Consultation.occurred_at < _day_start(end + timedelta(days=1)))
    if channel is not None:
        conditions.append(Consultation.channel == channel)
    if region_code:
        conditions.append(Consultation.region_code == region_code)
    return conditions


def consultations(competition=None, start=None, end=None, channel=None, region_code=None, limit=None):
    """The consultations (of one channel and region, or all), the latest first (at most `limit`)."""
    query = (sa.select(Consultation).where(*_consultation_conditions(competition, start, end, channel, region_code))
             .order_by(Consultation.occurred_at.desc(), Consultation.id.desc()))
    if limit is not None:
        query = query.limit(limit)
    return db.session.execute(query).scalars().all()


def consultation_count(competition=None, start=None, end=None, channel=None, region_code=None):
    return db.session.execute(sa.select(sa.func.count(Consultation.id)).where(
        *_consultation_conditions(competition, start, end, channel, region_code))).scalar_one()


def _grouped(column, conditions):
    return dict(db.session.execute(
        sa.select(column, sa.func.count(Consultation.id)).where(*conditions).group_by(column)).all())


def consultations_by_channel(competition=None, start=None, end=None, region_code=None):
    """{Channel: count} for every channel in its order, 0 where none came in."""
    found = _grouped(Consultation.channel,
                     _consultation_conditions(competition, start, end, region_code=region_code))
    return {channel: found.get(channel, 0) for channel in Channel}


def consultations_by_topic(competition=None, start=None, end=None):
    """{Topic: count} for every topic in its order."""
    found = _grouped(Consultation.topic, _consultation_conditions(competition, start, end))
    return {topic: found.get(topic, 0) for topic in Topic}


def consultations_by_region(competition=None, start=None, end=None):
    """{region code, or None where the region was not asked: count}, the most first."""
    found = Counter(_grouped(Consultation.region_code, _consultation_conditions(competition, start, end)))
    return dict(found.most_common())


# --- information events ---------------------------------------------------------------------

def _event_conditions(competition, start, end, kind):
    conditions = []
    if competition is not None:
        conditions.append(InfoEvent.competition_id == competition.id)
    if start is not None:
        conditions.append(InfoEvent.held_on >= start)
    if end is not None:
        conditions.append(InfoEvent.held_on <= end)
    if kind is not None:
        conditions.append(InfoEvent.kind == kind)
    return conditions


def events(competition=None, start=None, end=None, kind=None):
    """The information events (of one `kind`, or all), the latest first."""
    return db.session.execute(
        sa.select(InfoEvent).where(*_event_conditions(competition, start, end, kind))
        .order_by(InfoEvent.held_on.desc(), InfoEvent.id.desc())).scalars().all()


def event_participants(competition=None, start=None, end=None, kind=None):
    """The number of events (of one `kind`, or all) and of the people at them: Participants."""
    row = db.session.execute(
        sa.select(sa.func.count(InfoEvent.id), sa.func.coalesce(sa.func.sum(InfoEvent.participants), 0),
                  sa.func.coalesce(sa.func.sum(InfoEvent.women), 0),
                  sa.func.coalesce(sa.func.sum(InfoEvent.neet_youth), 0))
        .where(*_event_conditions(competition, start, end, kind))).one()
    return Participants(*row)


def events_by_kind(competition=None, start=None, end=None):
    """{EventKind: Participants} for every kind in its order."""
    rows = db.session.execute(
        sa.select(InfoEvent.kind, sa.func.count(InfoEvent.id), sa.func.sum(InfoEvent.participants),
                  sa.func.coalesce(sa.func.sum(InfoEvent.women), 0),
                  sa.func.coalesce(sa.func.sum(InfoEvent.neet_youth), 0))
        .where(*_event_conditions(competition, start, end, None)).group_by(InfoEvent.kind)).all()
    found = {kind: Participants(*numbers) for kind, *numbers in rows}
    return {kind: found.get(kind, Participants()) for kind in EventKind}
