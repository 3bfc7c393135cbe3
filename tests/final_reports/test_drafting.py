"""The grantee writes the final report as a draft and submits it: counts that must add up (saying
which does not), photos checked by content with their thumbnails, the target-group list, media
links, the grant moving to "Final report", and the grants that take no report."""
import pytest
import sqlalchemy as sa

from app import storage
from app.audit.models import AuditEntry
from app.contracts import grants
from app.contracts.models import GrantEventKind, GrantStatus
from app.errors import InvalidChange, Refused
from app.extensions import db
from app.final_reports import drafting
from app.final_reports.models import FinalReport, ReportStatus, age_column
from app.final_reports.photos import PHOTOS_MAX
from app.monitoring.photos import THUMBNAIL_SIZE
from app.kz.age_buckets import AGE_BUCKETS
from tests import files
from tests.final_reports import grantee_of, make_report, photo, report_values, reviewer, upload, xlsx
from tests.payments import make_grant, make_signed_grant


def audit_events(prefix="final_report."):
    return [(entry.event, entry.data) for entry in db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.event.startswith(prefix)).order_by(AuditEntry.seq)).scalars()]


def test_a_draft_is_saved_with_everything_and_submitted_moving_the_grant_to_reporting(request_ctx):
    grant = make_signed_grant()
    grantee = grantee_of(grant)
    drafting.save_draft(grant, report_values(), [photo(), photo("png")], upload(xlsx(), "Список.xlsx"), grantee)
    db.session.commit()
    report = drafting.report_of(grant)
    assert report.status is ReportStatus.DRAFT and grant.status is GrantStatus.ACTIVE
    assert (report.beneficiaries, report.female, report.male) == (120, 70, 50)
    assert [count for _bucket, count in report.age_counts] == [10, 40, 30, 20, 12, 5, 3]
    assert report.media_links == ["https://instagram.com/p/zhas-sewing", "https://facebook.com/zhasproject/posts/1"]
    assert report.consent_to_publish and report.story_quote_by == "Айжан, 24 года"
    assert [p.kind for p in report.photos] == ["jpeg", "png"]
    assert report.target_list_kind == "xlsx" and report.target_list_original_name == "Список.xlsx"

    drafting.submit(grant, grantee)
    db.session.commit()
    assert report.status is ReportStatus.SUBMITTED and report.submitted_at is not None
    assert grant.status is GrantStatus.REPORTING
    assert grant.events[-1].kind is GrantEventKind.REPORT_SUBMITTED and grant.events[-1].actor_id == grantee.id
    saved, submitted = audit_events()
    assert saved[0] == "final_report.saved" and saved[1]["beneficiaries"] == 120
    assert submitted[0] == "final_report.submitted"
    assert submitted[1]["work_done"] == report.work_done and submitted[1]["photos"] == [p.sha256 for p in report.photos]
    assert submitted[1]["grant_status"] == "reporting" and submitted[1]["actor"] == grantee.id


def test_every_age_bucket_has_its_column():
    assert [age_column(bucket) for bucket in AGE_BUCKETS] == [
        "age_13_16", "age_17_22", "age_23_27", "age_28_32", "age_33_45", "age_46_58", "age_59_plus"]
    assert all(hasattr(FinalReport, age_column(bucket)) for bucket in AGE_BUCKETS)


def test_a_draft_may_be_incomplete_but_is_not_submitted(request_ctx):
    grant = make_signed_grant()
    drafting.save_draft(grant, {"work_done": "Начали."}, [], None, grantee_of(grant))
    db.session.commit()
    with pytest.raises(InvalidChange) as refused:
        drafting.submit(grant, grantee_of(grant))
    assert set(refused.value.errors) == {"beneficiaries", "story_situation", "story_action", "story_result", "photos"}
    db.session.rollback()
    assert drafting.report_of(grant).status is ReportStatus.DRAFT and grant.status is GrantStatus.ACTIVE


@pytest.mark.parametrize("changes, field, message", [
    ({"female": 60}, "male", "Women and men add up to 110, but the project reached 120 people"),
    ({"age_59_plus": 0}, "age_59_plus", "The age groups add up to 117, but the project reached 120 people"),
    ({"beneficiaries": 0}, "beneficiaries", "Enter how many people the project reached."),
])
def test_counts_that_do_not_add_up_say_which_and_are_not_submitted(request_ctx, changes, field, message):
    grant = make_report(submit=False, **changes).grant
    with pytest.raises(InvalidChange) as refused:
        drafting.submit(grant, grantee_of(grant))
    assert list(refused.value.errors) == [field]
    assert message in str(refused.value.errors[field][0])
    db.session.rollback()
    assert drafting.report_of(grant).status is ReportStatus.DRAFT  # the draft stays saved


def test_the_database_refuses_a_submitted_report_whose_counts_do_not_add_up(request_ctx):
    report = make_report()
    report.male = 49
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("name, value", [
    ("work_done", "Текст\x00"), ("story_quote_by", "Айжан\n24"), ("story_quote_by", "\x07"),
    ("beneficiaries", 10 ** 25), ("female", -1), ("age_13_16", 1_000_001), ("work_done", "я" * 10_001),
    ("story_result", "я" * 3_001), ("story_quote_by", "я" * 201),
])
def test_hostile_values_are_refused_and_nothing_is_saved(request_ctx, name, value):
    grant = make_signed_grant()
    with pytest.raises(InvalidChange) as refused:
        drafting.save_draft(grant, report_values(**{name: value}), [], None, grantee_of(grant))
    assert list(refused.value.errors) == [name]
    db.session.rollback()
    assert drafting.report_of(grant) is None


