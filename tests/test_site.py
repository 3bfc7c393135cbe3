"""Site-wide behaviour: languages, error pages, health check, security headers, local assets."""
import pytest
import sqlalchemy as sa

from app import create_app
from app.auth.models import User
from app.extensions import db
from tests.conftest import login


def test_healthz_answers_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    with app.app_context():
        monkeypatch.setattr(db.session, "execute", broken)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


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
    assert any(a.endswith("bootstrap.min.css") for a in assets)
    assert any(a.endswith("bootstrap.min.js") for a in assets)
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
