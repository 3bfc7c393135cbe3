"""Uploads: checked by content, size and emptiness, opened as what they claim to be (pypdf, Pillow),
pictures stored without their metadata, stored under random names, names cleaned."""
import hashlib
import io

import pytest
from werkzeug.datastructures import FileStorage

from app import storage
from app.extensions import db
from tests import files

MINIMAL_PDF = files.pdf()
JPEG = files.picture("jpeg")
PNG = files.picture("png")
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


@pytest.fixture
def request_ctx(app):
    """Messages are translated for a request: the refusals are read inside one."""
    with app.test_request_context():
        yield
        db.session.remove()


def upload(data, filename="file.pdf"):
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type="application/pdf")


def test_a_pdf_is_stored_under_a_random_name_with_its_hash(app_ctx):
    stored = storage.save_upload(upload(MINIMAL_PDF, "Положение.pdf"))
    assert stored.kind == "pdf"
    assert stored.size == len(MINIMAL_PDF)
    assert stored.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert stored.original_name == "Положение.pdf"
    assert stored.stored_name.endswith(".pdf") and "Положение" not in stored.stored_name
    with storage.open_stored(stored.stored_name) as f:
        assert f.read() == MINIMAL_PDF
    assert storage.path_for(stored.stored_name).parent.name == "uploads"


def test_two_uploads_of_the_same_file_get_different_names(app_ctx):
    first = storage.save_upload(upload(MINIMAL_PDF))
    second = storage.save_upload(upload(MINIMAL_PDF))
    assert first.stored_name != second.stored_name


@pytest.mark.parametrize("data, allowed, kind", [
    (JPEG, ("pdf", "jpeg", "png"), "jpeg"),
    (PNG, ("pdf", "jpeg", "png"), "png"),
    (MINIMAL_PDF, ("jpeg", "pdf"), "pdf"),
])
def test_images_are_accepted_when_allowed(app_ctx, data, allowed, kind):
    stored = storage.save_upload(upload(data, "photo.bin"), allowed=allowed)
    assert stored.kind == kind
    assert stored.stored_name.endswith({"jpeg": ".jpg", "png": ".png", "pdf": ".pdf"}[kind])


@pytest.mark.parametrize("data, filename", [
    (HTML, "x.pdf"),
    (SVG, "x.pdf"),
    (b"PK\x03\x04 a zip archive", "x.pdf"),
    (b" %PDF-1.4 with a leading space", "x.pdf"),
    (JPEG, "photo.pdf"),  # a real JPEG, but only PDF is allowed here
])
def test_content_that_is_not_an_allowed_kind_is_refused_whatever_the_name(request_ctx, data, filename):
    with pytest.raises(storage.UploadError) as error:
        storage.save_upload(upload(data, filename))
    assert "not of an accepted type" in str(error.value.message)
    assert "PDF" in str(error.value.message)


def test_an_empty_file_is_refused(request_ctx):
    with pytest.raises(storage.UploadError, match="empty"):
        storage.save_upload(upload(b""))


def test_a_file_over_the_cap_is_refused(request_ctx):
    with pytest.raises(storage.UploadError, match="too large"):
        storage.save_upload(upload(MINIMAL_PDF + b"x" * 2000), max_bytes=1024)


