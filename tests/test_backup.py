"""Backups: `flask backup create` of a populated installation (the demo at its "implementing" stage:
documents, contract PDFs as bytes, JSON, enums, both kinds of hash chain) on SQLite, restored by
`flask backup restore` into the suite's empty database (SQLite, or PostgreSQL under
TEST_DATABASE_URL), must give the same rows, the same documents and the same chains; a file that is
not such a backup, or an installation that is not empty, is refused before anything changes."""
import hashlib
import io
import json
import os
import shutil
import tarfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from app import create_app
from app.auth.models import User
from app.backup import rows
from app.dbtypes import utcnow
from app.extensions import db
from tests import factories


@pytest.fixture(scope="module")
def source(tmp_path_factory, demo_stages):
    """A populated installation on SQLite of its own (the demo as the command loaded it, copied
    over: tests/demo_stages.py), and its backup."""
    instance = tmp_path_factory.mktemp("backup-source")
    app = create_app({
        "INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/source.sqlite3",
        "TESTING": True, "SECRET_KEY": "test-secret", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SERVER_NAME": "localhost", "BABEL_DEFAULT_LOCALE": "en",
    })
    with app.app_context():
        upgrade()
    result = demo_stages.load("implementing", app)
    assert result.exit_code == 0, result.output
    runner = app.test_cli_runner()
    archive = instance / "backup.tar.gz"
    result = runner.invoke(args=["backup", "create", "-o", str(archive)])
    assert result.exit_code == 0, result.output
    return SimpleNamespace(app=app, runner=runner, archive=archive, manifest=manifest_of(archive),
                           rows=table_rows(app), documents=document_hashes(app))


@pytest.fixture
def target(app, source):
    """The suite's app, its database empty; afterwards, the documents a restore put there go."""
    yield app
    for name in source.manifest["documents"]:
        (Path(app.instance_path) / "uploads" / name).unlink(missing_ok=True)


def manifest_of(archive):
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def table_rows(app):
    """{table: {primary key: {column: value}}} of every table, read with SQLAlchemy's own types."""
    with app.app_context(), db.engine.connect() as connection:
        metadata = sa.MetaData()
        metadata.reflect(connection)
        found = {}
        for table in metadata.sorted_tables:
            if table.name != "alembic_version":
                key = [column.name for column in table.primary_key.columns]
                found[table.name] = {tuple(row[name] for name in key): dict(row)
                                     for row in connection.execute(sa.select(table)).mappings()}
        return found


def document_hashes(app):
    uploads = Path(app.instance_path) / "uploads"
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in uploads.iterdir()}


def rewritten(archive, path, change=lambda name, content: content, extra=()):
    """A copy of the archive with change(member name, bytes) -> bytes applied to every member, and
    the members `extra` ((name, bytes) pairs) added."""
    with tarfile.open(archive) as old, tarfile.open(path, "w:gz", compresslevel=1) as new:
        members = [(member, change(member.name, old.extractfile(member).read())) for member in old]
        members += [(tarfile.TarInfo(name), content) for name, content in extra]
        for member, content in members:
            member.size = len(content)
            new.addfile(member, io.BytesIO(content))
    return path


def test_a_backup_restores_to_an_identical_installation(target, runner, source):
    result = runner.invoke(args=["backup", "restore", str(source.archive)])

    assert result.exit_code == 0, result.output
    assert "OK     rows: " in result.output and "every value as backed up" in result.output
    assert f"OK     documents: {len(source.documents)}, each file's SHA-256" in result.output
    assert "OK     hash chains: " in result.output
    restored = table_rows(target)
    assert restored.keys() == source.rows.keys()
    for table, table_rows_ in source.rows.items():
        assert restored[table] == table_rows_, table
    assert source.rows["contracts"] and source.rows["application_documents"]  # bytes and documents were there
    restored_documents = document_hashes(target)
    assert {name: restored_documents.get(name) for name in source.documents} == source.documents
    head = source.manifest["chains"]["audit_log"]["head"]
    assert runner.invoke(args=["audit", "verify", "--head", head]).exit_code == 0
    export = runner.invoke(args=["draw", "export", "1"])  # the draw's record re-runs from the restored rows
    assert export.exit_code == 0, export.output
    with target.app_context():  # the ids go on after the restored ones (PostgreSQL's sequences)
        assert factories.make_user("after-restore@example.kz").id > max(key[0] for key in source.rows["users"])


def test_the_archive_lists_what_it_holds_and_only_its_owner_reads_it(source):
    manifest = source.manifest
    assert os.stat(source.archive).st_mode & 0o777 == 0o600
    code_head = ScriptDirectory(source.app.extensions["migrate"].directory).get_current_head()
    assert manifest["migration_head"] == code_head
    assert {table["name"]: table["rows"] for table in manifest["tables"]} == {
        name: len(table_rows_) for name, table_rows_ in source.rows.items()}
    assert {name: document["sha256"] for name, document in manifest["documents"].items()} == source.documents
    last = max(source.rows["audit_entries"].values(), key=lambda entry: entry["seq"])
    assert manifest["chains"]["audit_log"] == {"seq": last["seq"], "head": last["hash"]}
    assert manifest["chains"]["draw_logs"]["1"]["seq"] == len(source.rows["draw_log_entries"])


def test_a_missing_document_is_reported_and_the_restore_says_it_is_missing(target, runner, source, tmp_path):
    name = sorted(source.documents)[0]
    uploads = Path(source.app.instance_path) / "uploads"
    shutil.move(uploads / name, tmp_path / name)
    try:
        created = source.runner.invoke(args=["backup", "create", "-o", str(tmp_path / "backup.tar.gz")])
    finally:
        shutil.move(tmp_path / name, uploads / name)
    assert created.exit_code == 1
    assert f"WARNING: {name}: missing from" in created.output

    result = runner.invoke(args=["backup", "restore", str(tmp_path / "backup.tar.gz")])
    assert result.exit_code == 1
    assert f"FAILED documents: {name} is named by a row but not in the backup" in result.output
    assert "OK     rows: " in result.output


