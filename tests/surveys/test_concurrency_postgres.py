"""Several workers invite to the same survey, or answer the same link, at the same moment: one
invitation and one mail, one answer. Only PostgreSQL runs transactions side by side across
connections, so the tests run there (TEST_DATABASE_URL=postgresql+psycopg://...)."""
import threading

import sqlalchemy as sa

from app.applications.models import Application
from app.errors import Refused
from app.extensions import db
from app.mail.models import OutboxMessage
from app.surveys.answers import answer
from app.surveys.invitations import invite
from app.surveys.models import SurveyInvitation, SurveyStage
from tests.applications.test_submission_postgres import postgresql  # noqa: F401
from tests.factories import make_application, make_open_competition, make_user

WORKERS = 10


def run_together(app, step):
    """Runs `step()` in WORKERS threads, each in its own app context and session, started at
    once and committed; returns what they returned and what they raised."""
    start = threading.Barrier(WORKERS)
    results, errors = [], []

    def worker():
        with app.app_context():
            try:
                start.wait(timeout=30)
                results.append(step())
                db.session.commit()
            except Refused as refusal:
                db.session.rollback()
                results.append(refusal)
            except Exception as error:  # noqa: BLE001 - every failure is reported
                db.session.rollback()
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def count(model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def test_concurrent_invitations_to_one_survey_make_one_and_one_mail(app, postgresql):
    with app.app_context():
        application_id = make_application(make_open_competition(), make_user("aigerim@example.kz")).id
        db.session.remove()

    results, errors = run_together(app, lambda: len(invite(db.session.get(Application, application_id),
                                                           [SurveyStage.APPLICATION])))
    assert not errors, errors
    assert sorted(results) == [0] * (WORKERS - 1) + [1]
    with app.app_context():
        assert count(SurveyInvitation) == 1 and count(OutboxMessage) == 1
        db.session.remove()


def test_concurrent_answers_to_one_link_count_once(app, postgresql):
    with app.app_context():
        application = make_application(make_open_competition(), make_user("aigerim@example.kz"))
        [invitation] = invite(application, [SurveyStage.APPLICATION])
        db.session.commit()
        invitation_id = invitation.id
        db.session.remove()

    scores = iter(range(WORKERS))
    results, errors = run_together(app, lambda: answer(db.session.get(SurveyInvitation, invitation_id),
                                                       next(scores) % 5 + 1))
    assert not errors, errors
    assert sum(not isinstance(result, Refused) for result in results) == 1
    with app.app_context():
        assert db.session.get(SurveyInvitation, invitation_id).score is not None
        db.session.remove()
