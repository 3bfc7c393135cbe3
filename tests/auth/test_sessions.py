"""Sessions that really end: a copy of the session cookie or of the remember cookie, saved before
log-out, a new password, deactivation or "log out everywhere", opens nothing afterwards. And the
cookies' flags, their lifetime and HSTS."""
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest

from app import create_app
from app.auth.models import Role
from app.config import from_environment
from app.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD, make_user
from tests.mail.helpers import link_in_last_mail

EMAIL = "screener@example.kz"
NEW_PASSWORD = "a brand new one"
COOKIES = ("session", "remember_token")


def log_in_remembered(client, email=EMAIL, password=PASSWORD):
    response = client.post("/login", data={"email": email, "password": password, "remember": "y"})
    assert response.status_code == 302
    return {name: client.get_cookie(name).value for name in COOKIES}


def browser_with(app, name, value):
    """Another browser holding only a copy of one cookie, as a thief or a shared computer would."""
    browser = app.test_client()
    browser.set_cookie(name, value)
    return browser


def logged_in(browser):
    return browser.get("/account").status_code == 200


def log_out(app, client, user):
    client.post("/logout")


def change_password(app, client, user):
    response = client.post("/account", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                             "password_again": NEW_PASSWORD})
    assert response.status_code == 302


def reset_password(app, client, user):
    stranger = app.test_client()
    stranger.post("/password/forgot", data={"email": user.email})
    link = link_in_last_mail(user.email, "/password/reset/")
    assert stranger.post(link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}).status_code == 302


def deactivate(app, client, user):
    admin = make_user("admin@example.kz", roles=(Role.ADMIN,))
    as_admin = app.test_client()
    login(as_admin, admin.email)
    assert as_admin.post(f"/admin/users/{user.id}/deactivate").status_code == 302


def log_out_everywhere(app, client, user):
    assert client.post("/account/log-out-everywhere").status_code == 302


@pytest.mark.parametrize("end", [log_out, change_password, reset_password, deactivate, log_out_everywhere])
@pytest.mark.parametrize("cookie", COOKIES)
def test_a_saved_cookie_opens_nothing_after_the_session_ends(app, client, app_ctx, end, cookie):
    user = make_user(EMAIL, roles=(Role.STAFF,))
    saved = log_in_remembered(client)
    assert logged_in(browser_with(app, cookie, saved[cookie]))  # the copy works until then
    end(app, client, user)
    thief = browser_with(app, cookie, saved[cookie])
    assert not logged_in(thief)
    assert EMAIL not in thief.get("/").get_data(as_text=True)


def test_logging_out_ends_the_sessions_on_every_device(app, client, make_user):
    make_user(EMAIL)
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, EMAIL)
    log_in_remembered(phone)
    laptop.post("/logout")
    assert not logged_in(laptop) and not logged_in(phone)


def test_a_new_password_keeps_this_session_and_its_remember_cookie(app, client, make_user):
    make_user(EMAIL)
    other_device = app.test_client()
    login(other_device, EMAIL)
    log_in_remembered(client)
    response = client.post("/account", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                             "password_again": NEW_PASSWORD}, follow_redirects=True)
    assert "every other device is logged out" in response.get_data(as_text=True)
    assert logged_in(client) and not logged_in(other_device)
    fresh_remember = client.get_cookie("remember_token").value
    assert logged_in(browser_with(app, "remember_token", fresh_remember))
    assert login(app.test_client(), EMAIL, NEW_PASSWORD).status_code == 302


def test_a_new_password_needs_the_current_one(client, make_user):
    user = make_user(EMAIL)
    login(client, EMAIL)
    response = client.post("/account", data={"current_password": "not it", "password": NEW_PASSWORD,
                                             "password_again": NEW_PASSWORD})
    assert response.status_code == 200
    assert "This is not your current password." in response.get_data(as_text=True)
    assert logged_in(client)
    db.session.refresh(user)
    assert user.session_version == 1


def test_reactivating_an_account_does_not_revive_its_old_cookies(app, client, app_ctx):
    user = make_user(EMAIL, roles=(Role.STAFF,))
    saved = log_in_remembered(client)
    deactivate(app, client, user)
    user.active = True
    db.session.commit()
    for name in COOKIES:
        assert not logged_in(browser_with(app, name, saved[name]))
    assert login(app.test_client(), EMAIL).status_code == 302


def test_the_account_page_offers_a_new_password_and_log_out_everywhere(client, make_user):
    make_user(EMAIL)
    login(client, EMAIL)
    page = client.get("/account").get_data(as_text=True)
    assert 'name="current_password"' in page
    assert 'action="/account/log-out-everywhere"' in page
    assert 'href="/account"' in client.get("/").get_data(as_text=True)  # from the user menu


def test_log_out_everywhere_needs_post_and_the_csrf_token(client, make_user, csrf_enabled):
    make_user(EMAIL)
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    assert logged_in(client)
    assert client.get("/account/log-out-everywhere").status_code == 405
    assert client.post("/account/log-out-everywhere").status_code == 400
    assert logged_in(client)


def set_cookie(response, name):
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    return [part.strip() for part in header.split(";")]


def test_the_remember_cookie_is_http_only_lax_and_lasts_30_days(client, make_user):
    make_user(EMAIL)
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD, "remember": "y"})
    flags = set_cookie(response, "remember_token")
    assert "HttpOnly" in flags and "SameSite=Lax" in flags and "Secure" not in flags
    [expires] = [part for part in flags if part.startswith("Expires=")]
    lifetime = parsedate_to_datetime(expires.partition("=")[2]) - datetime.now(timezone.utc)
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)
    assert "Strict-Transport-Security" not in response.headers


def test_behind_https_both_cookies_are_secure_and_hsts_is_sent(app, app_ctx):
    make_user(EMAIL)
    secure = create_app({**{key: app.config[key] for key in (
        "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PASSWORD_HASH_METHOD", "WTF_CSRF_ENABLED", "SERVER_NAME")},
        "INSTANCE_PATH": app.instance_path, "SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_DURATION": 3600})
    assert secure.config["REMEMBER_COOKIE_SECURE"] is True
    response = secure.test_client().post("/login", base_url="https://localhost",
                                         data={"email": EMAIL, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    for name in COOKIES:
        assert "Secure" in set_cookie(response, name)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    with secure.app_context():
        db.engine.dispose()


def test_the_remember_cookie_lifetime_comes_from_the_environment():
    assert from_environment({"REMEMBER_COOKIE_DURATION": "86400"}) == {"REMEMBER_COOKIE_DURATION": 86400}
