"""Meetings: the mentor logs one on a phone (dated from the contract's countersignature to today),
only for their own grantees; the grantee sees the log on their grant page and confirms or disputes
each meeting; staff see the months without a meeting and the overdue grants."""
from datetime import date, timedelta

import pytest

from app.auth.models import Role
from app.errors import Refused
from app.extensions import db
from app.mentoring import assignment, meetings
from app.mentoring.models import MeetingFormat, MeetingStatus
from tests.conftest import login
from tests.factories import make_user
from tests.mail.helpers import outbox_for
from tests.mentoring import audit_events, grants_of_one_call, make_mentor, set_password, staff_member
from tests.screening import counting_queries


@pytest.fixture
def staff(app_ctx):
    return staff_member()


@pytest.fixture
def grants(app_ctx, staff):
    """Two grants of one call (contracts countersigned 75 days ago), each with its own mentor."""
    grants = grants_of_one_call(2, signed_days_ago=75)
    call = grants[0].competition
    make_mentor(call, staff, 1)
    make_mentor(call, staff, 2)
    proposal = assignment.propose(call, max_load=1)
    assignment.accept(call, 1, proposal.fingerprint, staff)
    db.session.commit()
    return grants


@pytest.fixture
def grant(grants):
    return grants[0]


@pytest.fixture
def mentor(grant):
    return assignment.assignment_of(grant).mentor.user


@pytest.fixture
def other_mentor(grants):
    return assignment.assignment_of(grants[1]).mentor.user


@pytest.fixture
def as_mentor(client, mentor):
    login(client, set_password(mentor).email)
    return client


def today():
    return meetings.today_in_almaty()


def values(held_on=None, **changes):
    data = {"held_on": held_on or today(), "format": MeetingFormat.IN_PERSON, "topics": "Счета поставщиков",
            "notes": "", "next_steps": "Подать заявку на оплату"}
    data.update(changes)
    return data


def form(**changes):
    data = {"held_on": today().isoformat(), "format": "online", "topics": "План закупок",
            "notes": "Всё по плану", "next_steps": ""}
    data.update(changes)
    return data


# --- logging --------------------------------------------------------------------------------

