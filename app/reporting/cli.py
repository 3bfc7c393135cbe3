"""`flask report annex8 --competition ZP23 --lang kk --format docx -o FILE`: the report to the
Operator of a call, as the staff page downloads it."""
import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.competitions.models import Competition
from app.extensions import db
from app.reporting import annex8
from app.reporting.annex8_docx import annex8_docx
from app.reporting.annex8_pdf import annex8_pdf

report_cli = AppGroup("report", help="The report to the Operator (Annex 8).")
WRITERS = {"docx": annex8_docx, "pdf": annex8_pdf}


@report_cli.command("annex8")
@click.option("--competition", "code", required=True, help="The call's code, e.g. ZP23.")
@click.option("--lang", type=click.Choice(annex8.LANGUAGES), default="ru", show_default=True,
              help="The report's language: Kazakh or Russian.")
@click.option("--format", "fmt", type=click.Choice(annex8.FORMATS), default="docx", show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The file to write.")
def annex8_command(code, lang, fmt, output):
    """Writes the report to the Operator of the call --competition to OUTPUT."""
    competition = db.session.execute(
        sa.select(Competition).where(Competition.code == code.strip().upper())).scalar_one_or_none()
    if competition is None:
        known = ", ".join(db.session.execute(sa.select(Competition.code).order_by(Competition.code)).scalars())
        raise click.BadParameter(f"no call has the code {code!r} (known: {known or 'none'})",
                                 param_hint="--competition")
    report = annex8.build(competition, lang)
    data = WRITERS[fmt](report)
    with open(output, "wb") as f:
        f.write(data)
    click.echo(f"{report.file_name(fmt)}: {len(data)} bytes written to {output}")
