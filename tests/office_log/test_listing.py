"""The consultation log's list (the last week unless filtered; by Almaty days, channel, region and
call; counts per channel) and the query functions the dashboard and the report reuse."""
from datetime import date, datetime, timedelta

import pytest

from app.almaty import almaty_to_utc, utc_to_almaty
from app.dbtypes import utcnow
from app.office_log import queries
from app.office_log.models import Channel, EventKind, Topic
from tests.conftest import login
from tests.factories import make_competition
from tests.office_log import add_event, log, make_staff

LOG_URL = "/manage/office-log/consultations"


@pytest.fixture
def operator(app_ctx):
    return make_staff()


def at(day, hour, minute=0):
    """Almaty wall-clock time as the database keeps it (naive UTC)."""
    return almaty_to_utc(datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute))


@pytest.fixture
def logged(operator):
    """Two calls: ZP25 (Mangystau and Almaty), ZP26; one late in the evening of 14 October."""
    zp25, zp26 = make_competition(), make_competition(code="ZP26")
    day = date(2025, 10, 14)
    now = at(day + timedelta(days=30), 12)
    log(operator, now=now, occurred_at=at(day, 9, 5), channel=Channel.CALL, region_code="MAN", competition=zp25)
    log(operator, now=now, occurred_at=at(day, 23, 55), channel=Channel.WHATSAPP, region_code="ALA",
        competition=zp25, topic=Topic.DOCUMENTS)
    log(operator, now=now, occurred_at=at(day + timedelta(days=1), 0, 10), channel=Channel.WHATSAPP, region_code=None,
        competition=zp25, topic=Topic.DOCUMENTS)
    log(operator, now=now, occurred_at=at(day + timedelta(days=1), 11), channel=Channel.CALL, region_code="MAN",
        competition=zp26)
    return zp25, zp26, day


def test_counts_go_by_almaty_days_channel_region_and_call(logged):
    zp25, zp26, day = logged
    assert queries.consultation_count() == 4
    assert queries.consultation_count(start=day, end=day) == 2  # 23:55 in Almaty is still the 14th
    assert queries.consultation_count(start=day + timedelta(days=1)) == 2
    assert queries.consultation_count(zp25) == 3 and queries.consultation_count(zp26) == 1
    assert queries.consultation_count(zp25, channel=Channel.WHATSAPP) == 2
    assert queries.consultation_count(region_code="MAN") == 2
    assert queries.consultations_by_channel(zp25) == {
        Channel.CALL: 1, Channel.WHATSAPP: 2, Channel.INSTAGRAM: 0, Channel.EMAIL: 0, Channel.VISIT: 0}
    assert queries.consultations_by_channel(end=day) == {
        Channel.CALL: 1, Channel.WHATSAPP: 1, Channel.INSTAGRAM: 0, Channel.EMAIL: 0, Channel.VISIT: 0}
    assert queries.consultations_by_topic(zp25)[Topic.DOCUMENTS] == 2
    assert list(queries.consultations_by_topic()) == list(Topic)
    assert queries.consultations_by_region(zp25) == {"MAN": 1, "ALA": 1, None: 1}
    assert queries.consultations_by_region() == {"MAN": 2, "ALA": 1, None: 1}
    assert next(iter(queries.consultations_by_region())) == "MAN"  # the most first
    latest = queries.consultations(zp25, limit=2)
    assert [utc_to_almaty(c.occurred_at).hour for c in latest] == [0, 23]


def test_the_list_opens_on_the_last_week_with_its_counts(client, operator):
    log(operator, channel=Channel.INSTAGRAM, note="Сегодня")
    log(operator, now=utcnow() - timedelta(days=10), note="Десять дней назад")
    login(client, operator.email)
    page = client.get(LOG_URL).get_data(as_text=True)
    assert "Сегодня" in page and "Десять дней назад" not in page
    assert 'data-channel="instagram">Instagram: 1<' in page and 'data-channel="call">Phone call: 0<' in page
    assert "Today: 1, logged by you: 1" in page
    week_ago = utc_to_almaty(utcnow()).date() - timedelta(days=12)
    page = client.get(LOG_URL, query_string={"start": week_ago.isoformat(), "end": ""}).get_data(as_text=True)
    assert "Сегодня" in page and "Десять дней назад" in page


