"""Registration, e-mail confirmation, log in/out and password reset, through the pages."""
import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from app.auth.models import Role, User
from app.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD
from tests.mail.helpers import link_in_last_mail, outbox_for

GOOD = {"email": "Aigerim@Example.kz", "phone": "8 701 123 45 67",
        "password": "long enough 1", "password_again": "long enough 1"}


def register(client, **changes):
    return client.post("/register", data={**GOOD, **changes})


def test_registration_creates_an_unconfirmed_applicant_and_mails_the_link(client, app_ctx):
    response = register(client)
    assert response.status_code == 200
    assert "aigerim@example.kz" in response.get_data(as_text=True)
    user = db.session.execute(sa.select(User)).scalar_one()
    assert (user.email, user.phone, user.roles) == ("aigerim@example.kz", "+77011234567", {Role.APPLICANT})
    assert not user.email_confirmed
    [mail] = outbox_for("aigerim@example.kz")
    assert "/confirm/" in mail.body_text


def test_confirmation_link_confirms_and_then_login_works(client, app_ctx):
    register(client)
    response = client.get(link_in_last_mail("aigerim@example.kz", "/confirm/"))
    assert response.status_code == 302
    assert db.session.execute(sa.select(User)).scalar_one().email_confirmed
    response = login(client, "aigerim@example.kz", "long enough 1")
    assert response.status_code == 302
    assert "Log out" in client.get("/").get_data(as_text=True) or "logout" in client.get("/").get_data(as_text=True)


def test_unconfirmed_user_cannot_log_in(client, app_ctx):
    register(client)
    response = login(client, "aigerim@example.kz", "long enough 1")
    assert response.status_code == 200
    assert "confirm your e-mail" in response.get_data(as_text=True)


@pytest.mark.parametrize("token", ["garbage", "eyJ1aWQiOjF9.bad.signature"])
def test_broken_confirmation_link_is_refused(client, token):
    response = client.get(f"/confirm/{token}")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_expired_confirmation_link_says_so(client, app, app_ctx, monkeypatch):
    register(client)
    link = link_in_last_mail("aigerim@example.kz", "/confirm/")
    monkeypatch.setitem(app.config, "EMAIL_CONFIRM_MAX_AGE", -1)
    response = client.get(link)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert not db.session.execute(sa.select(User)).scalar_one().email_confirmed


def test_registering_a_taken_email_answers_the_same_and_warns_the_owner(client, make_user):
    make_user("aigerim@example.kz")
    response = register(client, phone="+77021234567")
    assert response.status_code == 200
    assert "We have sent a message to" in response.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count(User.id))).scalar() == 1
    [mail] = outbox_for("aigerim@example.kz")
    assert "already exists" in mail.body_text


def test_registering_a_taken_email_hashes_the_password_as_a_new_account_does(client, make_user, monkeypatch):
    """Hashing is most of a new account's time: skipping it would tell strangers who has one."""
    from app.auth import services

    make_user("aigerim@example.kz")
    hashed = []
    monkeypatch.setattr(services, "hash_password", lambda password: hashed.append(password) or "x")
    register(client)
    register(client, email="new@example.kz")
    assert hashed == ["long enough 1", "long enough 1"]


@pytest.mark.parametrize("field, value, message", [
    ("email", "not-an-email", "Enter a valid e-mail address"),
    ("email", "", "Enter your e-mail address."),
    ("phone", "+7 916 123 45 67", None),
    ("phone", "12345", None),
    ("phone", "", "Enter your mobile phone number."),
    ("password", "short", "8 to 128 characters"),
    ("password_again", "something else", "The two passwords are not the same."),
])
def test_bad_registration_input_is_refused_next_to_the_field_and_kept(client, app_ctx, field, value, message):
    response = register(client, **{field: value})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in body
    if message:
        assert message in body
    if field in ("email", "phone") and value:
        assert f'value="{value}"' in body
    assert db.session.execute(sa.select(sa.func.count(User.id))).scalar() == 0
    assert outbox_for("aigerim@example.kz") == []


def test_registration_error_is_in_the_users_language(client):
    client.get("/lang/ru")
    body = register(client, password_again="other").get_data(as_text=True)
    assert "Пароли не совпадают" in body
    client.get("/lang/kk")
    body = register(client, password_again="other").get_data(as_text=True)
    assert "Құпиясөздер сәйкес келмейді" in body


