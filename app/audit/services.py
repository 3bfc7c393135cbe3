"""Appending to the audit log and verifying it."""
from datetime import timezone

import sqlalchemy as sa

from app.audit.chain import GENESIS, entry_hash, first_broken
from app.audit.models import AuditEntry
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
    entry = AuditEntry(
        seq=seq, at=at, actor_id=payload["actor"], event=event, data=payload, prev=prev,
        hash=entry_hash(prev, seq, at, event, payload),
    )
    session.add(entry)
    session.flush()
    return entry


def verify():
    """The seq of the first entry that breaks the chain, or None when the whole log holds."""
    rows = db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=1000))
    return first_broken(entry.as_chain_entry() for entry in rows.scalars())
