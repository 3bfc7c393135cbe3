"""Tests of the administrators' area: staff accounts, the organisation's details, the audit log."""
from app.auth.models import Role
from tests.factories import make_user

ADMIN_EMAIL = "admin@example.kz"


def make_admin(email=ADMIN_EMAIL, **kwargs):
    return make_user(email, roles=(Role.ADMIN,), **kwargs)
