"""Screening pages for the project office: the calls, the queue of a call, the screen of one
application (its snapshot beside its documents, the checks, the decision forms), and the documents
shown inline to staff."""
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import storage
from app.applications.models import Application, ApplicationDocument, ApplicationStatus, SocialCategory
from app.applications.services import STEPS, correction_request, edit_refusal
from app.audit.services import record
from app.auth.models import User
from app.auth.permissions import Permission, current_actor, permission_required
from app.competitions.models import Competition, DocumentType
from app.competitions.services import all_competitions
from app.extensions import db
from app.i18n import safe_next
from app.screening import duplicates, services
from app.screening.forms import (AssignForm, CheckReviewForm, CorrectionForm, EligibleForm, QueueFilterForm,
                                 RejectForm, show_errors)
from app.screening.models import DecisionOutcome, ReasonCode

bp = Blueprint("screening", __name__, url_prefix="/manage/screening")

MIMETYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
OUTCOME_TITLES = {
    DecisionOutcome.ELIGIBLE: _l("Eligible"),
    DecisionOutcome.REJECTED: _l("Rejected"),
    DecisionOutcome.CORRECTION_REQUESTED: _l("Correction requested"),
}
# A document shown inline runs nothing, loads nothing and may be framed by our own pages only.
DOCUMENT_CSP = "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'self'"


@bp.app_template_global()
def check_title(code):
    return services.CHECK_TITLES[code]


@bp.app_template_global()
def correction_of(application):
    """The correction the applicant is asked to make (the decision), or None."""
    return correction_request(application)


@bp.app_template_global()
def reason_title(value):
    return ReasonCode(value).title


@bp.app_template_global()
def step_title(step):
    return STEPS[step]


@bp.app_template_global()
def step_editable(application, step):
    """Whether the applicant may change the form step `step` now (a correction opens only some)."""
    return edit_refusal(application, step) is None


@bp.app_template_global()
def doc_type_title(value):
    try:
        return DocumentType(value).title
    except ValueError:
        return value


@bp.app_template_global()
def duplicate_kind_title(kind):
    return duplicates.KINDS[kind]


@bp.app_template_global()
def outcome_title(outcome):
    return OUTCOME_TITLES[outcome]


def _application_or_404(application_id):
    """A submitted application (drafts are the applicant's own business)."""
    application = db.session.get(Application, application_id)
    if application is None or application.status is ApplicationStatus.DRAFT:
        abort(404)
    return application


def _apply(form, change, message):
    """Runs `change` (a service call): commits and flashes `message` when it goes through and
    returns True. A stale page or a refused action: rolls back, flashes why and returns None (the
    caller reloads the page). Broken rules: rolls back, puts them next to the form's fields and
    returns False."""
    try:
        change()
    except services.InvalidChange as error:
        db.session.rollback()
        show_errors(form, error.errors)
        return False
    except services.Refused as refusal:
        db.session.rollback()
        flash(str(refusal.message), "error")
        return None
    db.session.commit()
    flash(message, "success")
    return True


# --- the calls and the queue ---------------------------------------------------------------------

@bp.route("/")
@permission_required(Permission.SCREEN)
def index():
    competitions = all_competitions()
    return render_template("screening/index.html", competitions=competitions,
                           counts={c.id: services.status_counts(c) for c in competitions})


