"""A visit's photos: pictures checked by content (a file that is not a JPEG or PNG is refused with
its name and the reason, and nothing of the batch is kept), stored encoded again, with a 320 px
thumbnail; both served, with caching, only to those who may read the visit."""
import io

import pytest
from PIL import Image

from app import storage
from app.auth.models import Role
from app.errors import Refused
from app.extensions import db
from app.monitoring import photos, visits
from app.monitoring.models import VisitPhoto
from tests import files
from tests.conftest import login
from tests.factories import MINIMAL_PDF, make_user
from tests.monitoring import make_group, photo_upload, picture, plan_for, record, signed_grants
from tests.screening import audit_events


@pytest.fixture
def visit(app_ctx):
    _call, (grant,) = signed_grants(regions=("ALA",))
    group = make_group("Алматы")
    plan_for(grant, group)
    return record(grant, group.members[0])


def stored_files():
    return sorted(path.name for path in storage.upload_folder().iterdir() if path.name.endswith((".jpg", ".png")))


def size_of(data):
    with Image.open(io.BytesIO(data)) as image:
        return image.format, image.size


def test_photos_are_stored_with_thumbnails_of_320_px_and_audited(visit):
    member = visit.group.members[0]
    added = visits.add_photos(visit, [photo_upload(picture(size=(1600, 1200))),
                                      photo_upload(picture("png", (300, 900), mode="RGBA"), "plan.png")], member)
    db.session.commit()
    first, second = added
    assert size_of(first.thumbnail) == ("JPEG", (320, 240))
    assert size_of(second.thumbnail) == ("JPEG", (107, 320))  # a transparent PNG laid on white
    assert size_of(storage.path_for(first.stored_name).read_bytes()) == ("JPEG", (1600, 1200))
    assert (second.kind, second.original_name) == ("png", "plan.png")
    (_event, data), = audit_events("monitoring.photos_added")
    assert data["visit"] == visit.id and [p["sha256"] for p in data["photos"]] == [first.sha256, second.sha256]


def test_a_file_that_is_not_a_picture_is_refused_with_its_name_and_nothing_is_kept(visit):
    before = stored_files()
    with pytest.raises(Refused) as refused:
        visits.add_photos(visit, [photo_upload(), photo_upload(MINIMAL_PDF, "акт.jpg")], visit.group.members[0])
    message = str(refused.value.message)
    assert message.startswith("The file “акт.jpg” was not added: This file is not of an accepted type.")
    assert "JPEG, PNG" in message and refused.value.field == "photos"
    db.session.rollback()
    assert stored_files() == before and db.session.query(VisitPhoto).count() == 0


def test_a_damaged_picture_is_refused(visit):
    with pytest.raises(Refused, match="cannot be opened"):
        visits.add_photos(visit, [photo_upload(picture()[:300])], visit.group.members[0])


def test_a_visit_keeps_at_most_twelve_photos(visit):
    member = visit.group.members[0]
    visits.add_photos(visit, [photo_upload(picture(size=(40, 30))) for _ in range(photos.PHOTOS_MAX - 1)], member)
    db.session.commit()
    with pytest.raises(Refused, match="1 more can be added"):
        visits.add_photos(visit, [photo_upload(), photo_upload()], member)


def test_only_a_member_of_the_visits_group_adds_photos(visit):
    manager = make_user("photos-manager@example.kz", roles=(Role.MANAGER,))
    with pytest.raises(Refused):
        visits.add_photos(visit, [photo_upload()], manager)


def test_the_photo_and_its_thumbnail_are_served_with_caching_to_readers_only(visit, client):
    member = visit.group.members[0]
    photo, = visits.add_photos(visit, [photo_upload(files.picture(size=(800, 600), gps=True))], member)
    db.session.commit()
    login(client, member.email)
    page = client.get(f"/manage/visits/{visit.id}").get_data(as_text=True)
    thumb_url = f"/manage/visits/{visit.id}/photos/{photo.id}/thumbnail"
    assert thumb_url in page
    response = client.get(thumb_url)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert size_of(response.data) == ("JPEG", (320, 240))
    assert response.headers["Cache-Control"] == "private, max-age=86400" and response.headers["ETag"]
    assert client.get(thumb_url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304

    full = client.get(f"/manage/visits/{visit.id}/photos/{photo.id}")
    assert full.status_code == 200 and size_of(full.data) == ("JPEG", (800, 600))
    assert files.exif_of(full.data)[1] == {}  # the phone's GPS position is gone
    assert full.headers["Cache-Control"] == "private, max-age=86400"

    stranger = make_user("photos-monitor@example.kz", roles=(Role.MONITOR,))
    client.post("/logout")
    login(client, stranger.email)
    assert client.get(thumb_url).status_code == 404
    assert client.get(f"/manage/visits/{visit.id}/photos/{photo.id}").status_code == 404


def test_photos_are_added_from_the_visit_page_and_a_pdf_is_refused_with_a_message(visit, client):
    member = visit.group.members[0]
    login(client, member.email)
    url = f"/manage/visits/{visit.id}/photos"
    response = client.post(url, data={"photos": [(io.BytesIO(MINIMAL_PDF), "photo.jpg")]},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "was not added: This file is not of an accepted type." in page
    response = client.post(url, data={"photos": []}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose the photos to add." in response.get_data(as_text=True)
    two = [(io.BytesIO(picture()), "1.jpg"), (io.BytesIO(picture("png")), "2.png")]
    response = client.post(url, data={"photos": two}, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith("#visit-photos")
    assert db.session.query(VisitPhoto).count() == 2
