"""Queueing mail inside the caller's transaction, and delivering what is pending.

Requests only queue: delivery is the work of `flask mail send` (beside the server in `make run`, a
service in production), so that no page takes longer, or answers differently, because it mailed."""
import logging
import uuid
from collections import defaultdict
from datetime import timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime as rfc2822_date

import jinja2
import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, get_translations

from app.dbtypes import utcnow
from app.extensions import db
from app.mail.backends import BACKENDS
from app.mail.models import MailStatus, OutboxMessage

log = logging.getLogger(__name__)


def queue_mail(to_address, template, locale, **context):
    """Adds a message to the outbox in the current transaction, rendered in `locale`.

    `templates/<template>.txt` (e.g. "auth/mail/confirm_email": each feature keeps its
    mail beside its pages) renders to the subject on its first line, a blank line, then
    the body. Nothing is sent unless the caller commits."""
    with force_locale(locale):
        message = OutboxMessage(**_outbox_row(to_address, template, locale, context))
    db.session.add(message)
    db.session.flush()
    return message


def queue_mails(mails):
    """`queue_mail` for many messages at once (e.g. every applicant of a draw): `mails` gives
    (to_address, template, locale, context) each. Rendered a language at a time, then one INSERT
    run once per message, so neither a flush per message nor bind parameters that grow with them;
    returns how many were queued."""
    mails = list(mails)
    rows = [None] * len(mails)
    by_locale = defaultdict(list)
    for index, (_to_address, _template, locale, _context) in enumerate(mails):
        by_locale[locale].append(index)
    for locale, indexes in by_locale.items():
        with force_locale(locale):
            for index in indexes:
                rows[index] = _outbox_row(*mails[index])
    if rows:
        db.session.execute(sa.insert(OutboxMessage.__table__), rows)
    return len(rows)


def _outbox_row(to_address, template, locale, context):
    """The outbox row of a message, rendered under force_locale(locale)."""
    rendered = _environment(locale).get_template(f"{template}.txt").render(context)
    subject, _, body = rendered.strip().partition("\n")
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip("> ") or "localhost"
    return {"message_id": f"<{uuid.uuid4().hex}@{domain}>", "to_address": to_address,
            "subject": subject.strip()[:255], "body_text": body.strip() + "\n", "locale": locale}


def _environment(locale):
    """The app's Jinja environment (its templates, globals and filters) with the translations of
    `locale` bound to `_` once, made once per app and language, under force_locale(locale). The
    app's `_` (Flask-Babel's) looks the translations up again at each call: at 80,000 mails of a
    draw, that was most of the time of rendering them."""
    environments = current_app.extensions.setdefault("mail_environments", {})
    if locale not in environments:
        app_environment = current_app.jinja_env
        environment = jinja2.Environment(loader=app_environment.loader, autoescape=app_environment.autoescape,
                                         extensions=list(app_environment.extensions), **current_app.jinja_options)
        environment.globals.update(app_environment.globals)
        environment.filters.update(app_environment.filters)
        environment.tests.update(app_environment.tests)
        environment.install_gettext_translations(get_translations(), newstyle=True)
        environments[locale] = environment
    return environments[locale]


def build_email(outbox):
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = outbox.to_address
    message["Subject"] = outbox.subject
    message["Message-ID"] = outbox.message_id
    message["Date"] = rfc2822_date(outbox.created_at.replace(tzinfo=timezone.utc))
    message["Content-Language"] = outbox.locale
    message.set_content(outbox.body_text)
    return message


def _claim_next(now):
    """The next due message, locked for this transaction; other senders skip it (PostgreSQL)."""
    query = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.status == MailStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return db.session.execute(query).scalar_one_or_none()


def retry_delay(attempts):
    return timedelta(minutes=min(2 ** attempts, 360))


def deliver_pending(limit=None):
    """Sends due pending messages one by one, each in its own transaction, so a message whose
    sending succeeded is marked sent at once and never goes again. Returns (sent, failed)."""
    backend = BACKENDS[current_app.config["MAIL_BACKEND"]](current_app)
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    sent = failed = 0
    try:
        while limit is None or sent + failed < limit:
            now = utcnow()
            outbox = _claim_next(now)
            if outbox is None:
                break
            try:
                backend.send(outbox.id, build_email(outbox))
            except Exception as error:  # any failure: keep the row, try again later
                log.warning("mail %s to %s not sent: %s", outbox.id, outbox.to_address, error)
                outbox.attempts += 1
                outbox.last_error = f"{type(error).__name__}: {error}"[:2000]
                outbox.next_attempt_at = now + retry_delay(outbox.attempts)
                if outbox.attempts >= max_attempts:
                    outbox.status = MailStatus.FAILED
                failed += 1
            else:
                outbox.status = MailStatus.SENT
                outbox.sent_at = now
                outbox.attempts += 1
                sent += 1
            db.session.commit()
    finally:
        backend.close()
    return sent, failed


def retry_failed():
    """Puts every failed message back in the queue; returns how many."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.status == MailStatus.FAILED)
        .values(status=MailStatus.PENDING, attempts=0, next_attempt_at=utcnow())
    )
    db.session.commit()
    return result.rowcount
