"""Consultations: the operator logs one on one line as a call ends (the time is now unless typed),
bad input is refused with a message and loses nothing, and an entry is corrected or removed by its
operator on the day it was logged, or by a manager at any time; every change is audited."""
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.almaty import utc_to_almaty
from app.auth.models import Role
from app.dbtypes import utcnow
from app.errors import UNSTORABLE_TEXT, InvalidChange, Refused
from app.extensions import db
from app.office_log import consultations
from app.office_log.models import Channel, Consultation, Topic
from tests.conftest import login
from tests.factories import make_competition
from tests.office_log import audit_events, consultation_values, log, make_staff

LOG_URL = "/manage/office-log/consultations"


@pytest.fixture
def call(app_ctx):
    return make_competition()


@pytest.fixture
def operator(app_ctx):
    return make_staff()


@pytest.fixture
def as_operator(client, operator):
    login(client, operator.email)
    return client


def quick(**changes):
    data = {"channel": "whatsapp", "topic": "applying", "region_code": "MAN", "note": "Не загружается PDF.",
            "occurred_at": "", "competition_id": ""}
    data.update(changes)
    return data


def entries():
    return db.session.execute(sa.select(Consultation)).scalars().all()


# --- the quick entry ------------------------------------------------------------------------

def test_the_quick_entry_logs_a_consultation_now_by_the_operator(as_operator, operator, call):
    before = utcnow()
    response = as_operator.post(LOG_URL, data=quick(competition_id=str(call.id)))
    assert response.status_code == 302
    [entry] = entries()
    assert (entry.channel, entry.topic, entry.region_code, entry.note) == (
        Channel.WHATSAPP, Topic.APPLYING, "MAN", "Не загружается PDF.")
    assert entry.operator_id == operator.id and entry.competition_id == call.id
    assert before - timedelta(seconds=1) <= entry.occurred_at <= utcnow()
    [(event, data)] = audit_events()
    assert event == "office_log.consultation_logged" and data["consultation"] == entry.id
    assert data["actor"] == operator.id and data["channel"] == "whatsapp"
    page = as_operator.get(response.headers["Location"]).get_data(as_text=True)
    assert "The consultation is logged." in page and "Не загружается PDF." in page


def test_a_typed_time_is_of_today_in_almaty(as_operator):
    today = utc_to_almaty(utcnow())
    earlier = (today - timedelta(minutes=30)) if today.hour else today.replace(minute=0)
    assert as_operator.post(LOG_URL, data=quick(occurred_at=f"{earlier:%H:%M}")).status_code == 302
    logged = utc_to_almaty(entries()[0].occurred_at)
    assert (logged.date(), logged.hour, logged.minute) == (today.date(), earlier.hour, earlier.minute)


def test_the_next_entry_starts_on_the_last_channel_and_call_with_the_focus_on_it(as_operator, call):
    page = as_operator.get(LOG_URL).get_data(as_text=True)
    assert 'autofocus checked class="btn-check" id="channel-0" name="channel" type="radio" value="call"' in page
    as_operator.post(LOG_URL, data=quick(channel="instagram", competition_id=str(call.id)))
    page = as_operator.get(LOG_URL).get_data(as_text=True)
    assert 'autofocus checked class="btn-check" id="channel-2" name="channel" type="radio" value="instagram"' in page
    assert f'<option selected value="{call.id}">ZP25</option>' in page
    assert 'value="Не загружается PDF."' not in page  # the note starts empty


def test_the_quick_entry_keeps_the_lists_filters(as_operator):
    response = as_operator.post(LOG_URL + "?start=2025-10-01&channel=call&_scheme=ftp", data=quick())
    assert response.status_code == 302
    assert "start=2025-10-01" in response.headers["Location"] and "channel=call" in response.headers["Location"]
    assert "_scheme" not in response.headers["Location"]


