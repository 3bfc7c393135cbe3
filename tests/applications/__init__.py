"""Fixtures and helpers of the application tests, imported by name in each module.

The users read the site in English (the catalogues may translate every message already), and the
service tests run inside an English request, so that messages can be compared as written."""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.applications.models import Application, ApplicationStatus
from app.auth.models import Role
from app.dbtypes import utcnow
from app.extensions import db
from tests import files
from tests.conftest import login
from tests.factories import make_application, make_iin, make_open_competition, make_user

PNG = files.picture("png")
JPEG = files.picture("jpeg")
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


@pytest.fixture
def en(app_ctx, app):
    """A request in English around a service test: its messages are translated when shown."""
    with app.test_request_context(headers={"Accept-Language": "en"}), force_locale("en"):
        yield


@pytest.fixture
def call(app_ctx):
    return make_open_competition()


@pytest.fixture
def applicant(app_ctx):
    return make_user("aigerim@example.kz", locale="en")


@pytest.fixture
def other(app_ctx):
    return make_user("other@example.kz", locale="en", phone="+77021234567")


@pytest.fixture
def staff(app_ctx):
    return make_user("screener@example.kz", roles=(Role.STAFF,), locale="en")


@pytest.fixture
def as_applicant(client, applicant):
    login(client, applicant.email)
    return client


@pytest.fixture
def draft(call, applicant):
    """An empty draft of the applicant, as the start button makes it."""
    application = Application(competition=call, applicant=applicant, status=ApplicationStatus.DRAFT,
                              social_categories=[])
    db.session.add(application)
    db.session.commit()
    return application


@pytest.fixture
def complete(call, applicant):
    """A complete draft with its required documents, ready to submit."""
    return make_application(call, applicant)


def mark_submitted(application, number="ZP25-0001"):
    """What a submission leaves behind, without going through it."""
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_iin = application.iin
    application.number = number
    application.submitted_at = utcnow()
    db.session.commit()
    return application


def close_call(competition):
    competition.opens_at = utcnow() - timedelta(days=20)
    competition.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()


def iin_for_age(age, competition_reference):
    """A valid IIN of someone who is `age` full years old on `competition_reference`."""
    birth = competition_reference.replace(year=competition_reference.year - age) - timedelta(days=1)
    return make_iin(birth, "female", serial=5)


def wrong_check_digit(iin):
    return iin[:11] + str((int(iin[11]) + 1) % 10)


def error_next_to(html, field_id):
    """The text of the error block tied to the field, or None."""
    found = re.search(rf'<div id="{re.escape(field_id)}-error"[^>]*>(.*?)</div>', html, re.S)
    return found.group(1).strip() if found else None


def value_of(html, field_id):
    """The value attribute of the input with this id (HTML-escaped as the page has it), or None."""
    tag = re.search(rf'<input[^>]*\bid="{re.escape(field_id)}"[^>]*>', html)
    if not tag:
        return None
    found = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return found.group(1) if found else ""


def assert_no_inline_code(html):
    """The Content-Security-Policy forbids inline scripts and styles: the pages must not need them."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def count(model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


BIRTH = date(2000, 5, 17)
