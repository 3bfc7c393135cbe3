"""What `/healthz` reports, for a monitor polling it every few seconds: each part cheap (one short
query or one small file), none naming a person, and none able to fail the whole answer.

`error` in the database or the storage makes the site unable to serve (HTTP 503); `warning` (the
mail outbox lagging, mail that gave up, migrations not applied, the rate limits' Redis not
answering) asks for an operator's look."""
import logging
import tempfile
import time

import sqlalchemy as sa
from flask import current_app

from app import storage
from app.backup.schema import code_head, database_head
from app.dbtypes import utcnow
from app.extensions import db, limiter
from app.mail.models import MailStatus, OutboxMessage

log = logging.getLogger(__name__)

OK, WARNING, ERROR, UNKNOWN = "ok", "warning", "error", "unknown"
_SERVING = ("database", "storage")  # the parts the site cannot serve without


def report():
    """(the report, its HTTP status)."""
    parts = {"database": _checked("database", _database)}
    database_up = parts["database"]["status"] == OK
    parts["storage"] = _checked("storage", _storage)
    parts["mail"] = _checked("mail", _mail) if database_up else {"status": UNKNOWN}
    parts["migrations"] = _checked("migrations", _migrations) if database_up else {"status": UNKNOWN}
    if _shared_rate_limits():
        parts["rate_limits"] = _checked("rate_limits", _rate_limits)
    if any(parts[name]["status"] != OK for name in _SERVING):
        status = ERROR
    elif any(part["status"] != OK for part in parts.values()):
        status = WARNING
    else:
        status = OK
    return {"status": status, **parts}, 503 if status == ERROR else 200


def _checked(name, check):
    """The part's report; any failure of the check itself is that part's error, never a 500."""
    try:
        return check()
    except (sa.exc.SQLAlchemyError, OSError) as error:  # the failures this reports: no traceback each poll
        log.warning("health check: %s failed: %s", name, error)
    except Exception:  # a health check answers whatever happens
        log.exception("health check: %s failed", name)
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        log.warning("health check: the failed transaction could not be rolled back")
    return {"status": ERROR}


def _database():
    started = time.perf_counter()
    db.session.execute(sa.text("SELECT 1"))
    return {"status": OK, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def _storage():
    """The uploads folder takes a new file (made and removed at once)."""
    with tempfile.NamedTemporaryFile(dir=storage.upload_folder(), prefix=".healthz-") as probe:
        probe.write(b"ok")
        probe.flush()
    return {"status": OK}


def _mail():
    """How long the oldest unsent message has waited, how many wait, and how many gave up
    (`flask mail retry` puts those back)."""
    waiting = {status: (count, oldest) for status, count, oldest in db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count(), sa.func.min(OutboxMessage.created_at))
        .where(OutboxMessage.status.in_((MailStatus.PENDING, MailStatus.FAILED))).group_by(OutboxMessage.status))}
    pending, oldest = waiting.get(MailStatus.PENDING, (0, None))
    failed = waiting.get(MailStatus.FAILED, (0, None))[0]
    lag = max(0, round((utcnow() - oldest).total_seconds())) if oldest else 0
    threshold = current_app.config["MAIL_LAG_WARNING"]
    return {"status": WARNING if lag > threshold or failed else OK, "pending": pending,
            "oldest_pending_seconds": lag, "warning_after_seconds": threshold, "failed": failed}


def _shared_rate_limits():
    """The rate limits are counted in a shared store (Redis), not in each process (memory://)."""
    config = current_app.config
    return config["RATELIMIT_ENABLED"] and not config["RATELIMIT_STORAGE_URI"].startswith("memory://")


def _rate_limits():
    """The shared store answers; when it does not, pages are still served and every process
    counts its own (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED): a warning, never an error."""
    shared = bool(limiter.storage.check())
    return {"status": OK if shared else WARNING, "shared": shared}


def _migrations():
    database, code = database_head(db.session.connection()), code_head()
    return {"status": OK if database == code else WARNING, "database": database, "code": code}
