"""The benchmarks' PostgreSQL databases: made (or made afresh), dropped, and the app on one, with
its own instance folder (documents and secret key, /tmp/grants-bench/<database> by default)."""
import sys
from pathlib import Path

import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from bench.serving import instance_for  # noqa: E402


def bench_app(database_url, instance=None, **config):
    """The app on the benchmark database `database_url`, with its instance folder."""
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                       "INSTANCE_PATH": str(instance or instance_for(database_url)), **config})


def _server(database_url):
    """A connection to the server's `postgres` database (autocommit), and the database's name."""
    url = sa.make_url(database_url)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    return psycopg.connect(admin, autocommit=True), url.database


def create_database(database_url, recreate=False):
    """Creates the database (dropped first when `recreate`); True when it was created."""
    connection, name = _server(database_url)
    with connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and recreate:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or recreate:
            connection.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


def drop_database(database_url):
    connection, name = _server(database_url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
