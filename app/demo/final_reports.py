"""The demo call's final reports, through the final reports' own services, so that the grants'
timelines, the mail and the audit log are real.

Each grant under way gets its grantee's report: the work done, the people reached (gender and age
buckets that add up), photos (small JPEG pictures drawn here), for some the target-group list as an
Excel workbook, links to publications, and a success story like those of seed 004, in the
project's language (app/demo/data/final_reports.json). Most reports are accepted by the demo staff
member (a grant whose payments are closed then completes), one waits for review, one was returned
with comments, and the last grantee is still writing a draft. The reports are dated in the days
before `now`."""
import io
import json
import random
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from openpyxl import Workbook
from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from app.auth.models import Role, User, UserRole
from app.contracts.models import Grant, GrantStatus
from app.dbtypes import utcnow
from app.demo.applications import url_context
from app.demo.data import FIRST_NAMES, HERE, SURNAMES
from app.extensions import db
from app.final_reports import drafting, review
from app.final_reports.models import age_column
from app.kz.age_buckets import AGE_BUCKETS
from app.kz.iin import Sex

TEXTS = json.loads((HERE / "final_reports.json").read_text(encoding="utf-8"))
PROJECTS = TEXTS["projects"]  # project title -> what its grantee writes
PHOTOS = 3  # per report; a draft has one
PHOTO_SIZE = (800, 600)
LIST_ROWS_MAX = 40  # the target-group list names at most this many people
REVIEWERS = (Role.STAFF, Role.MANAGER)  # who accepts and returns, the first found


@dataclass(frozen=True)
class FinalReportsDemo:
    accepted: int
    awaiting: int  # submitted, not reviewed yet
    returned: int
    drafts: int
    completed: int  # grants completed by their report's acceptance

    def line(self):
        return (f"Final reports: {self.accepted} accepted ({self.completed} grants completed, the others wait for "
                f"their last payments), {self.awaiting} awaiting review, {self.returned} returned with comments, "
                f"{self.drafts} draft.")


def load_final_reports(competition, now=None):
    """Writes, submits and reviews the final reports of `competition`'s grants under way. In the
    current transaction; the caller commits."""
    now = now or utcnow()
    grants = db.session.execute(sa.select(Grant).where(Grant.competition_id == competition.id,
                                                       Grant.status == GrantStatus.ACTIVE)
                                .order_by(Grant.number)).scalars().all()
    reviewer = _reviewer()
    roles = _roles(len(grants))
    with url_context():
        for index, (grant, role) in enumerate(zip(grants, roles)):
            _report(grant, index, role, reviewer, now - timedelta(days=12) + index * timedelta(hours=5))
    db.session.flush()
    return FinalReportsDemo(accepted=roles.count("accepted"), awaiting=roles.count("submitted"),
                            returned=roles.count("returned"), drafts=roles.count("draft"),
                            completed=sum(grant.status is GrantStatus.COMPLETED for grant in grants))


def _roles(count):
    """What becomes of each report, in the grants' order: most accepted; the last a draft, the one
    before it returned, the one before that waiting for review."""
    roles = ["accepted"] * count
    for back, role, fewest_grants in ((1, "draft", 2), (2, "returned", 3), (3, "submitted", 5)):
        if count >= fewest_grants:  # so that at least one report (two from five) is accepted
            roles[-back] = role
    return roles


def _reviewer():
    return db.session.execute(
        sa.select(User).join(UserRole).where(UserRole.role.in_(REVIEWERS), User.active.is_(True))
        .order_by(sa.case((UserRole.role == Role.STAFF, 0), else_=1), User.id).limit(1)).scalar_one()


def _report(grant, index, role, reviewer, moment):
    grantee = grant.application.applicant
    rng = random.Random(grant.number)
    text = PROJECTS.get(grant.application.project_title) or list(PROJECTS.values())[index % len(PROJECTS)]
    values = _values(grant, text, rng, index) if role != "draft" else {"work_done": TEXTS["draft_work_done"]}
    photos = [_photo(rng, f"{grant.number}-{n}.jpg") for n in range(1 if role == "draft" else PHOTOS)]
    target_list = _target_list(rng, values) if text["list"] and role != "draft" else None
    report = _dated(grant, moment - timedelta(days=2),
                    lambda: drafting.save_draft(grant, values, photos, target_list, grantee))
    report.created_at = report.updated_at = moment - timedelta(days=2)
    if role == "draft":
        return
    _dated(grant, moment, lambda: drafting.submit(grant, grantee))
    report.submitted_at = moment
    if role == "returned":
        _dated(grant, moment + timedelta(days=2), lambda: review.return_report(report, TEXTS["returned_comments"],
                                                                             reviewer))
    elif role == "accepted":
        _dated(grant, moment + timedelta(days=3), lambda: review.accept(report, reviewer))
        report.accepted_at = moment + timedelta(days=3)


