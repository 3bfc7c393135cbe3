"""Column helpers shared by the models: enums stored by value, UTC timestamps, the clock; ids from
requests, and a row made once for everyone stored by whichever worker is first."""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

import sqlalchemy as sa
from werkzeug.routing import IntegerConverter

from app.extensions import db

INTEGER_MAX = 2**31 - 1  # the largest INTEGER of PostgreSQL; every id and number in a URL fits in it


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


# How far the clock of this context runs from the real one: zero, except inside `clock_at`.
_clock_offset = ContextVar("clock_offset", default=None)


def utcnow():
    """Now in UTC, naive: every timestamp column stores UTC; pages show Asia/Almaty. Every
    service reads the time here, so `clock_at` can set it."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    offset = _clock_offset.get()
    return now if offset is None else now + offset


@contextmanager
def clock_at(moment):
    """Within the block, `utcnow()` runs on from `moment` (naive UTC): the demo tells a call's
    months in minutes by running each step at its own date, through the real services (so every
    rule about "not in the future" and every audit entry hold as they would have)."""
    token = _clock_offset.set(moment - datetime.now(timezone.utc).replace(tzinfo=None))
    try:
        yield
    finally:
        _clock_offset.reset(token)


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:...>` in the app's URLs: a number the database can compare with its columns. A larger
    one answers 404 like any id that does not exist (SQLite could not even bind it: OverflowError)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", INTEGER_MAX)
        super().__init__(url_map, *args, **kwargs)


def database_int(text):
    """`type=` of `request.args.get` and `request.form.get` for an id: a number the database can
    compare with its columns; anything else (not a number, 10^25) is refused, so the value is None."""
    value = int(text)
    if abs(value) > INTEGER_MAX:
        raise ValueError(text)
    return value


def stored_once(row, query):
    """`row` added in a savepoint; when another worker stored the same first (a unique key), theirs,
    as `query` finds it, instead. For what is made once and kept for everyone (a protocol PDF)."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except sa.exc.IntegrityError:
        return db.session.execute(query).scalar_one()
    return row
