"""A grant's contract: issued as a PDF in Kazakh and Russian (parties, amount in figures and
words, obligations), versioned with its SHA-256; signed by scan (e-signature files:
test_signatures.py): the grantee uploads, staff confirm, the director countersigns and the grant
becomes active; each refusal says why."""
import hashlib
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.contracts import contracts
from app.contracts.models import GrantEventKind, GrantStatus
from app.contracts.signatures import SignatureRefused
from app.extensions import db
from app.kz.money import amount_in_words
from tests.conftest import login
from tests.contracts.test_grants import all_grants, audit_events
from tests.factories import make_user, upload
from tests.files import pdf, picture
from tests.lottery.test_lifecycle import published_draw


@pytest.fixture
def grant(manager):
    published_draw(manager)
    return all_grants()[0]


@pytest.fixture
def issued(grant, manager):
    contract = contracts.issue(grant, manager)
    db.session.commit()
    return contract


def client_of(app, user):
    """A client of its own, logged in as `user`."""
    client = app.test_client()
    login(client, user.email)
    return client


def text_of(data):
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def scan(kind="pdf"):
    if kind == "pdf":
        return upload(pdf("Signed"), "signed.pdf")
    return upload(picture(kind), f"signed.{kind}", f"image/{kind}")


# --- issuing --------------------------------------------------------------------------------

def test_the_issued_contract_names_the_grantee_and_the_amount_in_words_in_kazakh_and_russian(issued, grant):
    application = grant.application
    text = text_of(issued.pdf)
    assert application.last_name in text and application.first_name in text and application.iin in text
    assert " ".join(amount_in_words(grant.amount, "kk").split()) in text
    assert " ".join(amount_in_words(grant.amount, "ru").split()) in text
    assert "Грант алушы" in text and "ЖСН" in text and "қолма-қол" in text  # Kazakh letters
    assert "Грантополучатель" in text and "наличными" in text
    assert grant.number in text and "________________" in text  # organisation details not given: blanks
    assert issued.sha256 == hashlib.sha256(issued.pdf).hexdigest()
    assert issued.signing_deadline - issued.issued_at == timedelta(days=grant.competition.contract_signing_days)
    assert grant.events[-1].kind is GrantEventKind.CONTRACT_ISSUED
    assert audit_events("contract.") == ["contract.issued"]


def test_reissuing_makes_version_two_and_supersedes_version_one(issued, grant, manager):
    second = contracts.issue(grant, manager)
    db.session.commit()
    assert (issued.version, second.version) == (1, 2)
    assert issued.superseded_at is not None and second.superseded_at is None
    assert contracts.current_contract(grant) is second
    assert audit_events("contract.") == ["contract.issued", "contract.issued"]


def test_the_grantee_and_staff_download_the_current_version_and_nobody_else(app, client, issued, grant, manager):
    login(client, grant.application.applicant.email)
    page = client.get(f"/my/grants/{grant.id}").get_data(as_text=True)
    assert f"/my/grants/{grant.id}/contract.pdf" in page
    response = client.get(f"/my/grants/{grant.id}/contract.pdf")
    assert response.status_code == 200 and response.data == issued.pdf
    other = next(g for g in all_grants() if g.id != grant.id)
    assert client.get(f"/my/grants/{other.id}/contract.pdf").status_code == 404
    assert client.get(f"/manage/grants/{grant.id}/contract.pdf").status_code == 403
    assert client_of(app, manager).get(f"/manage/grants/{grant.id}/contract.pdf").data == issued.pdf


def test_staff_issue_through_the_page(client, grant):
    staff = make_user("staff@example.kz", roles=(Role.STAFF,))
    login(client, staff.email)
    assert client.post(f"/manage/grants/{grant.id}/contract").status_code == 302
    page = client.get(f"/manage/grants/{grant.id}").get_data(as_text=True)
    assert contracts.current_contract(grant).sha256 in page


# --- signing by scan ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["pdf", "jpeg", "png"])
def test_scan_confirmation_and_countersignature_make_the_grant_active(issued, grant, manager, kind):
    grantee = grant.application.applicant
    contracts.upload_signature(grant, 1, scan(kind), grantee)
    contracts.confirm(grant, manager)
    contracts.countersign(grant, manager)
    db.session.commit()
    assert grant.status is GrantStatus.ACTIVE
    assert issued.signature_sha256 and issued.confirmed_by_id == manager.id and issued.countersigned_by_id == manager.id
    assert issued.countersigned_at >= issued.confirmed_at >= issued.signature_uploaded_at
    assert [e.kind for e in grant.events[-3:]] == [
        GrantEventKind.SCAN_UPLOADED, GrantEventKind.SIGNATURE_CONFIRMED, GrantEventKind.COUNTERSIGNED]
    assert audit_events("contract.")[-3:] == ["contract.signature_uploaded", "contract.confirmed", "contract.countersigned"]


