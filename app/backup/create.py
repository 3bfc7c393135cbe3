"""`flask backup create`: the database and its documents as they were at one moment.

Every table is read in one read-only transaction that sees one snapshot (REPEATABLE READ on
PostgreSQL; on SQLite the transaction's own snapshot), and the documents copied are those that the
rows read name, while that transaction is still open: the app keeps serving, and the archive is
the installation at the moment the transaction began."""
from dataclasses import dataclass
from datetime import timezone

from app import storage
from app.backup import archive, contents, rows, schema
from app.backup.errors import BackupError
from app.dbtypes import utcnow
from app.extensions import db


@dataclass(frozen=True)
class Created:
    manifest: dict
    # Documents a row names that are not on disk, or differ from the SHA-256 their row recorded:
    # already so in the installation, and archived as they are (see the manifest).
    problems: list

    @property
    def rows(self):
        return sum(table["rows"] for table in self.manifest["tables"])


def create_backup(path):
    """Writes the backup archive to `path`; BackupError when the database has no schema."""
    with db.engine.connect() as connection:
        _begin_snapshot(connection)
        head = schema.database_head(connection)
        if head is None:
            raise BackupError("the database has no schema yet (run `flask db upgrade`): nothing to back up")
        tables = rows.data_tables(connection)
        with archive.writing(path) as writer:
            manifest = {
                "format": archive.FORMAT,
                "created_at": utcnow().replace(tzinfo=timezone.utc).isoformat(timespec="seconds"),
                "database": connection.dialect.name,
                "migration_head": head,
                "tables": [_add_table(writer, connection, table) for table in tables],
                "chains": contents.chain_heads(connection),
            }
            manifest["documents"], problems = _add_documents(
                writer, contents.referenced_documents(connection, tables))
            writer.add_manifest(manifest)
    return Created(manifest, problems)


def _begin_snapshot(connection):
    if connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="REPEATABLE READ")
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
    elif connection.dialect.name == "sqlite":
        # The sqlite3 driver starts a transaction only before a write; without it each SELECT would
        # see the database as it is at that statement.
        connection.exec_driver_sql("BEGIN")


def _add_table(writer, connection, table):
    columns = [column.name for column in table.columns]
    sha256, count = writer.add_lines(archive.member_name(archive.TABLES, f"{table.name}.jsonl"),
                                     rows.dump(connection, table, columns))
    return {"name": table.name, "columns": columns, "rows": count, "sha256": sha256}


def _add_documents(writer, referenced):
    documents, problems = {}, []
    for name, recorded in sorted(referenced.items()):
        try:
            sha256, size = writer.add_file(archive.member_name(archive.DOCUMENTS, name), storage.path_for(name))
        except FileNotFoundError:
            problems.append(f"{name}: missing from {storage.upload_folder()}")
            continue
        if sha256 != recorded:
            problems.append(f"{name}: its SHA-256 is not the one its row recorded ({recorded})")
        documents[name] = {"sha256": sha256, "size": size}
    return documents, problems