def test_the_mentor_logs_a_meeting_on_a_phone_sized_form(as_mentor, grant, mentor):
    page = as_mentor.get(f"/manage/mentees/{grant.id}/meetings/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'value="{today().isoformat()}"' in html  # the date defaults to today
    assert html.count('class="btn-check"') == 2 and 'checked class="btn-check" id="format-0"' in html
    response = as_mentor.post(f"/manage/mentees/{grant.id}/meetings/new", data=form())
    assert response.status_code == 302 and response.headers["Location"] == f"/manage/mentees/{grant.id}"
    meeting, = meetings.schedule_of(grant).meetings
    assert (meeting.mentor_id, meeting.format, meeting.status) == (mentor.id, MeetingFormat.ONLINE,
                                                                    MeetingStatus.LOGGED)
    mail = outbox_for(grant.application.applicant.email)[-1]
    assert mail.subject.startswith("Your mentor logged a meeting") and f"/meetings/{meeting.id}" in mail.body_text
    assert audit_events()[-1] == ("mentoring.meeting_logged", {"actor": mentor.id, "meeting": meeting.id,
                                                               "grant": grant.id, "held_on": today().isoformat(),
                                                               "format": "online"})


@pytest.mark.parametrize("changes, message", [
    ({"held_on": "2020-01-01"}, "before the contract took effect"),
    ({"held_on": (date.today() + timedelta(days=2)).isoformat()}, "in the future"),
    ({"held_on": ""}, "Enter the date of the meeting."),
    ({"held_on": "1" + "0" * 25}, "Enter the date of the meeting, like"),
    ({"held_on": "32.13.2025"}, "Enter the date of the meeting, like"),
    ({"format": "teleport"}, "Choose in person or online."),
    ({"topics": ""}, "Say in a few words what you discussed."),
    ({"topics": "План\x00"}, "invisible control character"),
    ({"topics": "я" * 501}, "At most 500 characters."),
    ({"notes": "я" * 2001}, "At most 2000 characters."),
    ({"next_steps": "\x07"}, "invisible control character"),
])
def test_bad_input_is_refused_with_a_clear_message(as_mentor, grant, changes, message):
    response = as_mentor.post(f"/manage/mentees/{grant.id}/meetings/new", data=form(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert meetings.schedule_of(grant).meetings == []


def test_a_second_meeting_on_the_same_day_is_refused(grant, mentor):
    meetings.log_meeting(grant, values(), mentor)
    db.session.commit()
    with pytest.raises(Refused, match="logged for this grant already"):
        meetings.log_meeting(grant, values(), mentor)


def test_another_mentors_grant_answers_404_and_the_service_refuses(as_mentor, grants, other_mentor):
    theirs = grants[1]
    for url in (f"/manage/mentees/{theirs.id}", f"/manage/mentees/{theirs.id}/meetings/new", "/manage/mentees/99999"):
        assert as_mentor.get(url).status_code == 404, url
    assert as_mentor.post(f"/manage/mentees/{theirs.id}/meetings/new", data=form()).status_code == 404
    with pytest.raises(Refused, match="not assigned to you"):
        meetings.log_meeting(grants[0], values(), other_mentor)
    assert meetings.schedule_of(theirs).meetings == []


def test_no_meeting_before_the_contract_takes_effect(app_ctx, staff):
    from tests.payments import make_grant
    from app.contracts.models import GrantStatus

    grant = make_grant(status=GrantStatus.CONTRACTING, number="ZP25-G-0009")
    mentor = make_mentor(grant.competition, staff, 5)
    assignment.choose(grant, mentor, "Первый в пуле", staff)
    db.session.commit()
    with pytest.raises(Refused, match="under way"):
        meetings.log_meeting(grant, values(), mentor.user)
    grant.status = GrantStatus.ACTIVE  # no countersigned contract behind it
    with pytest.raises(Refused, match="has not taken effect yet"):
        meetings.log_meeting(grant, values(), mentor.user)


# --- the grantee's answer -------------------------------------------------------------------

def test_the_grantee_sees_the_log_and_confirms_or_disputes(client, grant, mentor):
    first = meetings.log_meeting(grant, values(today() - timedelta(days=3)), mentor)
    second = meetings.log_meeting(grant, values(), mentor)
    db.session.commit()
    grantee = grant.application.applicant
    login(client, grantee.email)
    page = client.get(f"/my/grants/{grant.id}").get_data(as_text=True)
    assert 'data-section="mentoring"' in page and "Candidate 01" in page and page.count('data-meeting="') == 2
    assert client.post(f"/my/grants/{grant.id}/meetings/{first.id}/confirm").status_code == 302
    response = client.post(f"/my/grants/{grant.id}/meetings/{second.id}/dispute", data={"comment": ""})
    assert response.status_code == 422 and "Say what is wrong with this meeting." in response.get_data(as_text=True)
    response = client.post(f"/my/grants/{grant.id}/meetings/{second.id}/dispute",
                           data={"comment": "Встречи не было, был только звонок"})
    assert response.status_code == 302
    assert (first.status, second.status) == (MeetingStatus.CONFIRMED, MeetingStatus.DISPUTED)
    assert second.grantee_comment == "Встречи не было, был только звонок"
    response = client.post(f"/my/grants/{grant.id}/meetings/{first.id}/dispute", data={"comment": "Передумал"})
    assert response.status_code == 422 and "answered about this meeting already" in response.get_data(as_text=True)
    assert [event for event, _data in audit_events()][-2:] == ["mentoring.meeting_confirmed",
                                                                "mentoring.meeting_disputed"]


def test_another_grantee_and_staff_get_404_on_the_grantees_pages(client, grants, mentor, other_mentor):
    meeting = meetings.log_meeting(grants[0], values(), mentor)
    db.session.commit()
    others = [grants[1].application.applicant, make_user("screener@example.kz", roles=(Role.STAFF,)), other_mentor]
    for user in others:
        login(client, set_password(user).email)
        base = f"/my/grants/{grants[0].id}/meetings/{meeting.id}"
        assert client.get(base).status_code == 404
        assert client.post(base + "/confirm").status_code == 404
        assert client.post(f"/my/grants/{grants[1].id}/meetings/{meeting.id}/confirm").status_code == 404
        client.post("/logout")
    assert meeting.status is MeetingStatus.LOGGED


# --- months without a meeting ---------------------------------------------------------------

@pytest.mark.parametrize("start, end, held, today_, expected", [
    (date(2025, 1, 20), None, [], date(2025, 1, 25), [("2025-01", 0, False)]),
    (date(2025, 1, 20), None, [date(2025, 1, 22)], date(2025, 3, 5),
     [("2025-01", 1, True), ("2025-02", 0, True), ("2025-03", 0, False)]),
    (date(2025, 11, 3), date(2026, 1, 31), [date(2025, 12, 1), date(2025, 12, 20)], date(2026, 5, 1),
     [("2025-11", 0, True), ("2025-12", 2, True), ("2026-01", 0, True)]),
    (None, None, [], date(2025, 1, 1), []),
])
def test_the_months_run_from_the_countersignature_to_today_or_the_end(start, end, held, today_, expected):
    months = meetings.meeting_months(start, end, held, today_)
    assert [(m.first_day.strftime("%Y-%m"), m.meetings, m.missed) for m in months] == [
        (month, count, closed and not count) for month, count, closed in expected]


@pytest.mark.parametrize("start, first_required", [(date(2025, 3, 1), True), (date(2025, 3, 15), True),
                                                   (date(2025, 3, 16), False), (date(2025, 3, 31), False)])
def test_a_contract_that_takes_effect_late_in_a_month_asks_its_first_meeting_the_next(start, first_required):
    months = meetings.meeting_months(start, None, [], date(2025, 5, 10))
    assert [month.missed for month in months] == [first_required, True, False]
    schedule = meetings.Schedule(start=start, months=meetings.meeting_months(start, None, [], date(2025, 3, 31)))
    assert schedule.due_by == (date(2025, 3, 31) if first_required else date(2025, 4, 30))


def test_missed_months_the_next_due_date_and_the_overdue_list(client, grants, mentor, staff):
    grant, quiet = grants
    start = meetings.schedule_of(grant).start
    meetings.log_meeting(grant, values(start + timedelta(days=1)), mentor)
    db.session.commit()
    schedule = meetings.schedule_of(grant)
    assert schedule.start == start and len(schedule.months) in (3, 4)
    assert schedule.months[0].meetings == 1 and not schedule.months[0].missed
    assert len(schedule.missed) == len(schedule.months) - 2  # every month between, not the first nor this one
    assert schedule.due_by.month == today().month  # nothing yet this month
    rows = meetings.overdue(grant.competition)
    missed = {each: len(meetings.schedule_of(each).missed) for each in (grant, quiet)}
    assert missed[quiet] >= missed[grant] >= 1
    by_number = sorted((grant, quiet), key=lambda each: each.number)
    assert [row[0] for row in rows] == sorted(by_number, key=lambda each: -missed[each])  # the most missed first

    meetings.log_meeting(grant, values(), mentor)
    db.session.commit()
    assert meetings.schedule_of(grant).due_by > meetings.schedule_of(quiet).due_by  # next month now

    login(client, staff.email)
    html = client.get(f"/manage/mentors/calls/{grant.competition_id}/meetings").get_data(as_text=True)
    assert f'data-overdue="2"' in html and html.count('data-missed="yes"') == len(schedule.missed) + len(
        meetings.schedule_of(quiet).missed)
    page = client.get(f"/manage/grants/{quiet.id}").get_data(as_text=True)
    assert "without a meeting" in page


def test_a_disputed_meeting_does_not_count_for_its_month_and_staff_see_it(client, grant, mentor, staff):
    meeting = meetings.log_meeting(grant, values(today().replace(day=1)), mentor)
    meetings.dispute(meeting, "Не было встречи", grant.application.applicant)
    db.session.commit()
    schedule = meetings.schedule_of(grant)
    assert schedule.months[-1].meetings == 0 and schedule.meetings == [meeting]
    assert meetings.disputed(grant.competition) == [meeting]
    login(client, staff.email)
    html = client.get(f"/manage/mentors/calls/{grant.competition_id}/meetings").get_data(as_text=True)
    assert 'data-disputed="1"' in html and "Не было встречи" in html


def test_the_mentor_starts_from_their_grantees(as_mentor, grant):
    html = as_mentor.get("/manage/").get_data(as_text=True)
    assert "My grantees" in html and f'data-mentee="{grant.id}"' in html
    assert f"/manage/mentees/{grant.id}/meetings/new" in html
    assert "Nothing waits for your role" not in html
    assert 'href="/manage/mentees"' in html  # the navbar's section
    html = as_mentor.get(f"/manage/mentees/{grant.id}").get_data(as_text=True)
    assert grant.application.project_title in html and "data-months" in html


def test_the_mentors_start_page_takes_the_same_queries_for_one_grantee_or_three(client, staff):
    grants = grants_of_one_call(3)
    mentor = make_mentor(grants[0].competition, staff, 1)
    assignment.choose(grants[0], mentor, "Первый грант", staff)
    db.session.commit()
    login(client, set_password(mentor.user).email)
    with counting_queries() as one:
        client.get("/manage/")
    for grant in grants[1:]:
        assignment.choose(grant, mentor, "Тот же район", staff)
    meetings.log_meeting(grants[1], values(), mentor.user)
    db.session.commit()
    with counting_queries() as three:
        html = client.get("/manage/").get_data(as_text=True)
    assert html.count("data-mentee=") == 3
    assert len(three) == len(one), three