def test_script_in_email_field_is_escaped(client):
    body = register(client, email="<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_wrong_password_and_unknown_email_answer_the_same(client, make_user):
    make_user("aigerim@example.kz")
    wrong = login(client, "aigerim@example.kz", "wrong password")
    unknown = login(client, "nobody@example.kz", "wrong password")
    assert wrong.status_code == unknown.status_code == 200
    assert "Wrong e-mail or password." in wrong.get_data(as_text=True)
    strip = lambda r: r.get_data(as_text=True).replace("aigerim@example.kz", "X").replace("nobody@example.kz", "X")
    assert strip(wrong) == strip(unknown)


def test_login_email_is_case_insensitive_and_next_must_be_local(client, make_user):
    make_user("aigerim@example.kz")
    response = client.post("/login?next=https://evil.example/", data={"email": "AIGERIM@example.kz", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/faq", data={"email": "aigerim@example.kz", "password": PASSWORD})
    assert response.headers["Location"] == "/faq"


def test_deactivated_user_cannot_log_in(client, make_user):
    user = make_user("aigerim@example.kz")
    user.active = False
    db.session.commit()
    assert "Wrong e-mail or password." in login(client, "aigerim@example.kz").get_data(as_text=True)


def test_logout_needs_post_and_ends_the_session(client, make_user):
    make_user("aigerim@example.kz")
    login(client, "aigerim@example.kz")
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert "aigerim@example.kz" not in client.get("/").get_data(as_text=True)


def test_password_reset_link_works_once(client, make_user):
    make_user("aigerim@example.kz")
    response = client.post("/password/forgot", data={"email": "aigerim@example.kz"})
    assert response.status_code == 200
    link = link_in_last_mail("aigerim@example.kz", "/password/reset/")
    new = {"password": "a brand new one", "password_again": "a brand new one"}
    assert client.post(link, data=new).status_code == 302
    assert login(client, "aigerim@example.kz", "a brand new one").status_code == 302
    client.post("/logout")
    again = client.post(link, data={"password": "third password", "password_again": "third password"})
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    assert login(client, "aigerim@example.kz", PASSWORD).status_code == 200  # old password is gone


def test_password_reset_ends_other_sessions(app, client, make_user):
    make_user("aigerim@example.kz")
    other_device = app.test_client()
    login(other_device, "aigerim@example.kz")
    assert "aigerim@example.kz" in other_device.get("/").get_data(as_text=True)
    client.post("/password/forgot", data={"email": "aigerim@example.kz"})
    link = link_in_last_mail("aigerim@example.kz", "/password/reset/")
    client.post(link, data={"password": "a brand new one", "password_again": "a brand new one"})
    assert "aigerim@example.kz" not in other_device.get("/").get_data(as_text=True)


def test_expired_reset_link_is_refused(client, app, make_user, monkeypatch):
    make_user("aigerim@example.kz")
    client.post("/password/forgot", data={"email": "aigerim@example.kz"})
    link = link_in_last_mail("aigerim@example.kz", "/password/reset/")
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    response = client.get(link)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_reset_for_an_unknown_email_answers_the_same_and_does_the_same_work(client, make_user):
    """The same page and one queued message with the same subject, so that neither the answer nor
    its time tells a stranger whether the address has an account; its owner learns it has none."""
    make_user("aigerim@example.kz")
    known = client.post("/password/forgot", data={"email": "aigerim@example.kz"})
    unknown = client.post("/password/forgot", data={"email": "Nobody@example.kz"})
    assert known.status_code == unknown.status_code == 200
    assert "If an account uses" in unknown.get_data(as_text=True)
    strip = lambda r, email: r.get_data(as_text=True).replace(email, "X")
    assert strip(known, "aigerim@example.kz") == strip(unknown, "nobody@example.kz")
    [reset], [note] = outbox_for("aigerim@example.kz"), outbox_for("nobody@example.kz")
    assert reset.subject == note.subject
    assert "no active account uses it" in note.body_text and "/register" in note.body_text
    assert "/password/reset/" not in note.body_text


def test_a_deactivated_account_gets_no_reset_link(client, make_user):
    user = make_user("aigerim@example.kz")
    user.active = False
    db.session.commit()
    client.post("/password/forgot", data={"email": "aigerim@example.kz"})
    [note] = outbox_for("aigerim@example.kz")
    assert "/password/reset/" not in note.body_text


def test_reset_token_for_another_purpose_is_refused(client, app, make_user):
    user = make_user("aigerim@example.kz")
    forged = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="confirm-email").dumps(
        {"uid": user.id, "pw": user.password_hash[-16:]})
    assert client.get(f"/password/reset/{forged}").status_code == 400


def test_post_without_csrf_token_is_refused(client, csrf_enabled, app_ctx):
    response = register(client)
    assert response.status_code == 400
    assert "form has expired" in response.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count(User.id))).scalar() == 0


def test_registration_is_rate_limited(client, rate_limited):
    statuses = [register(client, email=f"p{i}@example.kz").status_code for i in range(6)]
    assert statuses == [200] * 5 + [429]


def test_resend_confirmation_mails_only_unconfirmed_accounts(client, make_user):
    make_user("done@example.kz")
    make_user("waiting@example.kz", confirmed=False)
    for email in ("done@example.kz", "waiting@example.kz", "nobody@example.kz"):
        assert client.post("/confirm/resend", data={"email": email}).status_code == 200
    assert [len(outbox_for(e)) for e in ("done@example.kz", "waiting@example.kz", "nobody@example.kz")] == [0, 1, 0]
