"""A table's rows as JSON lines that read the same from SQLite and PostgreSQL.

Tables are taken as the database has them (reflected, not the models), so a database one migration
behind the code is backed up as it is. Each row is a JSON array of its values in the order of the
archive's column list, ordered by primary key; a value is written by its column's type: dates and
times as ISO-8601 text, bytes as base64, JSON columns as JSON (keys sorted), enums (stored as
text) as their text. The same rows therefore give the same bytes, whichever database they came from,
which is how a restore proves that every value arrived."""
import base64
import json
from datetime import date, datetime

import sqlalchemy as sa

# Alembic's own table: the revision is in the manifest, and the target database has its own.
NOT_DATA = {"alembic_version"}
_BATCH = 1000


def data_tables(connection):
    """The database's tables, parents before children (the order rows are loaded in)."""
    metadata = sa.MetaData()
    metadata.reflect(connection)
    return [table for table in metadata.sorted_tables if table.name not in NOT_DATA]


def _codec(column_type):
    """(encode, decode) of a column's non-NULL values."""
    if isinstance(column_type, sa.DateTime):
        return datetime.isoformat, datetime.fromisoformat
    if isinstance(column_type, sa.Date):
        return date.isoformat, date.fromisoformat
    if isinstance(column_type, sa.LargeBinary):
        return (lambda value: base64.b64encode(value).decode("ascii")), base64.b64decode
    return None, None


def dump(connection, table, column_names):
    """The table's rows as JSON lines (bytes), in primary key order."""
    columns = [table.c[name] for name in column_names]
    encoders = [_codec(column.type)[0] for column in columns]
    postgresql = connection.dialect.name == "postgresql"
    # Text keys in byte order on both databases (SQLite compares text by bytes; PostgreSQL by its
    # locale unless told otherwise), so both give the rows in the same order.
    order = [column.collate("C") if postgresql and isinstance(column.type, sa.String) else column
             for column in (table.primary_key.columns or table.columns)]
    result = connection.execute(sa.select(*columns).order_by(*order).execution_options(yield_per=_BATCH))
    for row in result:
        values = [encode(value) if encode and value is not None else value for encode, value in zip(encoders, row)]
        yield (json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def load(connection, table, column_names, lines):
    """Inserts the rows of `lines` (JSON lines as `dump` writes them); returns how many."""
    columns = [table.c[name] for name in column_names]
    decoders = [_codec(column.type)[1] for column in columns]
    # A row's NULL stays SQL NULL in a JSON column (not the JSON text `null`, which a CHECK such as
    # "seed IS NULL OR sources IS NOT NULL" would read as a value).
    statement = sa.insert(table).values({
        column.name: sa.bindparam(column.name, type_=sa.JSON(none_as_null=True)
                                  if isinstance(column.type, sa.JSON) else column.type)
        for column in columns})
    count, batch = 0, []
    for line in lines:
        values = json.loads(line)
        if not isinstance(values, list) or len(values) != len(columns):
            raise ValueError(f"a row of {table.name} does not have its {len(columns)} columns")
        batch.append({column.name: decode(value) if decode and value is not None else value
                      for column, decode, value in zip(columns, decoders, values)})
        if len(batch) == _BATCH:
            connection.execute(statement, batch)
            count, batch = count + len(batch), []
    if batch:
        connection.execute(statement, batch)
        count += len(batch)
    return count


def reset_sequences(connection, tables):
    """PostgreSQL: each id sequence continues after the largest id restored (rows were inserted
    with their ids, which does not move the sequence)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            sequence = connection.execute(sa.select(sa.func.pg_get_serial_sequence(table.name, column.name))).scalar()
            if sequence:
                largest = connection.execute(sa.select(sa.func.max(column))).scalar()
                connection.execute(sa.select(sa.func.setval(sequence, largest or 1, largest is not None)))
