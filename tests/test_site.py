"""Site-wide behaviour: languages, error pages, security headers, local assets (the health check:
test_healthz.py)."""
import pytest
import sqlalchemy as sa

from app import create_app
from app.auth.models import User
from app.extensions import db
from tests.conftest import login


@pytest.mark.parametrize("header, expected", [
    ("kk-KZ,kk;q=0.9", "kk"),
    ("ru-RU,ru;q=0.9,en;q=0.5", "ru"),
    ("en-US,en;q=0.9", "en"),
    ("de-DE", "ru"),
])
def test_language_follows_the_browser_until_the_user_chooses(app, client, monkeypatch, header, expected):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "ru")  # the production default
    body = client.get("/faq", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{expected}">' in body


def test_chosen_language_is_remembered_over_the_browser_and_in_the_account(client, make_user):
    user = make_user("a@example.kz", locale="ru")
    response = client.get("/lang/kk?next=/faq")
    assert (response.status_code, response.headers["Location"]) == (302, "/faq")
    body = client.get("/faq", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="kk">' in body
    login(client, "a@example.kz")
    client.get("/lang/en")
    assert db.session.get(User, user.id).locale == "en"
    other_device = client.application.test_client()
    login(other_device, "a@example.kz")
    assert '<html lang="en">' in other_device.get("/faq", headers={"Accept-Language": "ru"}).get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/lang/ru", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_404(client):
    assert client.get("/lang/de").status_code == 404


@pytest.mark.parametrize("lang, text", [
    ("kk", "Мұндай бет жоқ"),
    ("ru", "Такой страницы нет"),
    ("en", "There is no such page"),
])
def test_unknown_page_is_a_friendly_404_in_the_users_language(client, lang, text):
    client.get(f"/lang/{lang}")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_server_error_page_leaks_nothing(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite3", "BABEL_DEFAULT_LOCALE": "en"})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internal detail" not in body and "Traceback" not in body
    assert "Something went wrong" in body


def test_security_headers_are_set(client):
    headers = client.get("/faq").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]


def test_bootstrap_is_served_from_the_installed_package(client):
    import re
    body = client.get("/faq").get_data(as_text=True)
    assets = re.findall(r'(?:href|src)="(/bootstrap/static/[^"]+)"', body)
    assert any(a.split("?")[0].endswith("bootstrap.min.css") for a in assets)
    assert any(a.split("?")[0].endswith("bootstrap.min.js") for a in assets)
    assert "cdn.jsdelivr.net" not in body
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_pages_have_no_inline_scripts_the_csp_would_block(client):
    import re
    for path in ("/", "/faq", "/contacts", "/login", "/register", "/password/forgot"):
        body = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), path
        assert " style=\"" not in body, path


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_money_is_formatted_per_locale(app, lang):
    from flask_babel import force_locale
    with app.test_request_context():
        with force_locale(lang):
            rendered = app.jinja_env.from_string("{{ 1000000|money }}").render()
    assert rendered == {"kk": "1\xa0000\xa0000\xa0₸", "ru": "1\xa0000\xa0000\xa0₸", "en": "₸1,000,000"}[lang]


def test_dates_are_shown_in_almaty_time_per_locale(app):
    from datetime import datetime

    from flask_babel import force_locale
    with app.test_request_context():
        for lang, expected in (("ru", "18:00"), ("kk", "18:00"), ("en", "6:00")):
            with force_locale(lang):
                rendered = app.jinja_env.from_string("{{ value|datetime('short') }}").render(
                    value=datetime(2026, 12, 1, 13, 0))
            assert expected in rendered, (lang, rendered)


# --- the database does not answer ----------------------------------------------------------------

def _app_on_a_database_that_is_gone(tmp_path, url):
    """A running app whose database is gone, as in production (errors are not propagated); its
    secret key is the test app's, so that a session cookie made there is valid here."""
    return create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url,
                       "BABEL_DEFAULT_LOCALE": "en", "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})


GONE = [
    pytest.param(lambda tmp: f"sqlite:///{tmp}/no-such-folder/grants.sqlite3", id="sqlite-folder-gone"),
    pytest.param(lambda tmp: "postgresql+psycopg://postgres@127.0.0.1:1/grants", id="postgresql-nobody-listens"),
]


@pytest.fixture
def session_cookie(client, make_user):
    """The session cookie of a user who logged in while the database still answered."""
    make_user("a@example.kz")
    login(client, "a@example.kz")
    return client.get_cookie("session").value


def _assert_unavailable_page(response):
    body = response.get_data(as_text=True)
    assert response.status_code == 503, body
    assert response.headers["Retry-After"]
    assert '<html lang="en">' in body and "ZHAS PROJECT" in body  # the site's own page
    assert "The site is temporarily unavailable" in body and "Nothing you saved before is lost" in body
    assert "Log out" not in body  # nobody was looked up
    assert "Traceback" not in body and "OperationalError" not in body


@pytest.mark.parametrize("url", GONE)
@pytest.mark.parametrize("method, path", [("GET", "/"), ("GET", "/faq"), ("GET", "/calls/1"), ("GET", "/draws"),
                                          ("POST", "/login")])
def test_a_visitor_gets_503_and_the_sites_own_page_when_the_database_is_gone(tmp_path, url, method, path):
    client = _app_on_a_database_that_is_gone(tmp_path, url(tmp_path)).test_client()
    _assert_unavailable_page(client.open(path, method=method, data={"email": "a@example.kz", "password": "x"}))


@pytest.mark.parametrize("url", GONE)
@pytest.mark.parametrize("path", ["/", "/contacts", "/login", "/calls/1/apply", "/my/applications",
                                  "/manage/screening/", "/admin/"])
def test_a_logged_in_user_gets_503_and_the_sites_own_page_when_the_database_is_gone(tmp_path, session_cookie,
                                                                                    url, path):
    client = _app_on_a_database_that_is_gone(tmp_path, url(tmp_path)).test_client()
    client.set_cookie("session", session_cookie)
    _assert_unavailable_page(client.get(path))


def test_a_failed_transaction_does_not_fail_the_error_page_of_a_logged_in_user(tmp_path):
    from tests.factories import make_user

    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "BABEL_DEFAULT_LOCALE": "en",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite3", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False})

    @app.route("/half-done")
    def half_done():
        db.session.add(User(email="a@example.kz", password_hash="x", locale="en"))
        db.session.flush()  # the address is taken: the session now needs a rollback

    with app.app_context():
        db.create_all()
        make_user("a@example.kz")
    client = app.test_client()
    login(client, "a@example.kz")
    response = client.get("/half-done")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in body and "a@example.kz" in body  # the page of the logged-in user


def test_a_value_the_database_refuses_gets_a_page_saying_what_to_correct(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "BABEL_DEFAULT_LOCALE": "en",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite3"})

    @app.route("/nul")
    def nul():  # what PostgreSQL answers to a NUL byte in a text no form check caught
        raise sa.exc.DataError("INSERT INTO appeals ...", {}, ValueError("text fields cannot contain NUL bytes"))

    response = app.test_client().get("/nul")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This cannot be saved" in body and "invisible control character" in body
    assert "NUL bytes" not in body and "INSERT" not in body


@pytest.mark.parametrize("path", ["/manage/grants/10000000000000000000000000", "/draws/99999999999999999999",
                                  "/manage/office-log/events/2147483648"])
def test_an_id_beyond_the_databases_integers_is_not_found_not_an_error(as_manager, path):
    assert as_manager.get(path).status_code == 404
