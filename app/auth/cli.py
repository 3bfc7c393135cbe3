"""`flask users create`: accounts made by an administrator, confirmed at once."""
import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup

from app.audit.services import record
from app.auth import services
from app.auth.forms import PASSWORD_MIN
from app.auth.models import Role
from app.extensions import db

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role]), help="Repeat for several roles.")
@click.option("--locale", default="ru", type=click.Choice(["kk", "ru", "en"]))
def create_command(email, password, roles, locale):
    """Creates a confirmed user with the given roles."""
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="--email") from error
    if len(password) < PASSWORD_MIN:
        raise click.BadParameter(f"must have at least {PASSWORD_MIN} characters", param_hint="--password")
    try:
        user = services.create_user(email, password, [Role(r) for r in roles], locale=locale, confirmed=True)
    except services.EmailTaken:
        raise click.ClickException(f"a user with the e-mail {email} already exists") from None
    record(None, "user.created", {"user": user.id, "roles": sorted(roles)})
    db.session.commit()
    click.echo(f"created user {user.id} {user.email} with roles {', '.join(sorted(roles))}")
