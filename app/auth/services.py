"""What accounts do: register, confirm, authenticate (throttled), end sessions, change and reset
passwords, create staff users and invite them to set their password."""
import secrets
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit.services import record
from app.auth import throttle
from app.auth.models import UNUSABLE_PASSWORD_PREFIX, Role, User, UserRole
from app.dbtypes import utcnow
from app.errors import Refused
from app.extensions import db
from app.mail.services import queue_mail

CONFIRM_SALT = "confirm-email"
RESET_SALT = "reset-password"
INVITATION_SALT = "invitation"


class TokenError(Exception):
    """A link that is broken, expired or already used."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


class EmailTaken(Exception):
    pass


def normalize_email(email):
    return email.strip().lower()


def find_user(email):
    """The account with this address, or None, in one query (roles are read when asked for): a
    known address costs what an unknown one does."""
    query = select(User).where(User.email == normalize_email(email)).options(lazyload(User.role_links))
    return db.session.execute(query).scalar()


def hash_password(password):
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _serializer(salt):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load_token(token, salt, max_age):
    try:
        return _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TokenError(expired=True) from error
    except BadSignature as error:
        raise TokenError() from error


def unusable_password_hash():
    """A stored hash that no password matches; a new one each time, so that invitation links made
    for the previous one stop working."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(16)


def create_user(email, password, roles, phone=None, locale="ru", confirmed=False):
    """Adds a user in the current transaction; EmailTaken when the address has an account.
    `password` None: an invited person, who sets their password from the invitation link."""
    user = User(
        email=normalize_email(email),
        password_hash=hash_password(password) if password is not None else unusable_password_hash(),
        phone=phone,
        locale=locale,
        email_confirmed_at=utcnow() if confirmed else None,
        role_links=[UserRole(role=role) for role in dict.fromkeys(roles)],
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
            db.session.flush()
    except IntegrityError as error:
        raise EmailTaken(email) from error
    return user


def register_applicant(email, password, phone, locale):
    """A new applicant account and its confirmation mail. When the address already has an account,
    its owner gets a mail saying so instead, and the caller answers the same way in both cases,
    so that the form does not tell strangers who has an account."""
    existing = find_user(email)
    if existing is not None:
        hash_password(password)  # as long as making an account takes: the time tells nothing either
        queue_mail(existing.email, "auth/mail/account_exists", existing.locale,
                   login_url=url_for("auth.login", _external=True),
                   reset_url=url_for("auth.forgot_password", _external=True))
        return None
    user = create_user(email, password, [Role.APPLICANT], phone=phone, locale=locale)
    send_confirmation(user)
    return user


def send_confirmation(user):
    token = _serializer(CONFIRM_SALT).dumps({"uid": user.id, "email": user.email})
    queue_mail(user.email, "auth/mail/confirm_email", user.locale,
               confirm_url=url_for("auth.confirm_email", token=token, _external=True))


def confirm_email(token):
    """Marks the address of the link's user as confirmed and returns the user."""
    payload = _load_token(token, CONFIRM_SALT, current_app.config["EMAIL_CONFIRM_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        raise TokenError()
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    return user


# Compared against when the e-mail is unknown, so both failures take the same time.
_DUMMY_HASH = None


def authenticate(email, password, address):
    """The active user with this e-mail and password, or None; unknown e-mail and wrong password
    look the same from outside. Throttled per e-mail and per client `address` (throttle.py): raises
    throttle.TooManyAttempts, without checking the password, once either has failed too often.
    Commits the attempt itself; a success is forgotten with the caller's commit."""
    global _DUMMY_HASH
    email = normalize_email(email)
    throttle.start_attempt(email, address)
    user = find_user(email)
    if user is None:
        _DUMMY_HASH = _DUMMY_HASH or hash_password("not a password")
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    throttle.forget_failures(email)
    return user


def end_sessions(user):
    """Ends every session of `user`, on every device, remember cookies included, at their next
    request (a session carries the version it was made with: see load_user)."""
    user.session_version = User.session_version + 1
    db.session.flush()


def change_password(user, current_password, new_password, address):
    """Sets a new password for a logged-in user who knows the current one (checked and throttled
    like a log-in); every session ends, so the caller logs this one in again."""
    if authenticate(user.email, current_password, address) is None:
        raise Refused(_l("This is not your current password."), field="current_password")
    user.password_hash = hash_password(new_password)
    end_sessions(user)
    if user.is_staff:
        record(user, "user.password_changed", {"user": user.id})


def _reset_fingerprint(user):
    # Changes with the password, so a used link (or an older one) stops working.
    return user.password_hash[-16:]


def request_password_reset(email, locale):
    """Mails a reset link when the address has an active account, and otherwise a note (in `locale`,
    the asker's language) that no account uses it: either way one message is queued, so the answer
    takes the same time and tells a stranger nothing."""
    user = find_user(email)
    if user is None or not user.active:
        queue_mail(normalize_email(email), "auth/mail/reset_no_account", user.locale if user else locale,
                   register_url=url_for("auth.register", _external=True))
        return
    token = _serializer(RESET_SALT).dumps({"uid": user.id, "pw": _reset_fingerprint(user)})
    queue_mail(user.email, "auth/mail/reset_password", user.locale,
               reset_url=url_for("auth.reset_password", token=token, _external=True))


def user_for_reset_token(token):
    payload = _load_token(token, RESET_SALT, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or payload.get("pw") != _reset_fingerprint(user):
        raise TokenError()
    return user


def reset_password(token, new_password):
    """Sets the password of the link's user; the link cannot be used again."""
    user = user_for_reset_token(token)
    user.password_hash = hash_password(new_password)
    end_sessions(user)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()  # the link reached their mailbox: the address is theirs
    if user.is_staff:
        record(user, "user.password_reset", {"user": user.id})
    return user


def invite_user(email, roles, locale, actor):
    """A new account without a password holding `roles`, logged as `actor`'s invitation, and the
    invitation mail with its set-password link; EmailTaken when the address has an account."""
    user = create_user(email, None, roles, locale=locale)
    record(actor, "user.invited", {"user": user.id, "email": user.email,
                                   "roles": [role.value for role in Role if role in user.roles], "locale": locale})
    send_invitation(user)
    return user


def send_invitation(user):
    """Mails an invited user (no password yet) a link to set their password, in their language;
    the links sent to them before stop working."""
    if user.has_password:  # a new unusable hash would wipe the password they chose
        raise ValueError(f"{user!r} has set a password: send a reset link instead")
    user.password_hash = unusable_password_hash()
    token = _serializer(INVITATION_SALT).dumps({"uid": user.id, "pw": _reset_fingerprint(user)})
    queue_mail(user.email, "auth/mail/invitation", user.locale,
               roles=[role for role in Role if role in user.roles and role is not Role.APPLICANT],
               set_password_url=url_for("auth.set_password", token=token, _external=True),
               expires_at=utcnow() + timedelta(seconds=current_app.config["INVITATION_MAX_AGE"]))


def user_for_invitation_token(token):
    """The active, invited user of the link, while they have not set a password with it."""
    payload = _load_token(token, INVITATION_SALT, current_app.config["INVITATION_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if (user is None or not user.active or user.has_password
            or payload.get("pw") != _reset_fingerprint(user)):
        raise TokenError()
    return user


def accept_invitation(token, new_password):
    """Sets the invited user's password and confirms their address (the link reached it); the
    link cannot be used again."""
    user = user_for_invitation_token(token)
    user.password_hash = hash_password(new_password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    record(user, "user.invitation_accepted", {"user": user.id})
    return user