def _member_changed(member, change):
    """The source's archive with change(bytes) -> bytes applied to the member named `member`
    (or to the one that member(source) names)."""
    def make(source, tmp):
        name = member(source) if callable(member) else member
        return rewritten(source.archive, tmp / "changed.tar.gz",
                         lambda current, content: change(content) if current == name else content)
    return make


def _manifest_with(**values):
    return _member_changed("manifest.json", lambda content: json.dumps({**json.loads(content), **values}).encode())


def _member_added(name, content):
    return lambda source, tmp: rewritten(source.archive, tmp / "added.tar.gz", extra=[(name, content)])


def _older_migration(source, tmp):
    with source.app.app_context():
        script = ScriptDirectory(source.app.extensions["migrate"].directory)
        older = script.get_revision(script.get_current_head()).down_revision
    return _manifest_with(migration_head=older)(source, tmp)


def _a_pdf(source):
    return "documents/" + min(name for name in source.documents if name.endswith(".pdf"))


REFUSED = {  # case: (the file made from the source's archive, exit status, what the output says)
    "missing file": (lambda source, tmp: tmp / "nothing.tar.gz", 2, "does not exist"),
    "not an archive": (lambda source, tmp: tmp / "garbage.tar.gz", 1, "not a complete backup archive"),
    "archive cut short": (lambda source, tmp: tmp / "cut.tar.gz", 1, "damaged or cut short"),
    "a document changed": (_member_changed(_a_pdf, lambda content: b"%PDF-1.4 changed"),
                           1, "is not the file that was backed up: its SHA-256 differs from the manifest's"),
    "a row changed": (_member_changed("tables/users.jsonl", lambda content: content.replace(
        b"manager@demo.zhasproject.kz", b"someone@else.kz")),
                      1, "tables/users.jsonl is not the file that was backed up"),
    "a member the manifest does not list": (_member_added("documents/" + "0" * 32 + ".pdf", b"%PDF-"),
                                            1, "that its manifest does not list"),
    "a member this code never writes": (_member_added("../escape.txt", b"x"), 1, "unexpected member '../escape.txt'"),
    "migration the code does not have": (_manifest_with(migration_head="0123456789ab"),
                                         1, "which this version of the application does not have"),
    "database at another migration": (_older_migration, 2, "a new empty database brought to that migration with "
                                                           "`flask db upgrade"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_what_is_not_a_backup_of_this_code_is_refused_before_anything_changes(target, runner, source, tmp_path, case):
    (tmp_path / "garbage.tar.gz").write_bytes(b"not a backup at all\n" * 100)
    (tmp_path / "cut.tar.gz").write_bytes(source.archive.read_bytes()[: source.archive.stat().st_size // 2])
    make, exit_code, message = REFUSED[case]

    result = runner.invoke(args=["backup", "restore", str(make(source, tmp_path))])

    assert result.exit_code == exit_code, result.output
    assert message in result.output
    assert not any(table_rows(target).values()) and not source.documents.keys() & document_hashes(target).keys()


def test_a_database_that_is_not_empty_is_refused(target, runner, source, make_user):
    make_user("already@example.kz")

    result = runner.invoke(args=["backup", "restore", str(source.archive)])

    assert result.exit_code == 2
    assert "REFUSED: the database is not empty (the table " in result.output
    assert len(table_rows(target)["users"]) == 1 and not source.documents.keys() & document_hashes(target).keys()


def test_a_document_changed_with_its_manifest_is_found_against_its_row(target, runner, source, tmp_path):
    forged = b"%PDF-1.4 forged"
    name = sorted(name for name in source.documents if name.endswith(".pdf"))[0]

    def change(member, content):
        if member == f"documents/{name}":
            return forged
        if member == "manifest.json":
            manifest = json.loads(content)
            manifest["documents"][name]["sha256"] = hashlib.sha256(forged).hexdigest()
            return json.dumps(manifest).encode()
        return content

    forged_archive = rewritten(source.archive, tmp_path / "forged.tar.gz", change)

    result = runner.invoke(args=["backup", "restore", str(forged_archive)])

    assert result.exit_code == 1
    assert f"FAILED documents: {name} is not the file its row records" in result.output


def test_a_change_committed_during_the_backup_is_not_in_it(app, app_ctx, make_user, tmp_path, monkeypatch):
    make_user("before@example.kz")
    dump, attempted = rows.dump, []
    writer = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], connect_args=(
        {"timeout": 0.1} if db.engine.dialect.name == "sqlite" else {}))

    def dump_then_write(connection, table, columns):
        if not attempted:  # while the first table is read, another connection adds a user
            attempted.append(True)
            try:
                with writer.begin() as other:
                    other.execute(sa.insert(User.__table__).values(
                        email="during@example.kz", password_hash="x", locale="en", active=True, session_version=1,
                        created_at=utcnow()))
            except sa.exc.OperationalError:
                pass  # SQLite: the backup's read transaction keeps writers out until it ends
        return dump(connection, table, columns)

    monkeypatch.setattr(rows, "dump", dump_then_write)
    result = app.test_cli_runner().invoke(args=["backup", "create", "-o", str(tmp_path / "backup.tar.gz")])
    writer.dispose()

    assert result.exit_code == 0, result.output
    assert attempted
    with tarfile.open(tmp_path / "backup.tar.gz") as tar:
        users = tar.extractfile("tables/users.jsonl").read().decode()
    assert "before@example.kz" in users and "during@example.kz" not in users
