"""Builders for the final-report tests: a complete report's values, photos and files as a form
uploads them, a report saved (and submitted) through the services on a grant with a signed contract."""
import io

import sqlalchemy as sa
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

from app.auth.models import Role, User
from app.extensions import db
from app.final_reports import drafting
from tests import files
from tests.mail.helpers import outbox_for
from tests.payments import make_signed_grant, make_staff

AGES = {"age_13_16": 10, "age_17_22": 40, "age_23_27": 30, "age_28_32": 20, "age_33_45": 12, "age_46_58": 5,
        "age_59_plus": 3}


def report_values(**changes):
    """A complete report as the form gives it: 120 people, 70 women and 50 men, ages adding up."""
    values = {
        "work_done": "Купили две швейные машины и оверлок, открыли мастерскую, провели 12 занятий по шитью.",
        "beneficiaries": 120, "female": 70, "male": 50, **AGES,
        "media_links": "https://instagram.com/p/zhas-sewing\nfacebook.com/zhasproject/posts/1",
        "story_situation": "Айжан, 24 года, мама двоих детей, три года не работала.",
        "story_action": "Прошла курс шитья в мастерской и начала брать заказы на ремонт одежды.",
        "story_result": "Теперь зарабатывает 80 000 тенге в месяц, работая по гибкому графику.",
        "story_quote": "Я снова чувствую, что могу сама обеспечить детей.",
        "story_quote_by": "Айжан, 24 года",
        "consent_to_publish": True,
    }
    values.update(changes)
    return values


def upload(data, filename, content_type="application/octet-stream"):
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)


def photo(kind="jpeg", name=None, size=(64, 48)):
    return upload(files.picture(kind, size=size), name or f"photo.{'jpg' if kind == 'jpeg' else 'png'}")


def xlsx(rows=(("№", "ФИО", "Пол", "Возраст"), (1, "Айжан Серикова", "ж", 24))):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def grantee_of(grant):
    return grant.application.applicant


def reviewer():
    """The staff member who reviews reports (made on the first call)."""
    return db.session.execute(sa.select(User).filter_by(email="reviewer@example.kz")).scalar_one_or_none() or \
        make_staff(Role.STAFF, email="reviewer@example.kz")


def report_mails(grant):
    """The mail about the final report the grantee received (the contract's mail before it left out)."""
    return [mail for mail in outbox_for(grantee_of(grant).email) if "final_reports/" in mail.body_text
            or "/final-report" in mail.body_text]


def make_report(grant=None, submit=True, photos=1, **changes):
    """A report saved through the services on `grant` (a new ACTIVE grant with a signed contract
    when none is given), with `photos` photos, and submitted unless `submit` is false."""
    grant = grant or make_signed_grant()
    grantee = grantee_of(grant)
    drafting.save_draft(grant, report_values(**changes), [photo() for _n in range(photos)], None, grantee)
    if submit:
        drafting.submit(grant, grantee)
    db.session.commit()
    return drafting.report_of(grant)
