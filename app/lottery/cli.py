"""`flask draw export ID` prints a draw's published record (or refuses, exit code 1, when its
stored data disagree); `flask draw simulate ...` runs the engine on a list file without touching
the database, so trainers and observers can rehearse, verifier included."""
import json

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from app.extensions import db
from app.lottery import engine, reading, steps
from app.lottery.models import Draw

draw_cli = AppGroup("draw", help="The draw: export a record, rehearse a draw.")

SIMULATION_RULE = "simulation: sources given on the command line"


def _echo_record(record):
    click.echo(json.dumps(record, ensure_ascii=False, indent=1))


@draw_cli.command("export")
@click.argument("draw_id", type=int)
def export_command(draw_id):
    """Prints the record of published draw DRAW_ID (format grants-draw/1), for tools/verify_draw.py."""
    draw = db.session.get(Draw, draw_id)
    if draw is None:
        raise click.ClickException(f"There is no draw {draw_id}.")
    with force_locale("en"):
        try:
            record = reading.record(draw)
        except steps.DrawRefused as refusal:
            raise click.ClickException(f"Draw {draw_id}: {refusal}") from None
    _echo_record(record)


def _read_tickets(path):
    """The (ticket, stratum) pairs of a list file; blank lines and lines starting with # are skipped."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise click.BadParameter(f"cannot read {path}: {error}", param_hint="--tickets-file") from None
    entries = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        parts = [part.strip() for part in text.split(",")]
        if len(parts) != 2 or not all(parts):
            raise click.BadParameter(
                f"line {number}: {line!r} is not 'ticket,stratum' (for example ZP23-0001,ALA)",
                param_hint="--tickets-file")
        entries.append(tuple(parts))
    if not entries:
        raise click.BadParameter(f"{path} has no 'ticket,stratum' lines", param_hint="--tickets-file")
    return entries


def _parse_quotas(values):
    quotas = {}
    for value in values:
        code, sign, number = value.partition("=")
        code, number = code.strip(), number.strip()
        if not sign or not code or not number.isascii() or not number.isdigit() or int(number) < 1:
            raise click.BadParameter(f"{value!r} is not STRATUM=N with N a whole number of at least 1 "
                                     f"(for example ALA=20)", param_hint="--quota")
        if code in quotas:
            raise click.BadParameter(f"stratum {code} is given twice", param_hint="--quota")
        quotas[code] = int(number)
    return quotas


@draw_cli.command("simulate")
@click.option("--tickets-file", "tickets_file", required=True, type=click.Path(dir_okay=False),
              help="A text file with one 'ticket,stratum' per line.")
@click.option("--quota", "quota_values", multiple=True, required=True, metavar="STRATUM=N",
              help="Grants of a stratum; repeat for every stratum.")
@click.option("--algorithm", type=click.Choice(engine.ALGORITHMS), default=engine.DEFAULT_ALGORITHM,
              show_default=True)
@click.option("--source", "sources", multiple=True, required=True,
              help="A random source, as the rule would give it; repeat for several, in order.")
@click.option("--source-rule", default=SIMULATION_RULE, show_default=True, help="The rule to print in the record.")
def simulate_command(tickets_file, quota_values, algorithm, sources, source_rule):
    """Runs a draw on a list file, without the database, and prints its record (with the log a
    real draw would write, every entry at the time of the rehearsal)."""
    entries = _read_tickets(tickets_file)
    quotas = _parse_quotas(quota_values)
    try:
        with force_locale("en"):
            record = engine.rehearsal_record(algorithm, entries, quotas, source_rule, list(sources), steps.log_time())
    except engine.DrawError as error:
        with force_locale("en"):
            message = str(error.args[0])
        raise click.UsageError(message) from None
    _echo_record(record)
