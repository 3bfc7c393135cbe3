"""Uploaded files: kept on disk under instance/uploads/ with random names, checked by content.

A file's kind is judged by its first bytes, never by its name or the browser's content type, so an
HTML page or an SVG renamed `x.pdf` is refused. The database keeps the stored name, the cleaned
original name and the SHA-256; the files themselves are only ever served by authorised routes."""
import hashlib
import logging
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.errors import Refused
from app.extensions import db

log = logging.getLogger(__name__)



class UploadKind(NamedTuple):
    magic: bytes  # the first bytes of every file of the kind
    extension: str  # of the stored file
    mimetype: str  # served with it
    label: str  # the name shown to people


# The kinds of file accepted anywhere, defined here only.
KINDS = {
    "pdf": UploadKind(b"%PDF-", "pdf", "application/pdf", "PDF"),
    "jpeg": UploadKind(b"\xff\xd8\xff", "jpg", "image/jpeg", "JPEG"),
    "png": UploadKind(b"\x89PNG\r\n\x1a\n", "png", "image/png", "PNG"),
}
DOCUMENT_KINDS = ("pdf", "jpeg", "png")  # what applicants may upload as documents
_HEAD_BYTES = max(len(kind.magic) for kind in KINDS.values())
_CHUNK_BYTES = 64 * 1024
_STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|jpg|png)$")
ORIGINAL_NAME_MAX = 255

# Session.info keys: files to delete when the transaction commits / rolls back.
_DELETE_ON_COMMIT = "storage.delete_on_commit"
_DELETE_ON_ROLLBACK = "storage.delete_on_rollback"


class UploadError(Refused):
    """An upload that cannot be accepted; `message` says why, in words for the uploader."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    sha256: str
    size: int
    kind: str


def upload_folder():
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def path_for(stored_name):
    """The file's path on disk; ValueError for a name this module did not make."""
    if not isinstance(stored_name, str) or not _STORED_NAME.match(stored_name):
        raise ValueError(f"not a stored file name: {stored_name!r}")
    return upload_folder() / stored_name


def open_stored(stored_name):
    """The stored file opened for reading in binary mode; FileNotFoundError when it is gone."""
    return path_for(stored_name).open("rb")


def delete_stored(stored_name):
    """Removes the file; a file already gone is not an error."""
    path_for(stored_name).unlink(missing_ok=True)


def clean_original_name(name, kind="pdf"):
    """The uploader's file name fit to show and to offer as a download name: the last path part
    only, no control characters, at most 255 characters with the extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*')
    name = name.strip().strip(".").strip()
    if not name:
        name = f"document.{KINDS[kind].extension}"
    if len(name) > ORIGINAL_NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: ORIGINAL_NAME_MAX - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:ORIGINAL_NAME_MAX]
    return name


def _kind_of(head, allowed):
    for kind in allowed:
        if head.startswith(KINDS[kind].magic):
            return kind
    return None


def _accepted_kinds_text(allowed):
    return ", ".join(KINDS[kind].label for kind in allowed)


def accept_attribute(kinds=DOCUMENT_KINDS):
    """The `accept` attribute of a file input for `kinds`: their types and extensions."""
    extensions = {KINDS[kind].extension for kind in kinds} | {kind for kind in kinds}
    return ",".join([KINDS[kind].mimetype for kind in kinds] + sorted(f".{e}" for e in extensions))


def save_upload(file_storage, allowed=("pdf",), max_bytes=None):
    """Checks and stores an uploaded file (a werkzeug FileStorage) and returns its StoredFile.

    Raises UploadError when there is no file, it is empty, larger than `max_bytes` (default
    UPLOAD_MAX_BYTES) or not one of the `allowed` kinds ("pdf", "jpeg", "png"). The file is
    deleted again if the current database transaction rolls back."""
    unknown = set(allowed) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown file kinds: {sorted(unknown)}")
    if max_bytes is None:
        max_bytes = current_app.config["UPLOAD_MAX_BYTES"]
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise UploadError(_l("Choose a file to upload."))

    folder = upload_folder()
    partial = folder / f".partial-{secrets.token_hex(16)}"
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with partial.open("wb") as out:
            while True:
                chunk = file_storage.stream.read(_CHUNK_BYTES)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise UploadError(_l(
                        "The file is too large. The largest file accepted is %(limit)s MB.",
                        limit=_megabytes(max_bytes)))
                if len(head) < _HEAD_BYTES:
                    head += chunk[: _HEAD_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadError(_l("The file is empty. Choose the file again."))
        kind = _kind_of(head, allowed)
        if kind is None:
            raise UploadError(_l(
                "This file is not of an accepted type. Accepted: %(kinds)s. "
                "Files are checked by their content, not by their name.",
                kinds=_accepted_kinds_text(allowed)))
        stored_name = f"{secrets.token_hex(16)}.{KINDS[kind].extension}"
        os.replace(partial, folder / stored_name)
    finally:
        partial.unlink(missing_ok=True)

    _session_list(_DELETE_ON_ROLLBACK).append(stored_name)
    return StoredFile(
        stored_name=stored_name,
        original_name=clean_original_name(file_storage.filename, kind),
        sha256=digest.hexdigest(),
        size=size,
        kind=kind,
    )


def delete_after_commit(stored_name):
    """Deletes the file once the current transaction commits (a replaced document, say);
    nothing happens if it rolls back."""
    _session_list(_DELETE_ON_COMMIT).append(stored_name)


def _megabytes(size):
    return f"{size / (1024 * 1024):.3g}"


def _session_list(key):
    return db.session().info.setdefault(key, [])


def _delete_quietly(names):
    for name in names:
        try:
            delete_stored(name)
        except OSError:
            log.exception("could not delete the stored file %s", name)


@sa.event.listens_for(sa.orm.Session, "after_commit")
def _after_commit(session):
    if session.in_nested_transaction():  # a savepoint: the outer transaction decides
        return
    session.info.pop(_DELETE_ON_ROLLBACK, None)
    names = session.info.pop(_DELETE_ON_COMMIT, [])
    if names:
        _delete_quietly(names)


@sa.event.listens_for(sa.orm.Session, "after_rollback")
def _after_rollback(session):
    if session.in_nested_transaction():
        return
    session.info.pop(_DELETE_ON_COMMIT, None)
    names = session.info.pop(_DELETE_ON_ROLLBACK, [])
    if names:
        _delete_quietly(names)
