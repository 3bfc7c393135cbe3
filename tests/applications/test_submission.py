"""Submission and withdrawal: one transaction freezes the snapshot, numbers the application and
queues the receipt; a second click submits nothing more; the deadline holds to the second; the
database keeps one submitted application per IIN per call."""
import hashlib
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.applications import submission
from app.applications.models import Application, ApplicationEvent, ApplicationStatus
from app.applications.submission import SubmissionRefused, submit, withdraw
from app.competitions.models import Competition
from app.dbtypes import utcnow
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.applications import applicant, call, complete, count, en, other, reload  # noqa: F401
from tests.factories import make_application, make_open_competition, make_user
from tests.mail.helpers import outbox_for

S = ApplicationStatus


def refusal_of(application, actor, consent=True):
    with pytest.raises(SubmissionRefused) as refused:
        submit(application, actor, consent)
    db.session.rollback()
    return str(refused.value)


def counter(competition):
    return db.session.execute(
        sa.select(Competition.last_application_number).where(Competition.id == competition.id)).scalar_one()


# --- the happy path -------------------------------------------------------------------------

def test_submit_numbers_in_order_freezes_a_snapshot_and_mails_a_receipt(en, call, applicant, other):
    kazakh = make_user("kazakh@example.kz", locale="kk", phone="+77051234567")
    first = make_application(call, kazakh)
    second = make_application(call, other)

    submit(first, kazakh, consent=True)
    db.session.commit()
    submit(second, other, consent=True)
    db.session.commit()

    first, second = reload(first), reload(second)
    assert (first.number, second.number) == ("ZP25-0001", "ZP25-0002")
    assert counter(call) == 2
    assert first.status is S.SUBMITTED
    assert first.submitted_iin == first.iin
    assert first.submitted_at is not None and first.consent_at == first.submitted_at
    assert utcnow() - first.submitted_at < timedelta(seconds=5)

    [event] = first.events
    assert (event.status, event.actor_id) == (S.SUBMITTED, kazakh.id)

    mail, invitation = outbox_for("kazakh@example.kz")  # the receipt, then the survey invitation
    assert invitation.locale == "kk" and "/surveys/" in invitation.body_text
    assert mail.locale == "kk"
    assert "ZP25-0001" in mail.subject and "ZP25-0001" in mail.body_text
    assert f"/my/applications/{first.id}" in mail.body_text
    assert call.title_kk in mail.body_text
    assert outbox_for(other.email)[0].locale == "en"


def test_the_snapshot_holds_every_step_and_its_hash_is_over_the_canonical_json(en, call, complete):
    submit(complete, complete.applicant, consent=True)
    db.session.commit()
    application = reload(complete)
    snapshot = application.snapshot

    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert application.snapshot_sha256 == hashlib.sha256(canonical).hexdigest()

    assert snapshot["call"] == "ZP25"
    assert snapshot["number"] == "ZP25-0001"
    assert snapshot["submitted_at"] == application.submitted_at.isoformat() + "+00:00"
    assert snapshot["applicant"] == {
        "iin": application.iin, "last_name": "Нұрланова", "first_name": "Айгерим", "patronymic": "Серікқызы",
        "birth_date": "2000-05-17", "sex": "female", "phone": "+77011234567", "email": "aigerim@example.kz",
    }
    assert snapshot["registration"] == {"region": "ALA", "district": "ALA-ALMALY",
                                        "address": "ул. Толе би, 100, кв. 5"}
    assert snapshot["neet"]["not_working"] and snapshot["neet"]["not_studying"] and snapshot["neet"]["not_in_training"]
    assert snapshot["neet"]["social_categories"] == ["unemployed_registered"]
    assert snapshot["project"]["title"] == "Швейная мастерская для молодых мам"
    assert snapshot["project"]["beneficiaries_count"] == 120
    assert snapshot["budget"]["total"] == 510_000
    assert snapshot["budget"]["lines"][0] == {
        "position": 1, "item": "Швейная машина Janome", "quantity": 2, "unit_price": 180_000,
        "total": 360_000, "supplier": "ТОО «Шебер»"}
    assert snapshot["documents"] == [
        {"type": d.doc_type.value, "name": d.original_name, "sha256": d.sha256, "size": d.size}
        for d in application.documents]
    assert [d["type"] for d in snapshot["documents"]] == ["identity", "registration_proof", "neet_evidence"]


