"""The photos of a final report and its target-group list: uploaded files checked by content
(app.storage), a small copy of each photo for the pages (made as the monitoring visits' photos'
are), files replaced or deleted with the transaction that changes the report."""
from flask_babel import lazy_gettext as _l

from app import storage
from app.errors import Refused
from app.final_reports.models import ReportPhoto
from app.monitoring.photos import thumbnail

PHOTO_KINDS = ("jpeg", "png")
TARGET_LIST_KINDS = ("xlsx", "pdf", "jpeg", "png")  # a spreadsheet, or the signed paper list scanned
PHOTOS_MAX = 20


def chosen(files):
    """The files a file input really carried (a browser sends one empty part when none is chosen)."""
    return [file for file in files or () if file is not None and file.filename]


def add_photos(report, files):
    """Stores each picture of `files` with its small copy; refuses (naming the file) one that is not
    a JPEG or PNG picture, and more than PHOTOS_MAX photos in all."""
    if len(report.photos) + len(files) > PHOTOS_MAX:
        raise Refused(_l("A report can have at most %(max)s photos. Choose the best ones, or delete some first.",
                         max=PHOTOS_MAX), field="photos")
    added = []
    for file in files:
        try:
            stored = storage.save_upload(file, allowed=PHOTO_KINDS)
        except storage.UploadError as error:
            raise Refused(_l("%(name)s: %(problem)s", name=file.filename, problem=error.message),
                          field="photos") from None
        photo = ReportPhoto(stored_name=stored.stored_name, original_name=stored.original_name, kind=stored.kind,
                            sha256=stored.sha256, size=stored.size,
                            thumbnail=thumbnail(storage.path_for(stored.stored_name)))
        report.photos.append(photo)
        added.append(photo)
    return added


def delete_photo(report, photo):
    report.photos.remove(photo)
    storage.delete_after_commit(photo.stored_name)


def replace_target_list(report, file):
    """Stores the target-group list (an Excel workbook, a PDF or a photo of the paper list)
    in place of the one before."""
    try:
        stored = storage.save_upload(file, allowed=TARGET_LIST_KINDS)
    except storage.UploadError as error:
        raise Refused(error.message, field="target_list") from None
    if report.target_list_stored_name:
        storage.delete_after_commit(report.target_list_stored_name)
    report.target_list_stored_name, report.target_list_original_name = stored.stored_name, stored.original_name
    report.target_list_kind, report.target_list_sha256 = stored.kind, stored.sha256
    report.target_list_size = stored.size
    return stored