def test_html_is_kept_as_plain_text(request_ctx):
    report = make_report(work_done="<script>alert(1)</script>", submit=False)
    assert report.work_done == "<script>alert(1)</script>"


@pytest.mark.parametrize("links, message", [
    ("javascript:alert(1)", "Not a web address"),
    ("просто текст", "Not a web address"),
    ("https://", "Not a web address"),
    ("http://[::1", "Not a web address"),
    ("https://example.kz/" + "a" * 500, "at most 500 characters"),
    ("\n".join(f"https://example.kz/{n}" for n in range(21)), "At most 20 links"),
])
def test_media_links_must_be_web_addresses(request_ctx, links, message):
    grant = make_signed_grant()
    with pytest.raises(InvalidChange) as refused:
        drafting.save_draft(grant, report_values(media_links=links), [], None, grantee_of(grant))
    assert message in " ".join(map(str, refused.value.errors["media_links"]))


def test_a_file_that_is_not_a_picture_is_refused_as_a_photo_naming_it(request_ctx):
    grant = make_signed_grant()
    for bad in (upload(files.pdf(), "photo.jpg"), upload(b"<svg onload=alert(1)>", "photo.png"),
                upload(files.picture("jpeg")[:200], "cut.jpg")):
        with pytest.raises(Refused) as refused:
            drafting.save_draft(grant, report_values(), [photo(), bad], None, grantee_of(grant))
        assert refused.value.field == "photos" and bad.filename in str(refused.value)
        db.session.rollback()
    assert drafting.report_of(grant) is None


def test_a_photo_gets_a_thumbnail_and_loses_its_gps_position(request_ctx):
    big = upload(files.picture("jpeg", size=(1600, 1200), gps=True), "IMG_0001.jpg")
    grant = make_signed_grant()
    drafting.save_draft(grant, report_values(), [big, photo("png")], None, grantee_of(grant))
    db.session.commit()
    jpeg, png = drafting.report_of(grant).photos
    with storage.open_stored(jpeg.stored_name) as f:
        assert files.exif_of(f.read())[1] == {}
    for stored in (jpeg, png):
        assert stored.thumbnail.startswith(storage.KINDS["jpeg"].magic)
        assert max(files.size_of(stored.thumbnail)) <= THUMBNAIL_SIZE
    assert files.size_of(jpeg.thumbnail) == (THUMBNAIL_SIZE, THUMBNAIL_SIZE * 3 // 4)


def test_a_report_holds_at_most_twenty_photos_and_a_deleted_one_goes(request_ctx):
    grant = make_signed_grant()
    report = make_report(grant, submit=False, photos=PHOTOS_MAX)
    with pytest.raises(Refused) as refused:
        drafting.save_draft(grant, report_values(), [photo()], None, grantee_of(grant))
    assert refused.value.field == "photos"
    db.session.rollback()
    gone = report.photos[0]
    drafting.delete_photo(grant, gone.id, grantee_of(grant))
    db.session.commit()
    assert len(drafting.report_of(grant).photos) == PHOTOS_MAX - 1
    assert not storage.path_for(gone.stored_name).exists()
    assert audit_events()[-1][0] == "final_report.photo_deleted"


@pytest.mark.parametrize("data, name", [(files.pdf(), "list.pdf"), (files.picture("jpeg"), "list.jpg")])
def test_the_target_list_may_be_a_pdf_or_a_photo_and_is_replaced(request_ctx, data, name):
    grant = make_signed_grant()
    drafting.save_draft(grant, report_values(), [], upload(xlsx(), "first.xlsx"), grantee_of(grant))
    db.session.commit()
    first = drafting.report_of(grant).target_list_stored_name
    drafting.save_draft(grant, report_values(), [], upload(data, name), grantee_of(grant))
    db.session.commit()
    assert drafting.report_of(grant).target_list_original_name == name
    assert not storage.path_for(first).exists()


def test_a_target_list_of_another_kind_is_refused(request_ctx):
    grant = make_signed_grant()
    with pytest.raises(Refused) as refused:
        drafting.save_draft(grant, report_values(), [], upload(b"MZ\x90\x00binary", "list.xlsx"), grantee_of(grant))
    assert refused.value.field == "target_list" and "XLSX" in str(refused.value)


@pytest.mark.parametrize("status, message", [
    (GrantStatus.CONTRACTING, "once both sides have signed the contract"),
    (GrantStatus.COMPLETED, "completed"),
])
def test_a_grant_not_under_way_takes_no_report(request_ctx, status, message):
    grant = make_grant(status=status)
    with pytest.raises(Refused) as refused:
        drafting.save_draft(grant, report_values(), [], None, grantee_of(grant))
    assert message in str(refused.value)


def test_a_terminated_grant_takes_no_report_nor_its_submission(request_ctx):
    grant = make_signed_grant()
    make_report(grant, submit=False)
    grants.terminate(grant, "Грантополучатель отказался от проекта.", reviewer())
    db.session.commit()
    for attempt in (lambda: drafting.save_draft(grant, report_values(), [], None, grantee_of(grant)),
                    lambda: drafting.submit(grant, grantee_of(grant))):
        with pytest.raises(Refused, match="terminated"):
            attempt()
        db.session.rollback()


def test_a_submitted_report_cannot_be_changed_or_submitted_again(request_ctx):
    report = make_report()
    with pytest.raises(Refused, match="reviewing"):
        drafting.save_draft(report.grant, report_values(work_done="Иначе."), [], None, grantee_of(report.grant))
    db.session.rollback()
    with pytest.raises(Refused):
        drafting.submit(report.grant, grantee_of(report.grant))