def test_the_snapshot_stays_what_was_submitted_when_the_row_changes_later(en, call, complete):
    submit(complete, complete.applicant, consent=True)
    db.session.commit()
    frozen = dict(reload(complete).snapshot)
    application = reload(complete)
    application.project_title = "Другое"
    db.session.commit()
    assert reload(complete).snapshot == frozen


# --- once only ------------------------------------------------------------------------------

def test_a_second_submit_returns_the_same_application_without_a_new_number_or_mail(en, call, complete):
    first = submit(complete, complete.applicant, consent=True)
    db.session.commit()
    again = submit(reload(complete), complete.applicant, consent=True)
    db.session.commit()

    assert again.id == first.id and reload(complete).number == "ZP25-0001"
    assert counter(call) == 1
    assert count(OutboxMessage) == 2  # the receipt and the survey invitation, once
    assert [e.status for e in reload(complete).events] == [S.SUBMITTED]


def test_a_second_tab_holding_the_draft_as_it_was_reads_the_row_again(app, en, call, complete):
    with app.app_context():  # the first tab: its own request and session
        submit(db.session.get(Application, complete.id), complete.applicant, consent=True)
        db.session.commit()
    assert complete.status is S.DRAFT  # what the second tab still has in memory

    result = submit(complete, complete.applicant, consent=True)
    db.session.commit()
    assert (result.status, result.number) == (S.SUBMITTED, "ZP25-0001")
    assert counter(call) == 1 and count(OutboxMessage) == 2  # the receipt and the survey invitation


def test_another_applicants_iin_already_submitted_is_refused(en, call, complete, other):
    submit(complete, complete.applicant, consent=True)
    db.session.commit()
    copy = make_application(call, other, iin=complete.iin)

    assert refusal_of(copy, other) == ("An application cannot be submitted with this IIN. If this is your IIN, "
                                       "contact the project office.")
    copy = reload(copy)
    assert (copy.status, copy.number, copy.submitted_iin) == (S.DRAFT, None, None)
    assert counter(call) == 1 and count(OutboxMessage) == 2  # the first one's receipt and survey invitation


def test_after_an_iin_refusal_the_transaction_goes_on(en, call, complete, other):
    """The refusal rolls back only its savepoint: the caller may still save other changes."""
    submit(complete, complete.applicant, consent=True)
    db.session.commit()
    copy = make_application(call, other, iin=complete.iin)
    with pytest.raises(SubmissionRefused):
        submit(copy, other, consent=True)
    copy.address = "ул. Абая, 1"
    db.session.commit()
    assert reload(copy).address == "ул. Абая, 1"
    assert reload(copy).submitted_iin is None


def test_the_database_refuses_a_second_submitted_application_with_the_same_iin(app_ctx, call, complete, other):
    complete.submitted_iin, complete.number, complete.submitted_at = complete.iin, "ZP25-0001", utcnow()
    db.session.commit()
    db.session.add(Application(
        competition=call, applicant=other, status=S.SUBMITTED, iin=complete.iin, submitted_iin=complete.iin,
        number="ZP25-0002", submitted_at=utcnow(), social_categories=[]))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_same_iin_may_be_submitted_in_another_competition(en, call, complete, other):
    submit(complete, complete.applicant, consent=True)
    db.session.commit()
    later = make_open_competition(code="ZP26")
    copy = make_application(later, other, iin=complete.iin)
    assert submit(copy, other, consent=True).number == "ZP26-0001"


# --- refusals -------------------------------------------------------------------------------

@pytest.mark.parametrize("seconds, accepted", [(-1, False), (1, True)])
def test_the_deadline_holds_to_the_second(en, call, complete, seconds, accepted):
    call.closes_at = utcnow() + timedelta(seconds=seconds)
    db.session.commit()
    if accepted:
        assert submit(complete, complete.applicant, consent=True).number == "ZP25-0001"
    else:
        assert refusal_of(complete, complete.applicant).startswith("The application period closed on ")
        assert reload(complete).status is S.DRAFT and counter(call) == 0


@pytest.mark.parametrize("offset, accepted", [
    (timedelta(microseconds=-1), True), (timedelta(0), False), (timedelta(seconds=1), False)])