@bp.route("/<int:competition_id>/")
@permission_required(Permission.SCREEN)
def queue(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    form = QueueFilterForm(request.args, competition, services.screeners())
    page = services.queue(competition, form.filters(page=request.args.get("page", 1, type=int) or 1), current_actor())
    return render_template(
        "screening/queue.html", competition=competition, form=form, page=page,
        page_url=lambda number: url_for(".queue", competition_id=competition.id,
                                        **{**request.args.to_dict(), "page": number}),
    )


@bp.route("/application/<int:application_id>/assign", methods=["POST"])
@permission_required(Permission.SCREEN)
def assign(application_id):
    application = _application_or_404(application_id)
    form = AssignForm(screeners=services.screeners())
    back = safe_next(form.next.data, url_for(".screen", application_id=application.id))
    if not form.validate_on_submit():
        abort(400)
    value = form.screener.data or ""
    if value == "me":
        screener = current_actor()
    elif value.isdigit():
        screener = db.session.get(User, int(value)) or abort(400)
    else:
        screener = None
    if _apply(form, lambda: services.assign(application, screener, current_actor()),
              _("Application %(number)s is assigned to %(screener)s.", number=application.number,
                screener=screener.email) if screener else
              _("Application %(number)s is assigned to nobody.", number=application.number)) is False:
        flash(" ".join(map(str, form.screener.errors)), "error")
    return redirect(back)


# --- one application -----------------------------------------------------------------------------

def _screen_page(application, check_forms=None, forms=None):
    checks = services.checks_of(application)
    check_forms = check_forms or {}
    for reviewed in checks:
        check_forms.setdefault(reviewed.code, CheckReviewForm.for_check(
            reviewed, application.state_version, formdata=None))
    forms = {"eligible": EligibleForm.fresh(application), "reject": RejectForm.fresh(application),
             "correction": CorrectionForm.fresh(application), **(forms or {})}
    documents = [d for d in application.documents if d.appeal_id is None]
    by_sha256 = {d.sha256: d for d in documents}
    return render_template(
        "screening/application.html", application=application, call=application.competition,
        snapshot=application.snapshot or {}, checks=checks, check_forms=check_forms, forms=forms,
        refusals={outcome: services.decision_refusal(application, outcome) for outcome in DecisionOutcome},
        decisions=services.decisions_of(application), correction=correction_request(application),
        documents=documents, appeal_documents=[d for d in application.documents if d.appeal_id is not None],
        by_sha256=by_sha256, reviewable=application.status in services.REVIEWABLE,
        assign_form=AssignForm(formdata=None, screeners=services.screeners(),
                               data={"screener": str(application.assigned_screener_id or "")}),
        Outcome=DecisionOutcome, social_categories=list(SocialCategory),
    )


@bp.route("/application/<int:application_id>")
@permission_required(Permission.SCREEN)
def screen(application_id):
    return _screen_page(_application_or_404(application_id))


@bp.route("/application/<int:application_id>/checks/<code>", methods=["POST"])
@permission_required(Permission.SCREEN)
def review_check(application_id, code):
    application = _application_or_404(application_id)
    if code not in services.CHECK_CODES:
        abort(404)
    form = CheckReviewForm(prefix=f"check-{code}")
    done = form.validate_on_submit() and _apply(
        form, lambda: services.review_check(application, current_actor(), form.version.data, code, form.passes(),
                                            form.comment.data),
        _("Your judgement of the check \"%(check)s\" is recorded.", check=services.CHECK_TITLES[code]))
    if done is False:
        return _screen_page(application, check_forms={code: form})
    return redirect(url_for(".screen", application_id=application.id, _anchor=f"check-{code}"))


@bp.route("/application/<int:application_id>/eligible", methods=["POST"])
@permission_required(Permission.SCREEN)
def decide_eligible(application_id):
    application = _application_or_404(application_id)
    form = EligibleForm()
    return _decided(application, form, lambda: services.decide_eligible(application, current_actor(), form.version.data),
                    _("Application %(number)s is eligible.", number=application.number), "eligible")


@bp.route("/application/<int:application_id>/reject", methods=["POST"])
@permission_required(Permission.SCREEN)
def reject(application_id):
    application = _application_or_404(application_id)
    form = RejectForm()
    return _decided(application, form, lambda: services.reject(
        application, current_actor(), form.version.data, form.reasons.data, form.message.data),
        _("Application %(number)s is rejected.", number=application.number), "reject")


@bp.route("/application/<int:application_id>/correction", methods=["POST"])
@permission_required(Permission.SCREEN)
def request_correction(application_id):
    application = _application_or_404(application_id)
    form = CorrectionForm()
    return _decided(application, form, lambda: services.request_correction(
        application, current_actor(), form.version.data, form.message.data, form.step_numbers(), form.deadline_utc()),
        _("A correction of application %(number)s is requested.", number=application.number), "correction")


def _decided(application, form, change, message, name):
    """After a decision: back to the queue; a stale page: reload it; broken rules: the page again
    with the reasons next to the form."""
    done = form.validate_on_submit() and _apply(form, change, message)
    if done:
        return redirect(url_for(".queue", competition_id=application.competition_id))
    if done is None:
        return redirect(url_for(".screen", application_id=application.id))
    return _screen_page(application, forms={name: form})


def _record_view(application, document):
    record(current_actor(), "screening.document_viewed", {
        "application": application.id, "document": document.id, "sha256": document.sha256})
    db.session.commit()


@bp.route("/application/<int:application_id>/documents/<int:document_id>")
@permission_required(Permission.SCREEN)
def document(application_id, document_id):
    """A document shown in the screening page (inline), never runnable: a fixed type checked by
    content at upload, no sniffing, a sandbox; framed by our own pages only."""
    application = _application_or_404(application_id)
    document = db.session.get(ApplicationDocument, document_id)
    if document is None or document.application_id != application.id:
        abort(404)
    path = storage.path_for(document.stored_name)
    if not path.is_file():
        abort(404)
    _record_view(application, document)
    response = send_file(path, mimetype=MIMETYPES[document.kind], as_attachment=False,
                         download_name=document.original_name, etag=document.sha256)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOCUMENT_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
