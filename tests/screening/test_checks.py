"""The screen of one application: the submitted snapshot beside the documents (shown inline
through a staff route), the automatic checks with their evidence, duplicates linking to the
other application, and the screener's confirmation or override of each check."""
from datetime import date

import pytest
import sqlalchemy as sa

from app import storage
from app.applications.models import Application, ApplicationDocument, ApplicationStatus
from app.audit.services import verify
from app.competitions.models import DocumentType
from app.competitions.services import reference_date
from app.errors import InvalidChange, Refused
from app.extensions import db
from app.kz.iin import age_on
from app.screening import duplicates
from app.screening.checks import checks_of, review_check
from app.screening.decisions import decide_eligible
from app.screening.models import CheckReview
from tests.applications import PNG, assert_no_inline_code, en, reload  # noqa: F401
from tests.conftest import login
from tests.factories import make_application, make_user, upload
from tests.screening import as_screener, audit_events, call, counting_queries, person, screener  # noqa: F401
from tests.screening.helpers import review_all

S = ApplicationStatus


@pytest.fixture
def application(call):
    return person(call, 1)


def by_code(application):
    return {reviewed.code: reviewed for reviewed in checks_of(application)}


# --- automatic checks -----------------------------------------------------------------------------

def test_every_check_passes_for_a_clean_application_with_its_evidence(en, application):
    checks = by_code(application)
    assert list(checks) == ["iin", "age", "region", "documents", "budget", "duplicates"]
    assert all(reviewed.check.ok for reviewed in checks.values())
    assert checks["iin"].check.evidence["iin"] == application.iin
    assert checks["age"].check.evidence["birth_date"] == application.birth_date.isoformat()
    on = reference_date(application.competition)
    assert checks["age"].check.evidence["age"] == age_on(application.birth_date, on)
    assert checks["region"].check.evidence["strata"] == ["ALA", "MAN"]
    assert checks["documents"].check.evidence["missing"] == []
    assert checks["budget"].check.evidence == {"total": 510_000, "cap": 1_000_000}
    assert checks["duplicates"].check.evidence == {"matches": []}


def test_failing_checks_say_why(en, call):
    application = person(call, 2, birth=date(1980, 1, 1), region_code="AST", district_code=None)
    for document in list(application.documents):  # as if lost since: the check reads the live row
        if document.doc_type.value != "identity":
            application.documents.remove(document)
    db.session.commit()
    checks = by_code(application)
    assert checks["age"].check.ok is False and "aged 18 to 35" in checks["age"].check.message
    assert checks["region"].check.ok is False
    assert checks["documents"].check.ok is False
    assert checks["documents"].check.evidence["missing"] == ["registration_proof", "neet_evidence"]


def test_duplicates_by_phone_email_and_name_with_birth_date_link_both_ways(en, call):
    first = person(call, 1)
    same_phone = person(call, 2, phone=first.phone)
    same_person = person(call, 3, last_name=first.last_name, first_name=first.first_name.upper(),
                         birth=first.birth_date)
    found = duplicates.find([first, same_phone, same_person])
    assert {(d.kind, d.other_number) for d in found[first.id]} == {
        ("phone", same_phone.number), ("name_birth", same_person.number)}
    assert [(d.kind, d.other_id) for d in found[same_phone.id]] == [("phone", first.id)]
    assert [(d.kind, d.other_id) for d in found[same_person.id]] == [("name_birth", first.id)]


def test_same_account_and_same_iin_are_duplicates_but_withdrawn_and_drafts_are_not(en, call):
    first = person(call, 1)
    # As an import or a fault could leave it: the constraint keeps one submitted IIN per call.
    again = make_application(call, first.applicant, iin=first.iin, phone="+77770000000", birth=date(1990, 1, 1))
    with db.session.no_autoflush:
        again.status, again.number, again.submitted_at = S.SUBMITTED, "ZP25-0099", first.submitted_at
    db.session.commit()
    kinds = {d.kind for d in duplicates.find([first])[first.id]}
    assert kinds == {"iin", "email"}
    again.status = S.WITHDRAWN
    db.session.commit()
    make_application(call, make_user("drafter@example.kz"), phone=first.phone)  # a draft
    assert duplicates.find([first])[first.id] == []


def test_duplicates_are_found_in_one_query_for_many_applications(en, call):
    for n in range(1, 8):
        person(call, n, phone="+77010000001")
    applications = db.session.execute(sa.select(Application)).scalars().all()
    with counting_queries() as statements:
        found = duplicates.find(applications)
    assert len(statements) == 1
    assert all(len(found[a.id]) == 6 for a in applications)


# --- the screener's review ------------------------------------------------------------------------

def test_confirming_a_check_is_recorded_and_audited(en, application, screener):
    review_check(application, screener, application.state_version, "iin", True)
    db.session.commit()
    reviewed = by_code(application)["iin"]
    assert reviewed.review.passes is True and reviewed.review.automatic_ok is True
    assert not reviewed.overridden
    event, data = audit_events()[-1]
    assert event == "screening.check_confirmed" and data["code"] == "iin" and data["actor"] == screener.id


