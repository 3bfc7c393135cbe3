"""Grant pages: the staff list per call and a grant's page with its timeline and the forms of
its next steps; the grantee's own grant page (somebody else's grant answers 404)."""
from io import BytesIO

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from app.applications.models import Application
from app.auth.permissions import Permission, current_actor, may, permission_required
from app.competitions.services import all_competitions
from app.contracts import contracts, grants
from app.contracts.forms import AmountForm, ContractStepForm, SignatureForm, TerminateForm
from app.contracts.models import Grant, GrantStatus, SignatureKind
from app.contracts.signals import grant_sections
from app.dbtypes import database_int
from app.errors import apply_change
from app.extensions import db
from app.storage import KINDS, open_stored

manage_bp = Blueprint("grants", __name__, url_prefix="/manage/grants")
my_bp = Blueprint("my_grants", __name__, url_prefix="/my/grants")


# --- staff ----------------------------------------------------------------------------------

@manage_bp.route("", endpoint="grants")
@permission_required(Permission.MANAGE_GRANTS)
def manage_grants():
    competitions = all_competitions()
    chosen = request.args.get("competition", type=database_int)
    query = sa.select(Grant).order_by(Grant.number).options(joinedload(Grant.application).lazyload("*"))
    if chosen is not None:
        query = query.filter_by(competition_id=chosen)
    rows = db.session.execute(query).scalars().all()
    return render_template("contracts/manage_grants.html", grants=rows, competitions=competitions, chosen=chosen,
                           statuses=list(GrantStatus))


def _grant_or_404(grant_id):
    return db.get_or_404(Grant, grant_id)


def _manage_page(grant, amount_form=None, terminate_form=None, step_form=None):
    contract = contracts.current_contract(grant)
    return render_template(
        "contracts/manage_grant.html", grant=grant,
        amount_form=amount_form or AmountForm(formdata=None),
        terminate_form=terminate_form or TerminateForm(formdata=None),
        step_form=step_form or ContractStepForm(formdata=None),
        contract=contract,
        deadline_missed=grant.status is GrantStatus.CONTRACTING and contracts.deadline_missed(contract),
        may_amend=may(current_user, Permission.AMEND_GRANT),
        may_countersign=may(current_user, Permission.COUNTERSIGN),
        may_terminate=grants.can_move(grant, GrantStatus.TERMINATED),
        sections=grant_sections(grant, "staff"),
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


@manage_bp.route("/<int:grant_id>/missed-deadline", methods=["POST"], endpoint="missed_deadline")
@permission_required(Permission.AMEND_GRANT)
def missed_deadline(grant_id):
    grant = _grant_or_404(grant_id)
    form = ContractStepForm()
    if form.validate_on_submit():
        promoted = apply_change(form, lambda: contracts.terminate_for_missed_deadline(grant, current_actor()) or False)
        if promoted is False:
            flash(_("The grant has been terminated. Nobody is left on the reserve list of this stratum: "
                    "the grant stays unawarded."), "warning")
        elif promoted is not None:
            flash(_("The grant has been terminated. Application %(number)s, next on the reserve list, now "
                    "receives a grant.", number=promoted.number), "success")
        if promoted is not None:
            return redirect(url_for(".grant", grant_id=grant_id))
    return _manage_page(grant, step_form=form), 422


def _contract_step(grant_id, step, message):
    grant = _grant_or_404(grant_id)
    form = ContractStepForm()
    if form.validate_on_submit() and apply_change(form, lambda: step(grant, current_actor()), message):
        return redirect(url_for(".grant", grant_id=grant_id))
    return _manage_page(grant, step_form=form), 422


@manage_bp.route("/<int:grant_id>/contract", methods=["POST"], endpoint="issue_contract")
@permission_required(Permission.MANAGE_GRANTS)
def issue_contract(grant_id):
    return _contract_step(grant_id, contracts.issue, _("The contract has been issued."))


@manage_bp.route("/<int:grant_id>/contract/confirm", methods=["POST"], endpoint="confirm_signature")
@permission_required(Permission.MANAGE_GRANTS)
def confirm_signature(grant_id):
    return _contract_step(grant_id, contracts.confirm, _("The grantee's signature has been confirmed."))


@manage_bp.route("/<int:grant_id>/contract/countersign", methods=["POST"], endpoint="countersign")
@permission_required(Permission.COUNTERSIGN)
def countersign(grant_id):
    return _contract_step(grant_id, contracts.countersign,
                          _("The contract has been countersigned: the grant is active."))


@manage_bp.route("/<int:grant_id>/contract.pdf", endpoint="contract_pdf")
@permission_required(Permission.MANAGE_GRANTS)
def manage_contract_pdf(grant_id):
    return _contract_download(_grant_or_404(grant_id))


@manage_bp.route("/<int:grant_id>/contract/signature", endpoint="contract_signature")
@permission_required(Permission.MANAGE_GRANTS)
def contract_signature(grant_id):
    """The grantee's upload as it is kept: the scan, or the e-signature file (named .cms, as eGov
    and NCALayer name theirs)."""
    contract = contracts.current_contract(_grant_or_404(grant_id))
    if contract is None or not contract.signature_stored_name:
        abort(404)
    extension = contract.signature_stored_name.rsplit(".", 1)[1]
    mimetype = next(kind.mimetype for kind in KINDS.values() if kind.extension == extension)
    try:
        signed = open_stored(contract.signature_stored_name)
    except FileNotFoundError:
        abort(404)
    if contract.signature_kind is SignatureKind.CMS:
        extension = "pdf.cms"
    return send_file(signed, mimetype=mimetype, as_attachment=True,
                     download_name=f"{contract.grant.number}-v{contract.version}-signed.{extension}")


def _contract_download(grant):
    contract = contracts.current_contract(grant)
    if contract is None:
        abort(404)
    return send_file(BytesIO(contract.pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{grant.number}-v{contract.version}.pdf")


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


def own_grant_or_404(grant_id):
    """The grant `grant_id` of the logged-in grantee; anybody else's (or none) answers 404. The
    grantee's pages of the features above use it too."""
    grant = db.session.get(Grant, grant_id)
    if grant is None or grant.application.applicant_id != current_user.id:
        abort(404)
    return grant


@my_bp.route("", endpoint="grants")
@login_required
def my_grants():
    return render_template("contracts/my_grants.html", grants=own_grants(current_user))


def _my_page(grant, signature_form=None):
    contract = contracts.current_contract(grant)
    if signature_form is None:
        signature_form = SignatureForm(formdata=None, version=contract.version if contract else "")
    return render_template("contracts/my_grant.html", grant=grant, contract=contract,
                           signature_form=signature_form, sections=grant_sections(grant, "grantee"))


@my_bp.route("/<int:grant_id>", endpoint="grant")
@login_required
def my_grant(grant_id):
    return _my_page(own_grant_or_404(grant_id))


@my_bp.route("/<int:grant_id>/contract.pdf", endpoint="contract_pdf")
@login_required
def my_contract_pdf(grant_id):
    return _contract_download(own_grant_or_404(grant_id))


@my_bp.route("/<int:grant_id>/contract/signature", methods=["POST"], endpoint="upload_signature")
@login_required
def upload_signature(grant_id):
    grant = own_grant_or_404(grant_id)
    form = SignatureForm()
    if form.validate_on_submit() and apply_change(
        form, lambda: contracts.upload_signature(grant, request.form.get("version", type=int), form.file.data,
                                                 current_actor()),
        _("The signed contract has been uploaded. The project office will check it."),
    ):
        return redirect(url_for(".grant", grant_id=grant_id))
    return _my_page(grant, signature_form=form), 422
