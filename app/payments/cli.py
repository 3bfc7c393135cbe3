"""`flask payments export --from 2026-01-01 --to 2026-12-31 --format csv -o FILE`: the payments
whose payment order falls in the period, for accounting."""
import click
from flask.cli import AppGroup
from flask_babel import force_locale

from app.payments import exports

payments_cli = AppGroup("payments", help="Payments of grants: exports for accounting.")


@payments_cli.command("export")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day, YYYY-MM-DD.")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day, YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), default="csv", show_default=True)
@click.option("--lang", type=click.Choice(["ru", "kk", "en"]), default="ru", show_default=True,
              help="Language of the column headers.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
def export_command(start, end, fmt, lang, output):
    """Writes the payments paid from --from to --to (payment order dates, both included) to OUTPUT."""
    if end < start:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    payments = exports.paid_between(start.date(), end.date())
    with force_locale(lang):
        data, _mimetype = exports.export(payments, fmt)
    with open(output, "wb") as f:
        f.write(data)
    click.echo(f"{len(payments)} payments, {sum(p.total for p in payments)} tenge: {output}")
