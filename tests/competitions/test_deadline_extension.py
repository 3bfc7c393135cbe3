"""The one amendment a call allows once it is open: extending the deadline before it passes, with
a reason in every language that the call page shows. After the deadline, or to a deadline not
later than the current one, the attempt is refused and stays in the audit log."""
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.almaty import utc_to_almaty
from app.audit.models import AuditEntry
from app.competitions import services
from app.competitions.models import Competition, DeadlineExtension
from app.errors import InvalidChange, Refused, settle
from app.extensions import db
from tests.factories import make_competition, make_open_competition

REASONS = {"kk": "Интернет үзілісіне байланысты мерзім ұзартылды.",
           "ru": "Срок продлён из-за перебоев с интернетом в области.",
           "en": "Extended because of internet outages in the region."}


def audit_events():
    return [(e.event, e.data) for e in db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars()]


def extensions():
    return db.session.execute(sa.select(DeadlineExtension)).scalars().all()


def refused(change):
    with pytest.raises(Refused) as caught:
        change()
    settle(caught.value)
    return caught.value


def minute(moment):
    return moment.replace(second=0, microsecond=0)


def test_before_the_deadline_it_is_extended_and_ages_keep_counting_on_the_old_one(request_ctx, manager):
    competition = make_open_competition()
    old = competition.closes_at
    old_reference = services.reference_date(competition)
    new = minute(old + timedelta(days=7))
    extension = services.extend_deadline(competition, new, REASONS, manager)
    db.session.commit()

    competition = db.session.get(Competition, competition.id)
    assert competition.closes_at == new
    assert competition.age_reference_date == old_reference  # the age rule did not move with the window
    assert (extension.previous_closes_at, extension.closes_at, extension.reason_ru) == (old, new, REASONS["ru"])
    assert extension.extended_by_id == manager.id
    event, data = audit_events()[-1]
    assert event == "competition.deadline_extended" and data["reasons"] == REASONS
    assert data["age_reference_date"] == old_reference.isoformat()


def test_an_age_reference_date_set_by_hand_is_kept(request_ctx, manager):
    competition = make_open_competition(age_reference_date=datetime(2026, 1, 1).date())
    services.extend_deadline(competition, competition.closes_at + timedelta(days=1), REASONS, manager)
    db.session.commit()
    assert db.session.get(Competition, competition.id).age_reference_date == datetime(2026, 1, 1).date()
    assert audit_events()[-1][1]["age_reference_date"] is None


def test_after_the_deadline_it_is_refused_and_the_attempt_stays_on_record(request_ctx, manager):
    competition = make_competition()  # closed in 2025
    old = competition.closes_at
    refusal = refused(lambda: services.extend_deadline(competition, old + timedelta(days=400), REASONS, manager))
    assert "The deadline passed on 22 October 2025, 18:00 (Almaty time): it can no longer be extended." == str(refusal)
    assert db.session.get(Competition, competition.id).closes_at == old and extensions() == []
    event, data = audit_events()[-1]
    assert event == "competition.deadline_extension_refused" and data["actor"] == manager.id
    assert data["closes_at"][0] == old.isoformat()


@pytest.mark.parametrize("shift", [timedelta(days=-1), timedelta(0)])
def test_shortening_is_refused_and_the_attempt_stays_on_record(request_ctx, manager, shift):
    competition = make_open_competition()
    old = competition.closes_at
    refusal = refused(lambda: services.extend_deadline(competition, old + shift, REASONS, manager))
    assert refusal.field == "closes_at" and "A deadline cannot be brought forward." in str(refusal)
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).closes_at == old and extensions() == []
    assert audit_events()[-1][0] == "competition.deadline_extension_refused"


def test_every_language_needs_a_reason(request_ctx, manager):
    competition = make_open_competition()
    with pytest.raises(InvalidChange) as invalid:
        services.extend_deadline(competition, competition.closes_at + timedelta(days=1),
                                 {"ru": REASONS["ru"], "kk": "  ", "en": "x" * 1001}, manager)
    db.session.rollback()
    assert set(invalid.value.errors) == {"reason_kk", "reason_en"}


def test_the_call_page_shows_the_extension_and_its_reason_in_the_visitors_language(client, request_ctx, manager):
    competition = make_open_competition()
    old = competition.closes_at
    services.extend_deadline(competition, minute(old + timedelta(days=7)), REASONS, manager)
    db.session.commit()
    html = client.get(f"/calls/{competition.id}").get_data(as_text=True)
    assert "The deadline was extended from" in html and REASONS["en"] in html
    html = client.get(f"/calls/{competition.id}", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert REASONS["ru"] in html


def test_a_manager_extends_the_deadline_from_the_edit_page(as_manager, manager, app_ctx):
    competition = make_open_competition()
    new = utc_to_almaty(minute(competition.closes_at)) + timedelta(days=3)
    html = as_manager.get(f"/manage/competitions/{competition.id}/edit").get_data(as_text=True)
    assert 'action="/manage/competitions/%d/deadline"' % competition.id in html
    response = as_manager.post(f"/manage/competitions/{competition.id}/deadline", data={
        "extension-closes_at": new.strftime("%Y-%m-%dT%H:%M"),
        **{f"extension-reason_{language}": text for language, text in REASONS.items()}})
    assert response.status_code == 302 and response.headers["Location"].endswith("#deadline")
    db.session.expire_all()
    assert utc_to_almaty(db.session.get(Competition, competition.id).closes_at) == new
    html = as_manager.get(f"/manage/competitions/{competition.id}/edit").get_data(as_text=True)
    assert REASONS["en"] in html


def test_shortening_from_the_page_shows_why_next_to_the_date_and_is_logged(as_manager, app_ctx):
    competition = make_open_competition()
    earlier = utc_to_almaty(competition.closes_at) - timedelta(days=1)
    response = as_manager.post(f"/manage/competitions/{competition.id}/deadline", data={
        "extension-closes_at": earlier.strftime("%Y-%m-%dT%H:%M"),
        **{f"extension-reason_{language}": text for language, text in REASONS.items()}})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A deadline cannot be brought forward." in html
    assert audit_events()[-1][0] == "competition.deadline_extension_refused"
    assert extensions() == []
