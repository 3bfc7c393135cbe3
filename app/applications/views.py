"""The applicant's pages for filling in an application, step by step.

Every page with an application id loads it through `_application_or_404`: an application of
someone else answers 404, exactly like one that does not exist. Staff may download its documents,
nothing more."""
from datetime import date

from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file,
                   session, url_for)
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import storage
from app.applications import completeness, documents, drafting, eligibility
from app.applications.documents import DOCUMENTS_STEP
from app.applications.forms import STEP_FORMS, ConfirmForm, ReplaceForm, SubmitForm, UploadForm
from app.applications.models import Application, ApplicationDocument, SocialCategory
from app.applications.submission import submit
from app.audit.services import record
from app.auth.permissions import Permission, current_actor, may
from app.competitions.models import Competition, DocumentType
from app.competitions.services import CallState, call_state
from app.errors import apply_change
from app.extensions import db
from app.i18n import current_language
from app.kz.iin import Sex
from app.kz.money import format_money
from app.kz.phone import format_phone

bp = Blueprint("apply", __name__)

SAVE = {
    1: drafting.save_identity, 2: drafting.save_registration, 3: drafting.save_neet,
    4: drafting.save_project, 5: drafting.save_budget,
}
REVIEW_STEP = 7
# The errors of a refused upload, kept across the redirect to the documents page (Post/Redirect/Get).
UPLOAD_ERRORS = "upload_errors"


def _application_or_404(application_id, staff_permission=None):
    """The application if the current user is its applicant (or holds `staff_permission`);
    404 for anyone else, so that nobody learns which ids exist."""
    application = db.session.get(Application, application_id)
    if application is None:
        abort(404)
    if application.applicant_id == current_user.id or (
            staff_permission is not None and may(current_user, staff_permission)):
        return application
    abort(404)


def _document_or_404(application, document_id):
    document = db.session.get(ApplicationDocument, document_id)
    if document is None or document.application_id != application.id:
        abort(404)
    return document


@bp.app_template_global()
def phone_text(e164):
    """+7 701 123 45 67, or the stored text as it is if it is not a valid number any more."""
    if not e164:
        return ""
    try:
        return format_phone(e164)
    except ValueError:
        return e164


@bp.app_template_global()
def step_title(step):
    return drafting.STEPS[step]


@bp.app_template_global()
def step_editable(application, step):
    """Whether the applicant may change the form step `step` now (a correction opens only some)."""
    return drafting.edit_refusal(application, step) is None


def _progress(application, step):
    problems = completeness.problems_before_submit(application)
    return {
        "steps": drafting.STEPS,
        "current": step,
        "complete": completeness.complete_steps(application, problems),
        "problems": problems,
    }


# --- start ------------------------------------------------------------------------------------

