"""What every step of the draw shares: the refusal it raises, the locked draw row, the check of the
state change, the flush that refuses instead of overwriting, and the entry in the draw's public
hash chain (the audit log is written by each step itself)."""
from datetime import timezone

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from app.applications.models import Application, ApplicationStatus
from app.audit.chain import GENESIS, entry_hash
from app.dbtypes import utcnow
from app.errors import Refused
from app.extensions import db
from app.lottery.models import DRAW_TRANSITIONS, Draw, DrawLogEntry

# What an application on a committed list can be: eligible when it was committed, then what the
# draw, a replacement or a withdrawal made of it.
ON_THE_LIST = (ApplicationStatus.ELIGIBLE, ApplicationStatus.WINNER, ApplicationStatus.RESERVE,
               ApplicationStatus.NOT_SELECTED, ApplicationStatus.WITHDRAWN)


class DrawRefused(Refused):
    """A step that the rules do not allow now; `message` says why, for the person who tried."""


def actor_id(user):
    return user.id if user is not None else None


def locked(draw):
    """The draw row, locked until the transaction ends (PostgreSQL) and read afresh: two workers
    doing a step at once run it one after the other, and the second sees what the first did."""
    return db.session.execute(
        sa.select(Draw).where(Draw.id == draw.id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


def check_move(draw, new_state):
    if new_state not in DRAW_TRANSITIONS[draw.state]:
        raise DrawRefused(_l("The draw is %(state)s: it cannot become %(new)s.",
                             state=draw.state.title, new=new_state.title))


def flush(draw):
    """Writes the draw row; another transaction that changed it first (no row locks on SQLite)
    makes this step a refusal instead of an overwrite."""
    try:
        db.session.flush()
    except StaleDataError:
        raise DrawRefused(_l("Someone else changed this draw at the same moment. Reload the page.")) from None


def log(draw, event, data):
    """Appends to the draw's public hash chain (the caller holds the draw row lock)."""
    head = db.session.execute(
        sa.select(DrawLogEntry.seq, DrawLogEntry.hash).where(DrawLogEntry.draw_id == draw.id)
        .order_by(DrawLogEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
    at = log_time()
    entry = DrawLogEntry(seq=seq, at=at, event=event, data=data, prev=prev,
                         hash=entry_hash(prev, seq, at, event, data))
    draw.log.append(entry)
    db.session.flush()
    return entry


def log_time():
    """Now, as a log entry's `at`: ISO-8601 UTC text with microseconds, e.g. 2026-06-01T10:00:00.000000Z."""
    return utcnow().replace(tzinfo=timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def on_the_list(draw, select, statuses=ON_THE_LIST):
    """{ticket: row} of `select`, whose first column is Application.number, for the applications of
    the draw's call at one of `statuses` that are on its list. Chosen by the call and the statuses,
    never by a list of tickets, so the statement's bind parameters do not grow with the list."""
    tickets = {entry["ticket"] for entry in draw.entries}
    rows = db.session.execute(
        select.where(Application.competition_id == draw.competition_id, Application.status.in_(statuses))).all()
    return {row[0]: row for row in rows if row[0] in tickets}


def applications_by_ticket(draw, statuses=ON_THE_LIST):
    """The applications on the draw's list that are at one of `statuses`, by ticket (their public
    number); their collections (budget, documents, timeline) are read only if used."""
    select = sa.select(Application.number, Application).options(
        sa.orm.lazyload(Application.budget_lines), sa.orm.lazyload(Application.documents),
        sa.orm.lazyload(Application.events))
    return {ticket: row.Application for ticket, row in on_the_list(draw, select, statuses).items()}
