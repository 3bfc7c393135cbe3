"""The demo at a stage (`flask demo load --stage ...`), loaded once per test session: the later
stages take a minute or more, and several test modules read them. The first test that asks for a
stage loads it through the command into the suite's empty database; its rows (read and written back
by the backups' own code, app/backup/rows.py) and the documents it stored are kept, and every later
test gets them copied back into its empty database. Each test thus starts from the same loaded demo
and may change it: the autouse `_clean_database` empties the tables after it, as after any test."""
import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from app.backup import rows
from app.extensions import db
from app.storage import upload_folder


@dataclass(frozen=True)
class LoadedStage:
    result: object  # the command's click Result: its exit code and output
    tables: dict  # {table name: (column names, JSON lines)}
    documents: Path  # a copy of the documents the load stored


class DemoStages:
    def __init__(self, app, folder, empty_all_tables):
        self.app = app
        self.folder = folder
        self.empty_all_tables = empty_all_tables
        self.loaded = {}

    def load(self, stage, app=None):
        """The demo at `stage` in the empty database and upload folder of `app` (the suite's by
        default); returns the result of the command that loaded it first."""
        loaded = self.loaded.get(stage) or self._first_load(stage)
        app = app or self.app
        with app.app_context(), db.engine.begin() as connection:
            tables = {table.name: table for table in rows.data_tables(connection)}
            for name, (columns, lines) in loaded.tables.items():
                if lines:
                    rows.load(connection, tables[name], columns, lines)
            rows.reset_sequences(connection, tables.values())
            uploads = upload_folder()
        for document in loaded.documents.iterdir():
            if not (uploads / document.name).exists():
                shutil.copyfile(document, uploads / document.name)
        return loaded.result

    def _first_load(self, stage):
        with self.app.app_context():
            uploads = upload_folder()
            before = {path.name for path in uploads.iterdir()}
            with db.engine.connect() as connection:
                filled = [table.name for table in rows.data_tables(connection)
                          if connection.execute(sa.select(sa.func.count()).select_from(table)).scalar()]
            assert not filled, f"the demo is loaded into an empty database; these tables have rows: {filled}"
            result = self.app.test_cli_runner().invoke(args=["demo", "load", "--stage", stage])
            assert result.exit_code == 0, result.output
            db.session.remove()
            with db.engine.connect() as connection:
                tables = {}
                for table in rows.data_tables(connection):
                    columns = [column.name for column in table.columns]
                    tables[table.name] = (columns, list(rows.dump(connection, table, columns)))
            self.empty_all_tables()
        documents = self.folder / stage
        documents.mkdir()
        for path in list(uploads.iterdir()):  # moved: the suite's installation is empty again
            if path.name not in before:
                shutil.move(path, documents / path.name)
        self.loaded[stage] = LoadedStage(result=result, tables=tables, documents=documents)
        return self.loaded[stage]
