"""Signing the contract with an EDS: the grantee uploads the e-signature file (CMS) that eGov or
NCALayer made over the issued PDF (detached or with the PDF inside, DER or base64). It must be over
the version in force, verify with its certificate's key and carry the grantee's IIN; the chain is
checked against the NCA roots when a folder of them is set up. Every refusal says why and stays on
record; the staff see the signer, the IIN check and the chain's outcome."""
import base64
import hashlib
import io
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from asn1crypto import algos, cms
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from app.audit.models import AuditEntry
from app.contracts import contracts
from app.contracts.models import ChainOutcome, GrantEventKind, SignatureKind
from app.contracts.signatures import SignatureRefused
from app.demo.certificates import DemoAuthority, cms as make_cms, demo_authority, demo_root_pem, signed_cms
from app.errors import settle
from app.extensions import db
from app.storage import UploadError, open_stored
from tests.conftest import login
from tests.contracts.test_contracts import client_of, grant, issued, scan  # noqa: F401 (fixtures)
from tests.contracts.test_grants import audit_events
from tests.factories import upload
from tests.files import pdf

OTHER_IIN = "850203400125"


def full_name(grant):
    return f"{grant.application.last_name} {grant.application.first_name}"


def by_grantee(grant, data, **options):
    """The grantee's e-signature over `data`, by a certificate of the demo authority."""
    if not options:
        return signed_cms(data, full_name(grant), grant.application.iin)
    key, certificate = demo_authority().person(full_name(grant), grant.application.iin)
    return make_cms(data, key, certificate, **options)


def cms_file(data, name="contract.pdf.cms"):
    return upload(data, name, "application/octet-stream")


def sign(grant, data, version=1):
    return contracts.upload_signature(grant, version, cms_file(data), grant.application.applicant)


def refused(grant, data, version=1):
    """The refusal of the upload, settled as a view settles it (the attempt stays on record)."""
    with pytest.raises(SignatureRefused) as caught:
        sign(grant, data, version)
    settle(caught.value)
    return caught.value


def last_audit(event):
    return db.session.execute(sa.select(AuditEntry).where(AuditEntry.event == event)
                              .order_by(AuditEntry.seq.desc())).scalars().first()


@pytest.fixture
def roots(app, tmp_path, monkeypatch):
    """A folder of NCA roots holding the demo authority's root."""
    (tmp_path / "root.pem").write_bytes(demo_root_pem())
    monkeypatch.setitem(app.config, "NCA_ROOTS_DIR", str(tmp_path))
    return tmp_path


# --- accepted -------------------------------------------------------------------------------

def test_a_detached_e_signature_over_the_issued_pdf_is_kept_as_is_with_the_signer_read(issued, grant):
    data = by_grantee(grant, issued.pdf)
    contract = sign(grant, data)
    db.session.commit()
    assert contract.signature_kind is SignatureKind.CMS
    assert (contract.signer_name, contract.signer_iin) == (full_name(grant), grant.application.iin)
    assert contract.signed_by_grantee is True
    assert contract.chain_outcome is ChainOutcome.NOT_CONFIGURED and contract.chain_detail is None
    assert abs(contract.signed_at - datetime.now(timezone.utc).replace(tzinfo=None)) < timedelta(minutes=5)
    assert contract.signature_sha256 == hashlib.sha256(data).hexdigest()
    with open_stored(contract.signature_stored_name) as stored:
        assert stored.read() == data
    event = grant.events[-1]
    assert event.kind is GrantEventKind.CMS_UPLOADED
    assert event.data == {"version": 1, "kind": "cms", "sha256": contract.signature_sha256,
                          "signer_name": full_name(grant), "chain": "not_configured"}  # no IIN on the timeline
    entry = last_audit("contract.signature_uploaded")
    assert entry.data["signer_iin"] == grant.application.iin and entry.data["kind"] == "cms"
    assert entry.data["chain"] == "not_configured" and entry.data["digest"] == "sha256"


@pytest.mark.parametrize("form", ["attached DER", "detached base64", "attached base64 lines", "detached PEM"])
def test_attached_and_text_forms_are_read(issued, grant, form):
    der = by_grantee(grant, issued.pdf, detached=form.startswith("detached"))
    text = base64.b64encode(der)
    data = {"attached DER": der, "detached base64": text,
            "attached base64 lines": base64.encodebytes(der),
            "detached PEM": b"-----BEGIN CMS-----\r\n" + base64.encodebytes(der) + b"-----END CMS-----\r\n"}[form]
    contract = sign(grant, data)
    assert contract.signature_kind is SignatureKind.CMS and contract.signer_iin == grant.application.iin
    assert contract.signature_sha256 == hashlib.sha256(data).hexdigest()  # the file as uploaded


