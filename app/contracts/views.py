"""Grant pages: the staff list per call and a grant's page with its timeline and the forms of
its next steps; the grantee's own grant page (somebody else's grant answers 404)."""
import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.applications.models import Application
from app.auth.permissions import Permission, current_actor, may, permission_required
from app.competitions.services import all_competitions
from app.contracts import grants
from app.contracts.forms import AmountForm, TerminateForm
from app.contracts.models import Grant, GrantStatus
from app.errors import apply_change
from app.extensions import db

manage_bp = Blueprint("grants", __name__, url_prefix="/manage/grants")
my_bp = Blueprint("my_grants", __name__, url_prefix="/my/grants")


# --- staff ----------------------------------------------------------------------------------

@manage_bp.route("", endpoint="grants")
@permission_required(Permission.MANAGE_GRANTS)
def manage_grants():
    competitions = all_competitions()
    chosen = request.args.get("competition", type=int)
    query = sa.select(Grant).order_by(Grant.number)
    if chosen is not None:
        query = query.filter_by(competition_id=chosen)
    rows = db.session.execute(query).scalars().all()
    return render_template("contracts/manage_grants.html", grants=rows, competitions=competitions, chosen=chosen,
                           statuses=list(GrantStatus))


def _grant_or_404(grant_id):
    return db.get_or_404(Grant, grant_id)


def _manage_page(grant, amount_form=None, terminate_form=None):
    return render_template(
        "contracts/manage_grant.html", grant=grant,
        amount_form=amount_form or AmountForm(formdata=None),
        terminate_form=terminate_form or TerminateForm(formdata=None),
        may_amend=may(current_user, Permission.AMEND_GRANT),
        may_terminate=grants.can_move(grant, GrantStatus.TERMINATED),
    )


@manage_bp.route("/<int:grant_id>", endpoint="grant")
@permission_required(Permission.MANAGE_GRANTS)
def manage_grant(grant_id):
    return _manage_page(_grant_or_404(grant_id))


@manage_bp.route("/<int:grant_id>/amount", methods=["POST"])
@permission_required(Permission.AMEND_GRANT)
def lower_amount(grant_id):
    grant = _grant_or_404(grant_id)
    form = AmountForm()
    if form.validate_on_submit() and apply_change(
        form, lambda: grants.lower_amount(grant, form.amount.data, form.reason.data, current_actor()),
        _("The grant's amount has been lowered."),
    ):
        return redirect(url_for(".grant", grant_id=grant_id))
    return _manage_page(grant, amount_form=form), 422


@manage_bp.route("/<int:grant_id>/terminate", methods=["POST"])
@permission_required(Permission.AMEND_GRANT)
def terminate(grant_id):
    grant = _grant_or_404(grant_id)
    form = TerminateForm()
    if form.validate_on_submit() and apply_change(
        form, lambda: grants.terminate(grant, form.reason.data, current_actor()),
        _("The grant has been terminated."),
    ):
        return redirect(url_for(".grant", grant_id=grant_id))
    return _manage_page(grant, terminate_form=form), 422


# --- the grantee ----------------------------------------------------------------------------

def own_grants(user):
    return db.session.execute(
        sa.select(Grant).join(Application).where(Application.applicant_id == user.id).order_by(Grant.id)
    ).scalars().all()


@my_bp.app_template_global()
def holds_a_grant(user):
    """Whether the navbar shows "My grant": the user's application won a grant."""
    return bool(user.is_authenticated and not user.is_staff and db.session.scalar(
        sa.select(sa.func.count(Grant.id)).join(Application).where(Application.applicant_id == user.id)))


def _own_grant_or_404(grant_id):
    grant = db.session.get(Grant, grant_id)
    if grant is None or grant.application.applicant_id != current_user.id:
        abort(404)
    return grant


@my_bp.route("", endpoint="grants")
@login_required
def my_grants():
    return render_template("contracts/my_grants.html", grants=own_grants(current_user))


@my_bp.route("/<int:grant_id>", endpoint="grant")
@login_required
def my_grant(grant_id):
    return render_template("contracts/my_grant.html", grant=_own_grant_or_404(grant_id))
