"""`flask audit verify`: recomputes the whole chain."""
import click
from flask.cli import AppGroup

from app.audit import services

audit_cli = AppGroup("audit", help="The audit log.")


@audit_cli.command("verify")
def verify_command():
    """Prints OK, or the first entry that breaks the chain (exit status 1)."""
    broken = services.verify()
    if broken is None:
        click.echo("OK")
        return
    click.echo(f"BROKEN at entry {broken}", err=True)
    raise SystemExit(1)
