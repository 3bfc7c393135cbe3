"""The applicant's own applications: status, receipt, withdrawal.

Every page with an application id loads it through `own_application_or_404`: an application of
someone else answers 404, exactly like one that does not exist."""
from io import BytesIO

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from app.applications import receipt, submission
from app.applications.models import Application, ApplicationStatus
from app.auth.permissions import current_actor
from app.competitions import services as competitions
from app.errors import apply_change
from app.extensions import db

bp = Blueprint("my", __name__, url_prefix="/my")

REASON_MAX = 1000


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you withdrawing? (optional)"),
        validators=[Optional(), Length(max=REASON_MAX)],
        description=_l("The project office reads this; it helps us improve the competition."),
    )


@bp.app_template_global()
def can_withdraw(application):
    return submission.can_withdraw(application, current_user)


def own_application_or_404(application_id):
    """The application `application_id` of the logged-in applicant; anybody else's (or none)
    answers 404. The applicant's pages of the features above use it too."""
    application = db.session.get(Application, application_id)
    if application is None or application.applicant_id != current_user.id:
        abort(404)
    return application


@bp.route("/applications")
@login_required
def applications():
    found = db.session.execute(
        sa.select(Application).where(Application.applicant_id == current_user.id)
        .order_by(Application.created_at.desc(), Application.id.desc())
    ).scalars().all()
    return render_template("applications/my_applications.html", applications=found, call=competitions.current_call())


@bp.route("/applications/<int:application_id>")
@login_required
def application(application_id):
    application = own_application_or_404(application_id)
    return render_template("applications/my_application.html", application=application, timeline=_timeline(application),
                           receipt_languages=receipt.LANGUAGES)


@bp.route("/applications/<int:application_id>/receipt-<lang>.pdf")
@login_required
def receipt_pdf(application_id, lang):
    application = own_application_or_404(application_id)
    if lang not in receipt.LANGUAGES or application.snapshot is None:
        abort(404)
    response = send_file(
        BytesIO(receipt.receipt_pdf(application, lang)), mimetype="application/pdf", as_attachment=True,
        download_name=f"{application.number}-{lang}.pdf", etag=f"{application.snapshot_sha256}-{lang}",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/applications/<int:application_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(application_id):
    """GET asks for confirmation; POST withdraws (a refusal, e.g. after the draw list's commit,
    is the service's to give: it stays on record)."""
    application = own_application_or_404(application_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        if not apply_change(form, lambda: submission.withdraw(application, current_actor(), form.reason.data),
                            _("Application %(number)s has been withdrawn.", number=application.number)):
            flash(" ".join(map(str, form.form_errors)), "warning")
        return redirect(url_for(".application", application_id=application.id))
    if not submission.can_withdraw(application, current_user):
        flash(_("This application can no longer be withdrawn."), "warning")
        return redirect(url_for(".application", application_id=application.id))
    return render_template("applications/withdraw.html", application=application, form=form)


def _timeline(application):
    """The application's steps, oldest first: when the draft was started, then every change of
    status with its message."""
    steps = [{"status": ApplicationStatus.DRAFT, "at": application.created_at, "message": None}]
    steps += [{"status": event.status, "at": event.at, "message": event.message}
              for event in application.events if event.status is not ApplicationStatus.DRAFT]
    return steps
