"""Users, the roles they hold, and the failed log-in attempts that throttle guessing."""

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin

from app.dbtypes import enum_type, utcnow
from app.enums import TitledEnum
from app.extensions import db


class Role(TitledEnum):
    APPLICANT = "applicant", _l("Applicant")
    STAFF = "staff", _l("Screener")
    MANAGER = "manager", _l("Manager")
    FINANCE = "finance", _l("Finance")
    MENTOR = "mentor", _l("Mentor")
    MONITOR = "monitor", _l("Monitor")
    ADMIN = "admin", _l("Administrator")


# Starts the stored hash of an account whose owner has not set a password yet (an invitation):
# werkzeug's hashes start with their method, so no password ever matches it.
UNUSABLE_PASSWORD_PREFIX = "!"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)  # stored lower-cased
    password_hash = db.Column(db.String(256), nullable=False)
    phone = db.Column(db.String(16), nullable=True)  # E.164
    locale = db.Column(db.String(2), nullable=False, default="ru")
    active = db.Column(db.Boolean, nullable=False, default=True)
    email_confirmed_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Part of the id every session and remember cookie carries: raising it ends them all.
    session_version = db.Column(db.Integer, nullable=False, default=1, server_default="1")

    role_links = db.relationship(
        "UserRole", cascade="all, delete-orphan", lazy="selectin", back_populates="user"
    )

    @property
    def roles(self):
        return frozenset(link.role for link in self.role_links)

    @property
    def is_staff(self):
        """Whether the account belongs to the project office (any role but applicant)."""
        return bool(self.roles - {Role.APPLICANT})

    @property
    def is_active(self):
        return self.active

    @property
    def email_confirmed(self):
        return self.email_confirmed_at is not None

    @property
    def has_password(self):
        """False while an invited person has not yet set their password."""
        return not self.password_hash.startswith(UNUSABLE_PASSWORD_PREFIX)

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    def __repr__(self):
        return f"<User {self.id} {self.email}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role = db.Column(enum_type(Role), primary_key=True)

    user = db.relationship("User", back_populates="role_links")


class LoginAttempt(db.Model):
    """A log-in attempt that has not succeeded (or is being checked), counted against its account
    and its address for LOGIN_THROTTLE_WINDOW seconds; see app/auth/throttle.py."""
    __tablename__ = "login_attempts"

    id = db.Column(db.Integer, primary_key=True)
    # A keyed hash of the e-mail as typed (normalised): unknown addresses count the same as
    # accounts, and the table keeps no list of the addresses people typed.
    account_key = db.Column(db.String(64), nullable=False)
    address = db.Column(db.String(45), nullable=False)  # the client's IP address
    attempted_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)

    __table_args__ = (
        db.Index("ix_login_attempts_account_key", "account_key", "attempted_at"),
        db.Index("ix_login_attempts_address", "address", "attempted_at"),
    )


def load_user(session_id):
    """The user of a session or remember cookie, while its session version is current: log-out,
    a new password and deactivation end every copy of the cookies at their next request."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user