def test_the_deadline_is_exclusive_by_the_servers_clock(en, call, complete, monkeypatch, offset, accepted):
    """Whatever the browser says: the server's clock against closes_at, closes_at itself refused."""
    monkeypatch.setattr(submission, "utcnow", lambda: call.closes_at + offset)
    if accepted:
        assert submit(complete, complete.applicant, consent=True).status is S.SUBMITTED
    else:
        assert refusal_of(complete, complete.applicant).startswith("The application period closed on ")
        assert counter(call) == 0


def test_the_closing_time_is_told_in_almaty_time(en, call, complete):
    call.opens_at = utcnow() - timedelta(days=30)
    call.closes_at = call.opens_at.replace(hour=13, minute=0, second=0, microsecond=0) + timedelta(days=5)
    db.session.commit()
    assert refusal_of(complete, complete.applicant).endswith(", 18:00 (Almaty time).")


def test_a_call_not_open_yet_refuses(en, call, complete):
    call.opens_at = utcnow() + timedelta(hours=1)
    db.session.commit()
    assert refusal_of(complete, complete.applicant).startswith("Applications can be submitted from ")


def test_without_consent_nothing_is_submitted(en, call, complete):
    assert "agree" in refusal_of(complete, complete.applicant, consent=False)
    application = reload(complete)
    assert (application.status, application.number, application.consent_at) == (S.DRAFT, None, None)
    assert counter(call) == 0 and count(OutboxMessage) == 0


def test_an_incomplete_application_is_refused_with_what_is_missing(en, call, applicant):
    application = make_application(call, applicant, documents=False, project_title=None)
    with pytest.raises(SubmissionRefused) as refused:
        submit(application, applicant, consent=True)
    db.session.rollback()
    steps = {step for step, _message in refused.value.problems}
    assert steps == {4, 6}
    message = str(refused.value)
    assert message.startswith("The application is not complete yet: ")
    assert "Give your project a title." in message
    assert reload(application).status is S.DRAFT and counter(call) == 0


def test_only_the_applicant_submits(en, call, complete, other):
    assert refusal_of(complete, other) == "Only the applicant can submit this application."


def test_a_withdrawn_application_is_not_submitted_again(en, call, complete):
    submit(complete, complete.applicant, consent=True)
    withdraw(complete, complete.applicant)
    db.session.commit()
    assert "withdrawn" in refusal_of(reload(complete), complete.applicant)


# --- withdrawal -----------------------------------------------------------------------------

def test_withdraw_releases_the_iin_so_the_person_can_apply_again(en, call, complete):
    person = complete.applicant
    submit(complete, person, consent=True)
    db.session.commit()

    withdraw(reload(complete), person, "  Нашла работу.  ")
    db.session.commit()
    withdrawn = reload(complete)
    assert withdrawn.status is S.WITHDRAWN
    assert withdrawn.submitted_iin is None
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.number == "ZP25-0001"  # the number is never given again
    assert (withdrawn.events[-1].status, withdrawn.events[-1].message) == (S.WITHDRAWN, "Нашла работу.")
    mail = outbox_for(person.email)[-1]
    assert "ZP25-0001" in mail.subject and "withdrawn" in mail.subject

    again = make_application(call, person, iin=complete.iin)
    assert submit(again, person, consent=True).number == "ZP25-0002"
    db.session.commit()


@pytest.mark.parametrize("status", [S.SUBMITTED, S.CORRECTION_REQUESTED, S.ELIGIBLE])
def test_withdraw_is_allowed_until_the_draw(en, call, complete, status):
    submit(complete, complete.applicant, consent=True)
    complete.status = status
    db.session.commit()
    assert submission.can_withdraw(complete, complete.applicant)
    assert withdraw(complete, complete.applicant).status is S.WITHDRAWN


@pytest.mark.parametrize("status", [S.DRAFT, S.REJECTED, S.APPEALED, S.WINNER, S.RESERVE, S.NOT_SELECTED,
                                    S.WITHDRAWN])
def test_withdraw_is_refused_from_a_draft_and_after_the_draw(en, call, complete, status):
    complete.status = status
    db.session.commit()
    assert not submission.can_withdraw(complete, complete.applicant)
    with pytest.raises(SubmissionRefused):
        withdraw(complete, complete.applicant)
    db.session.rollback()
    assert reload(complete).status is status
    assert count(ApplicationEvent) == 0


def test_only_the_applicant_withdraws(en, call, complete, other):
    submit(complete, complete.applicant, consent=True)
    db.session.commit()
    assert not submission.can_withdraw(complete, other)
    with pytest.raises(SubmissionRefused):
        withdraw(complete, other)
