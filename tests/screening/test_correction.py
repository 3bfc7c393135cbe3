"""The correction round trip: the screener asks for a correction of some steps with a deadline;
the applicant sees the request, may change only those steps until the deadline, and submits
again; the application comes back to the queue as submitted, with its number and a new snapshot."""
from datetime import timedelta

import pytest

from app.applications.drafting import edit_refusal, save_identity, save_neet
from app.applications.documents import add_document
from app.applications.models import ApplicationStatus
from app.applications.submission import SubmissionRefused, resubmit, submit
from app.competitions.models import DocumentType
from app.dbtypes import utcnow
from app.errors import Refused
from app.extensions import db
from app.screening.decisions import correction_request, decide_eligible, request_correction
from app.screening.models import ScreeningDecision
from app.screening.queue import QueueFilters, queue
from tests.applications import PNG, en, reload  # noqa: F401
from tests.conftest import login
from tests.factories import upload
from tests.mail.helpers import outbox_for
from tests.screening import call, person, screener  # noqa: F401
from tests.screening.helpers import review_all

S = ApplicationStatus


@pytest.fixture
def application(call):
    return person(call, 1)


@pytest.fixture
def asked(en, application, screener):
    """A correction of the NEET step and the documents asked for, due in three days."""
    request_correction(application, screener, application.state_version,
                                "Загрузите справку из центра занятости.", [3, 6], utcnow() + timedelta(days=3))
    db.session.commit()
    return reload(application)


@pytest.fixture
def as_applicant(client, application):
    login(client, application.applicant.email)
    return client


def expire(application):
    decision = correction_request(application)
    decision.correction_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()


# --- the rules ----------------------------------------------------------------------------------

def test_only_the_steps_asked_for_can_be_changed(asked):
    assert edit_refusal(asked, 3) is None
    assert edit_refusal(asked, 6) is None
    assert edit_refusal(asked, 1) == (
        "The project office asked you to correct only: NEET status; Documents. "
        "This part of the application cannot be changed.")
    with pytest.raises(Refused):
        save_identity(asked, {"iin": asked.iin, "last_name": "Другая"}, asked.applicant)
    db.session.rollback()
    save_neet(asked, {"not_working": True, "not_studying": True, "not_in_training": True,
                               "situation": "Зарегистрирована в центре занятости."}, asked.applicant)
    db.session.commit()
    assert reload(asked).situation == "Зарегистрирована в центре занятости."


def test_the_correction_is_allowed_after_the_call_closed(asked, call):
    call.opens_at, call.closes_at = utcnow() - timedelta(days=20), utcnow() - timedelta(days=1)
    db.session.commit()
    assert edit_refusal(reload(asked), 6) is None


def test_nothing_can_be_changed_after_the_deadline(asked):
    expire(asked)
    assert "The deadline for the correction was" in edit_refusal(asked, 6)


def test_resubmission_keeps_the_number_freezes_a_new_snapshot_and_returns_to_the_queue(asked, screener):
    number, first_submitted, first_sha = asked.number, asked.submitted_at, asked.snapshot_sha256
    add_document(asked, DocumentType.NEET_EVIDENCE, upload(PNG, "spravka.png", "image/png"),
                          asked.applicant)
    db.session.commit()
    submit(asked, asked.applicant, consent=True)
    db.session.commit()

    application = reload(asked)
    assert application.status is S.SUBMITTED
    assert application.number == number and application.submitted_at == first_submitted
    assert application.snapshot_sha256 != first_sha
    assert application.snapshot["resubmitted_at"]
    assert "spravka.png" in [d["name"] for d in application.snapshot["documents"]]
    assert [e.status for e in application.events] == [S.SUBMITTED, S.CORRECTION_REQUESTED, S.SUBMITTED]
    # receipt, survey invitation, correction request, new receipt (no second invitation)
    assert len(outbox_for(application.applicant.email)) == 4
    # back in the queue, to be decided again
    page = queue(application.competition, QueueFilters(status=S.SUBMITTED), screener)
    assert [row.application.id for row in page.rows] == [application.id]
    review_all(application, screener)  # the reviews before the correction no longer count
    decide_eligible(application, screener, application.state_version)
    db.session.commit()
    assert reload(application).status is S.ELIGIBLE