@pytest.mark.parametrize("algorithm", [hashes.SHA384(), hashes.SHA512()], ids=["SHA-384", "SHA-512"])
def test_other_sha_digests_are_checked(issued, grant, algorithm):
    contract = sign(grant, by_grantee(grant, issued.pdf, algorithm=algorithm))
    assert contract.signature_kind is SignatureKind.CMS
    assert last_audit("contract.signature_uploaded").data["digest"] == algorithm.name


def test_an_ecdsa_e_signature_is_checked(issued, grant):
    key, certificate = demo_authority().person(full_name(grant), grant.application.iin,
                                               key=ec.generate_private_key(ec.SECP256R1()))
    assert sign(grant, make_cms(issued.pdf, key, certificate)).signer_iin == grant.application.iin
    changed = make_cms(pdf("Another"), key, certificate)
    assert "over another file" in str(refused(grant, changed))


def test_a_scan_replaces_an_e_signature_and_clears_the_signer(issued, grant):
    sign(grant, by_grantee(grant, issued.pdf))
    contract = contracts.upload_signature(grant, 1, scan("png"), grant.application.applicant)
    db.session.commit()
    assert contract.signature_kind is SignatureKind.SCAN
    assert contract.signer_name is contract.signer_iin is contract.chain_outcome is contract.signed_at is None
    assert grant.events[-1].kind is GrantEventKind.SCAN_UPLOADED


def test_an_e_signature_is_confirmed_and_countersigned_like_a_scan(issued, grant, manager):
    sign(grant, by_grantee(grant, issued.pdf))
    contracts.confirm(grant, manager)
    contracts.countersign(grant, manager)
    db.session.commit()
    assert last_audit("contract.confirmed").data["kind"] == "cms"
    assert audit_events("contract.")[-3:] == ["contract.signature_uploaded", "contract.confirmed",
                                              "contract.countersigned"]


def test_control_characters_in_the_certificates_name_are_not_stored(issued, grant):
    key, certificate = demo_authority().person("Нұрланова\x00 Айгерим\x07", grant.application.iin)
    contract = sign(grant, make_cms(issued.pdf, key, certificate))
    db.session.commit()
    assert contract.signer_name == "Нұрланова Айгерим"


# --- refused --------------------------------------------------------------------------------

def test_an_e_signature_over_another_file_is_refused(issued, grant):
    refusal = refused(grant, by_grantee(grant, pdf("Some other contract")))
    assert "over another file, not over the contract in force (version 1)" in str(refusal)
    entry = last_audit("contract.signature_refused")
    assert entry.data["reason"] == "other_file" and entry.data["signer_iin"] == grant.application.iin
    assert contracts.current_contract(grant).signature_kind is None


def test_an_attached_e_signature_of_another_file_is_refused(issued, grant):
    refusal = refused(grant, by_grantee(grant, pdf("Some other contract"), detached=False))
    assert "over another file" in str(refusal)


def test_an_e_signature_over_version_one_after_version_two_is_refused_saying_which(issued, grant, manager):
    over_first = by_grantee(grant, issued.pdf)
    contracts.issue(grant, manager)
    db.session.commit()
    refusal = refused(grant, over_first, version=2)
    assert "over version 1 of the contract; the contract in force is version 2" in str(refusal)
    assert last_audit("contract.signature_refused").data["signed_version"] == 1


def test_someone_elses_e_signature_is_refused_naming_the_signer(issued, grant):
    refusal = refused(grant, signed_cms(issued.pdf, "Серіков Ерлан", OTHER_IIN))
    assert f"made by Серіков Ерлан, IIN {OTHER_IIN}, not by the grantee" in str(refusal)
    entry = last_audit("contract.signature_refused")
    assert (entry.data["reason"], entry.data["signer_iin"]) == ("not_grantee", OTHER_IIN)


def test_a_certificate_without_an_iin_is_refused(issued, grant):
    key, certificate = demo_authority().person(full_name(grant), "")  # serialNumber "IIN": no digits
    refusal = refused(grant, make_cms(issued.pdf, key, certificate))
    assert "carries no IIN" in str(refusal)