def _dated(grant, moment, step):
    """Runs `step` and dates the lines it wrote on the grant's timeline at `moment`."""
    before = len(grant.events)
    result = step()
    for event in grant.events[before:]:
        event.at = moment
    return result


def _values(grant, text, rng, index):
    total = max(10, round(grant.application.beneficiaries_count * rng.uniform(0.9, 1.25)))
    female = round(total * text["female_share"])
    ages = _split(total, text["ages"])
    return {
        "work_done": text["work_done"], "beneficiaries": total, "female": female, "male": total - female,
        **{age_column(bucket): count for bucket, count in zip(AGE_BUCKETS, ages)},
        "media_links": "\n".join([*TEXTS["links"], f"https://www.instagram.com/p/{grant.number.replace('-', '')}/"]),
        "story_situation": text["situation"], "story_action": text["action"], "story_result": text["result"],
        "story_quote": text["quote"], "story_quote_by": text["quote_by"],
        "consent_to_publish": index % 7 != 3,  # a few grantees do not agree to publication
    }


def _split(total, weights):
    """`total` people shared by `weights`, rounded so that the shares add up to `total` exactly."""
    exact = [total * weight / sum(weights) for weight in weights]
    shares = [int(share) for share in exact]
    by_remainder = sorted(range(len(exact)), key=lambda n: exact[n] - shares[n], reverse=True)
    for n in by_remainder[:total - sum(shares)]:
        shares[n] += 1
    return shares


def _photo(rng, name):
    """A small JPEG picture of a room with tables and people, in colours of its own."""
    width, height = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE)
    draw = ImageDraw.Draw(image)
    wall = [rng.randint(150, 235) for _channel in range(3)]
    floor_top = height * 2 // 3
    for y in range(floor_top):
        shade = 1 - 0.35 * y / floor_top
        draw.line([(0, y), (width, y)], fill=tuple(int(channel * shade) for channel in wall))
    draw.rectangle([0, floor_top, width, height], fill=tuple(rng.randint(70, 130) for _channel in range(3)))
    window = rng.randint(40, width - 240)
    draw.rectangle([window, 60, window + 180, 220], fill=(205, 228, 245), outline=(250, 250, 250), width=8)
    for _table in range(rng.randint(1, 3)):
        x = rng.randint(20, width - 220)
        draw.rectangle([x, floor_top - 70, x + 200, floor_top - 50], fill=(120, 80, 45))
        draw.rectangle([x + 60, floor_top - 120, x + 140, floor_top - 70],
                       fill=tuple(rng.randint(30, 220) for _channel in range(3)))
    for _person in range(rng.randint(2, 5)):
        x, y = rng.randint(40, width - 80), rng.randint(floor_top - 40, height - 140)
        draw.rounded_rectangle([x - 32, y, x + 32, y + 130], radius=22,
                               fill=tuple(rng.randint(20, 230) for _channel in range(3)))
        draw.ellipse([x - 22, y - 48, x + 22, y - 4], fill=rng.choice([(232, 190, 150), (210, 160, 120),
                                                                       (180, 130, 95)]))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return FileStorage(stream=io.BytesIO(out.getvalue()), filename=name, content_type="image/jpeg")


def _target_list(rng, values):
    """The list of the people who took part, as an Excel workbook: number, name, sex, age."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Участники"
    sheet.append(["№", "Ф.И.О.", "Пол", "Возраст"])
    women = values["female"] / values["beneficiaries"]
    ages = [(bucket, values[age_column(bucket)]) for bucket in AGE_BUCKETS if values[age_column(bucket)]]
    for number in range(1, min(values["beneficiaries"], LIST_ROWS_MAX) + 1):
        sex = Sex.FEMALE if rng.random() < women else Sex.MALE
        origin = rng.choice(("kazakh", "kazakh", "other"))
        surname = rng.choice(SURNAMES[origin])
        if sex is Sex.FEMALE and surname.endswith(("ов", "ев", "ин")):
            surname += "а"
        bucket = rng.choices([bucket for bucket, _count in ages], [count for _bucket, count in ages])[0]
        age = rng.randint(bucket.low, bucket.high or bucket.low + 15)
        sheet.append([number, f"{surname} {rng.choice(FIRST_NAMES[origin][sex])}", "ж" if sex is Sex.FEMALE else "м",
                      age])
    out = io.BytesIO()
    book.save(out)
    return FileStorage(stream=io.BytesIO(out.getvalue()), filename="Список участников.xlsx")
