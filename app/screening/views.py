"""Screening pages for the project office: the calls, the queue of a call, the screen of one
application (its snapshot beside its documents, the checks, the decision forms), and the documents
shown inline to staff."""
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from app import storage
from app.applications.models import Application, ApplicationDocument, ApplicationStatus, SocialCategory
from app.audit.services import record
from app.auth.models import User
from app.auth.permissions import Permission, current_actor, may, permission_required
from app.competitions.models import Competition, DocumentType
from app.competitions.services import all_competitions
from app.errors import apply_change
from app.extensions import db
from app.i18n import safe_next
from app.screening import checks, decisions, duplicates
from app.screening import queue as work_queue
from app.screening.forms import (STEP_TITLES, AssignForm, CheckReviewForm, CorrectionForm, EligibleForm,
                                 QueueFilterForm, RejectForm, ReopenForm)
from app.screening.models import DecisionOutcome, ReasonCode

bp = Blueprint("screening", __name__, url_prefix="/manage/screening")

# A document shown inline runs nothing, loads nothing and may be framed by our own pages only.
DOCUMENT_CSP = "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'self'"


@bp.app_template_global()
def check_title(code):
    return checks.CHECK_TITLES[code]


@bp.app_template_global()
def staff_step_title(step):
    return STEP_TITLES[step]


@bp.app_template_global()
def evidence_date(value):
    return checks.evidence_date(value)


@bp.app_template_global()
def correction_of(application):
    """The correction the applicant is asked to make (the decision), or None."""
    return decisions.correction_request(application)


@bp.app_template_global()
def reason_title(value):
    return ReasonCode(value).title


@bp.app_template_global()
def doc_type_title(value):
    try:
        return DocumentType(value).title
    except ValueError:
        return value


@bp.app_template_global()
def duplicate_kind_title(kind):
    return duplicates.KINDS[kind]


def _application_or_404(application_id):
    """A submitted application (drafts are the applicant's own business)."""
    application = db.session.get(Application, application_id)
    if application is None or application.status is ApplicationStatus.DRAFT:
        abort(404)
    return application


# --- the calls and the queue ---------------------------------------------------------------------

@bp.route("/")
@permission_required(Permission.SCREEN)
def index():
    competitions = all_competitions()
    return render_template("screening/index.html", competitions=competitions,
                           counts={c.id: work_queue.status_counts(c) for c in competitions})


