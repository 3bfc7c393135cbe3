"""The photos of a visit: each upload is checked by content as a JPEG or PNG and stored encoded again
by app.storage; a JPEG thumbnail, THUMBNAIL_SIZE px on its longer side, is kept in the database
for the pages (a list of visits shows them without reading the photos themselves)."""
import io

from flask_babel import lazy_gettext as _l
from PIL import Image

from app import storage
from app.errors import Refused
from app.monitoring.models import VisitPhoto

PHOTO_KINDS = ("jpeg", "png")
PHOTOS_MAX = 12  # per visit
THUMBNAIL_SIZE = 320
THUMBNAIL_QUALITY = 80


def store(visit, files, actor):
    """Checks and stores `files` (werkzeug FileStorages) as photos of `visit` and returns them.
    The first file that is not a picture refuses them all, naming it; the files already stored
    are deleted when the transaction rolls back."""
    files = [file for file in files or () if file is not None and file.filename]
    if not files:
        raise Refused(_l("Choose the photos to add."), field="photos")
    room = PHOTOS_MAX - len(visit.photos)
    if len(files) > room:
        raise Refused(_l("A visit keeps at most %(max)s photos: %(room)s more can be added.", max=PHOTOS_MAX,
                         room=max(room, 0)), field="photos")
    added = []
    for file in files:
        try:
            stored = storage.save_upload(file, allowed=PHOTO_KINDS)
        except storage.UploadError as error:
            raise Refused(_l("The file “%(name)s” was not added: %(reason)s",
                             name=storage.clean_original_name(file.filename, "jpeg"), reason=error.message),
                          field="photos") from None
        photo = VisitPhoto(stored_name=stored.stored_name, original_name=stored.original_name, kind=stored.kind,
                           sha256=stored.sha256, size=stored.size,
                           thumbnail=thumbnail(storage.path_for(stored.stored_name)),
                           uploaded_by_id=actor.id if actor else None)
        visit.photos.append(photo)
        added.append(photo)
    return added


def thumbnail(path):
    """A JPEG of the stored picture at `path`, at most THUMBNAIL_SIZE px wide and high; a
    transparent PNG is laid on white."""
    with Image.open(path) as picture:
        picture.draft("RGB", (THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 2))  # a JPEG decodes at a fraction of its size
        picture.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        if picture.mode == "RGB":
            small = picture.copy()
        else:
            rgba = picture.convert("RGBA")
            small = Image.new("RGB", rgba.size, "white")
            small.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    small.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()
