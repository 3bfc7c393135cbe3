"""Tests of technical screening: decisions, appeals, closing, the protocol and the public results.

The fixtures and builders below serve the queue, checks, decisions, correction and roles tests
(imported by name in each module): applications submitted through the real `submit()`, each with
its own person (IIN, phone, birth date) unless a test wants them to look alike."""
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.applications.submission import submit
from app.audit.models import AuditEntry
from app.auth.models import Role
from app.extensions import db
from tests.conftest import login
from tests.factories import make_application, make_open_competition, make_user


@pytest.fixture
def call(app_ctx):
    return make_open_competition()


@pytest.fixture
def screener(app_ctx):
    return make_user("screener@example.kz", roles=(Role.STAFF,), locale="en")


@pytest.fixture
def second_screener(app_ctx):
    return make_user("second@example.kz", roles=(Role.STAFF,), locale="en")


@pytest.fixture
def as_screener(client, screener):
    login(client, screener.email)
    return client


def person(call, n, locale="en", **changes):
    """Applicant number `n` with a submitted application: a person of their own (e-mail, phone,
    birth date, IIN) unless `changes` say otherwise."""
    applicant = make_user(f"applicant{n:03d}@example.kz", locale=locale, phone=f"+7701{n:07d}")
    changes.setdefault("phone", applicant.phone)
    changes.setdefault("birth", date(1995, 1, 1) + timedelta(days=n))
    application = make_application(call, applicant, **changes)
    submit(application, applicant, consent=True)
    db.session.commit()
    return application


def audit_events(event_prefix="screening."):
    return [(entry.event, entry.data) for entry in db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.event.startswith(event_prefix)).order_by(AuditEntry.seq)).scalars()]


@contextmanager
def counting_queries():
    """The SQL statements sent while the block runs."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
