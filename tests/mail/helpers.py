"""Reading what the outbox holds, as a person reading their mail would."""
import re

import sqlalchemy as sa

from app.extensions import db
from app.mail.models import OutboxMessage


def outbox_for(address):
    return db.session.execute(
        sa.select(OutboxMessage).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
    ).scalars().all()


def link_in_last_mail(address, path_part):
    """The first URL containing `path_part` in the newest message to `address`, as a path."""
    body = outbox_for(address)[-1].body_text
    paths = [p for p in re.findall(r"https?://[^/\s]+(/\S*)", body) if path_part in p]
    assert paths, f"no link with {path_part!r} in: {body}"
    return paths[0]