def test_the_default_cap_comes_from_the_configuration(app, request_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", len(MINIMAL_PDF) + 100)
    with pytest.raises(storage.UploadError, match="too large"):
        storage.save_upload(upload(MINIMAL_PDF + b"x" * 200))
    assert storage.save_upload(upload(MINIMAL_PDF)).size == len(MINIMAL_PDF)


def test_a_file_exactly_at_the_cap_is_accepted(app_ctx):
    assert storage.save_upload(upload(MINIMAL_PDF), max_bytes=len(MINIMAL_PDF)).size == len(MINIMAL_PDF)


def test_a_refused_upload_leaves_no_file_behind(app_ctx):
    before = set(storage.upload_folder().iterdir())
    for data, cap in ((HTML, None), (b"", None), (MINIMAL_PDF * 100, 100)):
        with pytest.raises(storage.UploadError):
            storage.save_upload(upload(data), max_bytes=cap)
    assert set(storage.upload_folder().iterdir()) == before


@pytest.mark.parametrize("file_storage", [None, FileStorage(stream=io.BytesIO(b""), filename="")])
def test_no_file_chosen_is_refused(request_ctx, file_storage):
    with pytest.raises(storage.UploadError, match="Choose a file"):
        storage.save_upload(file_storage)


@pytest.mark.parametrize("name, cleaned", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\регламент.pdf", "регламент.pdf"),
    ("/absolute/path/Ереже 2023.pdf", "Ереже 2023.pdf"),
    ("Положение о конкурсе.pdf", "Положение о конкурсе.pdf"),
    ("bad\x00name\r\n.pdf", "badname.pdf"),
    ("..", "document.pdf"),
    ("", "document.pdf"),
    ("a<b>:c|d?.pdf", "abcd.pdf"),
])
def test_original_names_are_cleaned(name, cleaned):
    assert storage.clean_original_name(name) == cleaned


def test_a_long_name_is_cut_to_255_characters_keeping_the_extension():
    cleaned = storage.clean_original_name("я" * 300 + ".pdf")
    assert len(cleaned) == 255
    assert cleaned.endswith(".pdf") and cleaned.startswith("яяя")


def test_the_stored_original_name_is_cleaned(app_ctx):
    stored = storage.save_upload(upload(MINIMAL_PDF, "../../" + "ж" * 300 + ".pdf"))
    assert len(stored.original_name) == 255 and "/" not in stored.original_name


@pytest.mark.parametrize("name", ["../secret", "abc.pdf", "../../" + "a" * 32 + ".pdf", None, "A" * 32 + ".pdf"])
def test_path_for_refuses_names_it_did_not_make(app_ctx, name):
    with pytest.raises(ValueError):
        storage.path_for(name)


def test_delete_stored_removes_the_file_and_tolerates_a_missing_one(app_ctx):
    stored = storage.save_upload(upload(MINIMAL_PDF))
    storage.delete_stored(stored.stored_name)
    assert not storage.path_for(stored.stored_name).exists()
    storage.delete_stored(stored.stored_name)


def test_an_upload_is_deleted_when_its_transaction_rolls_back(app_ctx):
    db.session.connection()  # a transaction is open, as in a request
    stored = storage.save_upload(upload(MINIMAL_PDF))
    db.session.rollback()
    assert not storage.path_for(stored.stored_name).exists()


def test_an_upload_is_kept_when_its_transaction_commits(app_ctx):
    db.session.connection()
    stored = storage.save_upload(upload(MINIMAL_PDF))
    db.session.commit()
    db.session.connection()
    db.session.rollback()
    assert storage.path_for(stored.stored_name).exists()


def test_delete_after_commit_waits_for_the_commit(app_ctx):
    stored = storage.save_upload(upload(MINIMAL_PDF))
    db.session.commit()
    db.session.connection()
    storage.delete_after_commit(stored.stored_name)
    db.session.rollback()
    assert storage.path_for(stored.stored_name).exists()
    db.session.connection()
    storage.delete_after_commit(stored.stored_name)
    with db.session.begin_nested():  # a savepoint commit is not the end of the transaction
        db.session.connection()
    assert storage.path_for(stored.stored_name).exists()
    db.session.commit()
    assert not storage.path_for(stored.stored_name).exists()


# --- opened as what they claim to be ----------------------------------------------------------

DAMAGED_PDF = "This PDF cannot be opened: it is damaged or incomplete"
DAMAGED_PICTURE = "This picture cannot be opened: it is damaged or incomplete"


