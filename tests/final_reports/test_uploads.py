"""The target-group list may be an Excel workbook: app.storage takes an XLSX only when it holds a
workbook's parts, no macros, unpacks within its limit and reads through; a Word file, an archive or
a damaged workbook is refused with a message that says what to do."""
import io
import zipfile

import pytest

from app import storage
from tests.final_reports import upload, xlsx


def rezipped(data, add=None, drop=()):
    """The workbook `data` with parts dropped and `add` ({name: bytes}) added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            if part.filename not in drop:
                target.writestr(part, source.read(part.filename))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def test_an_excel_workbook_is_stored_as_it_is(app_ctx):
    data = xlsx()
    stored = storage.save_upload(upload(data, "Список.xlsx"), allowed=("xlsx", "pdf"))
    assert stored.kind == "xlsx" and stored.stored_name.endswith(".xlsx") and stored.original_name == "Список.xlsx"
    with storage.open_stored(stored.stored_name) as f:
        assert f.read() == data
    assert ".xlsx" in storage.accept_attribute(("xlsx",)) and "spreadsheetml" in storage.accept_attribute(("xlsx",))


@pytest.mark.parametrize("data, message", [
    (rezipped(xlsx(), add={"word/document.xml": b"<w:document/>"}, drop=("xl/workbook.xml",)), "not an Excel workbook"),
    (rezipped(xlsx(), add={"xl/vbaProject.bin": b"\x00" * 64}), "contains macros"),
    (xlsx()[:300], "not an Excel workbook"),
    (b"PK\x03\x04" + b"\x00" * 100, "not an Excel workbook"),
])
def test_a_zip_that_is_not_a_plain_workbook_is_refused(request_ctx, data, message):
    before = set(storage.upload_folder().iterdir())
    with pytest.raises(storage.UploadError) as refused:
        storage.save_upload(upload(data, "list.xlsx"), allowed=("xlsx",))
    assert message in str(refused.value)
    assert set(storage.upload_folder().iterdir()) == before  # nothing kept, not even a partial file


def test_a_workbook_that_unpacks_too_large_is_refused(request_ctx, monkeypatch):
    monkeypatch.setattr(storage, "XLSX_UNPACKED_MAX", 1000)
    with pytest.raises(storage.UploadError):
        storage.save_upload(upload(xlsx(), "list.xlsx"), allowed=("xlsx",))


def test_a_workbook_is_not_taken_where_only_pdf_is(request_ctx):
    with pytest.raises(storage.UploadError, match="not of an accepted type"):
        storage.save_upload(upload(xlsx(), "document.pdf"), allowed=("pdf",))
