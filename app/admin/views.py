"""The administrators' pages under /admin: staff accounts, the organisation's details, the audit
log. Every route needs the `admin` permission."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import accounts, auditlog
from app.admin.forms import ActionForm, AuditFilterForm, InviteForm, OrganisationForm, RolesForm
from app.admin.organisation import missing_fields, organisation, update_organisation
from app.audit.services import head as audit_head
from app.auth.models import Role
from app.auth.permissions import Permission, current_actor, permission_required
from app.errors import apply_change
from app.extensions import db
from app.i18n import current_language

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.context_processor
def _role_titles():
    return {"role_titles": lambda user: ", ".join(str(role.title) for role in Role if role in user.roles)}


@bp.route("/")
@permission_required(Permission.ADMIN)
def index():
    return render_template("admin/index.html", accounts=accounts.staff_accounts(),
                           missing=missing_fields(organisation()), audit_head=audit_head())


# --- staff accounts ---------------------------------------------------------------------------

def _account_or_404(user_id):
    return accounts.staff_account(user_id) or abort(404)


@bp.route("/users")
@permission_required(Permission.ADMIN)
def users():
    return render_template("admin/users.html", accounts=accounts.staff_accounts())


@bp.route("/users/invite", methods=["GET", "POST"])
@permission_required(Permission.ADMIN)
def invite():
    form = InviteForm(locale=current_language())
    user = form.validate_on_submit() and apply_change(
        form, lambda: accounts.invite(form.email.data, form.roles.roles, form.locale.data, current_actor()),
        _("The invitation to %(email)s is on its way.", email=form.email.data))
    if user:
        return redirect(url_for(".user", user_id=user.id))
    return render_template("admin/invite.html", form=form)


def _user_page(user, roles_form=None, action_form=None):
    return render_template(
        "admin/user.html", account=user, is_self=user.id == current_actor().id,
        roles_form=roles_form or RolesForm(formdata=None, roles=[role.value for role in user.roles]),
        action_form=action_form or ActionForm(formdata=None),
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@permission_required(Permission.ADMIN)
def user(user_id):
    """The account, and its roles form (POST changes the roles)."""
    account = _account_or_404(user_id)
    form = RolesForm()  # no defaults: a form with every box unticked sends nothing
    if form.validate_on_submit() and apply_change(
        form, lambda: accounts.change_roles(account, form.roles.roles, current_actor()),
        _("The roles of %(email)s are saved.", email=account.email),
    ):
        return redirect(url_for(".user", user_id=account.id))
    return _user_page(account, roles_form=form if form.is_submitted() else None)


def _account_action(user_id, change, message):
    """A button on the account's page: back to the page, with the result or the refusal."""
    account = _account_or_404(user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    if apply_change(form, lambda: change(account, current_actor()), message(account)):
        return redirect(url_for(".user", user_id=account.id))
    return _user_page(account, action_form=form)


@bp.route("/users/<int:user_id>/resend-invitation", methods=["POST"])
@permission_required(Permission.ADMIN)
def resend_invitation(user_id):
    return _account_action(user_id, accounts.resend_invitation, lambda account: _(
        "The invitation to %(email)s has been sent again.", email=account.email))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@permission_required(Permission.ADMIN)
def deactivate(user_id):
    return _account_action(user_id, accounts.deactivate, lambda account: _(
        "The account %(email)s is deactivated.", email=account.email))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@permission_required(Permission.ADMIN)
def reactivate(user_id):
    return _account_action(user_id, accounts.reactivate, lambda account: _(
        "The account %(email)s is active again.", email=account.email))


# --- the organisation -------------------------------------------------------------------------

@bp.route("/organisation", methods=["GET", "POST"])
@permission_required(Permission.ADMIN)
def organisation_details():
    details = organisation()
    form = OrganisationForm.for_organisation(details)
    if form.validate_on_submit() and apply_change(
        form, lambda: update_organisation(form.details(), current_actor()),
        _("The organisation's details are saved."),
    ):
        return redirect(url_for(".organisation_details"))
    return render_template("admin/organisation.html", form=form, details=details)


# --- the audit log ----------------------------------------------------------------------------

@bp.route("/audit")
@permission_required(Permission.ADMIN)
def audit_log():
    form = AuditFilterForm(request.args)
    page, rows = (auditlog.audit_page(form.filters(), request.args.get("page", 1, type=int))
                  if form.validate() else (None, []))
    return render_template(
        "admin/audit.html", form=form, page=page, rows=rows, events=auditlog.event_names(),
        verify_form=ActionForm(formdata=None), audit_head=audit_head(),
        page_url=lambda number: url_for(".audit_log", **{**request.args.to_dict(), "page": number}),
    )


@bp.route("/audit/verify", methods=["POST"])
@permission_required(Permission.ADMIN)
def verify_audit():
    if not ActionForm().validate_on_submit():
        abort(400)
    check = auditlog.verify_chain(current_actor())
    db.session.commit()
    if check.ok:
        flash(_("OK: the chain holds, %(count)s entries, head %(head)s.", count=check.entries,
                head=check.head or "—"), "success")
    else:
        flash(_("The chain is broken at entry %(seq)s (%(action)s). The entries from there on cannot be "
                "trusted.", seq=check.broken.seq, action=check.broken.event), "error")
    return redirect(url_for(".audit_log"))
