"""`flask backup restore`: a backup loaded into a new installation, then checked against its
manifest.

Everything that can be checked before the database is touched is: the archive unpacks in full and
every member has the SHA-256 its manifest gives; the code has the archive's migration; the database
is at that migration and empty; no different file has a document's name. The rows are then
inserted in one transaction (parents first), the documents put in place, and the transaction
committed. Last, the installation is read back: every table's rows must give the bytes that were
backed up, every document its hash, and both kinds of hash chain must hold and end where they did."""
import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app import storage
from app.audit.services import verify_log
from app.backup import archive, contents, rows, schema
from app.backup.errors import ArchiveError, InstallationRefused
from app.extensions import db


@dataclass(frozen=True)
class Check:
    subject: str
    ok: bool
    detail: str


def restore_backup(path):
    """Restores the archive at `path`; returns the checks of the result (a list of Check).
    ArchiveError or InstallationRefused before anything is changed when it cannot."""
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=current_app.instance_path) as work:
        work = Path(work)
        manifest = archive.extract(path, work)
        head = manifest.get("migration_head")
        if not isinstance(head, str) or not schema.is_known(head):
            raise ArchiveError(f"the archive was made at migration {head!r}, which this version of the application "
                               "does not have: restore it with the version that made it")
        with db.engine.connect() as connection:
            tables = _target_tables(connection, manifest)
            _check_uploads(manifest, work)
            for entry in manifest["tables"]:
                rows_file = work / archive.TABLES / f"{entry['name']}.jsonl"
                _load(connection, tables[entry["name"]], entry["columns"], rows_file)
            rows.reset_sequences(connection, tables.values())
            # The documents first: should the commit fail, they are files nobody names, and a
            # second attempt takes them as they are.
            for name in manifest["documents"]:
                shutil.move(work / archive.DOCUMENTS / name, storage.path_for(name))
            connection.commit()
    return verify(manifest)


def _load(connection, table, columns, path):
    with open(path, "rb") as lines:
        try:
            rows.load(connection, table, columns, lines)
        except (ValueError, sa.exc.IntegrityError, sa.exc.DataError) as error:
            # Rows the archive's hashes vouch for, yet not what `backup create` writes: a forged archive.
            raise ArchiveError(f"the rows of {table.name} in the archive cannot be restored: {error}") from None


def _target_tables(connection, manifest):
    """The database's tables by name, when it can take the archive's rows."""
    head, current = manifest["migration_head"], schema.database_head(connection)
    if current != head:
        raise InstallationRefused(
            f"the database is at migration {current or 'none (no tables)'}; the archive was made at {head}. "
            f"Restore into a new empty database brought to that migration with `flask db upgrade {head}` "
            "(then `flask db upgrade` after the restore).")
    tables = {table.name: table for table in rows.data_tables(connection)}
    for entry in manifest["tables"]:
        table = tables.get(entry["name"])
        if table is None or set(entry["columns"]) != set(table.columns.keys()):
            raise ArchiveError(f"the archive's table {entry['name']} is not the table of migration {head}")
    if missing := set(tables) - {entry["name"] for entry in manifest["tables"]}:
        raise ArchiveError(f"the archive lacks the table {min(missing)} of migration {head}")
    for table in tables.values():
        if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
            raise InstallationRefused(
                f"the database is not empty (the table {table.name} has rows): a backup is restored only into "
                "a new installation, whose database has the schema (`flask db upgrade`) and no data.")
    return tables


def _check_uploads(manifest, work):
    for name in manifest["documents"]:
        path = storage.path_for(name)
        if path.exists() and contents.file_sha256(path) != contents.file_sha256(work / archive.DOCUMENTS / name):
            raise InstallationRefused(f"the uploads folder already has a different file {path}: restore into a new "
                                      "installation, whose uploads folder is empty.")


def verify(manifest):
    """Checks the installation against the manifest: a list of Check."""
    with db.engine.connect() as connection:
        tables = {table.name: table for table in rows.data_tables(connection)}
        checks = [_rows_check(connection, tables, manifest["tables"]),
                  _documents_check(contents.referenced_documents(connection, tables.values()), manifest["documents"]),
                  _chains_check(contents.chain_heads(connection), manifest["chains"])]
    return checks


def _rows_check(connection, tables, entries):
    differing = []
    for entry in entries:
        digest, count = hashlib.sha256(), 0
        for count, line in enumerate(rows.dump(connection, tables[entry["name"]], entry["columns"]), start=1):
            digest.update(line)
        if count != entry["rows"]:
            differing.append(f"{entry['name']} has {count} rows, the backup {entry['rows']}")
        elif digest.hexdigest() != entry["sha256"]:
            differing.append(f"{entry['name']} has values that differ from the backup's")
    total = sum(entry["rows"] for entry in entries)
    return Check("rows", not differing, "; ".join(differing) or
                 f"{total} in {len(entries)} tables, every value as backed up")


def _documents_check(referenced, documents):
    problems = []
    for name, document in sorted(documents.items()):
        path = storage.path_for(name)
        if not path.exists():
            problems.append(f"{name} is missing")
        elif contents.file_sha256(path) != document["sha256"]:
            problems.append(f"{name} differs from the backup's")
        elif referenced.get(name) != document["sha256"]:
            problems.append(f"{name} is not the file its row records (already so when backed up)")
    problems.extend(f"{name} is named by a row but not in the backup"
                    for name in sorted(set(referenced) - set(documents)))
    return Check("documents", not problems, "; ".join(problems) or
                 f"{len(documents)}, each file's SHA-256 as backed up and as its row records")


def _chains_check(heads, backed_up):
    problems = []
    audit = verify_log()
    if audit.broken is not None:
        problems.append(f"the audit log breaks at entry {audit.broken}")
    problems.extend(f"the log of draw {draw_id} breaks at entry {seq}"
                    for draw_id, seq in contents.broken_draw_logs(db.session).items())
    if heads != backed_up:
        problems.append("a chain does not end at the head it had when backed up")
    audit_head = heads["audit_log"]
    return Check("hash chains", not problems, "; ".join(problems) or
                 f"the audit log ({audit_head['seq']} entries, head {audit_head['head']}) and "
                 f"{len(heads['draw_logs'])} draw logs hold and end where they did")
