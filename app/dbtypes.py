"""Column helpers shared by the models: enums stored by value, UTC timestamps."""
from datetime import datetime, timezone

import sqlalchemy as sa


def enum_type(enum_cls):
    """An enum stored as its `.value` in a VARCHAR with a CHECK constraint, on every database."""
    return sa.Enum(
        enum_cls,
        name=enum_cls.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def utcnow():
    """Now in UTC, naive: every timestamp column stores UTC; pages show Asia/Almaty."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