@pytest.mark.parametrize("data", [
    MINIMAL_PDF[: len(MINIMAL_PDF) // 2],  # cut short in the middle of a page
    MINIMAL_PDF[: len(MINIMAL_PDF) - 200],  # the cross-reference table gone
    b"%PDF-1.7\n" + bytes(range(256)) * 8,  # a valid header on garbage
    files.pdf().replace(b"/Count 1", b"/Count 0").replace(b"/Kids [ 3 0 R ]", b"/Kids [ ]"),  # no pages
], ids=["half", "no-xref", "garbage", "no-pages"])
def test_a_pdf_that_does_not_read_through_is_refused(request_ctx, data):
    with pytest.raises(storage.UploadError) as error:
        storage.save_upload(upload(data))
    assert DAMAGED_PDF in str(error.value.message)


def test_a_pdf_with_a_password_is_refused_with_a_word_on_how_to_fix_it(request_ctx):
    with pytest.raises(storage.UploadError) as error:
        storage.save_upload(upload(files.encrypted_pdf()))
    assert "protected by a password. Remove the password" in str(error.value.message)


def test_a_pdf_of_several_pages_is_stored_unchanged(app_ctx):
    data = files.pdf(pages=3)
    stored = storage.save_upload(upload(data))
    assert storage.path_for(stored.stored_name).read_bytes() == data
    assert stored.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("data", [
    JPEG[:20] + bytes(range(256)) * 4,  # a JPEG header on garbage
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32,
    JPEG[: len(JPEG) // 2],  # cut short
    PNG[:-20],  # the last chunks gone
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32,
], ids=["jpeg-garbage", "jpeg-header-only", "jpeg-half", "png-cut", "png-header-only"])
def test_a_picture_that_does_not_decode_is_refused(request_ctx, data):
    with pytest.raises(storage.UploadError) as error:
        storage.save_upload(upload(data, "photo.jpg"), allowed=("jpeg", "png"))
    assert DAMAGED_PICTURE in str(error.value.message)


def test_a_picture_of_too_many_pixels_is_refused_before_it_is_decoded(request_ctx, monkeypatch):
    monkeypatch.setattr(storage, "IMAGE_PIXELS_MAX", 40 * 30 - 1)
    with pytest.raises(storage.UploadError, match="too large: at most 0 megapixels"):
        storage.save_upload(upload(files.picture("png", size=(40, 30))), allowed=("png",))


@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_a_phone_photo_is_stored_upright_without_its_gps_position(app_ctx, kind):
    photo = files.picture(kind, size=(40, 30), gps=True, orientation=files.ROTATED_90)
    exif, gps, _info = files.exif_of(photo)
    assert gps and exif[files.ORIENTATION] == files.ROTATED_90  # what the phone sends

    stored = storage.save_upload(upload(photo, "IMG_0001.jpg"), allowed=("jpeg", "png"))
    data = storage.path_for(stored.stored_name).read_bytes()
    exif, gps, info = files.exif_of(data)
    assert exif == {} and gps == {}
    assert not {"exif", "xmp", "comment"} & set(info)
    assert b"Exif" not in data
    assert files.size_of(data) == (30, 40)  # turned as the orientation said: upright, no tag needed
    assert stored.kind == kind
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)


def test_a_re_encoded_picture_keeps_its_pixels(app_ctx):
    from PIL import Image

    stored = storage.save_upload(upload(files.picture("png", size=(8, 6))), allowed=("png",))
    with Image.open(storage.path_for(stored.stored_name)) as image:
        assert image.getpixel((0, 0)) == (0, 0, 0) and image.getpixel((7, 5)) == (200, 40, 40)


def test_a_refused_picture_or_pdf_leaves_no_file_behind(request_ctx):
    before = set(storage.upload_folder().iterdir())
    for data in (files.encrypted_pdf(), MINIMAL_PDF[:300], JPEG[:40]):
        with pytest.raises(storage.UploadError):
            storage.save_upload(upload(data), allowed=("pdf", "jpeg"))
    assert set(storage.upload_folder().iterdir()) == before
