"""Staff pages of payments, under /manage/payments: suppliers, each grant's ledger and requests,
approving (APPROVE_PAYMENT), paying (PAY), and the exports for accounting; and the grantee's own
payments pages under /my/grants/<id>/payments (somebody else's grant or request answers 404)."""
import io

import sqlalchemy as sa
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app import storage
from app.applications.views import money_format
from app.auth.permissions import Permission, current_actor, permission_required
from app.contracts.models import Grant, GrantStatus
from app.contracts.views import own_grant_or_404
from app.errors import apply_change
from app.extensions import db
from app.payments import decisions, exports, suppliers
from app.payments.forms import (BLANK_LINES, ConfirmForm, ExportForm, GranteeRequestForm, MessageForm,
                                PaymentRequestForm, PayForm, SupplierForm)
from app.payments.ledger import ledger
from app.payments.models import PaymentRequest, PaymentStatus, Supplier

bp = Blueprint("manage_payments", __name__, url_prefix="/manage/payments")
my_bp = Blueprint("my_payments", __name__, url_prefix="/my/grants/<int:grant_id>/payments")
APPROVE, PAY = Permission.APPROVE_PAYMENT, Permission.PAY


# --- suppliers ----------------------------------------------------------------------------------

@bp.route("/suppliers")
@permission_required(APPROVE)
def supplier_list():
    return render_template("payments/suppliers.html", suppliers=suppliers.all_suppliers())


@bp.route("/suppliers/new", methods=["GET", "POST"])
@permission_required(APPROVE)
def new_supplier():
    number = request.args.get("bin_iin", "")  # from the request form's link "Add a new supplier"
    typed = number.isascii() and number.isdigit() and len(number) == 12
    form = SupplierForm(data={"bin_iin": number if typed else ""})
    if form.validate_on_submit() and apply_change(
            form, lambda: suppliers.add_supplier(form.data, current_actor()), _("The supplier is saved.")):
        return redirect(url_for(".supplier_list"))
    return render_template("payments/supplier_form.html", form=form, supplier=None)


@bp.route("/suppliers/<int:supplier_id>", methods=["GET", "POST"])
@permission_required(APPROVE)
def edit_supplier(supplier_id):
    supplier = db.get_or_404(Supplier, supplier_id)
    form = SupplierForm(obj=supplier)
    if form.validate_on_submit() and apply_change(
            form, lambda: suppliers.update_supplier(supplier, form.data, current_actor()),
            _("The supplier is saved.")):
        return redirect(url_for(".supplier_list"))
    return render_template("payments/supplier_form.html", form=form, supplier=supplier)


@bp.route("/suppliers/find")
@permission_required(APPROVE)
def find_supplier():
    """For the request form's script: the supplier registered with the BIN/IIN typed, or why none."""
    text = request.args.get("bin_iin", "")[:20]
    try:
        number = suppliers.check_bin_iin(text)
    except ValueError as error:
        return jsonify(found=False, message=str(error.args[0]))
    supplier = suppliers.supplier_with(number)
    if supplier is None:
        return jsonify(found=False, message=str(suppliers.UNKNOWN_TO_STAFF),
                       add_url=url_for(".new_supplier", bin_iin=number))
    return jsonify(found=True, id=supplier.id, message=f"{supplier.name} · {supplier.iban} ({supplier.bank})")


# --- grants, their ledgers and requests -----------------------------------------------------------

@bp.route("/grants")
@permission_required(APPROVE)
def grant_list():
    grants = db.session.execute(sa.select(Grant).order_by(Grant.number)).scalars().all()
    return render_template("payments/grants.html", grants=[(grant, ledger(grant)) for grant in grants],
                           waiting=decisions.requests_in(PaymentStatus.SUBMITTED), export_form=ExportForm(request.args))


@bp.route("/grants/<int:grant_id>")
@permission_required(APPROVE)
def grant_ledger(grant_id):
    grant = db.get_or_404(Grant, grant_id)
    return render_template("payments/grant.html", grant=grant, ledger=ledger(grant),
                           payments=decisions.requests_of(grant))


def _supplier_choices(form):
    form.supplier_id.choices = [(0, _("Choose…"))] + [
        (s.id, f"{s.name} ({s.bin_iin})") for s in suppliers.all_suppliers()]


def _new_request_form(form_class):
    form = form_class()
    _supplier_choices(form)
    if not form.is_submitted():
        form.add_blank_lines(BLANK_LINES - len(form.lines.entries))
    return form


