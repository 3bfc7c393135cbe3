"""Information events: logged once they have taken place, with the place and the participants (and,
when counted, the women and the NEET youth among them); bad input is refused with a message and
loses nothing; whoever logged an event, or a manager, corrects or removes it; all audited."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.almaty import utc_to_almaty
from app.auth.models import Role
from app.dbtypes import utcnow
from app.errors import UNSTORABLE_TEXT, InvalidChange, Refused
from app.extensions import db
from app.office_log import events
from app.office_log.models import EventKind, InfoEvent
from tests.conftest import login
from tests.factories import make_competition
from tests.office_log import add_event, audit_events, event_values, make_staff

EVENTS_URL = "/manage/office-log/events"


@pytest.fixture
def staff(app_ctx):
    return make_staff()


@pytest.fixture
def as_staff(client, staff):
    login(client, staff.email)
    return client


def today():
    return utc_to_almaty(utcnow()).date()


def posted(**changes):
    data = {"kind": "open_day", "held_on": (today() - timedelta(days=2)).isoformat(), "title": "ZHAS PROJECT Open Day",
            "place": "Мунайлинский район, с. Мангистау", "region_code": "MAN", "participants": "12", "women": "8",
            "neet_youth": "12", "notes": "Раздали буклеты.", "competition_id": ""}
    data.update(changes)
    return data


def saved():
    return db.session.execute(sa.select(InfoEvent)).scalars().all()


def test_an_event_is_logged_and_listed_with_its_participants(as_staff, staff):
    call = make_competition()
    page = as_staff.get(EVENTS_URL + "/new").get_data(as_text=True)
    assert f'<option selected value="{call.id}">ZP25</option>' in page  # the current call
    response = as_staff.post(EVENTS_URL + "/new", data=posted(competition_id=str(call.id), participants="1 2"))
    assert response.status_code == 302
    [event] = saved()
    assert (event.kind, event.participants, event.women, event.neet_youth, event.region_code) == (
        EventKind.OPEN_DAY, 12, 8, 12, "MAN")
    assert event.competition_id == call.id and event.created_by_id == staff.id
    page = as_staff.get(EVENTS_URL).get_data(as_text=True)
    assert "Мунайлинский район, с. Мангистау" in page and "1 event, 12 participants; women: 8; NEET youth: 12" in page
    [(name, data)] = audit_events()
    assert name == "office_log.event_added" and data["participants"] == 12 and data["actor"] == staff.id


def test_women_and_neet_youth_may_stay_uncounted(as_staff):
    response = as_staff.post(EVENTS_URL + "/new", data=posted(kind="briefing", women="", neet_youth="", region_code=""))
    assert response.status_code == 302
    [event] = saved()
    assert (event.women, event.neet_youth, event.region_code) == (None, None, None)


@pytest.mark.parametrize("changes, field, message", [
    ({"kind": "party"}, "kind", "Choose the kind of event."),
    ({"held_on": ""}, "held_on", "Enter the day of the event."),
    ({"held_on": "tomorrow"}, "held_on", "The day is still to come: log an event once it has taken place."),
    ({"held_on": "1999-12-31"}, "held_on", "Enter a date from 2000 to 2100."),
    ({"held_on": "2025-10-\x0010"}, "held_on", "Enter the date of the event, like 2026-11-29."),
    ({"place": " "}, "place", "Say where it took place"),
    ({"place": "Актау\x00"}, "place", str(UNSTORABLE_TEXT)),
    ({"title": "т" * 201}, "title", "At most 200 characters."),
    ({"notes": "Итоги\x00"}, "notes", str(UNSTORABLE_TEXT)),
    ({"participants": ""}, "participants", "Enter how many people took part."),
    ({"participants": "1" + "0" * 25}, "participants", "At most 100000."),
    ({"participants": "-3"}, "participants", "Enter a whole number of people, 0 or more."),
    ({"participants": "двенадцать"}, "participants", "Enter the number of participants as a whole number."),
    ({"participants": "1\x002"}, "participants", "Enter the number of participants as a whole number."),
    ({"women": "13"}, "women", "No more than the 12 who took part."),
    ({"neet_youth": "1" + "0" * 25}, "neet_youth", "No more than the 12 who took part."),
    ({"region_code": "MARS"}, "region_code", "Choose a region from the list."),
    ({"competition_id": "1" + "0" * 25}, "competition_id", "Choose a call from the list."),
])
def test_bad_events_are_refused_with_a_message_and_keep_what_was_typed(as_staff, changes, field, message):
    if changes.get("held_on") == "tomorrow":
        changes = {"held_on": (today() + timedelta(days=1)).isoformat()}
    response = as_staff.post(EVENTS_URL + "/new", data=posted(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    assert saved() == []
    if field != "place":
        assert 'value="Мунайлинский район, с. Мангистау"' in page


def test_the_creator_corrects_and_removes_an_event_and_the_audit_keeps_it(as_staff, staff):
    event = add_event(staff)
    url = f"{EVENTS_URL}/{event.id}"
    page = as_staff.get(url).get_data(as_text=True)
    assert '<option selected value="open_day">' in page and 'value="14"' in page
    assert as_staff.post(url, data=posted(participants="15", women="9")).status_code == 302
    db.session.refresh(event)
    assert event.participants == 15
    name, data = audit_events()[-1]
    assert name == "office_log.event_changed" and data["changed"]["participants"] == [14, 15]
    assert as_staff.post(url + "/delete").status_code == 302
    assert saved() == []
    name, data = audit_events()[-1]
    assert name == "office_log.event_deleted" and data["place"] == "Мунайлинский район, с. Мангистау"


def test_only_the_creator_or_a_manager_changes_an_event(client, staff):
    event = add_event(staff)
    colleague = make_staff(email="colleague@example.kz")
    with pytest.raises(Refused):
        events.update_event(event, event_values(participants=99), colleague)
    with pytest.raises(Refused):
        events.delete_event(event, colleague)
    db.session.rollback()
    login(client, colleague.email)
    page = client.get(f"{EVENTS_URL}/{event.id}").get_data(as_text=True)
    assert "Only the person who logged this event, or a manager, may change it." in page
    assert client.post(f"{EVENTS_URL}/{event.id}", data=posted(participants="99")).status_code == 422
    db.session.refresh(event)
    assert event.participants == 14
    manager = make_staff(Role.MANAGER)
    events.update_event(event, event_values(participants=16, women=None), manager)
    db.session.commit()
    assert (event.participants, event.women) == (16, None)


def test_the_service_takes_only_past_days_and_whole_numbers(staff):
    with pytest.raises(InvalidChange) as refused:
        events.add_event(event_values(held_on=date(2025, 10, 20)), staff, today=date(2025, 10, 19))
    assert set(refused.value.errors) == {"held_on"}
    with pytest.raises(InvalidChange) as refused:
        events.add_event(event_values(participants=12.5, women=-1), staff)
    assert set(refused.value.errors) == {"participants", "women"}


def test_an_event_number_too_long_for_any_database_is_not_found(as_staff):
    assert as_staff.get(f"{EVENTS_URL}/1{'0' * 25}").status_code == 404
