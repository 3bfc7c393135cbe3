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


def move_all(moves, from_status, actor=None):
    """`move` for many applications at once, all at `from_status`: `moves` maps an application id
    to its new status. One UPDATE and one INSERT of the timeline's steps, each run once per row
    (so the number of bind parameters of a statement does not grow with the rows). The caller read
    them at `from_status` and holds their row locks. Objects of these applications already in the
    session are expired, so that they are read again."""
    illegal = set(moves.values()) - TRANSITIONS[from_status]
    if illegal:
        raise ValueError(f"the status table has no move from {from_status} to {illegal}")
    if not moves:
        return
    db.session.flush()  # what is pending is written before the session's objects are expired
    now = utcnow()
    table = Application.__table__
    db.session.execute(
        sa.update(table)
        .where(table.c.id == sa.bindparam("moved_id"), table.c.status == from_status)
        .values(status=sa.bindparam("new_status", type_=table.c.status.type),
                state_version=table.c.state_version + 1, updated_at=now),
        [{"moved_id": application_id, "new_status": new_status} for application_id, new_status in moves.items()])
    actor_id = actor.id if actor is not None else None
    db.session.execute(sa.insert(ApplicationEvent.__table__), [
        {"application_id": application_id, "status": new_status, "at": now, "actor_id": actor_id, "message": None}
        for application_id, new_status in moves.items()])
    for instance in list(db.session.identity_map.values()):
        if isinstance(instance, Application) and instance.id in moves:
            db.session.expire(instance)


def locked(application):
    """The application re-read under a row lock held to the end of the transaction, so that
    concurrent changes of it queue up (PostgreSQL; SQLite lets one writer at a time anyway)."""
    return db.session.execute(
        sa.select(Application).where(Application.id == application.id)
        .with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
