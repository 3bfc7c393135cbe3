"""Twenty workers submit the same draft at the same moment: exactly one submission, one number,
one mail. Only PostgreSQL holds row locks across connections, so the test runs there
(TEST_DATABASE_URL=postgresql+psycopg://...); SQLite lets one writer in at a time anyway."""
import threading

import pytest
import sqlalchemy as sa

from app.applications.models import Application, ApplicationEvent, ApplicationStatus
from app.applications.submission import SubmissionRefused, submit
from app.auth.models import User
from app.competitions.models import Competition
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.factories import make_application, make_open_competition, make_user

WORKERS = 20


@pytest.fixture
def postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://USER@HOST/DB "
                        "(row locks across connections cannot be tested on SQLite)")


def test_twenty_concurrent_submits_of_one_draft_submit_it_once(app, postgresql):
    with app.app_context():
        competition = make_open_competition()
        applicant = make_user("aigerim@example.kz")
        application_id, applicant_id = make_application(competition, applicant).id, applicant.id
        db.session.remove()

    start = threading.Barrier(WORKERS)
    results, errors = [], []

    def worker():
        with app.app_context():  # each worker: its own app context, session and connection
            try:
                start.wait(timeout=30)  # then all at once, as a view does: load, then submit
                application = db.session.get(Application, application_id)
                actor = db.session.get(User, applicant_id)
                submitted = submit(application, actor, consent=True)
                db.session.commit()
                results.append(submitted.number)
            except SubmissionRefused as refusal:  # would be a bug: a retry is never refused
                db.session.rollback()
                errors.append(str(refusal))
            except Exception as error:  # noqa: BLE001 - every failure is reported below
                db.session.rollback()
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert results == ["ZP25-0001"] * WORKERS
    with app.app_context():
        count = lambda query: db.session.execute(query).scalar()  # noqa: E731
        assert count(sa.select(sa.func.count()).select_from(Application)
                     .where(Application.status == ApplicationStatus.SUBMITTED)) == 1
        assert count(sa.select(sa.func.count()).select_from(ApplicationEvent)) == 1
        assert count(sa.select(sa.func.count()).select_from(OutboxMessage)) == 2  # receipt, survey invitation
        assert count(sa.select(Competition.last_application_number)) == 1
        db.session.remove()


def test_concurrent_submits_of_two_drafts_with_one_iin_let_one_through(app, postgresql):
    """Two accounts of one person, two drafts with the same IIN: the unique constraint decides,
    and the other is refused in words, never with a server error."""
    with app.app_context():
        competition = make_open_competition()
        first, second = make_user("one@example.kz"), make_user("two@example.kz", phone="+77021234567")
        one = make_application(competition, first)
        two = make_application(competition, second, iin=one.iin)
        pairs = [(one.id, first.id), (two.id, second.id)]
        db.session.remove()

    start = threading.Barrier(len(pairs))
    outcomes = []

    def worker(application_id, user_id):
        with app.app_context():
            try:
                start.wait(timeout=30)
                application, actor = db.session.get(Application, application_id), db.session.get(User, user_id)
                outcomes.append(submit(application, actor, consent=True).number)
                db.session.commit()
            except SubmissionRefused as refusal:
                db.session.rollback()
                outcomes.append(str(refusal))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(outcomes) == 2
    assert sum(outcome.startswith("ZP25-") for outcome in outcomes) == 1
    assert ("An application cannot be submitted with this IIN. If this is your IIN, contact the project office."
            in outcomes)