def test_the_list_filters_by_channel_region_and_call(client, operator, logged):
    zp25, _zp26, day = logged
    login(client, operator.email)
    query = {"start": day.isoformat(), "end": (day + timedelta(days=1)).isoformat(), "channel": "whatsapp",
             "region_code": "", "competition_id": str(zp25.id), "fmt": "csv"}
    page = client.get(LOG_URL, query_string=query).get_data(as_text=True)
    assert page.count("<tr data-consultation=") == 2
    assert 'data-channel="whatsapp">WhatsApp: 2<' in page and 'data-channel="call">Phone call: 1<' in page
    page = client.get(LOG_URL, query_string={**query, "channel": "", "region_code": "MAN"}).get_data(as_text=True)
    assert page.count("<tr data-consultation=") == 1


@pytest.mark.parametrize("query, message", [
    ({"start": "2025-10-20", "end": "2025-10-01"}, "The last day is before the first one."),
    ({"start": "0001-01-01"}, "Enter a date from 2000 to 2100."),
    ({"start": "2025-10-\x0001"}, "Enter a date like 2026-11-29."),
    ({"start": "1" + "0" * 25}, "Enter a date like 2026-11-29."),
    ({"competition_id": "1" + "0" * 25}, "Choose a call from the list."),
])
def test_bad_filters_say_what_is_wrong_and_show_the_last_week(client, operator, query, message):
    log(operator, note="Сегодня")
    login(client, operator.email)
    response = client.get(LOG_URL, query_string=query)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page and "Сегодня" in page


def test_the_list_shows_the_latest_hundred_and_says_so(client, operator):
    for n in range(102):
        log(operator, occurred_at=utcnow() - timedelta(minutes=n + 1), note=f"Вопрос {n}")
    login(client, operator.email)
    page = client.get(LOG_URL).get_data(as_text=True)
    assert page.count("<tr data-consultation=") == 100
    assert "The latest 100 of 102 are shown; the download has them all." in page


def test_event_queries_add_up_participants_by_kind_period_and_call(operator):
    call = make_competition()
    add_event(operator, held_on=date(2025, 10, 10), participants=11, women=7, neet_youth=11, competition=call)
    add_event(operator, held_on=date(2025, 10, 12), participants=14, women=None, neet_youth=14, competition=call)
    add_event(operator, kind=EventKind.BRIEFING, held_on=date(2025, 10, 9), participants=6, women=3, neet_youth=None,
              competition=call)
    add_event(operator, kind=EventKind.MASTER_SESSION, held_on=date(2025, 11, 25), participants=28, women=20,
              neet_youth=28)
    assert queries.event_participants(call) == queries.Participants(events=3, participants=31, women=10, neet_youth=25)
    assert queries.event_participants(kind=EventKind.OPEN_DAY).participants == 25
    assert queries.event_participants(start=date(2025, 10, 10), end=date(2025, 10, 12)).events == 2
    assert queries.event_participants(start=date(2030, 1, 1)) == queries.Participants()
    by_kind = queries.events_by_kind()
    assert list(by_kind) == list(EventKind)
    assert by_kind[EventKind.MASTER_SESSION] == queries.Participants(1, 28, 20, 28)
    assert by_kind[EventKind.OTHER] == queries.Participants()
    assert [e.held_on.day for e in queries.events(call)] == [12, 10, 9]
    assert [e.kind for e in queries.events(kind=EventKind.BRIEFING)] == [EventKind.BRIEFING]
