"""Log-in throttling kept in the database, so that its limits hold in total across workers and hosts.

Failed attempts are counted per account and per client address over a sliding window
(LOGIN_THROTTLE_WINDOW seconds; LOGIN_FAILURES_PER_ACCOUNT and LOGIN_FAILURES_PER_ADDRESS). Every
attempt is written and committed before it is counted, so of any number of attempts racing in
different processes at most the limit see a count within it; a refused attempt is removed again
(only failures count) and a successful log-in forgets its account's failures. The account is known
by a keyed hash of the e-mail as typed: an address without an account is throttled exactly like one
with an account, and the answer never tells which it is."""
import hashlib
import hmac
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from app.auth.models import LoginAttempt
from app.dbtypes import utcnow
from app.extensions import db


class TooManyAttempts(Exception):
    """Over a limit: no password is checked before `retry_at` (naive UTC)."""

    def __init__(self, retry_at):
        super().__init__(retry_at)
        self.retry_at = retry_at


def account_key(email):
    """The key an e-mail (normalised) is counted under."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else secret.encode()
    return hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()


def start_attempt(email, address):
    """Records and commits an attempt to log in as `email` (normalised) from `address`; raises
    TooManyAttempts, and removes the attempt again, when its account or address is over its limit."""
    config = current_app.config
    window = timedelta(seconds=config["LOGIN_THROTTLE_WINDOW"])
    now = utcnow()
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.attempted_at <= now - window))
    key, address = account_key(email), (address or "unknown")[:45]
    attempt = LoginAttempt(account_key=key, address=address, attempted_at=now)
    db.session.add(attempt)
    db.session.flush()
    attempt_id = attempt.id
    db.session.commit()  # before counting: workers racing on one account see each other's attempts
    limits = ((LoginAttempt.account_key, key, config["LOGIN_FAILURES_PER_ACCOUNT"]),
              (LoginAttempt.address, address, config["LOGIN_FAILURES_PER_ADDRESS"]))
    free_at = []
    for column, value, limit in limits:
        count, oldest = db.session.execute(
            sa.select(sa.func.count(), sa.func.min(LoginAttempt.attempted_at))
            .where(column == value, LoginAttempt.attempted_at > now - window)
        ).one()
        if count > limit:  # this attempt included: the limit's worth of failures went before it
            free_at.append(oldest + window)
    if free_at:
        db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.id == attempt_id))
        db.session.commit()
        raise TooManyAttempts(max(free_at))


def forget_failures(email):
    """After a successful log-in as `email` (normalised), its account starts counting from zero;
    in the caller's transaction."""
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.account_key == account_key(email)))
