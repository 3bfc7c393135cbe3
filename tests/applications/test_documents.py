"""Documents: checked by content and size, stored under instance/ with random names and their
SHA-256, replaced and deleted while a draft, downloaded only as attachments."""
import hashlib
import io
import re

import pytest

from app import storage
from app.applications import documents
from app.applications.models import ApplicationDocument, ApplicationStatus
from app.competitions.models import DocumentType
from app.errors import InvalidChange, Refused
from app.extensions import db
from tests.applications import (HTML, JPEG, PNG, SVG, applicant, as_applicant, call, close_call,  # noqa: F401
                                complete, count, draft, en, error_next_to, mark_submitted, reload)
from tests import files
from tests.factories import MINIMAL_PDF, upload


# --- services ---------------------------------------------------------------------------------

@pytest.mark.parametrize("data, kind", [(MINIMAL_PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg")])
def test_a_document_is_stored_with_a_random_name_and_its_sha256(en, draft, data, kind):
    document = documents.add_document(draft, DocumentType.IDENTITY, upload(data, "passport.pdf"), None)
    db.session.commit()
    stored = storage.path_for(document.stored_name).read_bytes()
    assert document.kind == kind
    assert document.sha256 == hashlib.sha256(stored).hexdigest()  # of the file kept
    assert document.size == len(stored)
    assert document.original_name == "passport.pdf"
    assert "passport" not in document.stored_name
    if kind == "pdf":
        assert stored == data  # a PDF is kept as sent; a picture is encoded again without metadata


@pytest.mark.parametrize("data, filename, message", [
    (HTML, "passport.pdf", "not of an accepted type"),
    (SVG, "passport.pdf", "not of an accepted type"),
    (b"", "empty.pdf", "The file is empty"),
    (None, "", "Choose a file"),
])
def test_html_svg_renamed_pdf_and_empty_files_are_refused(en, complete, data, filename, message):
    before = [(d.id, d.sha256) for d in complete.documents]
    file_storage = upload(data, filename) if data is not None else None
    with pytest.raises(InvalidChange) as error:
        documents.add_document(complete, DocumentType.OTHER, file_storage, None)
    db.session.rollback()
    assert message in str(error.value.errors["file"][0])
    assert [(d.id, d.sha256) for d in reload(complete).documents] == before


def test_a_file_over_the_configured_size_is_refused(en, app, complete, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    with pytest.raises(InvalidChange) as error:
        documents.add_document(complete, DocumentType.OTHER, upload(MINIMAL_PDF + b"0" * 2000), None)
    assert "too large" in str(error.value.errors["file"][0])


@pytest.mark.parametrize("filename, shown", [
    ("../../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\boot.pdf", "boot.pdf"),
    ("Удостоверение личности.pdf", "Удостоверение личности.pdf"),
    ("<script>alert(1)</script>.pdf", "script.pdf"),  # "</" starts a path: only the last part is kept
    ("<b>bold</b> scan.pdf", "b scan.pdf"),
    ("а" * 300 + ".pdf", "а" * 251 + ".pdf"),
])
def test_file_names_are_cleaned_never_used_as_paths(en, draft, filename, shown):
    document = documents.add_document(draft, DocumentType.IDENTITY, upload(MINIMAL_PDF, filename), None)
    assert document.original_name == shown
    assert len(document.original_name) <= 255
    assert storage.path_for(document.stored_name).parent == storage.upload_folder()


def test_replacing_a_document_deletes_the_old_file_after_commit(en, complete):
    document = complete.documents[0]
    old_name = document.stored_name
    documents.replace_document(document, upload(PNG, "scan.png"), None)
    assert storage.path_for(old_name).exists()  # until the commit
    db.session.commit()
    assert not storage.path_for(old_name).exists()
    assert (document.kind, document.original_name) == ("png", "scan.png")


def test_a_refused_replacement_keeps_the_old_file(en, complete):
    document = complete.documents[0]
    before = (document.stored_name, document.sha256)
    with pytest.raises(InvalidChange):
        documents.replace_document(document, upload(HTML, "x.pdf"), None)
    db.session.rollback()
    document = reload(document)
    assert (document.stored_name, document.sha256) == before
    assert storage.path_for(document.stored_name).exists()


def test_deleting_a_document_deletes_its_file_after_commit(en, complete):
    document = complete.documents[0]
    name = document.stored_name
    documents.delete_document(document, None)
    db.session.commit()
    assert not storage.path_for(name).exists()
    assert len(reload(complete).documents) == 2


def test_documents_cannot_change_after_submission_or_after_the_call_closes(en, call, complete):
    document = complete.documents[0]
    mark_submitted(complete)
    for change in (lambda: documents.add_document(complete, DocumentType.OTHER, upload(), None),
                   lambda: documents.replace_document(document, upload(), None),
                   lambda: documents.delete_document(document, None)):
        with pytest.raises(Refused):
            change()
    complete.status = ApplicationStatus.DRAFT
    close_call(call)
    with pytest.raises(Refused):
        documents.delete_document(document, None)


def test_an_application_holds_at_most_twenty_files(en, draft):
    for _ in range(documents.DOCUMENTS_MAX):
        documents.add_document(draft, DocumentType.OTHER, upload(), None)
    with pytest.raises(InvalidChange) as error:
        documents.add_document(draft, DocumentType.OTHER, upload(), None)
    assert "at most 20 files" in str(error.value.errors["file"][0])


# --- pages ------------------------------------------------------------------------------------

def upload_url(application, doc_type="identity"):
    return f"/applications/{application.id}/documents/new/{doc_type}"


def post_file(client, url, field, data, filename, content_type="application/pdf"):
    return client.post(url, data={field: (io.BytesIO(data), filename, content_type)},
                       content_type="multipart/form-data")


def refused_page(client, response, anchor):
    """A refused upload redirects to the documents page at the card of `anchor` (a refresh does
    not post the file again); the page then says why next to the field, once."""
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/step/6#{anchor}")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'invalid-feedback' not in again
    return html


def test_the_documents_step_lists_required_and_optional_types(as_applicant, complete):
    html = as_applicant.get(f"/applications/{complete.id}/step/6").get_data(as_text=True)
    assert html.count("Required</span>") == 3
    assert html.count("Optional</span>") == 2
    marked = re.findall(r'<label class="form-label" for="doc-([a-z_]+)-file">[^<]*</label>\s*(<span class="text-danger")?',
                        html)
    assert {doc_type for doc_type, star in marked if star} == set(complete.competition.required_documents)
    assert len(marked) == 5
    for document in complete.documents:
        assert f'href="/applications/{complete.id}/documents/{document.id}"' in html
    assert 'enctype="multipart/form-data"' in html


def test_uploading_through_the_page_adds_the_file(as_applicant, draft):
    response = post_file(as_applicant, upload_url(draft), "doc-identity-file", PNG, "photo.png", "image/png")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/applications/{draft.id}/step/6#doc-identity")
    assert [(d.doc_type, d.kind) for d in reload(draft).documents] == [(DocumentType.IDENTITY, "png")]


@pytest.mark.parametrize("data, filename, message", [
    (HTML, "passport.pdf", "not of an accepted type"),
    (SVG, "passport.pdf", "not of an accepted type"),
    (b"", "empty.pdf", "The file is empty"),
])
def test_a_refused_upload_says_why_next_to_its_field_and_keeps_the_other_files(
        as_applicant, complete, data, filename, message):
    before = count(ApplicationDocument)
    response = post_file(as_applicant, upload_url(complete, "supplier_quote"), "doc-supplier_quote-file",
                         data, filename)
    html = refused_page(as_applicant, response, "doc-supplier_quote")
    assert message in error_next_to(html, "doc-supplier_quote-file")
    assert error_next_to(html, "doc-identity-file") is None
    assert count(ApplicationDocument) == before


def test_no_file_chosen_is_said_next_to_the_field(as_applicant, complete):
    response = as_applicant.post(upload_url(complete), data={}, content_type="multipart/form-data")
    assert "Choose a file" in error_next_to(refused_page(as_applicant, response, "doc-identity"), "doc-identity-file")


def test_a_file_over_the_configured_cap_is_refused_next_to_its_field(as_applicant, app, complete, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    response = post_file(as_applicant, upload_url(complete), "doc-identity-file", MINIMAL_PDF + b"0" * 4096, "a.pdf")
    html = refused_page(as_applicant, response, "doc-identity")
    assert "The file is too large" in error_next_to(html, "doc-identity-file")
    assert len(reload(complete).documents) == 3


def test_a_50_megabyte_request_gets_the_friendly_too_large_page(as_applicant, complete):
    big = b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024)
    response = post_file(as_applicant, upload_url(complete), "doc-identity-file", big, "big.pdf")
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
    assert len(reload(complete).documents) == 3


def test_an_unknown_document_type_is_not_found(as_applicant, draft):
    assert post_file(as_applicant, upload_url(draft, "passport"), "file", MINIMAL_PDF, "a.pdf").status_code == 404


def test_replacing_and_deleting_through_the_page(as_applicant, complete):
    document = complete.documents[0]
    old = document.stored_name
    response = post_file(as_applicant, f"/applications/{complete.id}/documents/{document.id}/replace",
                         f"replace-{document.id}-file", JPEG, "new.jpg", "image/jpeg")
    assert response.status_code == 302
    document = reload(document)
    assert document.kind == "jpeg" and not storage.path_for(old).exists()

    response = post_file(as_applicant, f"/applications/{complete.id}/documents/{document.id}/replace",
                         f"replace-{document.id}-file", SVG, "new.pdf")
    html = refused_page(as_applicant, response, f"document-{document.id}")
    assert "not of an accepted type" in error_next_to(html, f"replace-{document.id}-file")
    assert reload(document).kind == "jpeg"

    stored_name = document.stored_name
    response = as_applicant.post(f"/applications/{complete.id}/documents/{document.id}/delete")
    assert response.status_code == 302
    assert count(ApplicationDocument) == 2
    assert not storage.path_for(stored_name).exists()


def test_a_submitted_applications_documents_cannot_be_replaced_or_deleted(as_applicant, complete):
    mark_submitted(complete)
    document = complete.documents[0]
    response = as_applicant.post(f"/applications/{complete.id}/documents/{document.id}/delete",
                                 follow_redirects=True)
    assert "can no longer be changed" in response.get_data(as_text=True)
    response = post_file(as_applicant, upload_url(complete), "doc-identity-file", MINIMAL_PDF, "a.pdf")
    assert response.status_code == 302
    assert len(reload(complete).documents) == 3


def test_a_document_downloads_as_an_attachment_with_the_type_of_its_content(as_applicant, draft):
    post_file(as_applicant, upload_url(draft), "doc-identity-file", PNG, "Удостоверение.pdf")
    document = reload(draft).documents[0]
    response = as_applicant.get(f"/applications/{draft.id}/documents/{document.id}")
    assert response.status_code == 200
    assert response.data == PNG
    assert response.mimetype == "image/png"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%D0%A3%D0%B4" in disposition
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_uploaded_files_are_not_under_any_public_path(as_applicant, complete, app):
    document = complete.documents[0]
    for path in (f"/static/{document.stored_name}", f"/uploads/{document.stored_name}",
                 f"/instance/uploads/{document.stored_name}"):
        assert as_applicant.get(path).status_code == 404


@pytest.mark.parametrize("data, filename, message", [
    (files.encrypted_pdf(), "statement.pdf", "protected by a password. Remove the password"),
    (MINIMAL_PDF[: len(MINIMAL_PDF) // 2], "cut.pdf", "This PDF cannot be opened: it is damaged or incomplete"),
    (JPEG[:20] + bytes(range(256)) * 4, "photo.jpg", "This picture cannot be opened"),
])
def test_a_locked_or_broken_file_is_refused_next_to_its_field_saying_what_to_do(as_applicant, complete, data,
                                                                                 filename, message):
    response = post_file(as_applicant, upload_url(complete, "supplier_quote"), "doc-supplier_quote-file",
                         data, filename)
    html = refused_page(as_applicant, response, "doc-supplier_quote")
    assert message in error_next_to(html, "doc-supplier_quote-file")
    assert len(reload(complete).documents) == 3


def test_a_phone_photo_of_an_identity_card_is_kept_upright_without_where_it_was_taken(as_applicant, draft):
    photo = files.picture("jpeg", size=(40, 30), gps=True, orientation=files.ROTATED_90)
    post_file(as_applicant, upload_url(draft), "doc-identity-file", photo, "IMG_0001.jpg", "image/jpeg")
    document = reload(draft).documents[0]
    downloaded = as_applicant.get(f"/applications/{draft.id}/documents/{document.id}").data
    exif, gps, _info = files.exif_of(downloaded)
    assert (exif, gps) == ({}, {})
    assert files.size_of(downloaded) == (30, 40)
    assert document.sha256 == hashlib.sha256(downloaded).hexdigest() and document.size == len(downloaded)
