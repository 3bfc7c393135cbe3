"""Uploaded files: kept on disk under instance/uploads/ with random names, checked by content.

A file's kind is judged by its first bytes, never by its name or the browser's content type, so an
HTML page or an SVG renamed `x.pdf` is refused. Then the file is opened as what it claims to be: a
PDF must read through with pypdf and need no password; an Excel workbook must hold a workbook's
parts, no macros, and read through; a picture must decode in full with Pillow,
and is stored encoded again, upright and without its metadata (a phone photo's EXIF carries where
it was taken). The database keeps the stored name, the cleaned original name and the SHA-256 of the
stored file; the files themselves are only ever served by authorised routes."""
import hashlib
import logging
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps
from pypdf import PdfReader

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
    "xlsx": UploadKind(b"PK\x03\x04", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       "XLSX (Excel)"),
    # An e-signature file (CMS), DER or base64 text: no magic, so any file matches; offer it last.
    # It is kept as uploaded and read in full by its caller (app.contracts.signatures).
    "cms": UploadKind(b"", "p7s", "application/pkcs7-signature", "CMS"),
}
DOCUMENT_KINDS = ("pdf", "jpeg", "png")  # what applicants may upload as documents
_HEAD_BYTES = max(len(kind.magic) for kind in KINDS.values())
_CHUNK_BYTES = 64 * 1024
_STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|jpg|png|xlsx|p7s)$")
ORIGINAL_NAME_MAX = 255
# A picture larger than this is refused before it is decoded: 50 megapixels take 150 MB in memory.
IMAGE_PIXELS_MAX = 50_000_000
_PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG"}
JPEG_QUALITY = 90  # a photo encoded again keeps the detail of a document

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
    UPLOAD_MAX_BYTES), not one of the `allowed` kinds ("pdf", "jpeg", "png", "xlsx"), or does not open
    as that kind (see `_check_pdf`, `_check_xlsx`, `_clean_image`). The size and SHA-256 are those of
    the stored file. The file is deleted again if the current database transaction rolls back."""
    unknown = set(allowed) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown file kinds: {sorted(unknown)}")
    if max_bytes is None:
        max_bytes = current_app.config["UPLOAD_MAX_BYTES"]
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise UploadError(_l("Choose a file to upload."))

    folder = upload_folder()
    partial = folder / f".partial-{secrets.token_hex(16)}"
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
                out.write(chunk)
        if size == 0:
            raise UploadError(_l("The file is empty. Choose the file again."))
        kind = _kind_of(head, allowed)
        if kind is None:
            raise UploadError(_l(
                "This file is not of an accepted type. Accepted: %(kinds)s. "
                "Files are checked by their content, not by their name.",
                kinds=_accepted_kinds_text(allowed)))
        if kind == "pdf":
            _check_pdf(partial)
        elif kind == "xlsx":
            _check_xlsx(partial)
        elif kind in _PILLOW_FORMATS:
            _clean_image(partial, kind)
        sha256, size = _sha256_and_size(partial)
        stored_name = f"{secrets.token_hex(16)}.{KINDS[kind].extension}"
        os.replace(partial, folder / stored_name)
    finally:
        partial.unlink(missing_ok=True)

    _session_list(_DELETE_ON_ROLLBACK).append(stored_name)
    return StoredFile(
        stored_name=stored_name,
        original_name=clean_original_name(file_storage.filename, kind),
        sha256=sha256,
        size=size,
        kind=kind,
    )


_DAMAGED_PDF = _l("This PDF cannot be opened: it is damaged or incomplete. Save or scan the document again "
                  "and upload the new file.")
_DAMAGED_IMAGE = _l("This picture cannot be opened: it is damaged or incomplete. Take the photo or scan "
                    "again and upload the new file.")


def _check_pdf(path):
    """Refuses a PDF that needs a password or that pypdf cannot read through: every page and its
    content streams are decoded, so a file cut short or a header on garbage does not pass."""
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise UploadError(_l(
                "This PDF is protected by a password. Remove the password (for example, save or print "
                "it as a new PDF) and upload the new file."))
        if not reader.pages:
            raise UploadError(_DAMAGED_PDF)
        for page in reader.pages:
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()
    except UploadError:
        raise
    except Exception as error:  # a damaged file breaks pypdf in many ways (stream, key, value, zlib...)
        log.info("refused an upload that is not a readable PDF: %r", error)
        raise UploadError(_DAMAGED_PDF) from None


# A workbook that unpacks larger than this is refused: a ZIP of a few kilobytes can unpack to gigabytes.
XLSX_UNPACKED_MAX = 100 * 1024 * 1024
_XLSX_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml"})


def _check_xlsx(path):
    """Refuses a ZIP that is not an Excel workbook (a Word file, an archive), one with macros, one
    that unpacks too large, and one whose parts do not read through to their checksums."""
    damaged = _l("This spreadsheet cannot be opened: it is damaged or not an Excel workbook (XLSX). Save it "
                 "again in Excel as \"Excel Workbook (.xlsx)\" and upload the new file.")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
            if not _XLSX_PARTS <= names:
                raise UploadError(damaged)
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise UploadError(_l("This workbook contains macros, which are not accepted. Save it in Excel as "
                                     "\"Excel Workbook (.xlsx)\" and upload the new file."))
            if sum(part.file_size for part in parts) > XLSX_UNPACKED_MAX:
                raise UploadError(damaged)
            if archive.testzip() is not None:
                raise UploadError(damaged)
    except UploadError:
        raise
    except Exception as error:  # zipfile raises BadZipFile, OSError, EOFError, zlib errors...
        log.info("refused an upload that is not a readable XLSX: %r", error)
        raise UploadError(damaged) from None


def _clean_image(path, kind):
    """Decodes the picture in full (a valid header on garbage does not pass), turns it upright as
    its EXIF orientation says and writes it back in place, encoded again with nothing but the
    pixels, the colour profile and the resolution: EXIF (with its GPS position), XMP and comments
    are gone."""
    too_large = _l("This picture is too large: at most %(limit)s megapixels. Take the photo at a lower "
                   "resolution and upload it again.", limit=IMAGE_PIXELS_MAX // 1_000_000)
    formats = [_PILLOW_FORMATS[kind]]
    try:
        with Image.open(path, formats=formats) as image:
            if image.width * image.height > IMAGE_PIXELS_MAX:
                raise UploadError(too_large)
            image.verify()  # the structure to the end (a PNG's chunks and checksums); then reopen
        with Image.open(path, formats=formats) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            kept = {name: image.info[name] for name in ("icc_profile", "dpi") if image.info.get(name)}
    except UploadError:
        raise
    except Image.DecompressionBombError:
        raise UploadError(too_large) from None
    except Exception as error:  # Pillow raises OSError, SyntaxError, ValueError... on broken data
        log.info("refused an upload that is not a readable %s: %r", kind, error)
        raise UploadError(_DAMAGED_IMAGE) from None
    # Only what the encoder is given is written: the transparency of a PNG is part of its pixels.
    upright.info = {name: value for name, value in upright.info.items() if name == "transparency"}
    if kind == "jpeg":
        upright.save(path, "JPEG", quality=JPEG_QUALITY, **kept)
    else:
        upright.save(path, "PNG", **kept)


def _sha256_and_size(path):
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


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
