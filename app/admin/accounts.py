"""Staff accounts as administrators manage them: invite by e-mail, send the invitation again,
change roles, deactivate and reactivate. Functions take objects and the acting administrator,
write the audit log and leave the commit to the caller. An administrator cannot deactivate
themselves or drop their own administrator role, so the office always keeps one."""
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.audit.services import record
from app.auth import services as auth
from app.auth.models import Role, User, UserRole
from app.errors import FieldErrors, Refused
from app.extensions import db

STAFF_ROLES = tuple(role for role in Role if role is not Role.APPLICANT)


def staff_accounts():
    """Every account with a role of the project office, by e-mail."""
    return db.session.execute(
        sa.select(User).where(User.role_links.any(UserRole.role != Role.APPLICANT)).order_by(User.email)
    ).scalars().all()


def staff_account(user_id):
    """The staff account with this id, or None (applicants' accounts are not managed here)."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_staff else None


def _role_values(roles):
    return [role.value for role in Role if role in roles]


def _check_roles(roles, errors):
    """Staff roles: at least one, never the applicant's."""
    if Role.APPLICANT in roles:
        errors.add("roles", _l("Staff accounts cannot have the applicant role."))
    elif not roles:
        errors.add("roles", _l("Choose at least one role."))


def invite(email, roles, locale, actor):
    """A new staff account without a password, and the invitation mail with its set-password link.
    Refused when the address already has an account: nothing changes."""
    roles, errors = set(roles), FieldErrors()
    _check_roles(roles, errors)
    if locale not in current_app.config["LANGUAGES"]:
        errors.add("locale", _l("Choose the language of the invitation."))
    errors.raise_if_any()
    existing = auth.find_user(email)
    if existing is not None:
        raise _taken(existing)
    try:
        return auth.invite_user(email, roles, locale, actor)
    except auth.EmailTaken:  # someone invited the same address at this very moment
        raise _taken(auth.find_user(email)) from None


def _taken(existing):
    if existing is not None and not existing.is_staff:
        return Refused(_l("This address belongs to an applicant's account. Staff use a separate address "
                          "for their work: invite a different e-mail."), field="email")
    return Refused(_l("An account with this e-mail already exists. Find it in the list of staff "
                      "accounts to change its roles or send the invitation again."), field="email")


def resend_invitation(user, actor):
    """A new invitation mail; the links sent before stop working."""
    if user.has_password:
        raise Refused(_l("This person has already set a password. If they forgot it, they can get a "
                         "reset link on the log-in page."))
    if not user.active:
        raise Refused(_l("The account is deactivated. Reactivate it first."))
    auth.send_invitation(user)
    record(actor, "user.invitation_resent", {"user": user.id})


def change_roles(user, roles, actor):
    """Gives the account exactly these staff roles (an applicant role it also holds stays)."""
    roles, errors = set(roles), FieldErrors()
    _check_roles(roles, errors)
    errors.raise_if_any()
    if user.id == actor.id and Role.ADMIN in user.roles and Role.ADMIN not in roles:
        raise Refused(_l("You cannot remove your own administrator role: ask another administrator."),
                      field="roles")
    old = user.roles
    new = roles | (old & {Role.APPLICANT})
    if new == old:
        return
    # Links are removed and added one by one: a kept role keeps its row.
    for link in [link for link in user.role_links if link.role not in new]:
        user.role_links.remove(link)
    for role in new - old:
        user.role_links.append(UserRole(role=role))
    db.session.flush()
    record(actor, "user.roles_changed", {"user": user.id, "roles": [_role_values(old), _role_values(new)]})


def deactivate(user, actor):
    """The account can no longer log in, and its open sessions end at their next request (for
    good: they stay ended when the account is reactivated)."""
    if user.id == actor.id:
        raise Refused(_l("You cannot deactivate your own account."))
    if not user.active:
        return
    user.active = False
    auth.end_sessions(user)
    record(actor, "user.deactivated", {"user": user.id})


def reactivate(user, actor):
    if user.active:
        return
    user.active = True
    record(actor, "user.reactivated", {"user": user.id})
