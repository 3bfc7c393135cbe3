"""Users and the roles they hold."""
import enum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin

from app.dbtypes import enum_type, utcnow
from app.extensions import db


class Role(enum.Enum):
    APPLICANT = "applicant"
    STAFF = "staff"
    MANAGER = "manager"
    FINANCE = "finance"
    MENTOR = "mentor"
    MONITOR = "monitor"
    ADMIN = "admin"

    @property
    def title(self):
        return ROLE_TITLES[self]


ROLE_TITLES = {
    Role.APPLICANT: _l("Applicant"),
    Role.STAFF: _l("Screener"),
    Role.MANAGER: _l("Manager"),
    Role.FINANCE: _l("Finance"),
    Role.MENTOR: _l("Mentor"),
    Role.MONITOR: _l("Monitor"),
    Role.ADMIN: _l("Administrator"),
}

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

    def get_id(self):
        # A password change ends every other session: the id carries a piece of the hash.
        return f"{self.id}:{self.password_hash[-16:]}"

    def __repr__(self):
        return f"<User {self.id} {self.email}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role = db.Column(enum_type(Role), primary_key=True)

    user = db.relationship("User", back_populates="role_links")


def load_user(session_id):
    user_id, _, fingerprint = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.password_hash[-16:] != fingerprint:
        return None
    return user