@bp.route("/<int:competition_id>/")
@permission_required(Permission.SCREEN)
def queue(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    form = QueueFilterForm(request.args, competition, work_queue.screeners())
    page = work_queue.queue(competition, form.filters(page=request.args.get("page", 1, type=int) or 1), current_actor())
    return render_template(
        "screening/queue.html", competition=competition, form=form, page=page,
        page_url=lambda number: url_for(".queue", competition_id=competition.id,
                                        **{**request.args.to_dict(), "page": number}),
    )


@bp.route("/application/<int:application_id>/assign", methods=["POST"])
@permission_required(Permission.SCREEN)
def assign(application_id):
    application = _application_or_404(application_id)
    form = AssignForm(screeners=work_queue.screeners())
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
    if not apply_change(form, lambda: work_queue.assign(application, screener, current_actor()),
                        _("Application %(number)s is assigned to %(screener)s.", number=application.number,
                          screener=screener.email) if screener else
                        _("Application %(number)s is assigned to nobody.", number=application.number)):
        flash(" ".join(map(str, [*form.form_errors, *form.screener.errors])), "error")
    return redirect(back)


# --- one application -----------------------------------------------------------------------------

def _screen_page(application, check_forms=None, forms=None):
    reviewed_checks = checks.checks_of(application)
    check_forms = check_forms or {}
    for reviewed in reviewed_checks:
        check_forms.setdefault(reviewed.code, CheckReviewForm.for_check(
            reviewed, application.state_version, formdata=None))
    suggested = checks.suggested_reasons(reviewed_checks)
    overridden = _overridden(reviewed_checks)
    forms = {"eligible": EligibleForm.fresh(application, overridden),
             "reject": RejectForm.fresh(application, suggested),
             "correction": CorrectionForm.fresh(application), "reopen": ReopenForm.fresh(application),
             **(forms or {})}
    documents = [d for d in application.documents if d.appeal_id is None]
    by_sha256 = {d.sha256: d for d in documents}
    return render_template(
        "screening/application.html", application=application, call=application.competition,
        snapshot=application.snapshot or {}, checks=reviewed_checks, check_forms=check_forms, forms=forms,
        refusals={outcome: decisions.decision_refusal(application, outcome) for outcome in DecisionOutcome},
        eligibility_problems=checks.eligibility_problems(reviewed_checks), suggested_reasons=suggested,
        decisions=decisions.decisions_of(application), correction=decisions.correction_request(application),
        documents=documents, appeal_documents=[d for d in application.documents if d.appeal_id is not None],
        by_sha256=by_sha256, reviewable=application.status in checks.REVIEWABLE,
        assign_form=AssignForm(formdata=None, screeners=work_queue.screeners(),
                               data={"screener": str(application.assigned_screener_id or "")}),
        Outcome=DecisionOutcome, social_categories=list(SocialCategory), overridden=overridden,
        reopen_refusal=decisions.reopen_refusal(application),
        may_reopen=may(current_actor(), Permission.REOPEN_DECISION),
    )


def _overridden(reviewed_checks):
    """The checks whose standing review goes against the automatic result: "eligible" asks to
    confirm them."""
    return [reviewed for reviewed in reviewed_checks if reviewed.reviewed and reviewed.overridden]


@bp.route("/application/<int:application_id>")
@permission_required(Permission.SCREEN)
def screen(application_id):
    return _screen_page(_application_or_404(application_id))


@bp.route("/application/<int:application_id>/checks", methods=["POST"])
@permission_required(Permission.SCREEN)
def review_checks(application_id):
    """Every check judged in one form: what is new is recorded; a judgement that breaks a rule
    keeps what was typed and shows why next to its check, and the page opens at the checks."""
    application = _application_or_404(application_id)
    forms = {code: CheckReviewForm(prefix=f"check-{code}") for code in checks.CHECK_CODES}
    fields = _Fields(forms.values())
    version = next((form.version.data for form in forms.values() if form.version.data is not None), None)
    if all([form.validate_on_submit() for form in forms.values()]) and apply_change(
            fields, lambda: checks.review_checks(
                application, current_actor(), version,
                {code: (form.passes(), form.comment.data) for code, form in forms.items()}),
            _("Your judgements of the checks are recorded.")):
        return redirect(url_for(".screen", application_id=application.id, _anchor="decision-heading"))
    db.session.refresh(application)
    for message in fields.form_errors:
        flash(str(message), "error")
    for form in forms.values():
        form.version.data = application.state_version
    return _screen_page(application, check_forms=forms)


class _Fields(dict):
    """The fields of several forms of one page by their full names (`check-age-comment`), for
    `apply_change` to put each message next to the field of the check it concerns."""

    def __init__(self, forms):
        super().__init__((field.name, field) for form in forms for field in form)
        self.form_errors = []


@bp.route("/application/<int:application_id>/eligible", methods=["POST"])
@permission_required(Permission.SCREEN)
def decide_eligible(application_id):
    application = _application_or_404(application_id)
    form = EligibleForm()
    if form.is_submitted() and not form.confirms(_overridden(checks.checks_of(application))):
        form.validate()
        form.confirmed.errors = [_("Some checks were overridden: look at them again, tick the confirmation and "
                                   "decide.")]
        return _refused_page(application, form, forms={"eligible": form})
    return _decided(application, form,
                    lambda: decisions.decide_eligible(application, current_actor(), form.version.data),
                    _("Application %(number)s is eligible.", number=application.number), "eligible")


@bp.route("/application/<int:application_id>/reject", methods=["POST"])
@permission_required(Permission.SCREEN)
def reject(application_id):
    application = _application_or_404(application_id)
    form = RejectForm()
    return _decided(application, form, lambda: decisions.reject(
        application, current_actor(), form.version.data, form.reasons.data, form.message.data),
        _("Application %(number)s is rejected.", number=application.number), "reject")


@bp.route("/application/<int:application_id>/correction", methods=["POST"])
@permission_required(Permission.SCREEN)
def request_correction(application_id):
    application = _application_or_404(application_id)
    form = CorrectionForm()
    return _decided(application, form, lambda: decisions.request_correction(
        application, current_actor(), form.version.data, form.message.data, form.step_numbers(), form.deadline_utc()),
        _("A correction of application %(number)s is requested.", number=application.number), "correction")


@bp.route("/application/<int:application_id>/reopen", methods=["POST"])
@permission_required(Permission.REOPEN_DECISION)
def reopen(application_id):
    application = _application_or_404(application_id)
    form = ReopenForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: decisions.reopen(application, current_actor(), form.version.data, form.reason.data),
            _("The decision on application %(number)s is reopened: it waits for a screening decision again.",
              number=application.number)):
        return redirect(url_for(".screen", application_id=application.id, _anchor="checks-heading"))
    return _refused_page(application, form, forms={"reopen": form})


def _decided(application, form, change, message, name):
    """After a decision: back to the queue; else the page again, as it is now, with what was
    typed and the reasons next to the form."""
    if form.validate_on_submit() and apply_change(form, change, message):
        return redirect(url_for(".queue", competition_id=application.competition_id))
    return _refused_page(application, form, forms={name: form})


def _refused_page(application, form, **forms):
    """The screen as it is now (the refused change rolled back), the refused form keeping what was
    typed and its messages beside its fields; a refusal of the whole action is shown at the top,
    since the form may be gone (e.g. someone else decided meanwhile). The form carries the
    version now shown, so that a second click after reading the page is not refused as stale."""
    db.session.refresh(application)
    for message in form.form_errors:
        flash(str(message), "error")
    form.form_errors.clear()
    form.version.data = application.state_version
    return _screen_page(application, **forms)


def _record_view(application, document):
    record(current_actor(), "screening.document_viewed", {
        "application": application.id, "document": document.id, "sha256": document.sha256})
    db.session.commit()


@bp.route("/application/<int:application_id>/documents/<int:document_id>")
@permission_required(Permission.READ_IDENTITY_DOCUMENTS)
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
    response = send_file(path, mimetype=storage.KINDS[document.kind].mimetype, as_attachment=False,
                         download_name=document.original_name, etag=document.sha256)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOCUMENT_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
