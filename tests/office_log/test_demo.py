"""The demo office log looks like seed 004's: 233 phone calls and 124 WhatsApp messages among a few
hundred consultations, on weekdays in office hours, from both regions of the call; briefings in
Aktau and Almaty, Open Days with 124 participants, two online master sessions; only what has
taken place by `now`."""
from collections import Counter
from datetime import datetime

import pytest

from app.almaty import almaty_to_utc, utc_to_almaty
from app.auth.models import Role
from app.demo.office_log import load_office_log
from app.extensions import db
from app.office_log import queries
from app.office_log.models import Channel, EventKind, Topic
from tests.factories import make_competition
from tests.office_log import audit_events, make_staff


@pytest.fixture
def staff_users(app_ctx):
    return [make_staff(), make_staff(Role.MANAGER)]


@pytest.fixture
def call(app_ctx):
    return make_competition()  # open 9 to 22 October 2025, as ZHAS PROJECT in 2023


def test_a_finished_call_has_the_seeds_log(call, staff_users):
    demo = load_office_log(call, staff_users, now=almaty_to_utc(datetime(2026, 6, 1, 12, 0)))
    db.session.commit()
    by_channel = queries.consultations_by_channel(call)
    assert by_channel[Channel.CALL] == 233 and by_channel[Channel.WHATSAPP] == 124
    assert demo.consultations == sum(by_channel.values()) == 378
    assert demo.line() == "Demo office log: 378 consultations, 15 information events (187 participants)."
    regions = queries.consultations_by_region(call)
    assert list(regions)[:2] in (["MAN", "ALA"], ["ALA", "MAN"]) and regions["MAN"] > 100 and regions["ALA"] > 100
    topics = queries.consultations_by_topic(call)
    assert all(topics.values()) and topics[Topic.CONDITIONS] > topics[Topic.REPORTING]
    window = queries.consultation_count(call, start=datetime(2025, 10, 6).date(), end=datetime(2025, 10, 22).date())
    assert window > 0.6 * demo.consultations
    for entry in queries.consultations(call):
        local = utc_to_almaty(entry.occurred_at)
        assert local.weekday() < 5 and 9 <= local.hour < 18
        assert entry.operator_id in {user.id for user in staff_users}
    by_kind = queries.events_by_kind(call)
    assert by_kind[EventKind.OPEN_DAY] == queries.Participants(events=11, participants=124, women=79, neet_youth=124)
    assert by_kind[EventKind.BRIEFING].events == 2 and by_kind[EventKind.MASTER_SESSION].events == 2
    places = {event.place for event in queries.events(call, kind=EventKind.BRIEFING)}
    assert any("Актау" in place for place in places) and any("Алматы" in place for place in places)
    assert len([name for name, _data in audit_events() if name == "office_log.consultation_logged"]) == 378


def test_only_what_has_taken_place_is_logged(call, staff_users):
    now = almaty_to_utc(datetime(2025, 10, 15, 12, 0))
    demo = load_office_log(call, staff_users, now=now)
    db.session.commit()
    assert 0 < demo.consultations < 378
    assert all(entry.occurred_at <= now for entry in queries.consultations(call))
    assert queries.event_participants(call, kind=EventKind.MASTER_SESSION).events == 0
    assert all(event.held_on <= utc_to_almaty(now).date() for event in queries.events(call))


def test_the_demo_is_the_same_every_time(call, staff_users):
    now = almaty_to_utc(datetime(2026, 6, 1, 12, 0))
    load_office_log(call, staff_users, now)
    load_office_log(call, staff_users, now)
    twice = Counter((c.occurred_at, c.channel, c.topic, c.region_code, c.note) for c in queries.consultations(call))
    assert sum(twice.values()) == 2 * 378 and all(count % 2 == 0 for count in twice.values())
