"""`flask mail send` delivers the outbox; `flask mail retry` re-queues failed messages."""
import time

import click
from flask.cli import AppGroup

from app.mail import services

mail_cli = AppGroup("mail", help="The outgoing mail outbox.")


@mail_cli.command("send")
@click.option("--watch", type=float, default=None, metavar="SECONDS",
              help="Keep running, looking for new mail every SECONDS.")
def send_command(watch):
    """Delivers every due pending message."""
    while True:
        sent, failed = services.deliver_pending()
        click.echo(f"sent {sent}, failed {failed}")
        if watch is None:
            return
        time.sleep(watch)


@mail_cli.command("retry")
def retry_command():
    """Puts the messages that gave up back in the queue."""
    click.echo(f"re-queued {services.retry_failed()}")