def _send(form, change, message):
    """Sends the request, `change(values, invoice_file)`, unless one of the lines' buttons was pressed
    instead; its result, or None when the form is to be shown again."""
    if form.lines_rearranged() or not form.validate_on_submit():
        return None
    return apply_change(form, lambda: change(form.values(), form.chosen_invoice()), message)


def _request_form_page(template, form, grant, payment=None):
    return render_template(template, form=form, grant=grant, ledger=ledger(grant), payment=payment,
                           lines_max=decisions.LINES_MAX, money_format=money_format())


@bp.route("/grants/<int:grant_id>/requests/new", methods=["GET", "POST"])
@permission_required(APPROVE)
def new_request(grant_id):
    grant = db.get_or_404(Grant, grant_id)
    form = _new_request_form(PaymentRequestForm)
    payment = _send(form, lambda values, invoice: decisions.submit(grant, values, invoice, current_actor()),
                    _("The payment request is submitted."))
    if payment:
        return redirect(url_for(".payment", request_id=payment.id))
    return _request_form_page("payments/request_form.html", form, grant)


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
@permission_required(APPROVE)
def edit_request(request_id):
    payment = db.get_or_404(PaymentRequest, request_id)
    if payment.status is not PaymentStatus.RETURNED:
        flash(_("Only a request returned for correction can be changed."), "warning")
        return redirect(url_for(".payment", request_id=payment.id))
    form = PaymentRequestForm(data=_request_data(payment))
    _supplier_choices(form)
    if _send(form, lambda values, invoice: decisions.resubmit(payment, values, invoice, current_actor()),
             _("The corrected request is submitted again.")):
        return redirect(url_for(".payment", request_id=payment.id))
    return _request_form_page("payments/request_form.html", form, payment.grant, payment)


@bp.route("/requests/<int:request_id>")
@permission_required(APPROVE)
def payment(request_id):
    payment = db.get_or_404(PaymentRequest, request_id)
    return _payment_page(payment)


def _payment_page(payment, approve_form=None, return_form=None, reject_form=None):
    return render_template(
        "payments/request.html", payment=payment, ledger=ledger(payment.grant),
        approve_form=approve_form or ConfirmForm(formdata=None),
        return_form=return_form or MessageForm(prefix="return", formdata=None),
        reject_form=reject_form or MessageForm(prefix="reject", formdata=None),
        allowed=decisions.transitions_allowed(payment))


@bp.route("/requests/<int:request_id>/approve", methods=["POST"])
@permission_required(APPROVE)
def approve(request_id):
    return _decide(request_id, ConfirmForm(), "approve_form", decisions.approve, _("The request is approved."))


@bp.route("/requests/<int:request_id>/return", methods=["POST"])
@permission_required(APPROVE)
def return_request(request_id):
    form = MessageForm(prefix="return")
    return _decide(request_id, form, "return_form",
                   lambda payment, actor: decisions.return_for_correction(payment, form.message.data, actor),
                   _("The request is returned for correction."))


@bp.route("/requests/<int:request_id>/reject", methods=["POST"])
@permission_required(APPROVE)
def reject(request_id):
    form = MessageForm(prefix="reject")
    return _decide(request_id, form, "reject_form",
                   lambda payment, actor: decisions.reject(payment, form.message.data, actor),
                   _("The request is rejected."))


def _decide(request_id, form, form_name, decide, message):
    """One decision on a request (`decide(payment, actor)`): back to its page, or the page again
    with the refusal beside the form."""
    payment = db.get_or_404(PaymentRequest, request_id)
    if form.validate_on_submit() and apply_change(form, lambda: decide(payment, current_actor()), message):
        return redirect(url_for(".payment", request_id=request_id))
    return _payment_page(db.get_or_404(PaymentRequest, request_id), **{form_name: form}), 422


def _request_data(payment):
    """What a returned request's form starts from: the request as it was sent."""
    return {"supplier_bin": payment.supplier.bin_iin, "invoice_number": payment.invoice_number,
            "invoice_date": payment.invoice_date, "total": payment.total,
            "lines": [{"item": line.item, "quantity": line.quantity, "unit_price": line.unit_price}
                      for line in payment.lines]}


def _send_invoice(request_id):
    return _invoice_response(db.get_or_404(PaymentRequest, request_id))


def _invoice_response(payment):
    path = storage.path_for(payment.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=storage.KINDS[payment.kind].mimetype, as_attachment=True,
                         download_name=payment.original_name, etag=payment.sha256)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/requests/<int:request_id>/invoice")
@permission_required(APPROVE)
def invoice(request_id):
    return _send_invoice(request_id)


