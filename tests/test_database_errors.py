"""A database that does not answer makes the site unavailable for a while (503, its own page, no
database needed); any other error of the database is a defect of ours: the normal error page
(500), and the error logged. Each runs on the test database (SQLite, or PostgreSQL with
TEST_DATABASE_URL)."""
import logging
import os
import sqlite3

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db

# More than any database here takes in one statement: PostgreSQL 65,535, this SQLite 250,000.
TOO_MANY_PARAMETERS = 300_000


@pytest.fixture
def database_url(tmp_path):
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path}/db.sqlite3"


@pytest.fixture
def on_postgresql(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")


def running_app(tmp_path, database_url, **config):
    """An app as in production (errors are not propagated to the client) with a route that fails."""
    return create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "BABEL_DEFAULT_LOCALE": "en",
                       "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False, **config})


def assert_error_page(response):
    body = response.get_data(as_text=True)
    assert response.status_code == 500, body
    assert '<html lang="en">' in body and "Something went wrong" in body
    assert "temporarily unavailable" not in body and "Retry-After" not in response.headers
    assert "parameters" not in body and "SELECT" not in body and "Traceback" not in body


def assert_unavailable_page(response):
    body = response.get_data(as_text=True)
    assert response.status_code == 503, body
    assert response.headers["Retry-After"]
    assert "The site is temporarily unavailable" in body and "Nothing you saved before is lost" in body


def test_a_statement_with_too_many_parameters_is_a_defect_not_an_unavailable_database(
        tmp_path, database_url, caplog):
    app = running_app(tmp_path, database_url)

    @app.route("/too-many")
    def too_many():
        db.session.execute(sa.select(sa.literal(1)).where(sa.literal(1).in_(range(TOO_MANY_PARAMETERS))))

    @app.route("/answers")
    def answers():
        return str(db.session.scalar(sa.select(sa.literal(41) + 1)))

    with caplog.at_level(logging.ERROR):
        assert_error_page(app.test_client().get("/too-many"))
    logged = [record for record in caplog.records if record.exc_info]
    assert len(logged) == 1 and isinstance(logged[0].exc_info[1], sa.exc.OperationalError)
    # The database still answers the next request.
    assert app.test_client().get("/answers").get_data(as_text=True) == "42"


def test_a_statement_cancelled_by_its_timeout_is_a_defect(tmp_path, database_url, on_postgresql):
    app = running_app(tmp_path, database_url)

    @app.route("/slow")
    def slow():
        db.session.execute(sa.text("SET LOCAL statement_timeout = 10"))
        db.session.execute(sa.text("SELECT pg_sleep(2)"))

    assert_error_page(app.test_client().get("/slow"))


def test_a_connection_lost_in_the_middle_of_a_request_is_an_unavailable_database(
        tmp_path, database_url, on_postgresql):
    app = running_app(tmp_path, database_url)

    @app.route("/lost")
    def lost():  # what a restart of the server does to the connections it had
        db.session.execute(sa.text("SELECT pg_terminate_backend(pg_backend_pid())"))

    assert_unavailable_page(app.test_client().get("/lost"))


def test_a_database_file_locked_by_another_writer_is_an_unavailable_database(tmp_path):
    database = tmp_path / "db.sqlite3"
    app = running_app(tmp_path, f"sqlite:///{database}")
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("CREATE TABLE t (x INTEGER)")
    writer.execute("BEGIN EXCLUSIVE")

    @app.route("/locked")
    def locked():
        db.session.execute(sa.text("PRAGMA busy_timeout = 0"))  # fail at once instead of waiting
        db.session.execute(sa.text("INSERT INTO t VALUES (1)"))

    try:
        assert_unavailable_page(app.test_client().get("/locked"))
    finally:
        writer.close()


def test_every_connection_of_the_pool_taken_is_an_unavailable_database(tmp_path, database_url):
    app = running_app(tmp_path, database_url, SQLALCHEMY_ENGINE_OPTIONS={
        "pool_size": 1, "max_overflow": 0, "pool_timeout": 0.1})

    @app.route("/busy")
    def busy():
        return str(db.session.scalar(sa.select(sa.literal(1))))

    with app.app_context():
        held = db.engine.connect()
    try:
        assert_unavailable_page(app.test_client().get("/busy"))
    finally:
        held.close()
    assert app.test_client().get("/busy").get_data(as_text=True) == "1"