@pytest.mark.parametrize("changes, field, message", [
    ({"channel": "fax"}, "channel", "Choose how the question came in."),
    ({"channel": ""}, "channel", "Choose how the question came in."),
    ({"topic": "gossip"}, "topic", "Choose the topic."),
    ({"topic": "other", "note": "  "}, "note", "Say in a few words what the question was."),
    ({"note": "Звонила\x00мама"}, "note", str(UNSTORABLE_TEXT)),
    ({"note": "я" * 501}, "note", "At most 500 characters."),
    ({"region_code": "XX\x00"}, "region_code", "Choose a region from the list."),
    ({"competition_id": "1" + "0" * 25}, "competition_id", "Choose a call from the list."),
    ({"occurred_at": "1" + "0" * 25}, "occurred_at", "Enter the time like 14:05, or leave it empty for now."),
    ({"occurred_at": "14:\x0005"}, "occurred_at", "Enter the time like 14:05, or leave it empty for now."),
])
def test_bad_quick_entries_are_refused_with_a_message_and_keep_what_was_typed(as_operator, changes, field, message):
    data = quick(**{"note": "Спросил про возраст", **changes})
    response = as_operator.post(LOG_URL, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    assert entries() == []
    if "note" not in changes:
        assert 'value="Спросил про возраст"' in page


def test_a_consultation_of_an_earlier_day_is_logged_with_its_date(as_operator):
    yesterday = utc_to_almaty(utcnow()) - timedelta(days=1)
    response = as_operator.post(LOG_URL + "/new", data={**quick(), "occurred_at": f"{yesterday:%Y-%m-%dT%H:%M}"})
    assert response.status_code == 302
    assert utc_to_almaty(entries()[0].occurred_at).date() == yesterday.date()


@pytest.mark.parametrize("typed, message", [
    ("tomorrow", "That time is still to come"),
    ("0001-01-01T10:00", "Enter a date from 2000 to 2100."),
    ("2023-10-12T10:00\x00", "Enter a date and time"),
])
def test_a_time_still_to_come_or_out_of_the_calendar_is_refused(as_operator, typed, message):
    if typed == "tomorrow":
        typed = f"{utc_to_almaty(utcnow()) + timedelta(days=1):%Y-%m-%dT%H:%M}"
    response = as_operator.post(LOG_URL + "/new", data={**quick(), "occurred_at": typed})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert entries() == []


def test_the_service_allows_a_clock_a_few_minutes_ahead_but_not_more(app_ctx, operator):
    now = datetime(2025, 10, 14, 6, 0)
    log(operator, now=now, occurred_at=now + timedelta(minutes=4))
    with pytest.raises(InvalidChange) as refused:
        consultations.log_consultation(consultation_values(occurred_at=now + timedelta(minutes=10)), operator, now=now)
    assert "occurred_at" in refused.value.errors


# --- corrections and removals -----------------------------------------------------------------

def test_the_operator_corrects_their_own_entry_of_today_and_the_audit_says_what_changed(app_ctx, operator):
    entry = log(operator)
    consultations.update_consultation(entry, consultation_values(channel=Channel.CALL, topic=Topic.DOCUMENTS,
                                                                 note="Справка о регистрации"), operator)
    db.session.commit()
    assert (entry.topic, entry.note) == (Topic.DOCUMENTS, "Справка о регистрации")
    event, data = audit_events()[-1]
    assert event == "office_log.consultation_changed"
    assert data["changed"] == {"topic": ["conditions", "documents"],
                               "note": ["Спросила, можно ли подать заявку без регистрации в Актау.",
                                        "Справка о регистрации"]}


def test_an_entry_of_another_day_or_operator_stands_but_a_manager_fixes_it(app_ctx, operator):
    yesterday = utcnow() - timedelta(days=1)
    old = log(operator, now=yesterday)
    someone_elses = log(make_staff(email="other@example.kz"))
    for entry in (old, someone_elses):
        with pytest.raises(Refused):
            consultations.update_consultation(entry, consultation_values(note="Исправлено"), operator)
        with pytest.raises(Refused):
            consultations.delete_consultation(entry, operator)
        assert not consultations.may_change(entry, operator)
    db.session.rollback()
    manager = make_staff(Role.MANAGER)
    consultations.update_consultation(old, consultation_values(note="Исправлено"), manager)
    consultations.delete_consultation(someone_elses, manager)
    db.session.commit()
    assert old.note == "Исправлено" and entries() == [old]
    event, data = audit_events()[-1]
    assert event == "office_log.consultation_deleted" and data["actor"] == manager.id
    assert data["note"] == "Спросила, можно ли подать заявку без регистрации в Актау."


def test_the_correction_page_corrects_and_removes(as_operator, operator):
    entry = log(operator)
    url = f"{LOG_URL}/{entry.id}"
    page = as_operator.get(url).get_data(as_text=True)
    assert 'value="Спросила, можно ли подать заявку без регистрации в Актау."' in page
    assert 'checked class="btn-check" id="channel-0"' in page
    response = as_operator.post(url, data={**quick(channel="call", topic="results", note="Итоги отбора"),
                                           "occurred_at": f"{utc_to_almaty(entry.occurred_at):%Y-%m-%dT%H:%M}"})
    assert response.status_code == 302
    db.session.refresh(entry)
    assert (entry.channel, entry.topic, entry.note) == (Channel.CALL, Topic.RESULTS, "Итоги отбора")
    assert as_operator.post(url + "/delete").status_code == 302
    assert entries() == []
    assert [event for event, _data in audit_events()] == [
        "office_log.consultation_logged", "office_log.consultation_changed", "office_log.consultation_deleted"]


def test_another_operator_sees_why_they_may_not_change_an_entry(client, operator):
    entry = log(operator)
    colleague = make_staff(email="colleague@example.kz")
    login(client, colleague.email)
    url = f"{LOG_URL}/{entry.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Only the operator who logged this consultation, or a manager, may change it." in page
    assert "Remove from the log" not in page
    response = client.post(url, data={**quick(note="Чужое")})
    assert response.status_code == 422 and "Only the operator who logged" in response.get_data(as_text=True)
    response = client.post(url + "/delete")
    assert response.status_code == 302
    assert "Only the operator who logged" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.refresh(entry)
    assert entry.note != "Чужое" and entries() == [entry]
    assert f'href="/manage/office-log/consultations/{entry.id}"' not in client.get(LOG_URL).get_data(as_text=True)


def test_an_entry_number_too_long_for_any_database_is_not_found(as_operator):
    assert as_operator.get(f"{LOG_URL}/1{'0' * 25}").status_code == 404
    assert as_operator.post(f"{LOG_URL}/1{'0' * 25}/delete").status_code == 404


def test_a_typed_time_still_to_come_today_is_refused_next_to_the_time(as_operator, monkeypatch):
    eleven_in_almaty = datetime(2025, 10, 14, 6, 0)
    for module in ("app.office_log.views", "app.office_log.consultations"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: eleven_in_almaty)
    response = as_operator.post(LOG_URL, data=quick(occurred_at="15:00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="occurred_at-error"' in page and "That time is still to come" in page
    assert as_operator.post(LOG_URL, data=quick(occurred_at="10:40")).status_code == 302
    assert entries()[0].occurred_at == datetime(2025, 10, 14, 5, 40)