# --- finance: paying approved requests ------------------------------------------------------------

@bp.route("/finance")
@permission_required(PAY)
def finance():
    return _finance_page()


def _finance_page(pay_forms=None):
    approved = decisions.requests_in(PaymentStatus.APPROVED)
    pay_forms = pay_forms or {}
    for request_id, form in pay_forms.items():
        if request_id not in {p.id for p in approved}:  # no longer in the queue: say why above it
            for message in form.form_errors:
                flash(message, "danger")
    return render_template(
        "payments/finance.html", approved=approved, export_form=ExportForm(request.args),
        pay_forms={p.id: pay_forms.get(p.id) or PayForm(prefix=f"pay-{p.id}", formdata=None) for p in approved},
        ledgers={p.grant_id: ledger(p.grant) for p in approved})


@bp.route("/finance/requests/<int:request_id>/pay", methods=["POST"])
@permission_required(PAY)
def pay(request_id):
    payment = db.get_or_404(PaymentRequest, request_id)
    form = PayForm(prefix=f"pay-{request_id}")
    if form.validate_on_submit() and apply_change(form, lambda: decisions.pay(
            payment, form.order_number.data, form.order_date.data, current_actor()),
            _("The payment is recorded.")):
        return redirect(url_for(".finance"))
    return _finance_page({request_id: form}), 422


@bp.route("/finance/requests/<int:request_id>/invoice")
@permission_required(PAY)
def finance_invoice(request_id):
    return _send_invoice(request_id)


# --- exports --------------------------------------------------------------------------------------

def _export(back):
    form = ExportForm(request.args)
    if not (form.validate() and form.start.data and form.end.data and form.start.data <= form.end.data):
        flash(_("Choose the first and the last day of the period (the first no later than the last)."), "warning")
        return redirect(url_for(back))
    payments = exports.paid_between(form.start.data, form.end.data)
    data, mimetype = exports.export(payments, form.fmt.data)
    name = f"payments_{form.start.data:%Y-%m-%d}_{form.end.data:%Y-%m-%d}.{form.fmt.data}"
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/export")
@permission_required(APPROVE)
def export():
    return _export(".grant_list")


@bp.route("/finance/export")
@permission_required(PAY)
def finance_export():
    return _export(".finance")


# --- the grantee's own payments -------------------------------------------------------------------

def _own_request_or_404(grant_id, request_id):
    grant = own_grant_or_404(grant_id)
    payment = db.session.get(PaymentRequest, request_id)
    if payment is None or payment.grant_id != grant.id:
        abort(404)
    return payment


@my_bp.route("", endpoint="ledger")
@login_required
def my_ledger(grant_id):
    grant = own_grant_or_404(grant_id)
    return render_template("payments/my_ledger.html", grant=grant, ledger=ledger(grant),
                           payments=decisions.requests_of(grant), may_request=grant.status is GrantStatus.ACTIVE)


@my_bp.route("/new", endpoint="new_request", methods=["GET", "POST"])
@login_required
def my_new_request(grant_id):
    grant = own_grant_or_404(grant_id)
    if grant.status is not GrantStatus.ACTIVE:
        flash(_("Payment requests open once both sides have signed the contract."), "warning")
        return redirect(url_for(".ledger", grant_id=grant.id))
    form = _new_request_form(GranteeRequestForm)
    if _send(form, lambda values, invoice: decisions.submit(grant, values, invoice, current_actor()),
             _("The payment request is submitted.")):
        return redirect(url_for(".ledger", grant_id=grant.id))
    return _request_form_page("payments/my_request_form.html", form, grant)


@my_bp.route("/<int:request_id>/edit", endpoint="edit_request", methods=["GET", "POST"])
@login_required
def my_edit_request(grant_id, request_id):
    payment = _own_request_or_404(grant_id, request_id)
    if payment.status is not PaymentStatus.RETURNED:
        flash(_("Only a request returned for correction can be changed."), "warning")
        return redirect(url_for(".ledger", grant_id=grant_id))
    form = GranteeRequestForm(data=_request_data(payment))
    _supplier_choices(form)
    if _send(form, lambda values, invoice: decisions.resubmit(payment, values, invoice, current_actor()),
             _("The corrected request is submitted again.")):
        return redirect(url_for(".ledger", grant_id=grant_id))
    return _request_form_page("payments/my_request_form.html", form, payment.grant, payment)


@my_bp.route("/<int:request_id>/invoice", endpoint="invoice")
@login_required
def my_invoice(grant_id, request_id):
    return _invoice_response(_own_request_or_404(grant_id, request_id))
