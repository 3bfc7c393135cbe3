"""Appeal and closing pages.

`appeals`: the applicant's appeal against a rejection, from their application page.
`screening_appeals` (under /manage/screening): staff list and decide appeals, see the screening
results of a call, close screening and download the protocol."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired

from app import storage
from app.applications.account_views import own_application_or_404
from app.applications.models import ApplicationStatus
from app.audit.services import record
from app.auth.permissions import Permission, current_actor, permission_required
from app.competitions.models import Competition
from app.errors import apply_change
from app.extensions import db
from app.screening import appeals, closing, protocol
from app.screening.models import Appeal, ReasonCode

bp = Blueprint("appeals", __name__, url_prefix="/my/applications")
manage_bp = Blueprint("screening_appeals", __name__, url_prefix="/manage/screening")



class AppealForm(FlaskForm):
    text = TextAreaField(
        _l("Why do you think the decision is wrong?"), render_kw={"rows": 8},
        description=_l("Explain what the project office missed. If a document was missing or wrong, attach it below."))
    documents = MultipleFileField(
        _l("Documents (optional; PDF, JPEG or PNG)"), render_kw={"accept": storage.accept_attribute()},
        description=_l("Up to %(max)s files.", max=appeals.APPEAL_FILES_MAX))


class DecideForm(FlaskForm):
    outcome = RadioField(_l("Decision"), choices=[
        SelectChoice("upheld", _l("Uphold the appeal: the application becomes eligible")),
        SelectChoice("dismissed", _l("Dismiss the appeal: the rejection stands (final)")),
    ], validators=[InputRequired(_l("Choose the decision."))])
    message = TextAreaField(
        _l("Message to the applicant"), render_kw={"rows": 5},
        description=_l("Required when the appeal is dismissed: say why the rejection stands."))
    state_version = HiddenField()


class CloseForm(FlaskForm):
    """The button that closes screening: only the CSRF token."""


def _reasons(decision):
    return [ReasonCode(value) for value in decision.reasons] if decision else []


@bp.app_template_global()
def appeal_state(application):
    """What the applicant's page shows about a rejection and its appeal: the rejection (its
    reasons and message), whether they may appeal now, the last day to do it (the status card and
    the appeal card both show this one), and the appeal itself."""
    rejected = application.status in (ApplicationStatus.REJECTED, ApplicationStatus.APPEALED)
    rejection = appeals.rejection_of(application) if rejected else None
    return {
        "rejection": rejection,
        "reasons": _reasons(rejection),
        "appeal": application.appeal,
        "can_appeal": appeals.can_appeal(application, current_user),
        "last_day": appeals.last_day_to_appeal(application) if application.status is ApplicationStatus.REJECTED else None,
        "documents": appeals.appeal_documents(application.appeal) if application.appeal else [],
    }


# --- the applicant --------------------------------------------------------------------------

@bp.route("/<int:application_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal(application_id):
    application = own_application_or_404(application_id)
    back = url_for("my.application", application_id=application.id)
    refusal = appeals.appeal_refusal(application, current_actor())
    if refusal is not None:
        flash(str(refusal), "warning")
        return redirect(back)
    form = AppealForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: appeals.submit_appeal(application, current_actor(), form.text.data,
                                                request.files.getlist(form.documents.name)),
            _("Your appeal has been received. You will get an e-mail when it is decided.")):
        return redirect(back)
    rejection = appeals.rejection_of(application)
    return render_template("screening/appeal_form.html", application=application, form=form, rejection=rejection,
                           reasons=_reasons(rejection), last_day=appeals.last_day_to_appeal(application))


# --- staff: appeals -------------------------------------------------------------------------

@manage_bp.route("/calls/<int:competition_id>/appeals")
@permission_required(Permission.DECIDE_APPEAL)
def appeal_list(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    return render_template("screening/appeals.html", competition=competition, rows=appeals.appeals_of(competition))


def _appeal_page(appeal, form):
    application = appeal.application
    if not form.is_submitted():
        form.state_version.data = application.state_version
    rejection = appeals.rejection_of(application)
    return render_template(
        "screening/appeal.html", appeal=appeal, application=application, form=form, rejection=rejection,
        reasons=_reasons(rejection),
        documents=appeals.appeal_documents(appeal),
        refusal=appeals.decision_refusal(appeal, current_actor()),
    )


@manage_bp.route("/appeals/<int:appeal_id>", methods=["GET", "POST"])
@permission_required(Permission.DECIDE_APPEAL)
def appeal_screen(appeal_id):
    appeal = db.get_or_404(Appeal, appeal_id)
    form = DecideForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: appeals.decide_appeal(appeal, current_actor(), form.outcome.data == "upheld",
                                                form.message.data, form.state_version.data or None),
            _("The appeal on application %(number)s has been decided.", number=appeal.application.number)):
        return redirect(url_for(".appeal_list", competition_id=appeal.application.competition_id))
    return _appeal_page(appeal, form)


# --- staff: results, closing, protocol ------------------------------------------------------

def _results_page(competition, form):
    return render_template(
        "screening/close.html", competition=competition, form=form,
        summary=closing.screening_summary(competition), problems=closing.closing_problems(competition),
        pending_appeals=appeals.pending_count(competition), languages=protocol.LANGUAGES,
    )


@manage_bp.route("/calls/<int:competition_id>/results")
@permission_required(Permission.SCREEN)
def results(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    return _results_page(competition, CloseForm(formdata=None))


@manage_bp.route("/calls/<int:competition_id>/close", methods=["POST"])
@permission_required(Permission.SCREEN)
def close(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    form = CloseForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: closing.close_screening(competition, current_actor()),
            _("Screening of %(code)s is closed. The eligible list is final.", code=competition.code)):
        return redirect(url_for(".results", competition_id=competition.id))
    return _results_page(competition, form)


@manage_bp.route("/calls/<int:competition_id>/protocol-<lang>.pdf")
@permission_required(Permission.SCREEN)
def protocol_pdf(competition_id, lang):
    competition = db.get_or_404(Competition, competition_id)
    if lang not in protocol.LANGUAGES:
        abort(404)
    pdf, sha256 = protocol.protocol_file(competition, lang)
    record(current_actor(), "screening.protocol_downloaded",
           {"competition": competition.id, "language": lang, "sha256": sha256})
    db.session.commit()
    name = f"{competition.code}-screening-protocol-{lang}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"})
