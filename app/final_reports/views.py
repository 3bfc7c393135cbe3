"""Final report pages: the staff list per call and a report's review (accept, return with comments,
complete the grant) under /manage/final-reports (MANAGE_GRANTS); the grantee's own report under
/my/grants/<id>/final-report (somebody else's grant answers 404), written on a phone."""
import io
from collections import Counter

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app import storage
from app.auth.permissions import Permission, current_actor, permission_required
from app.competitions.services import all_competitions
from app.contracts.models import Grant, GrantStatus
from app.contracts.views import own_grant_or_404
from app.dbtypes import database_int
from app.errors import apply_change
from app.extensions import db
from app.final_reports import drafting, listing, review, sections  # noqa: F401  (sections: the grant pages)
from app.final_reports.forms import CommentsForm, ReportForm, form_data
from app.final_reports.models import ReportPhoto, ReportStatus
from app.payments.forms import ConfirmForm
from app.payments.ledger import ledger

bp = Blueprint("final_reports", __name__, url_prefix="/manage/final-reports")
my_bp = Blueprint("my_final_report", __name__, url_prefix="/my/grants/<int:grant_id>/final-report")
MANAGE = Permission.MANAGE_GRANTS


# --- staff ----------------------------------------------------------------------------------------

@bp.route("", endpoint="reports")
@permission_required(MANAGE)
def report_list():
    chosen = request.args.get("competition", type=database_int)
    status = request.args.get("status") or None
    statuses = {member.value: member for member in ReportStatus}
    if status not in (None, "none", *statuses):
        status = None
    rows, today = listing.rows(chosen, statuses.get(status, status)), listing.almaty_today()
    return render_template("final_reports/reports.html", rows=rows, competitions=all_competitions(), chosen=chosen,
                           status=status, statuses=list(ReportStatus), today=today,
                           counts=Counter(row.status for row in rows), overdue=sum(row.overdue(today) for row in rows))


def _review_page(grant, accept_form=None, return_form=None, complete_form=None):
    return render_template(
        "final_reports/review.html", grant=grant, row=listing.row_of(grant), today=listing.almaty_today(),
        ledger=ledger(grant), payments_closed=review.payments_closed(grant),
        accept_form=accept_form or ConfirmForm(formdata=None),
        return_form=return_form or CommentsForm(formdata=None),
        complete_form=complete_form or ConfirmForm(formdata=None))


@bp.route("/<int:grant_id>", endpoint="review")
@permission_required(MANAGE)
def review_page(grant_id):
    return _review_page(db.get_or_404(Grant, grant_id))


def _report_or_404(grant):
    report = drafting.report_of(grant)
    if report is None:
        abort(404)
    return report


@bp.route("/<int:grant_id>/accept", methods=["POST"])
@permission_required(MANAGE)
def accept(grant_id):
    grant = db.get_or_404(Grant, grant_id)
    report, form = _report_or_404(grant), ConfirmForm()
    if form.validate_on_submit() and apply_change(form, lambda: review.accept(report, current_actor())):
        if db.session.get(Grant, grant_id).status is GrantStatus.COMPLETED:
            flash(_("The final report is accepted and the grant is completed."), "success")
        else:
            flash(_("The final report is accepted. The grant completes when its open payment requests are paid "
                    "or rejected."), "success")
        return redirect(url_for(".review", grant_id=grant_id))
    return _review_page(grant, accept_form=form), 422


@bp.route("/<int:grant_id>/return", methods=["POST"], endpoint="return_report")
@permission_required(MANAGE)
def return_report(grant_id):
    grant = db.get_or_404(Grant, grant_id)
    report, form = _report_or_404(grant), CommentsForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: review.return_report(report, form.comments.data, current_actor()),
            _("The final report is returned to the grantee with your comments.")):
        return redirect(url_for(".review", grant_id=grant_id))
    return _review_page(grant, return_form=form), 422


@bp.route("/<int:grant_id>/complete", methods=["POST"])
@permission_required(MANAGE)
def complete(grant_id):
    grant = db.get_or_404(Grant, grant_id)
    form = ConfirmForm()
    if form.validate_on_submit() and apply_change(form, lambda: review.complete(grant, current_actor()),
                                                  _("The grant is completed.")):
        return redirect(url_for(".review", grant_id=grant_id))
    return _review_page(grant, complete_form=form), 422