def test_a_changed_signature_does_not_verify(issued, grant):
    data = bytearray(by_grantee(grant, issued.pdf))
    data[-5] ^= 0xFF  # the signature's bytes are at the end
    assert "does not verify" in str(refused(grant, bytes(data)))


def _changed(der, change):
    info = cms.ContentInfo.load(der)
    change(info["content"])
    return info.dump(force=True)


def test_an_attached_pdf_changed_after_signing_does_not_verify(issued, grant):
    def swap_content(signed_data):
        signed_data["encap_content_info"] = {"content_type": "data", "content": issued.pdf + b"\n%changed"}
    data = _changed(by_grantee(grant, issued.pdf, detached=False), swap_content)
    assert "does not verify" in str(refused(grant, data))


def test_a_gost_signature_is_refused_saying_so(issued, grant):
    def gost_digest(signed_data):
        signed_data["signer_infos"][0]["digest_algorithm"] = algos.DigestAlgorithm(
            {"algorithm": "1.2.398.3.10.1.3.3"})  # GOST 34.11-2015, 512 bits (Kazakhstan)
    refusal = refused(grant, _changed(by_grantee(grant, issued.pdf), gost_digest))
    assert "made with a GOST key, which this system cannot check yet" in str(refusal)
    assert last_audit("contract.signature_refused").data["reason"] == "gost"


@pytest.mark.parametrize("data", [b"garbage that is not a signature", b"\x00" * 64, b"0\x82\xff\xff\x00\x00",
                                  b"MIIB not base64 !!", b"-----BEGIN CMS-----\nxx\n-----END CMS-----\n"],
                         ids=["text", "NUL bytes", "broken DER", "broken base64", "broken PEM"])
def test_a_file_that_is_not_a_signature_is_refused(issued, grant, data):
    refusal = refused(grant, data)
    assert "neither a scan or photo of the signed contract (PDF, JPEG, PNG) nor an e-signature file" in str(refusal)
    assert last_audit("contract.signature_refused").data["reason"] == "not_cms"


def test_a_signature_without_its_certificate_is_refused(issued, grant):
    def drop_certificates(signed_data):
        signed_data["certificates"] = []
    refusal = refused(grant, _changed(by_grantee(grant, issued.pdf), drop_certificates))
    assert "holds no signature with its certificate" in str(refusal)


def test_an_empty_or_huge_file_is_refused_before_it_is_read(app, issued, grant, monkeypatch):
    with pytest.raises(UploadError, match="empty"):
        sign(grant, b"")
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1000)
    with pytest.raises(UploadError, match="too large"):
        sign(grant, base64.b64encode(by_grantee(grant, issued.pdf, detached=False)))


# --- the certificate chain ------------------------------------------------------------------

def test_with_the_nca_roots_set_up_a_chain_to_them_is_valid(roots, issued, grant):
    contract = sign(grant, by_grantee(grant, issued.pdf))
    assert contract.chain_outcome is ChainOutcome.VALID
    assert contract.chain_detail == f"{full_name(grant)} → DEMO ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)"
    assert last_audit("contract.signature_uploaded").data["chain"] == "valid"


@pytest.mark.parametrize("carried", [False, True], ids=["intermediate in the folder", "intermediate in the file"])
def test_a_chain_through_an_intermediate_authority_is_valid(app, tmp_path, monkeypatch, issued, grant, carried):
    root = DemoAuthority("TEST ROOT")
    intermediate = DemoAuthority("TEST INTERMEDIATE", parent=root)
    (tmp_path / "root.cer").write_bytes(root.certificate.public_bytes(Encoding.DER))  # DER files are read too
    if not carried:
        (tmp_path / "intermediate.pem").write_bytes(intermediate.certificate_pem())
    monkeypatch.setitem(app.config, "NCA_ROOTS_DIR", str(tmp_path))
    key, certificate = intermediate.person(full_name(grant), grant.application.iin)
    data = make_cms(issued.pdf, key, certificate, carried=[intermediate.certificate] if carried else [])
    contract = sign(grant, data)
    assert contract.chain_outcome is ChainOutcome.VALID
    assert contract.chain_detail == f"{full_name(grant)} → TEST INTERMEDIATE → TEST ROOT"


