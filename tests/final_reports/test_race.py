"""Two staff members accepting one report at once on two workers: the grant's row lock makes the
second wait for the first and read the report accepted, so it is refused and `report_accepted`
is sent once. PostgreSQL only (SQLite has one writer)."""
import threading

import pytest

from app.auth.models import Role, User
from app.contracts.models import Grant
from app.errors import Refused
from app.extensions import db
from app.final_reports import drafting, review
from app.final_reports.signals import report_accepted
from tests.final_reports import make_report
from tests.payments import make_staff


@pytest.fixture
def postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the row lock is tested on PostgreSQL (TEST_DATABASE_URL)")


def race_two_acceptances(app, monkeypatch):
    """Two acceptances of one report by two threads that both read it before either commits, when
    nothing stops them. Returns the outcomes and the reports `report_accepted` was sent for."""
    with app.test_request_context():
        report = make_report()
        grant_id = report.grant_id
        staff_ids = [make_staff(Role.STAFF, email=f"staff{n}@example.kz").id for n in (1, 2)]
        db.session.remove()

    both_read = threading.Barrier(2, timeout=2)
    read_locked = review.locked

    def locked_then_wait(grant):
        found = read_locked(grant)
        try:  # wait for the other acceptance to read too; under the lock it never comes
            both_read.wait()
        except threading.BrokenBarrierError:
            pass
        return found

    monkeypatch.setattr(review, "locked", locked_then_wait)
    outcomes, sent = [], []
    report_accepted.connect(receiver := lambda report, **_kwargs: sent.append(report.id))

    def accept(staff_id):
        with app.test_request_context():
            try:
                grant = db.session.get(Grant, grant_id)
                review.accept(drafting.report_of(grant), db.session.get(User, staff_id))
                db.session.commit()
                outcomes.append("accepted")
            except Refused:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(staff_id,)) for staff_id in staff_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    report_accepted.disconnect(receiver)
    return sorted(outcomes), sent


def test_two_racing_acceptances_accept_once(app, postgresql, monkeypatch):
    outcomes, sent = race_two_acceptances(app, monkeypatch)
    assert outcomes == ["accepted", "refused"] and len(sent) == 1


def test_without_the_row_lock_the_same_race_accepts_twice(app, postgresql, monkeypatch):
    """The test above proves the lock: take it away and both acceptances go through."""
    monkeypatch.setattr(drafting, "locked_grant", lambda grant: grant)
    outcomes, sent = race_two_acceptances(app, monkeypatch)
    assert outcomes == ["accepted", "accepted"] and len(sent) == 2
