"""One-line builders of test objects."""
from werkzeug.security import generate_password_hash

from app.auth.models import Role, User, UserRole
from app.dbtypes import utcnow
from app.extensions import db

PASSWORD = "correct horse 42"


def make_user(email="user@example.kz", roles=(Role.APPLICANT,), confirmed=True, password=PASSWORD,
              locale="ru", phone="+77011234567"):
    user = User(
        email=email.lower(),
        password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000"),
        phone=phone,
        locale=locale,
        email_confirmed_at=utcnow() if confirmed else None,
        role_links=[UserRole(role=role) for role in roles],
    )
    db.session.add(user)
    db.session.commit()
    return user