def _photo_of(grant, photo_id):
    photo = db.session.get(ReportPhoto, photo_id)
    if photo is None or photo.report.grant_id != grant.id:
        abort(404)
    return photo


def _send(stored_name, mimetype, download_name=None):
    """A stored file: a picture shown in the page, else a download under `download_name`."""
    path = storage.path_for(stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=mimetype, as_attachment=download_name is not None,
                         download_name=download_name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _photo_response(grant, photo_id, thumbnail):
    photo = _photo_of(grant, photo_id)
    if thumbnail:
        response = send_file(io.BytesIO(photo.thumbnail), mimetype=storage.KINDS["jpeg"].mimetype)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    return _send(photo.stored_name, storage.KINDS[photo.kind].mimetype)


def _target_list_response(grant):
    report = drafting.report_of(grant)
    if report is None or not report.target_list_stored_name:
        abort(404)
    return _send(report.target_list_stored_name, storage.KINDS[report.target_list_kind].mimetype,
                 report.target_list_original_name)


@bp.route("/<int:grant_id>/photos/<int:photo_id>", endpoint="photo")
@permission_required(MANAGE)
def photo(grant_id, photo_id):
    return _photo_response(db.get_or_404(Grant, grant_id), photo_id, thumbnail=False)


@bp.route("/<int:grant_id>/photos/<int:photo_id>/thumbnail", endpoint="thumbnail")
@permission_required(MANAGE)
def thumbnail(grant_id, photo_id):
    return _photo_response(db.get_or_404(Grant, grant_id), photo_id, thumbnail=True)


@bp.route("/<int:grant_id>/target-list", endpoint="target_list")
@permission_required(MANAGE)
def target_list(grant_id):
    return _target_list_response(db.get_or_404(Grant, grant_id))


# --- the grantee ----------------------------------------------------------------------------------

def _my_page(grant, form=None, status=200):
    report = drafting.report_of(grant)
    return render_template(
        "final_reports/my_report.html", grant=grant, report=report, row=listing.row_of(grant),
        form=form or ReportForm(formdata=None, data=form_data(report)),
        closed_because=drafting.why_not_writable(grant, report)), status


def _save(grant, form, photo_to_delete):
    """Saves what the form carries, then takes off the photo whose delete button was pressed."""
    actor = current_actor()
    report = drafting.save_draft(grant, form.values(), form.photos.data, form.target_list.data, actor)
    if photo_to_delete is not None:
        report = drafting.delete_photo(grant, photo_to_delete, actor)
    return report


@my_bp.route("", methods=["GET", "POST"], endpoint="report")
@login_required
def my_report(grant_id):
    grant = own_grant_or_404(grant_id)
    if request.method == "GET":
        return _my_page(grant)
    closed_because = drafting.why_not_writable(grant, drafting.report_of(grant))
    if closed_because is not None:
        flash(str(closed_because), "warning")
        return redirect(url_for(".report", grant_id=grant_id))
    form = ReportForm()
    if not form.validate_on_submit():
        return _my_page(grant, form, 422)
    submitting = request.form.get("action") == "submit"
    photo_to_delete = request.form.get("delete_photo", type=database_int)
    message = None if submitting else (_("The photo is deleted.") if photo_to_delete else _("The draft is saved."))
    if not apply_change(form, lambda: _save(grant, form, photo_to_delete), message):
        return _my_page(grant, form, 422)
    if submitting and not apply_change(form, lambda: drafting.submit(grant, current_actor()), _(
            "The final report is submitted. The project office will read it and write to you.")):
        flash(_("The draft is saved, but not submitted yet: see what is missing below."), "warning")
        return _my_page(grant, form, 422)
    return redirect(url_for(".report", grant_id=grant_id, _anchor="report-photos" if photo_to_delete else None))


@my_bp.route("/photos/<int:photo_id>", endpoint="photo")
@login_required
def my_photo(grant_id, photo_id):
    return _photo_response(own_grant_or_404(grant_id), photo_id, thumbnail=False)


@my_bp.route("/photos/<int:photo_id>/thumbnail", endpoint="thumbnail")
@login_required
def my_thumbnail(grant_id, photo_id):
    return _photo_response(own_grant_or_404(grant_id), photo_id, thumbnail=True)


@my_bp.route("/target-list", endpoint="target_list")
@login_required
def my_target_list(grant_id):
    return _target_list_response(own_grant_or_404(grant_id))
