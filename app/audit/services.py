"""Appending to the audit log, verifying it, and its head: the last entry, whose hash fixes every
entry up to it. Noted outside the system (the admin pages show it, every protocol prints it), a
head lets `flask audit verify --head` detect a log that was cut short or rewritten since."""
from dataclasses import dataclass
from datetime import timezone

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _

from app.audit.chain import GENESIS
from app.audit.models import HASH_VERSION, AuditEntry
from app.dbtypes import utcnow
from app.extensions import db

# Any constant: PostgreSQL serialises appends on this advisory lock until the transaction ends.
_APPEND_LOCK = 7_301_001


def record(actor, event, data=None):
    """Appends `event` done by `actor` (a User, or None for the system) in the current transaction.

    The entry becomes permanent with the caller's commit, together with the change it describes."""
    session = db.session
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _APPEND_LOCK})
    elif dialect == "sqlite":
        # A write statement (even one that changes nothing) takes SQLite's write lock now, so a
        # concurrent append waits for this transaction instead of reading the same chain head.
        session.execute(sa.update(AuditEntry).where(sa.false()).values(seq=AuditEntry.seq))
    head = session.execute(
        sa.select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
    at = utcnow().replace(tzinfo=timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
    payload = {"actor": actor.id if actor is not None else None, **(data or {})}
    entry = AuditEntry(seq=seq, at=at, actor_id=payload["actor"], event=event, data=payload, prev=prev,
                       hash_version=HASH_VERSION)
    entry.hash = entry.computed_hash()
    session.add(entry)
    session.flush()
    return entry


def head():
    """The last entry (None while the log is empty)."""
    return db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one_or_none()


def head_line():
    """The head now, in one line for the protocols: whoever keeps the paper can later check with
    `flask audit verify --head` that the log still holds it."""
    entry = head()
    if entry is None:
        return _("Audit log: no entries yet.")
    return _("Audit log head: entry No. %(seq)s, %(date)s (Almaty), %(hash)s",
             seq=entry.seq, date=format_datetime(entry.at_utc, "dd.MM.y HH:mm"), hash=entry.hash)


@dataclass(frozen=True)
class Verification:
    entries: int
    head: AuditEntry | None  # the last entry
    broken: int | None  # the seq of the first entry that breaks the chain
    noted_head: str | None  # a head noted earlier, if one was given
    noted_entry: AuditEntry | None  # the entry that carries the noted head, if the log still has it

    @property
    def ok(self):
        return self.broken is None and (self.noted_head is None or self.noted_entry is not None)


def verify_log(noted_head=None):
    """Recomputes the whole chain from the first entry and looks for `noted_head` (a hash noted
    earlier) in it. The chain holding up to the entry that carries it proves that no entry up to
    that one was changed, removed or rewritten since it was noted."""
    noted_head = noted_head.lower() if noted_head else None
    rows = db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=1000))
    count, prev, last, broken, noted_entry = 0, GENESIS, None, None, None
    for entry in rows.scalars():
        count += 1
        if broken is None and (entry.seq != count or entry.prev != prev or not entry.holds()):
            broken = entry.seq
        if entry.hash == noted_head:
            noted_entry = entry
        prev, last = entry.hash, entry
    return Verification(entries=count, head=last, broken=broken, noted_head=noted_head, noted_entry=noted_entry)


def verify():
    """The seq of the first entry that breaks the chain, or None when the whole log holds."""
    return verify_log().broken
