"""`flask backup create -o FILE` and `flask backup restore FILE` (see README, "Backups")."""
import click
from flask.cli import AppGroup

from app.backup.create import create_backup
from app.backup.errors import BackupError
from app.backup.restore import restore_backup

backup_cli = AppGroup("backup", help="Back up the database and the documents to one file, and restore it.")


def _refused(error):
    click.echo(f"REFUSED: {error}", err=True)
    raise SystemExit(error.exit_code)


@backup_cli.command("create")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The archive to write (.tar.gz); an older file of that name is replaced once it is complete.")
def create_command(output):
    """Writes the database (every table, as JSON lines) and every document its rows name, read at one
    moment, to one archive with a manifest. Exit status 1 when a document is missing or not what its
    row records (the archive is written all the same, and says so)."""
    try:
        created = create_backup(output)
    except BackupError as error:
        _refused(error)
    manifest = created.manifest
    click.echo(f"{output}: {created.rows} rows in {len(manifest['tables'])} tables, "
               f"{len(manifest['documents'])} documents, migration {manifest['migration_head']}, "
               f"audit log head {manifest['chains']['audit_log']['head']}")
    for problem in created.problems:
        click.echo(f"WARNING: {problem}", err=True)
    if created.problems:
        raise SystemExit(1)


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
def restore_command(archive):
    """Restores an archive of `backup create` into this installation, which must be new: its
    database at the archive's migration (`flask db upgrade REVISION`) and empty (else exit status 2).
    Then checks every table, document and hash chain against the archive: exit status 1 when
    anything differs."""
    try:
        checks = restore_backup(archive)
    except BackupError as error:
        _refused(error)
    for check in checks:
        click.echo(f"{'OK' if check.ok else 'FAILED':6} {check.subject}: {check.detail}")
    if not all(check.ok for check in checks):
        raise SystemExit(1)
