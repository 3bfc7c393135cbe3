"""Two approvals of one grant racing on two workers cannot overspend: the grant's row lock makes
the second wait for the first and read what it committed. PostgreSQL only (SQLite has one writer)."""
from sqlalchemy import event

from app.auth.models import User
from app.contracts.models import Grant
from app.extensions import db
from app.contracts import grants as grants_module
from app.payments import decisions
from app.payments.ledger import ledger
from app.payments.models import PaymentRequest
from tests.payments import make_grant, make_request, make_staff, make_supplier
from tests.race import postgresql_only, race

pytestmark = postgresql_only


def race_two_approvals(app, monkeypatch):
    """Two requests of 600,000 on a grant of 1,000,000, approved at once by two threads that both
    read approved + paid before either commits, when nothing stops them. Returns the outcomes."""
    with app.app_context():
        grant = make_grant(amount=1_000_000)
        supplier, staff = make_supplier(), make_staff()
        ids = [make_request(grant, supplier, staff, lines=((item, 1, 600_000),)).id for item in ("Станок", "Печь")]
        grant_id, staff_id = grant.id, staff.id
        db.session.remove()

    def approve(payment_id):
        decisions.approve(db.session.get(PaymentRequest, payment_id), db.session.get(User, staff_id))

    outcomes = race(app, monkeypatch, (decisions, "committed"), approve, ids, "approved")
    with app.app_context():
        return outcomes, ledger(db.session.get(Grant, grant_id))


def test_two_racing_approvals_cannot_overspend_the_grant(app, monkeypatch):
    outcomes, after = race_two_approvals(app, monkeypatch)
    assert outcomes == ["approved", "refused"]
    assert after.approved == 600_000 and after.remaining == 400_000


def test_without_the_row_lock_the_same_race_overspends(app, monkeypatch):
    """The test above proves the lock: take it away and both approvals go through."""
    monkeypatch.setattr(decisions, "locked_grant", lambda grant: grant)
    outcomes, after = race_two_approvals(app, monkeypatch)
    assert outcomes == ["approved", "approved"]
    assert after.approved == 1_200_000 and after.remaining < 0


def test_the_lock_is_a_select_for_update_of_the_grant(app, app_ctx):
    grant = make_grant()
    statements = []

    def listener(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        grants_module.locked_grant(grant)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert any("FROM grants" in s and "FOR UPDATE" in s for s in statements)
