"""`flask demo load`: the demo call, staff accounts and a pool of applicants."""
import click
from flask.cli import AppGroup

from app.almaty import utc_to_almaty
from app.demo import services
from app.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Load only when the database has no competition yet.")
@click.option("--stage", type=click.Choice(services.STAGES), default="open", show_default=True,
              help="open: applications open; screened: the call closed, screened, appeals decided; "
                   "drawn: then its lottery run and published; implementing: then contracts signed "
                   "(by scan and by e-signature, one past its deadline and a reserve promoted), suppliers "
                   "registered, payment requests in every status; completed: all that months ago, then "
                   "grants paid, mentors, meetings, monitoring visits, final reports, surveys and the "
                   "office log.")
def load_command(if_empty, stage):
    """Adds a call like ZHAS PROJECT 2023, one account per staff role and a pool of applicants;
    `--stage screened` then closes the call and screens it, `--stage drawn` also runs its lottery,
    `--stage implementing` also signs its grants' contracts and pays suppliers, `--stage completed`
    goes through the whole cycle."""
    if if_empty and services.has_competitions():
        click.echo("The database already has a competition: demo data not loaded.")
        return
    try:
        demo = services.load_demo(stage)
    except services.DemoExists:
        click.echo(f"The demo data already exists (competition {services.DEMO_CODE}): nothing loaded.")
        return
    db.session.commit()

    call = demo.competition
    if demo.screening is None:
        click.echo(f"Demo call {call.code} is open until "
                   f"{utc_to_almaty(call.closes_at):%Y-%m-%d %H:%M} (Asia/Almaty).")
    else:
        click.echo(f"Demo call {call.code} closed on {utc_to_almaty(call.closes_at):%Y-%m-%d %H:%M} "
                   f"(Asia/Almaty) and is screened.")
    width = max(len(account.email) for account in demo.accounts)
    click.echo(f"{'Role':<10}  {'E-mail':<{width}}  Note")
    for account in demo.accounts:
        note = "" if account.created else "already existed, password unchanged"
        click.echo(f"{account.role.value:<10}  {account.email:<{width}}  {note}".rstrip())
    if demo.applicants is not None:
        click.echo(demo.applicants.line())
        click.echo(f"They log in as applicant01@{services.DEMO_EMAIL_DOMAIN} ... "
                   f"applicant{demo.applicants.accounts:02d}@{services.DEMO_EMAIL_DOMAIN}.")
    if demo.screening is not None:
        click.echo(demo.screening.line())
    if demo.draw is not None:
        click.echo(demo.draw.line())
    if demo.implementing is not None:
        click.echo(demo.implementing.line())
    if demo.completed is not None:
        for line in demo.completed.lines():
            click.echo(line)
    click.echo(f"Password for the new accounts: {demo.password}")