@bp.route("/calls/<int:competition_id>/apply", methods=["GET", "POST"])
@login_required
def start(competition_id):
    """GET: what the applicant needs and a start (or continue) button; POST: start or continue."""
    competition = db.get_or_404(Competition, competition_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        application = apply_change(form, lambda: drafting.start_application(competition, current_actor()))
        if not application:
            flash(" ".join(map(str, form.form_errors)), "error")
            return redirect(url_for(".start", competition_id=competition.id))
        incomplete = sorted(set(drafting.FORM_STEPS) - completeness.complete_steps(application))
        return redirect(url_for(".step", application_id=application.id, step=(incomplete or [1])[0]))
    return render_template(
        "applications/start.html", call=competition, form=form, steps=drafting.STEPS,
        application=drafting.current_application(competition, current_user),
        refusal=None if call_state(competition) is CallState.OPEN
        else drafting.call_closed_message(competition),
        editable=drafting.editable,
    )


# --- steps 1 to 6 -----------------------------------------------------------------------------

@bp.route("/applications/<int:application_id>/step/<int:step>", methods=["GET", "POST"])
@login_required
def step(application_id, step):
    application = _application_or_404(application_id)
    if step not in drafting.FORM_STEPS:
        abort(404)
    refusal = drafting.edit_refusal(application, step)
    if refusal is not None and request.method == "GET":
        flash(refusal, "warning")
        return redirect(url_for(".review", application_id=application.id))
    if step == DOCUMENTS_STEP:
        if request.method == "POST":
            abort(405)
        return _documents_page(application)

    form = STEP_FORMS[step].for_application(application)
    if form.validate_on_submit() and apply_change(form, lambda: SAVE[step](application, form.values(), current_actor())):
        for _step, check in completeness.eligibility_warnings(application, steps=(step,)):
            flash(check.message, "warning")
        flash(_("Saved."), "success")
        if request.form.get("more"):
            return redirect(url_for(".step", application_id=application.id, step=step, _anchor="budget-lines"))
        return redirect(url_for(".step", application_id=application.id, step=step + 1))
    return _step_page(application, step, form)


def _step_page(application, step, form):
    return render_template(
        f"applications/step_{step}.html", application=application, call=application.competition,
        form=form, progress=_progress(application, step),
        check_url=url_for(".check", competition_id=application.competition_id),
        money_format=money_format(),
    )


def money_format():
    """How the `money` filter writes amounts in the current language, for apply.js to write live
    totals the same way: the grouping character and the pattern around the number."""
    group = format_money(1_000_000, current_language())
    separator = group[group.index("1") + 1]
    return {"group": separator, "pattern": group.replace(f"1{separator}000{separator}000", "{n}")}


def _upload_forms(application):
    """One upload form per document type, none reading the request; only a required type's field
    carries the "required" mark."""
    required = set(application.competition.required_documents)
    forms = {}
    for doc_type in documents.document_types(application.competition):
        form = UploadForm(prefix=f"doc-{doc_type.value}", formdata=None)
        form.file.flags.required = doc_type.value in required
        forms[doc_type] = form
    return forms


def _documents_page(application):
    """The documents step, with the errors of an upload refused just before (see `_refused_upload`)
    next to the field they concern."""
    upload_forms = _upload_forms(application)
    replace_forms = {document.id: ReplaceForm(prefix=f"replace-{document.id}", formdata=None)
                     for document in application.documents}
    forms = {form.file.id: form for form in [*upload_forms.values(), *replace_forms.values()]}
    for field_id, messages in session.pop(UPLOAD_ERRORS, {}).items():
        if field_id in forms:
            forms[field_id].file.errors = list(messages)
    competition = application.competition
    return render_template(
        "applications/step_6.html", application=application, call=competition,
        progress=_progress(application, DOCUMENTS_STEP),
        upload_forms=upload_forms,
        replace_forms=replace_forms, delete_form=ConfirmForm(formdata=None),
        required=set(competition.required_documents),
        max_megabytes=_megabytes(),
    )


def _refused_upload(application, form, anchor):
    """Back to the documents page (a refresh must not post the file again), the refusal kept in
    the session for the page to show next to the file field, scrolled to its card."""
    session[UPLOAD_ERRORS] = {form.file.id: [str(message) for message in [*form.file.errors, *form.form_errors]]}
    return redirect(url_for(".step", application_id=application.id, step=DOCUMENTS_STEP, _anchor=anchor))


def _megabytes():
    return f"{current_app.config['UPLOAD_MAX_BYTES'] / (1024 * 1024):.3g}"


def _editable_or_redirect(application):
    """None when the applicant may change the documents, else a redirect that says why."""
    refusal = drafting.edit_refusal(application, DOCUMENTS_STEP)
    if refusal is None:
        return None
    flash(refusal, "error")
    return redirect(url_for(".review", application_id=application.id))


@bp.route("/applications/<int:application_id>/documents/new/<doc_type>", methods=["POST"])
@login_required
def add_document(application_id, doc_type):
    application = _application_or_404(application_id)
    try:
        doc_type = DocumentType(doc_type)
    except ValueError:
        abort(404)
    refused = _editable_or_redirect(application)
    if refused:
        return refused
    form = UploadForm(prefix=f"doc-{doc_type.value}")
    if form.validate_on_submit() and apply_change(
        form, lambda: documents.add_document(application, doc_type, form.file.data, current_actor()),
        _("The file has been uploaded."),
    ):
        return redirect(url_for(".step", application_id=application.id, step=DOCUMENTS_STEP,
                                _anchor=f"doc-{doc_type.value}"))
    return _refused_upload(application, form, f"doc-{doc_type.value}")


@bp.route("/applications/<int:application_id>/documents/<int:document_id>")
@login_required
def document(application_id, document_id):
    """The file, to its applicant and to staff, always as a download (never shown inline)."""
    application = _application_or_404(application_id, Permission.READ_IDENTITY_DOCUMENTS)
    document = _document_or_404(application, document_id)
    path = storage.path_for(document.stored_name)
    if not path.is_file():
        abort(404)
    if application.applicant_id != current_user.id:
        record(current_actor(), "application.document_downloaded", {
            "application": application.id, "document": document.id, "sha256": document.sha256})
        db.session.commit()
    response = send_file(path, mimetype=storage.KINDS[document.kind].mimetype, as_attachment=True,
                         download_name=document.original_name, etag=document.sha256)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/applications/<int:application_id>/documents/<int:document_id>/replace", methods=["POST"])
@login_required
def replace_document(application_id, document_id):
    application = _application_or_404(application_id)
    document = _document_or_404(application, document_id)
    refused = _editable_or_redirect(application)
    if refused:
        return refused
    form = ReplaceForm(prefix=f"replace-{document.id}")
    if form.validate_on_submit() and apply_change(
        form, lambda: documents.replace_document(document, form.file.data, current_actor()),
        _("The file has been replaced."),
    ):
        return redirect(url_for(".step", application_id=application.id, step=DOCUMENTS_STEP,
                                _anchor=f"document-{document.id}"))
    return _refused_upload(application, form, f"document-{document.id}")


@bp.route("/applications/<int:application_id>/documents/<int:document_id>/delete", methods=["POST"])
@login_required
def delete_document(application_id, document_id):
    application = _application_or_404(application_id)
    document = _document_or_404(application, document_id)
    refused = _editable_or_redirect(application)
    if refused:
        return refused
    form = ConfirmForm()
    if form.validate_on_submit():
        documents.delete_document(document, current_actor())
        db.session.commit()
        flash(_("The file has been deleted."), "success")
    return redirect(url_for(".step", application_id=application.id, step=DOCUMENTS_STEP))


# --- review and submission --------------------------------------------------------------------

@bp.route("/applications/<int:application_id>/review")
@login_required
def review(application_id):
    application = _application_or_404(application_id)
    return _review_page(application, SubmitForm(formdata=None))


def _review_page(application, form):
    progress = _progress(application, REVIEW_STEP)
    return render_template(
        "applications/review.html", application=application, call=application.competition, form=form,
        progress=progress, problems=progress["problems"],
        warnings=completeness.eligibility_warnings(application),
        editable=drafting.edit_refusal(application) is None, social_categories=list(SocialCategory),
    )


@bp.route("/applications/<int:application_id>/submit", methods=["POST"])
@login_required
def submit_application(application_id):
    application = _application_or_404(application_id)
    form = SubmitForm()
    submitted = form.validate_on_submit() and apply_change(
        form, lambda: submit(application, current_actor(), consent=form.consent.data))
    if not submitted:
        return _review_page(application, form)
    flash(_("Your application has been submitted. Its number is %(number)s.", number=submitted.number),
          "success")
    return redirect(url_for("my.application", application_id=submitted.id))


# --- live feedback ----------------------------------------------------------------------------

@bp.route("/calls/<int:competition_id>/check", methods=["POST"])
@login_required
def check(competition_id):
    """The eligibility checks of values being typed: JSON in (`iin`, `region_code`,
    `district_code`, `budget_total`), JSON out (`checks`: code, ok, message)."""
    competition = db.get_or_404(Competition, competition_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(error=_("Send the values as a JSON object.")), 400
    values = {}
    for name in ("iin", "region_code", "district_code"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            return jsonify(error=_("%(name)s must be text.", name=name)), 400
        values[name] = value[:50] if value is not None else None
    total = data.get("budget_total")
    if total is not None and (not isinstance(total, int) or isinstance(total, bool)):
        return jsonify(error=_("budget_total must be a whole number.")), 400
    if total is not None and abs(total) > drafting.BUDGET_TOTAL_MAX:
        return jsonify(error=_("budget_total can be at most %(max)s.", max=drafting.BUDGET_TOTAL_MAX)), 400
    found = eligibility.check_values(competition, budget_total=total, **values)
    answer = {"checks": [{"code": c.code, "ok": c.ok, "message": c.message} for c in found]}
    iin = next((c for c in found if c.code == "iin" and c.ok), None)
    if iin is not None:
        answer["identity"] = {
            "birth_date": format_date(date.fromisoformat(iin.evidence["birth_date"]), "d MMMM y"),
            "sex": str(Sex(iin.evidence["sex"]).title),
        }
    return jsonify(answer)