def test_override_needs_a_comment(en, application, screener):
    with pytest.raises(InvalidChange) as invalid:
        review_check(application, screener, application.state_version, "documents", False, "  ")
    db.session.rollback()
    assert "comment" in invalid.value.errors
    assert db.session.query(CheckReview).count() == 0

    review_check(application, screener, application.state_version, "documents", False,
                          "Справка NEET просрочена: выдана в 2021 году.")
    db.session.commit()
    reviewed = by_code(application)["documents"]
    assert reviewed.overridden and reviewed.review.comment.startswith("Справка NEET")
    assert audit_events()[-1][0] == "screening.check_overridden"
    assert verify() is None


def test_second_review_replaces_the_first(en, application, screener):
    review_check(application, screener, application.state_version, "age", False, "Паспорт не совпадает")
    review_check(application, screener, application.state_version, "age", True)
    db.session.commit()
    assert db.session.query(CheckReview).count() == 1
    assert by_code(application)["age"].review.passes is True
    assert [e for e, _d in audit_events()] == ["screening.check_overridden", "screening.check_confirmed"]


def test_review_on_a_stale_page_or_after_the_decision_is_refused(en, application, screener):
    review_all(application, screener)
    shown = application.state_version
    decide_eligible(application, screener, shown)
    db.session.commit()
    with pytest.raises(Refused):
        review_check(application, screener, shown, "iin", True)
    db.session.rollback()
    with pytest.raises(Refused) as refused:
        review_check(application, screener, reload(application).state_version, "iin", True)
    db.session.rollback()
    assert "can no longer be changed" in str(refused.value)


def test_unknown_check_is_refused(en, application, screener):
    with pytest.raises(InvalidChange):
        review_check(application, screener, application.state_version, "horoscope", True)


# --- the page ------------------------------------------------------------------------------------

def test_screen_shows_the_snapshot_documents_checks_and_decision_forms(as_screener, call):
    first = person(call, 1)
    other = person(call, 2, phone=first.phone)
    response = as_screener.get(f"/manage/screening/application/{first.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert first.iin in html and first.snapshot_sha256 in html
    for document in first.documents:
        assert f'<iframe src="/manage/screening/application/{first.id}/documents/{document.id}"' in html
    assert f'href="/manage/screening/application/{other.id}"' in html  # the duplicate, linked
    assert "Possible duplicates" in html and "same phone" in html
    assert "Decide: eligible" in html and "Decide: rejected" in html and "Ask for a correction" in html
    assert f'id="version" name="version" type="hidden" value="{first.state_version}"' in html
    assert_no_inline_code(html)


def test_images_are_shown_as_images(as_screener, application):
    stored = storage.save_upload(upload(PNG, "id.png", "image/png"), allowed=("pdf", "png"))
    application.documents.append(ApplicationDocument(
        doc_type=DocumentType.OTHER, stored_name=stored.stored_name, original_name=stored.original_name,
        kind=stored.kind, sha256=stored.sha256, size=stored.size))
    db.session.commit()
    document = application.documents[-1]
    html = as_screener.get(f"/manage/screening/application/{application.id}").get_data(as_text=True)
    assert f'<img src="/manage/screening/application/{application.id}/documents/{document.id}"' in html
    response = as_screener.get(f"/manage/screening/application/{application.id}/documents/{document.id}")
    assert response.mimetype == "image/png" and response.data == PNG


def test_check_review_through_the_page(as_screener, application):
    url = f"/manage/screening/application/{application.id}/checks"
    response = as_screener.post(url, data={"check-budget-version": application.state_version,
                                           "check-budget-verdict": "fail", "check-budget-comment": ""})
    assert response.status_code == 200
    assert "Write in the comment why the check gives a different result" in response.get_data(as_text=True)
    response = as_screener.post(url, data={"check-budget-version": application.state_version,
                                           "check-budget-verdict": "fail",
                                           "check-budget-comment": "Цены завышены вдвое."})
    assert response.status_code == 302 and response.headers["Location"].endswith("#decision-heading")
    html = as_screener.get(f"/manage/screening/application/{application.id}").get_data(as_text=True)
    assert "Overridden by screener@example.kz" in html and "Цены завышены вдвое." in html


def test_a_draft_has_no_screen(as_screener, call):
    draft = make_application(call, make_user("drafter@example.kz"))
    assert as_screener.get(f"/manage/screening/application/{draft.id}").status_code == 404


# --- documents inline -------------------------------------------------------------------------------

def test_document_is_served_inline_sandboxed_and_audited(as_screener, application):
    document = application.documents[0]
    response = as_screener.get(f"/manage/screening/application/{application.id}/documents/{document.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in response.headers["Cache-Control"]
    event, data = audit_events()[-1]
    assert event == "screening.document_viewed" and data["document"] == document.id


def test_document_of_another_application_is_404(as_screener, call, application):
    other = person(call, 2)
    document = other.documents[0]
    url = f"/manage/screening/application/{application.id}/documents/{document.id}"
    assert as_screener.get(url).status_code == 404


def test_applicant_cannot_view_their_document_through_the_staff_route(client, application):
    login(client, application.applicant.email)
    document = application.documents[0]
    url = f"/manage/screening/application/{application.id}/documents/{document.id}"
    assert client.get(url).status_code == 403
