"""Two screeners decide the same application at the same moment, on two workers: exactly one
decision is taken; the other is refused as taken on a stale page (PostgreSQL row locks)."""
import threading

import pytest
import sqlalchemy as sa

from app.applications.models import Application, ApplicationStatus
from app.errors import Refused
from app.extensions import db
from app.screening.decisions import decide_eligible, reject
from app.screening.models import ReasonCode, ScreeningDecision
from tests.screening import call, person, screener, second_screener  # noqa: F401  (fixtures)


def test_simultaneous_decisions_on_one_application_apply_once(app, call, screener, second_screener):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent transactions with row locks); CI runs it there")
    application = person(call, 1)
    version, application_id = application.state_version, application.id
    users = {"eligible": screener.id, "reject": second_screener.id}
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(kind):
        with app.app_context():
            target = db.session.get(Application, application_id)
            actor = db.session.get(type(screener), users[kind])
            barrier.wait()
            try:
                if kind == "eligible":
                    decide_eligible(target, actor, version)
                else:
                    reject(target, actor, version, [ReasonCode.AGE])
                db.session.commit()
                outcomes[kind] = "decided"
            except Refused:
                db.session.rollback()
                outcomes[kind] = "refused"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=(kind,)) for kind in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes.values()) == ["decided", "refused"]
    decisions = db.session.execute(sa.select(ScreeningDecision)).scalars().all()
    assert len(decisions) == 1
    db.session.expire_all()
    final = db.session.get(Application, application_id)
    expected = ApplicationStatus.ELIGIBLE if outcomes["eligible"] == "decided" else ApplicationStatus.REJECTED
    assert final.status is expected
    assert final.state_version == version + 1
