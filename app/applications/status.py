"""Moving an application from one status to another, only along TRANSITIONS, under a row lock."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.applications.models import TRANSITIONS, Application, ApplicationEvent
from app.dbtypes import utcnow
from app.errors import Refused
from app.extensions import db


class IllegalTransition(Refused):
    """The status table does not allow the change: a refusal shown to the person, never a 500."""

    def __init__(self, application, new_status):
        super().__init__(_l("This cannot be done now: the application is at the stage “%(status)s”.",
                            status=application.status.title))
        self.application = application
        self.new_status = new_status


def can_move(application, new_status):
    return new_status in TRANSITIONS[application.status]


def move(application, new_status, actor=None, message=None):
    """Changes the status and adds the step to the applicant's timeline; IllegalTransition when
    the table does not allow it."""
    if not can_move(application, new_status):
        raise IllegalTransition(application, new_status)
    application.status = new_status
    application.state_version += 1
    application.events.append(ApplicationEvent(
        status=new_status, at=utcnow(), actor_id=actor.id if actor is not None else None, message=message,
    ))


def locked(application):
    """The application re-read under a row lock held to the end of the transaction, so that
    concurrent changes of it queue up (PostgreSQL; SQLite lets one writer at a time anyway)."""
    return db.session.execute(
        sa.select(Application).where(Application.id == application.id)
        .with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
