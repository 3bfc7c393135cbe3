"""`flask users create`."""
import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.auth.models import Role, User
from app.extensions import db


def create(runner, *args):
    return runner.invoke(args=["users", "create", *args])


def test_creates_a_confirmed_user_with_several_roles(runner, app_ctx):
    result = create(runner, "--email", "Boss@Example.kz", "--password", "secret-123", "--role", "manager", "--role", "staff")
    assert result.exit_code == 0, result.output
    user = db.session.execute(sa.select(User)).scalar_one()
    assert user.email == "boss@example.kz"
    assert user.roles == {Role.MANAGER, Role.STAFF}
    assert user.email_confirmed
    entry = db.session.execute(sa.select(AuditEntry)).scalar_one()
    assert entry.event == "user.created" and entry.data["user"] == user.id


@pytest.mark.parametrize("args, message", [
    (["--email", "x@example.kz", "--password", "secret-123", "--role", "king"], "Invalid value for '--role'"),
    (["--email", "not-an-email", "--password", "secret-123", "--role", "staff"], "Invalid value for --email"),
    (["--email", "x@example.kz", "--password", "short", "--role", "staff"], "at least 8 characters"),
    (["--email", "x@example.kz", "--password", "secret-123"], "Missing option '--role'"),
])
def test_bad_arguments_are_refused_and_create_nothing(runner, app_ctx, args, message):
    result = create(runner, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.execute(sa.select(sa.func.count(User.id))).scalar() == 0


def test_existing_email_is_refused(runner, make_user):
    make_user("x@example.kz")
    result = create(runner, "--email", "X@example.kz", "--password", "secret-123", "--role", "staff")
    assert result.exit_code == 1
    assert "already exists" in result.output
