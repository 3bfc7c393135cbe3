"""`flask mail send` delivers the outbox; `flask mail retry` re-queues failed messages."""
import time

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.mail import services

mail_cli = AppGroup("mail", help="The outgoing mail outbox.")


@mail_cli.command("send")
@click.option("--watch", type=float, default=None, metavar="SECONDS",
              help="Keep running, looking for new mail every SECONDS.")
def send_command(watch):
    """Delivers every due pending message; with --watch, keeps delivering until stopped (and
    says something only when it sent or failed)."""
    while True:
        try:
            sent, failed = services.deliver_pending()
        except SQLAlchemyError as error:
            if watch is None:
                raise
            db.session.rollback()  # e.g. the database restarting: the next round tries again
            click.echo(f"the outbox could not be read: {error}", err=True)
        else:
            if watch is None or sent or failed:
                click.echo(f"sent {sent}, failed {failed}")
        if watch is None:
            return
        time.sleep(watch)


@mail_cli.command("retry")
def retry_command():
    """Puts the messages that gave up back in the queue."""
    click.echo(f"re-queued {services.retry_failed()}")
