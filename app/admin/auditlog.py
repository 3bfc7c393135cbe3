"""Reading the audit log for administrators: one page of entries, newest first, filtered by
action, actor, dates (Almaty) and object; and the chain verification of `flask audit verify`."""
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from app.almaty import almaty_to_utc
from app.audit import services as audit
from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db

PER_PAGE = 50
_PAGE_LIMIT = 10**9  # past any log's end, and (times PER_PAGE) an offset every database takes
# "application 17", "user: 5", "draw=2": the entries whose data says so.
_OBJECT = re.compile(r"^([a-z_]{1,40})\s*[:= ]\s*(\d{1,18})$")
_LIKE_ESCAPE = "!"


@dataclass
class AuditFilters:
    action: str = ""  # the beginning of the event name, e.g. "user." or "screening.decided"
    actor: str = ""  # part of the actor's e-mail
    since: date | None = None  # Almaty dates, both inclusive
    until: date | None = None
    text: str = ""  # an object ("application 17") or any text of the entry's data


@dataclass
class AuditRow:
    entry: AuditEntry
    at: datetime  # aware, UTC
    data_text: str


@dataclass
class ChainCheck:
    entries: int
    head: str | None  # the last entry's hash
    broken: AuditEntry | None  # the first entry that breaks the chain

    @property
    def ok(self):
        return self.broken is None


def audit_page(filters, page=1, per_page=PER_PAGE):
    """One page (a Flask-SQLAlchemy Pagination) of the entries that match `filters`, newest
    first, and its rows. A page number past the end shows the last page."""
    query = _filtered(filters).order_by(AuditEntry.seq.desc())
    found = db.paginate(query, page=min(max(1, page), _PAGE_LIMIT), per_page=per_page, error_out=False)
    if found.page > found.pages > 0:
        found = db.paginate(query, page=found.pages, per_page=per_page, error_out=False)
    return found, [_row(entry) for entry in found.items]


def _row(entry):
    return AuditRow(entry=entry, at=entry.at_utc,
                    data_text=json.dumps(entry.data, ensure_ascii=False, sort_keys=True))


def event_names():
    """Every action name the log holds, for the filter's suggestions."""
    return db.session.execute(
        sa.select(AuditEntry.event).distinct().order_by(AuditEntry.event)).scalars().all()


def _filtered(filters):
    query = sa.select(AuditEntry)
    if filters.action:
        query = query.where(AuditEntry.event.like(_escaped(filters.action) + "%", escape=_LIKE_ESCAPE))
    if filters.actor:
        query = query.where(AuditEntry.actor.has(
            User.email.ilike("%" + _escaped(filters.actor) + "%", escape=_LIKE_ESCAPE)))
    if filters.since:
        query = query.where(AuditEntry.at >= _utc_text(filters.since))
    if filters.until:
        query = query.where(AuditEntry.at < _utc_text(filters.until + timedelta(days=1)))
    if filters.text:
        query = query.where(_data_condition(filters.text))
    return query


def _utc_text(day):
    """The start of an Almaty day as the log writes times (ISO 8601 UTC text, which sorts)."""
    utc = almaty_to_utc(datetime.combine(day, time.min)).replace(tzinfo=timezone.utc)
    return utc.isoformat(timespec="microseconds").replace("+00:00", "Z")


def _data_condition(text):
    """The entry's data (as JSON text) names the object, or contains the text. Both spellings of
    non-Latin letters are searched: as typed, and as JSON escapes them."""
    data = sa.cast(AuditEntry.data, sa.Text)
    found = _OBJECT.match(text.strip().lower())
    if found:
        key, number = found.groups()
        spellings = [f'"{key}": {number}{end}' for end in ",}"] + [f'"{key}":{number}{end}' for end in ",}"]
    else:
        spellings = {text, json.dumps(text)[1:-1]}
    return sa.or_(*(data.ilike("%" + _escaped(s) + "%", escape=_LIKE_ESCAPE) for s in spellings))


def _escaped(text):
    for ch in (_LIKE_ESCAPE, "%", "_"):
        text = text.replace(ch, _LIKE_ESCAPE + ch)
    return text


def verify_chain(actor):
    """Recomputes the whole chain as `flask audit verify` does; the check itself goes into the log."""
    result = audit.verify_log()
    head = result.head.hash if result.head else None
    broken = db.session.get(AuditEntry, result.broken) if result.broken is not None else None
    audit.record(actor, "audit.verified", {"entries": result.entries, "head": head, "broken": result.broken})
    return ChainCheck(entries=result.entries, head=head, broken=broken)
