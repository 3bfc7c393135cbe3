"""`flask demo load`: the demo call and staff accounts."""
import click
from flask.cli import AppGroup

from app.almaty import utc_to_almaty
from app.demo import services
from app.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Load only when the database has no competition yet.")
def load_command(if_empty):
    """Adds an open call like ZHAS PROJECT 2023 and one account per staff role."""
    if if_empty and services.has_competitions():
        click.echo("The database already has a competition: demo data not loaded.")
        return
    try:
        demo = services.load_demo()
    except services.DemoExists:
        click.echo(f"The demo data already exists (competition {services.DEMO_CODE}): nothing loaded.")
        return
    db.session.commit()

    call = demo.competition
    click.echo(f"Demo call {call.code} is open until "
               f"{utc_to_almaty(call.closes_at):%Y-%m-%d %H:%M} (Asia/Almaty).")
    width = max(len(account.email) for account in demo.accounts)
    click.echo(f"{'Role':<10}  {'E-mail':<{width}}  Note")
    for account in demo.accounts:
        note = "" if account.created else "already existed, password unchanged"
        click.echo(f"{account.role.value:<10}  {account.email:<{width}}  {note}".rstrip())
    click.echo(f"Password for the new accounts: {demo.password}")
