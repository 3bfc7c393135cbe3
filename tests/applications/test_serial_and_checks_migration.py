"""The migration that adds the serial, the names' key and the failing checks to applications fills
them for the rows already there exactly as the application keeps them for new ones, and its
downgrade takes them away again."""
from datetime import date

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.applications.submission import withdraw
from app.extensions import db
from tests.applications import en  # noqa: F401
from tests.factories import make_application, make_open_competition, make_user
from tests.screening import person

BEFORE = "g1a2b3c4d5e6"  # the revision before this one
FILLED = sa.text("SELECT id, serial, name_key, failed_checks FROM applications ORDER BY id")


def columns():
    return {column["name"] for column in sa.inspect(db.engine).get_columns("applications")}


def test_the_migration_fills_what_the_application_keeps_and_goes_back(en):
    call = make_open_competition()
    ordinary = person(call, 1)
    person(call, 2, birth=date(1980, 1, 1), region_code="AST", district_code=None)
    person(call, 3, iin="123456123456", phone=ordinary.phone)
    left = person(call, 4, last_name="Ömer")
    withdraw(left, left.applicant)
    call.last_application_number = 9999
    db.session.commit()
    person(call, 5, first_name="ÆSA")
    make_application(call, make_user("drafter@example.kz"), last_name=None)
    kept = db.session.execute(FILLED).all()
    assert {row.failed_checks for row in kept} == {None, "", "age region", "iin"}
    assert [row.serial for row in kept] == [1, 2, 3, 4, 10000, None]
    db.session.remove()
    try:
        downgrade(revision=BEFORE)
        assert not {"serial", "name_key", "failed_checks"} & columns()
    finally:
        db.session.remove()
        upgrade(revision="heads")
    assert db.session.execute(FILLED).all() == kept