def test_a_file_that_is_neither_a_scan_nor_an_e_signature_is_refused(issued, grant):
    with pytest.raises(SignatureRefused) as refused:
        contracts.upload_signature(grant, 1, upload(b"<html>hi</html>", "signed.pdf"), grant.application.applicant)
    assert "neither a scan or photo of the signed contract" in str(refused.value)


def test_countersigning_before_confirmation_is_refused(issued, grant, manager):
    contracts.upload_signature(grant, 1, scan(), grant.application.applicant)
    with pytest.raises(contracts.ContractRefused) as refused:
        contracts.countersign(grant, manager)
    assert "must be confirmed" in str(refused.value)
    assert grant.status is GrantStatus.CONTRACTING


def test_confirming_without_a_scan_is_refused(issued, grant, manager):
    with pytest.raises(contracts.ContractRefused) as refused:
        contracts.confirm(grant, manager)
    assert "not uploaded" in str(refused.value)


def test_a_scan_of_a_superseded_version_is_refused(issued, grant, manager):
    contracts.issue(grant, manager)
    db.session.commit()
    with pytest.raises(contracts.ContractRefused) as refused:
        contracts.upload_signature(grant, 1, scan(), grant.application.applicant)
    assert "replaced by version 2" in str(refused.value)


def test_a_scan_after_the_deadline_is_refused(issued, grant):
    issued.signing_deadline = issued.issued_at - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(contracts.ContractRefused) as refused:
        contracts.upload_signature(grant, 1, scan(), grant.application.applicant)
    assert "deadline" in str(refused.value)


def test_the_pages_sign_confirm_and_countersign_with_the_right_roles(app, client, issued, grant, manager):
    grantee = grant.application.applicant
    login(client, grantee.email)
    other = next(g for g in all_grants() if g.id != grant.id)
    data = {"version": "1", "file": (io.BytesIO(pdf("Signed")), "signed.pdf", "application/pdf")}
    assert client.post(f"/my/grants/{other.id}/contract/signature", data=data,
                       content_type="multipart/form-data").status_code == 404
    data = {"version": "1", "file": (io.BytesIO(pdf("Signed")), "signed.pdf", "application/pdf")}
    assert client.post(f"/my/grants/{grant.id}/contract/signature", data=data,
                       content_type="multipart/form-data").status_code == 302
    assert client.post(f"/manage/grants/{grant.id}/contract/confirm").status_code == 403

    staff = make_user("staff@example.kz", roles=(Role.STAFF,))
    client = client_of(app, staff)
    response = client.post(f"/manage/grants/{grant.id}/contract/countersign")
    assert response.status_code == 403  # staff confirm; only the director countersigns
    assert client.get(f"/manage/grants/{grant.id}/contract/signature").status_code == 200
    assert client.post(f"/manage/grants/{grant.id}/contract/confirm").status_code == 302

    client = client_of(app, manager)
    assert client.post(f"/manage/grants/{grant.id}/contract/countersign").status_code == 302
    db.session.expire_all()
    assert grant.status is GrantStatus.ACTIVE
    page = client.get(f"/manage/grants/{grant.id}").get_data(as_text=True)
    assert staff.email in page and manager.email in page


def test_a_refused_upload_says_why_on_the_grantees_page(client, issued, grant, manager):
    contracts.issue(grant, manager)
    db.session.commit()
    login(client, grant.application.applicant.email)
    data = {"version": "1", "file": (io.BytesIO(pdf("Signed")), "signed.pdf", "application/pdf")}
    response = client.post(f"/my/grants/{grant.id}/contract/signature", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and "replaced by version 2" in response.get_data(as_text=True)


def test_refused_countersignature_says_why_on_the_page(client, issued, grant, manager):
    login(client, manager.email)
    response = client.post(f"/manage/grants/{grant.id}/contract/countersign")
    assert response.status_code == 422 and "must be confirmed" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.seq)).where(
        AuditEntry.event == "contract.countersigned")) == 0