def test_a_certificate_of_an_unknown_authority_is_refused(roots, issued, grant):
    key, certificate = DemoAuthority("SOME OTHER CA").person(full_name(grant), grant.application.iin)
    refusal = refused(grant, make_cms(issued.pdf, key, certificate))
    assert "not confirmed by the root certificates of the National Certification Authority" in str(refusal)
    assert "its issuer (SOME OTHER CA) is not known" in str(refusal)
    entry = last_audit("contract.signature_refused")
    assert (entry.data["reason"], entry.data["chain"]) == ("chain_invalid", "invalid")
    assert entry.data["chain_detail"] == "unknown issuer: SOME OTHER CA"


def test_a_certificate_signed_by_an_impostor_of_the_root_is_refused(roots, issued, grant):
    impostor = DemoAuthority()  # the demo root's name, another key
    key, certificate = impostor.person(full_name(grant), grant.application.iin)
    refusal = refused(grant, make_cms(issued.pdf, key, certificate))
    assert "the signature of DEMO ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) on the certificate of" in str(refusal)


def test_an_expired_certificate_is_refused(roots, issued, grant):
    now = datetime.now(timezone.utc)
    key, certificate = demo_authority().person(full_name(grant), grant.application.iin,
                                               not_before=now - timedelta(days=400), not_after=now - timedelta(days=2))
    refusal = refused(grant, make_cms(issued.pdf, key, certificate))
    assert f"the certificate of {full_name(grant)} is not valid on {now.date().isoformat()}" in str(refusal)


def test_a_folder_without_certificates_refuses_and_says_to_tell_the_office(app, tmp_path, monkeypatch, issued,
                                                                          grant):
    (tmp_path / "notes.pem").write_text("not a certificate")
    monkeypatch.setitem(app.config, "NCA_ROOTS_DIR", str(tmp_path))
    refusal = refused(grant, by_grantee(grant, issued.pdf))
    assert "no root certificates are set up" in str(refusal)


# --- the pages ------------------------------------------------------------------------------

def test_the_grantee_uploads_an_e_signature_and_the_staff_see_the_signer(app, client, issued, grant, manager):
    login(client, grant.application.applicant.email)
    page = client.get(f"/my/grants/{grant.id}").get_data(as_text=True)
    assert "With your EDS." in page and "On paper." in page and ".cms" in page
    assert 'capture=' not in page  # the camera alone would hide the e-signature file
    data = by_grantee(grant, issued.pdf)
    response = client.post(f"/my/grants/{grant.id}/contract/signature", content_type="multipart/form-data",
                           data={"version": "1", "file": (io.BytesIO(data), "contract.pdf.cms")})
    assert response.status_code == 302
    page = client.get(f"/my/grants/{grant.id}").get_data(as_text=True)
    assert f"e-signature of {full_name(grant)}" in page and "Contract signed with an EDS" in page

    staff = client_of(app, manager)
    page = staff.get(f"/manage/grants/{grant.id}").get_data(as_text=True)
    assert full_name(grant) in page and grant.application.iin in page and "matches the grantee" in page
    assert 'data-chain="not_configured"' in page and "Not checked: the NCA root certificates are not set up" in page
    download = staff.get(f"/manage/grants/{grant.id}/contract/signature")
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Type"] == "application/pkcs7-signature"
    assert f"{grant.number}-v1-signed.pdf.cms" in download.headers["Content-Disposition"]
    assert staff.post(f"/manage/grants/{grant.id}/contract/confirm").status_code == 302


def test_a_valid_chain_shows_on_the_staff_page(app, roots, issued, grant, manager):
    sign(grant, by_grantee(grant, issued.pdf))
    db.session.commit()
    page = client_of(app, manager).get(f"/manage/grants/{grant.id}").get_data(as_text=True)
    assert 'data-chain="valid"' in page and "DEMO ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)" in page


def test_a_refused_e_signature_says_why_next_to_the_file_and_stays_on_record(client, issued, grant):
    login(client, grant.application.applicant.email)
    data = signed_cms(issued.pdf, "Серіков Ерлан", OTHER_IIN)
    response = client.post(f"/my/grants/{grant.id}/contract/signature", content_type="multipart/form-data",
                           data={"version": "1", "file": (io.BytesIO(data), "contract.pdf.cms")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "not by the grantee" in page and 'id="file-error"' in page
    db.session.expire_all()
    assert last_audit("contract.signature_refused").data["signer_iin"] == OTHER_IIN
    assert contracts.current_contract(grant).signature_kind is None