def test_resubmission_twice_sends_once(asked):
    resubmit(asked, asked.applicant)
    db.session.commit()
    resubmit(asked, asked.applicant)
    submit(asked, asked.applicant, consent=True)
    db.session.commit()
    assert [e.status for e in reload(asked).events].count(S.SUBMITTED) == 2


def test_resubmission_after_the_deadline_is_refused(asked):
    expire(asked)
    with pytest.raises(SubmissionRefused) as refused:
        resubmit(asked, asked.applicant)
    db.session.rollback()
    assert "The deadline for the correction was" in str(refused.value)
    assert reload(asked).status is S.CORRECTION_REQUESTED


def test_resubmission_needs_consent_and_the_applicant(asked, screener):
    with pytest.raises(SubmissionRefused):
        submit(asked, asked.applicant, consent=False)
    db.session.rollback()
    with pytest.raises(SubmissionRefused):
        resubmit(asked, screener)
    db.session.rollback()
    assert reload(asked).status is S.CORRECTION_REQUESTED


def test_an_application_not_asked_to_correct_is_not_resubmitted(en, application):
    application.status = S.ELIGIBLE
    db.session.commit()
    with pytest.raises(SubmissionRefused) as refused:
        resubmit(application, application.applicant)
    assert str(refused.value) == "This application is not waiting for a correction."


# --- through the pages ----------------------------------------------------------------------------

def test_applicant_sees_the_request_edits_what_was_asked_and_submits_again(asked, as_applicant):
    page = as_applicant.get(f"/my/applications/{asked.id}").get_data(as_text=True)
    assert "The project office asks you to correct your application" in page
    assert "Загрузите справку из центра занятости." in page
    assert "NEET status" in page and "Deadline:" in page

    refused = as_applicant.get(f"/applications/{asked.id}/step/1", follow_redirects=True)
    assert "The project office asked you to correct only: NEET status; Documents." in refused.get_data(as_text=True)
    assert as_applicant.get(f"/applications/{asked.id}/step/3").status_code == 200
    assert as_applicant.get(f"/applications/{asked.id}/step/6").status_code == 200

    response = as_applicant.post(f"/applications/{asked.id}/documents/new/neet_evidence",
                                 data={"doc-neet_evidence-file": (upload(PNG, "spravka.png", "image/png").stream,
                                                                  "spravka.png")},
                                 content_type="multipart/form-data")
    assert response.status_code == 302

    review = as_applicant.get(f"/applications/{asked.id}/review").get_data(as_text=True)
    assert 'aria-label="Edit: NEET status"' in review and 'aria-label="Edit: Documents"' in review
    assert 'aria-label="Edit: About you"' not in review
    response = as_applicant.post(f"/applications/{asked.id}/submit", data={"consent": "y"})
    assert response.status_code == 302
    application = reload(asked)
    assert application.status is S.SUBMITTED
    assert len(application.documents) == 4


def test_document_of_a_step_not_asked_for_cannot_be_deleted(en, application, screener, client):
    request_correction(application, screener, application.state_version, "Исправьте адрес", [2],
                                utcnow() + timedelta(days=3))
    db.session.commit()
    login(client, application.applicant.email)
    document = application.documents[0]
    response = client.post(f"/applications/{application.id}/documents/{document.id}/delete",
                           follow_redirects=True)
    assert "The project office asked you to correct only: Registration address." in response.get_data(as_text=True)
    assert len(reload(application).documents) == 3


def test_queue_shows_the_resubmitted_application_as_submitted(asked, client, screener):
    resubmit(asked, asked.applicant)
    db.session.commit()
    login(client, screener.email)
    html = client.get(f"/manage/screening/{asked.competition_id}/?status=submitted").get_data(as_text=True)
    assert asked.number in html
    screen = client.get(f"/manage/screening/application/{asked.id}").get_data(as_text=True)
    assert "Corrected and submitted again." in screen
    assert db.session.query(ScreeningDecision).count() == 1
