"""Builders for the monitoring tests: the grants of one call with signed contracts, groups, photos,
and a visit as a member types it."""
import io
from datetime import date

from PIL import Image

from app.auth.models import Role
from app.extensions import db
from app.kz.regions import get_region
from app.monitoring import groups, plan, visits
from app.monitoring.models import CheckAnswer, CheckItem, MonitoringGroup, Visit, VisitPhoto, VisitRating
from app.payments.decisions import almaty_today
from tests import factories
from tests.payments import make_signed_grant


def signed_grants(regions=("ALA", "ALA", "MAN"), code="ZP30", signed_days_ago=30, first=1):
    """ACTIVE grants of one call (its code `code`) whose contracts took effect `signed_days_ago`
    days ago, their applicants registered in `regions` (each in its region's first district),
    numbered from `first` (each grant is made in a call of its own, named by its number, first)."""
    call = factories.make_competition(code=code)
    grants = []
    for n, region in enumerate(regions, first):
        grant = make_signed_grant(number=f"{code}-G-{n:04d}", signed_days_ago=signed_days_ago)
        application = grant.application
        grant.competition_id = application.competition_id = call.id
        application.region_code, application.district_code = region, get_region(region).districts[0].code
        grants.append(grant)
    db.session.commit()
    return call, grants


def make_group(name="Алматы", region_code=None, members=None, email_prefix="monitor"):
    """A group of `members` (users), three new monitors when not given."""
    members = members or [factories.make_user(f"{email_prefix}-{name.lower()}-{n}@example.kz", roles=(Role.MONITOR,))
                          for n in range(1, 4)]
    group = groups.create_group({"name": name, "region_code": region_code, "member_ids": [m.id for m in members]}, None)
    db.session.commit()
    return group


def plan_for(grant, group, planned_on=None, actor=None):
    entry = plan.plan_grant(grant, group, planned_on or almaty_today(), actor)
    db.session.commit()
    return entry


def visit_values(members, visited_on=None, rating=VisitRating.GOOD, answers=None, **changes):
    """What a member sends: every item answered yes unless `answers` ({CheckItem: CheckAnswer}) says."""
    answers = answers or {}
    checks = {item: (answers.get(item, CheckAnswer.YES),
                     "" if answers.get(item, CheckAnswer.YES) is CheckAnswer.YES else "Не всё на месте")
              for item in CheckItem}
    values = {"visited_on": visited_on or almaty_today(), "member_ids": [m.id for m in members],
              "others_present": "Грантополучатель, 3 участницы", "checks": checks,
              "findings": "Оборудование на месте, мастерская работает.", "rating": rating}
    values.update(changes)
    return values


def record(grant, member, **changes):
    visit = visits.record_visit(grant, visit_values([member], **changes), member)
    db.session.commit()
    return visit


def picture(kind="jpeg", size=(1200, 900), mode="RGB"):
    """A real picture of `size`, with a dark top-left quarter."""
    image = Image.new(mode, size, (200, 40, 40) if mode == "RGB" else (200, 40, 40, 128))
    image.paste((0, 0, 0) if mode == "RGB" else (0, 0, 0, 255), (0, 0, size[0] // 2, size[1] // 2))
    out = io.BytesIO()
    image.save(out, "JPEG" if kind == "jpeg" else "PNG")
    return out.getvalue()


def photo_upload(data=None, filename="photo.jpg"):
    return factories.upload(data if data is not None else picture(), filename=filename, content_type="image/jpeg")


def monitoring_url_values(grant):
    """Real objects for monitoring's URL variables (tests/auth/test_permissions.py): a group, a
    visit of `grant` and its photo (the file itself is not there)."""
    group = MonitoringGroup(name="Группа мониторинга")
    visit = Visit(grant_id=grant.id, group=group, visited_on=date.today(), findings="Всё на месте.",
                  rating=VisitRating.GOOD, needs_follow_up=False, photos=[VisitPhoto(
                      stored_name="2" * 32 + ".jpg", original_name="photo.jpg", kind="jpeg", sha256="0" * 64, size=1,
                      thumbnail=picture(size=(32, 24)))])
    db.session.add(visit)
    db.session.commit()
    return {"group_id": group.id, "visit_id": visit.id, "visit_photo_id": visit.photos[0].id}
