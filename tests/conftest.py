"""Fixtures: one app per test session on a database built by the migrations, emptied after
every test. TEST_DATABASE_URL selects PostgreSQL; the default is SQLite in a temporary folder."""
import os

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app
from app.auth.models import Role
from app.extensions import db, limiter
from bench.databases import create_database, drop_database
from tests import factories
from tests.demo_stages import DemoStages

# The browser fixtures (Chromium through Playwright: one browser for the whole session), for every
# test marked `browser`, wherever it lives.
pytest_plugins = ["tests.browser.fixtures"]


def pytest_configure(config):
    """Under pytest-xdist (`-n 2`) each worker has its own SQLite file (tmp_path_factory is per
    worker) and, under TEST_DATABASE_URL, its own PostgreSQL database made afresh beside the one
    named: <its name>_gw0, <its name>_gw1, ...; dropped when the worker ends."""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("TEST_DATABASE_URL", "")
    if worker and url.startswith("postgresql"):
        url = sa.make_url(url)
        url = url.set(database=f"{url.database}_{worker}").render_as_string(hide_password=False)
        create_database(url, recreate=True)
        os.environ["TEST_DATABASE_URL"] = config.worker_database_url = url


def pytest_sessionfinish(session):  # a worker is not unconfigured
    url = getattr(session.config, "worker_database_url", None)
    if url:
        drop_database(url)


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (its own `g` and database session), as in production,
    even while a test holds one open; the test's session then sees what the request committed."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance}/test.sqlite3"
    app = create_app({
        "INSTANCE_PATH": str(instance),
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "MAIL_BACKEND": "file",
        "SERVER_NAME": "localhost",
        "BABEL_DEFAULT_LOCALE": "en",  # tests read English unless they choose a language
    })
    app.test_client_class = FreshContextClient
    limiter.enabled = False  # on only in the tests that ask for `rate_limited`
    with app.app_context():
        upgrade()
    return app


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    limiter.enabled = False  # a test that built an app of its own turned it on (RATELIMIT_ENABLED)
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        empty_all_tables()


@pytest.fixture(scope="session")
def demo_stages(app, tmp_path_factory):
    """`demo_stages.load(stage)`: the demo at `stage` in the empty database, loaded by the command
    once per session and copied back for each later test (tests/demo_stages.py)."""
    return DemoStages(app, tmp_path_factory.mktemp("demo-stages"), empty_all_tables)


def empty_all_tables():
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf_enabled(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.fixture
def rate_limited(app):
    limiter.enabled = True
    with app.app_context():
        limiter.reset()
    yield
    limiter.enabled = False


@pytest.fixture
def make_user(app_ctx):
    return factories.make_user


@pytest.fixture
def manager(make_user):
    return make_user("manager@example.kz", roles=(Role.MANAGER,))


@pytest.fixture
def as_manager(client, manager):
    login(client, manager.email)
    return client


def login(client, email, password=factories.PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture
def request_ctx(app):
    """A request context: the services' messages are translated for a request."""
    with app.test_request_context():
        yield
        db.session.remove()
