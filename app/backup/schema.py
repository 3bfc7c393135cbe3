"""The schema's migration revision: the code's head, the revisions it knows, and a database's."""
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app


@cache
def _revisions(directory):
    """(head, every revision) of the migrations in `directory`, read once per process."""
    script = ScriptDirectory(directory)
    return script.get_current_head(), frozenset(revision.revision for revision in script.walk_revisions())


def code_head():
    """The revision the code's models are at: the last migration."""
    return _revisions(current_app.extensions["migrate"].directory)[0]


def is_known(revision):
    """Whether the code has the migration `revision` (a newer version's revision it has not)."""
    return revision in _revisions(current_app.extensions["migrate"].directory)[1]


def database_head(connection):
    """The revision the database was last migrated to; None before `flask db upgrade`."""
    return MigrationContext.configure(connection).get_current_revision()
