"""The outbox table."""
import enum

from app.dbtypes import enum_type, utcnow
from app.extensions import db


class MailStatus(enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS; `flask mail retry` puts it back


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id = db.Column(db.Integer, primary_key=True)
    message_id = db.Column(db.String(255), nullable=False, unique=True)
    to_address = db.Column(db.String(254), nullable=False)
    subject = db.Column(db.String(255), nullable=False)
    body_text = db.Column(db.Text, nullable=False)
    locale = db.Column(db.String(2), nullable=False)
    status = db.Column(enum_type(MailStatus), nullable=False, default=MailStatus.PENDING, index=True)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.Text, nullable=True)
    next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime, nullable=True)
