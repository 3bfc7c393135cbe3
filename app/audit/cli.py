"""`flask audit verify [--head HEX]`: recomputes the whole chain, and checks that it still holds a
head noted earlier (from the admin pages or a printed protocol)."""
import re

import click
from flask.cli import AppGroup

from app.audit import services

audit_cli = AppGroup("audit", help="The audit log.")

_HEX = re.compile(r"[0-9a-f]{64}")


def _head_option(ctx, param, value):
    if value is None:
        return None
    value = value.strip().lower()
    if not _HEX.fullmatch(value):
        raise click.BadParameter("a head is a hash of 64 hexadecimal digits")
    return value


def _describe(entry):
    return f"entry {entry.seq} of {entry.at}, hash {entry.hash}"


@audit_cli.command("verify")
@click.option("--head", "noted_head", metavar="HEX", callback=_head_option,
              help="A head noted earlier: the log must still hold it, with every entry before it unchanged.")
def verify_command(noted_head):
    """Prints OK with the log's head, or the first entry that breaks the chain or the noted head
    that the log no longer holds (exit status 1)."""
    result = services.verify_log(noted_head)
    if result.broken is not None:
        click.echo(f"BROKEN at entry {result.broken}", err=True)
        raise SystemExit(1)
    if noted_head and result.noted_entry is None:
        click.echo(f"HEAD NOT FOUND: no entry has the hash {noted_head}. The log was cut short or rewritten "
                   "after this head was noted, or it was copied wrong.", err=True)
        raise SystemExit(1)
    click.echo(f"OK: {result.entries} entries" + (f", head: {_describe(result.head)}" if result.head else ""))
    if noted_head:
        click.echo(f"The noted head is {_describe(result.noted_entry)}: nothing up to it was changed or removed.")
