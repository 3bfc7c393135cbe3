"""Staff accounts through the pages: invite, set the password from the mail, roles, deactivation."""
import re
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import sqlalchemy as sa

from app.admin import accounts
from app.audit.models import AuditEntry
from app.audit.services import verify
from app.auth.models import Role, User
from app.errors import Refused
from app.extensions import db
from app.mail.models import MailStatus
from app.mail.services import deliver_pending
from tests.admin import ADMIN_EMAIL
from tests.conftest import login
from tests.factories import PASSWORD, make_user
from tests.mail.helpers import link_in_last_mail, outbox_for

NEW = "Aliya.Screener@Zhasproject.kz"
NEW_PASSWORD = "a long new password"


def invite(client, email=NEW, roles=("staff",), locale="en"):
    return client.post("/admin/users/invite", data={"email": email, "roles": list(roles), "locale": locale})


def set_password(client, link, password=NEW_PASSWORD):
    return client.post(link, data={"password": password, "password_again": password})


def account(email=NEW):
    return db.session.execute(sa.select(User).where(User.email == email.lower())).scalar_one_or_none()


def events():
    return [(e.event, e.actor_id, e.data) for e in db.session.execute(
        sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars()]


def test_an_invited_screener_sets_a_password_and_screens(app, as_admin, admin):
    response = invite(as_admin)
    user = account()
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/users/{user.id}"
    assert user.roles == {Role.STAFF} and user.active and not user.email_confirmed and not user.has_password
    [mail] = outbox_for("aliya.screener@zhasproject.kz")
    assert mail.subject.startswith("You are invited to the project office") and "Screener" in mail.body_text
    link = link_in_last_mail(user.email, "/password/set/")

    newcomer = app.test_client()
    assert login(newcomer, user.email, "anything at all").status_code == 200  # no usable password yet
    page = newcomer.get(link)
    assert page.status_code == 200
    assert "You are invited to the project office as Screener" in page.get_data(as_text=True)
    response = set_password(newcomer, link)
    assert response.status_code == 302 and response.headers["Location"] == "/manage/"  # as after logging in
    assert newcomer.get("/manage/screening/").status_code == 200  # logged in by the link
    newcomer.post("/logout")
    assert login(newcomer, user.email, NEW_PASSWORD).status_code == 302
    assert newcomer.get("/manage/screening/").status_code == 200
    user = account()
    assert user.email_confirmed and user.has_password
    assert [(event, actor) for event, actor, _data in events()] == [
        ("user.invited", admin.id), ("user.invitation_accepted", user.id)]
    assert events()[0][2] == {"actor": admin.id, "user": user.id, "email": user.email, "roles": ["staff"],
                              "locale": "en"}
    assert verify() is None


def test_the_invitation_is_delivered_in_the_chosen_language(app, as_admin):
    invite(as_admin, roles=("staff", "manager"), locale="kk")
    [mail] = outbox_for(NEW.lower())
    assert mail.locale == "kk" and account().locale == "kk"
    assert "Іріктеу маманы, Менеджер" in mail.body_text
    assert mail.status is MailStatus.PENDING  # the request only writes the outbox
    assert deliver_pending() == (1, 0)  # the sender (`flask mail send`) writes the file
    written = Path(app.instance_path) / "mail" / f"{mail.id:06d}.eml"
    message = message_from_bytes(written.read_bytes(), policy=default_policy)
    assert message["To"] == NEW.lower() and "/password/set/" in message.get_content()


def test_the_invitation_language_starts_as_the_admins(as_admin):
    as_admin.get("/lang/kk")
    assert '<option selected value="kk">' in as_admin.get("/admin/users/invite").get_data(as_text=True)


def test_an_invitation_link_works_once(app, as_admin):
    invite(as_admin)
    link = link_in_last_mail(NEW.lower(), "/password/set/")
    newcomer = app.test_client()
    assert set_password(newcomer, link).status_code == 302
    newcomer.post("/logout")
    again = set_password(newcomer, link, "someone else's password")
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    assert login(newcomer, NEW, NEW_PASSWORD).status_code == 302


def test_an_expired_invitation_link_is_refused(app, as_admin, monkeypatch):
    invite(as_admin)
    link = link_in_last_mail(NEW.lower(), "/password/set/")
    monkeypatch.setitem(app.config, "INVITATION_MAX_AGE", -1)
    response = set_password(app.test_client(), link)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert not account().has_password and not account().email_confirmed


def test_an_invitation_outlives_a_reset_link(app):
    assert app.config["INVITATION_MAX_AGE"] == 7 * 24 * 3600 > app.config["PASSWORD_RESET_MAX_AGE"]


def test_sending_the_invitation_again_replaces_the_old_link(app, as_admin, admin):
    invite(as_admin)
    first = link_in_last_mail(NEW.lower(), "/password/set/")
    user = account()
    response = as_admin.post(f"/admin/users/{user.id}/resend-invitation")
    assert response.status_code == 302
    second = link_in_last_mail(NEW.lower(), "/password/set/")
    assert first != second and len(outbox_for(NEW.lower())) == 2
    assert set_password(app.test_client(), first).status_code == 400
    assert set_password(app.test_client(), second).status_code == 302
    assert events()[1][:2] == ("user.invitation_resent", admin.id)


def test_an_accepted_invitation_is_not_sent_again(as_admin):
    user = make_user("screener@example.kz", roles=(Role.STAFF,))
    response = as_admin.post(f"/admin/users/{user.id}/resend-invitation")
    assert response.status_code == 200
    assert "already set a password" in response.get_data(as_text=True)
    assert outbox_for(user.email) == []


def test_a_deactivated_invitee_cannot_use_the_link(app, as_admin):
    invite(as_admin)
    link = link_in_last_mail(NEW.lower(), "/password/set/")
    as_admin.post(f"/admin/users/{account().id}/deactivate")
    assert set_password(app.test_client(), link).status_code == 400


def test_inviting_an_existing_staff_address_changes_nothing(as_admin):
    user = make_user("screener@example.kz", roles=(Role.STAFF,))
    response = invite(as_admin, email="Screener@Example.kz", roles=("manager",))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "An account with this e-mail already exists" in body and 'id="email-error"' in body
    db.session.refresh(user)
    assert user.roles == {Role.STAFF} and outbox_for(user.email) == [] and events() == []


def test_inviting_an_applicants_address_is_refused_and_says_why(as_admin):
    applicant = make_user("aigerim@example.kz")
    body = invite(as_admin, email="aigerim@example.kz").get_data(as_text=True)
    assert "belongs to an applicant" in body and "separate address" in body
    db.session.refresh(applicant)
    assert applicant.roles == {Role.APPLICANT} and outbox_for(applicant.email) == [] and events() == []


def test_the_messages_are_in_the_admins_language(as_admin):
    as_admin.get("/lang/ru")
    body = invite(as_admin, email="aigerim@").get_data(as_text=True)
    assert "Введите правильный адрес электронной почты" in body


def test_an_invitation_needs_a_staff_role_and_a_good_address(as_admin):
    for data, message in [
        ({"email": NEW, "locale": "en"}, "Choose at least one role."),
        ({"email": NEW, "roles": ["applicant"], "locale": "en"}, "cannot have the applicant role"),
        ({"email": "not an address", "roles": ["staff"], "locale": "en"}, "Enter a valid e-mail address"),
        ({"email": NEW, "roles": ["staff"], "locale": "xx"}, "Choose the language of the invitation."),
        ({"email": "a\x00b@example.kz", "roles": ["staff"], "locale": "en"}, "Enter a valid e-mail address"),
        ({"email": "x" * 300 + "@example.kz", "roles": ["staff"], "locale": "en"}, "At most 254 characters."),
    ]:
        response = as_admin.post("/admin/users/invite", data=data)
        assert response.status_code == 200, data
        assert message in response.get_data(as_text=True), data
    assert db.session.execute(sa.select(sa.func.count(User.id))).scalar() == 1  # the admin alone
    assert events() == []


def test_the_list_shows_staff_accounts_only(as_admin):
    make_user("aigerim@example.kz")
    make_user("manager@example.kz", roles=(Role.MANAGER, Role.FINANCE))
    invite(as_admin)
    body = as_admin.get("/admin/users").get_data(as_text=True)
    assert "manager@example.kz" in body and "Manager, Finance" in body
    assert NEW.lower() in body and "Invited, no password yet" in body
    assert ADMIN_EMAIL in body and "aigerim@example.kz" not in body
    assert as_admin.get(f"/admin/users/{account('aigerim@example.kz').id}").status_code == 404
    assert as_admin.get("/admin/users/999999").status_code == 404


def test_an_admin_changes_roles_and_it_is_audited(as_admin, admin):
    user = make_user("screener@example.kz", roles=(Role.STAFF,))
    response = as_admin.post(f"/admin/users/{user.id}", data={"roles": ["manager", "finance"]})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.roles == {Role.MANAGER, Role.FINANCE}
    assert events()[-1] == ("user.roles_changed", admin.id,
                            {"actor": admin.id, "user": user.id, "roles": [["staff"], ["manager", "finance"]]})
    page = as_admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    checked = re.findall(r'name="roles"\s+id="[\w-]+" value="(\w+)" checked', page)
    assert sorted(checked) == ["finance", "manager"]


def test_roles_cannot_be_emptied(as_admin):
    user = make_user("screener@example.kz", roles=(Role.STAFF,))
    response = as_admin.post(f"/admin/users/{user.id}", data={})
    assert "Choose at least one role." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.roles == {Role.STAFF} and events() == []


def test_an_admin_cannot_remove_their_own_admin_role(as_admin, admin):
    response = as_admin.post(f"/admin/users/{admin.id}", data={"roles": ["manager"]})
    assert "You cannot remove your own administrator role" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.roles == {Role.ADMIN} and events() == []
    assert as_admin.post(f"/admin/users/{admin.id}", data={"roles": ["admin", "manager"]}).status_code == 302
    db.session.refresh(admin)
    assert admin.roles == {Role.ADMIN, Role.MANAGER}


def test_another_admin_can_take_the_admin_role_away(app, as_admin):
    other = make_user("second-admin@example.kz", roles=(Role.ADMIN,))
    assert as_admin.post(f"/admin/users/{other.id}", data={"roles": ["staff"]}).status_code == 302
    db.session.refresh(other)
    assert other.roles == {Role.STAFF}


def test_an_applicant_role_the_account_also_holds_stays(as_admin):
    user = make_user("both@example.kz", roles=(Role.APPLICANT, Role.STAFF))
    as_admin.post(f"/admin/users/{user.id}", data={"roles": ["manager"]})
    db.session.refresh(user)
    assert user.roles == {Role.APPLICANT, Role.MANAGER}


def test_deactivation_ends_an_existing_session(app, as_admin, admin):
    user = make_user("screener@example.kz", roles=(Role.STAFF,))
    screener = app.test_client()
    login(screener, user.email)
    assert screener.get("/manage/screening/").status_code == 200
    response = as_admin.post(f"/admin/users/{user.id}/deactivate")
    assert response.status_code == 302
    response = screener.get("/manage/screening/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "screener@example.kz" not in screener.get("/").get_data(as_text=True)
    assert "Wrong e-mail or password." in login(screener, user.email).get_data(as_text=True)
    assert events()[-1][:2] == ("user.deactivated", admin.id)


def test_a_reactivated_account_logs_in_again(app, as_admin, admin):
    user = make_user("screener@example.kz", roles=(Role.STAFF,))
    as_admin.post(f"/admin/users/{user.id}/deactivate")
    assert "Reactivate the account" in as_admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert as_admin.post(f"/admin/users/{user.id}/reactivate").status_code == 302
    assert login(app.test_client(), user.email).status_code == 302
    assert [event for event, _actor, _data in events()] == ["user.deactivated", "user.reactivated"]


def test_an_admin_cannot_deactivate_themselves(as_admin, admin):
    page = as_admin.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "Deactivate the account" not in page
    response = as_admin.post(f"/admin/users/{admin.id}/deactivate")
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active and events() == []
    assert as_admin.get("/admin/").status_code == 200


def test_the_services_refuse_the_same_way(app_ctx, admin):
    """Tests and later features call the services directly."""
    try:
        accounts.deactivate(admin, admin)
    except Refused as refusal:
        assert "your own account" in str(refusal)
    else:
        raise AssertionError("self-deactivation went through")
    screener = make_user("screener@example.kz", roles=(Role.STAFF,), password=PASSWORD)
    accounts.deactivate(screener, admin)
    accounts.deactivate(screener, admin)  # twice: one audit entry
    db.session.commit()
    assert [event for event, _actor, _data in events()] == ["user.deactivated"]
