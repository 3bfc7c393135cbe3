"""Two staff members accepting one report at once on two workers: the grant's row lock makes the
second wait for the first and read the report accepted, so it is refused and `report_accepted`
is sent once. PostgreSQL only (SQLite has one writer)."""
from app.auth.models import Role, User
from app.contracts.models import Grant
from app.extensions import db
from app.final_reports import drafting, review
from app.final_reports.signals import report_accepted
from tests.final_reports import make_report
from tests.payments import make_staff
from tests.race import postgresql_only, race

pytestmark = postgresql_only


def race_two_acceptances(app, monkeypatch):
    """Two acceptances of one report by two threads that both read it before either commits, when
    nothing stops them. Returns the outcomes and the reports `report_accepted` was sent for."""
    with app.test_request_context():
        report = make_report()
        grant_id = report.grant_id
        staff_ids = [make_staff(Role.STAFF, email=f"staff{n}@example.kz").id for n in (1, 2)]
        db.session.remove()

    def accept(staff_id):
        review.accept(drafting.report_of(db.session.get(Grant, grant_id)), db.session.get(User, staff_id))

    sent = []
    report_accepted.connect(receiver := lambda report, **_kwargs: sent.append(report.id))
    outcomes = race(app, monkeypatch, (review, "locked"), accept, staff_ids, "accepted")
    report_accepted.disconnect(receiver)
    return outcomes, sent


def test_two_racing_acceptances_accept_once(app, monkeypatch):
    outcomes, sent = race_two_acceptances(app, monkeypatch)
    assert outcomes == ["accepted", "refused"] and len(sent) == 1


def test_without_the_row_lock_the_same_race_accepts_twice(app, monkeypatch):
    """The test above proves the lock: take it away and both acceptances go through."""
    monkeypatch.setattr(drafting, "locked_grant", lambda grant: grant)
    outcomes, sent = race_two_acceptances(app, monkeypatch)
    assert outcomes == ["accepted", "accepted"] and len(sent) == 2
