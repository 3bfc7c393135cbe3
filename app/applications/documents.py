"""The documents of an application (step 6 of the form): which types the call asks for, and
uploading, replacing and deleting a file while the applicant may still change that step. A file is
checked by its content (app.storage); a replaced or deleted one is removed from disk on commit."""
from flask_babel import gettext as _

from app import storage
from app.applications.drafting import check_editable
from app.applications.models import ApplicationDocument
from app.competitions.models import DocumentType
from app.dbtypes import utcnow
from app.errors import InvalidChange
from app.extensions import db

DOCUMENTS_STEP = 6
DOCUMENTS_MAX = 20
UPLOAD_KINDS = ("pdf", "jpeg", "png")


def document_types(competition):
    """Every document type: the call's required ones first, then the optional ones."""
    required = [t for t in DocumentType if t.value in competition.required_documents]
    return required + [t for t in DocumentType if t not in required]


def _store(file_storage):
    try:
        return storage.save_upload(file_storage, allowed=UPLOAD_KINDS)
    except storage.UploadError as error:
        raise InvalidChange({"file": [error.message]}) from None


def _fill(document, stored):
    document.stored_name = stored.stored_name
    document.original_name = stored.original_name
    document.kind = stored.kind
    document.sha256 = stored.sha256
    document.size = stored.size
    document.uploaded_at = utcnow()


def add_document(application, doc_type, file_storage, actor):
    """Stores an uploaded file as a document of `doc_type` (a DocumentType) of the application."""
    check_editable(application, DOCUMENTS_STEP)
    if len(application.documents) >= DOCUMENTS_MAX:
        raise InvalidChange({"file": [_(
            "An application can have at most %(max)s files. Delete one before adding another.",
            max=DOCUMENTS_MAX)]})
    stored = _store(file_storage)
    document = ApplicationDocument(doc_type=doc_type)
    _fill(document, stored)
    application.documents.append(document)
    application.updated_at = utcnow()
    db.session.flush()
    return document


def replace_document(document, file_storage, actor):
    """Puts a new file in place of the document's file; the old one is deleted on commit."""
    application = document.application
    check_editable(application, DOCUMENTS_STEP)
    stored = _store(file_storage)
    storage.delete_after_commit(document.stored_name)
    _fill(document, stored)
    application.updated_at = utcnow()
    db.session.flush()
    return document


def delete_document(document, actor):
    """Removes the document; its file is deleted on commit."""
    application = document.application
    check_editable(application, DOCUMENTS_STEP)
    storage.delete_after_commit(document.stored_name)
    application.documents.remove(document)
    application.updated_at = utcnow()
    db.session.flush()
