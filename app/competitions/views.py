"""Competition pages: public (the call, regulations) and the manager's (create, edit, extend the
deadline). The edit pages show what is locked at the call's stage read-only, with why."""
from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _

from app import storage
from app.auth.permissions import Permission, current_actor, permission_required
from app.competitions import services
from app.competitions.forms import CompetitionForm, DeadlineExtensionForm, RegulationsForm, StratumForm
from app.competitions.locks import locked_settings
from app.competitions.models import Competition, DocumentType, Stratum
from app.competitions.terms import SIGNING_DAYS_DEFAULT
from app.errors import Refused, apply_change, settle
from app.extensions import db
from app.i18n import current_language
from app.kz import regions
from app.page_cache import page_for_everyone

public_bp = Blueprint("competitions", __name__)
manage_bp = Blueprint("manage", __name__, url_prefix="/manage")


# --- helpers the call templates use, on every page (the home page shows the call too) ----------

@public_bp.app_template_global()
def call_state(call):
    return services.call_state(call)


@public_bp.app_template_global()
def call_reference_date(call):
    return services.reference_date(call)


@public_bp.app_template_global()
def call_regulations(call):
    """The regulations document to offer first: in the page's language if there is one."""
    return services.regulations_document(call, current_language())


@public_bp.app_template_global()
def call_documents(call):
    """The call's required document types, in their usual order."""
    return [t for t in DocumentType if t.value in call.required_documents]


@public_bp.app_template_global()
def countdown_parts(until):
    """Days, hours, minutes and seconds from now to `until` (naive UTC), and the total seconds."""
    seconds = int(services.time_left(until).total_seconds())
    return {
        "total": seconds, "days": seconds // 86400, "hours": seconds % 86400 // 3600,
        "minutes": seconds % 3600 // 60, "seconds": seconds % 60,
    }


@public_bp.app_template_global()
def region_name(code):
    return regions.region_name(code, current_language())


@public_bp.app_template_global()
def district_name(code):
    return regions.district_name(code, current_language())


# --- public -----------------------------------------------------------------------------------

@public_bp.route("/calls/<int:competition_id>")
@page_for_everyone
def call(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    return render_template("competitions/call.html", call=competition)


@public_bp.route("/calls/<int:competition_id>/regulations/<lang>.pdf")
def regulations(competition_id, lang):
    competition = db.get_or_404(Competition, competition_id)
    document = next((d for d in competition.regulations if d.language == lang), None)
    if document is None:
        abort(404)
    path = storage.path_for(document.stored_name)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/pdf", as_attachment=True,
                     download_name=document.original_name, etag=document.sha256)


# --- manager ----------------------------------------------------------------------------------

def _competition_or_404(competition_id):
    return db.get_or_404(Competition, competition_id)


def _regulations_forms(posted=None):
    """One upload form per language; only the `posted` one reads the request."""
    return {
        language: RegulationsForm(prefix=f"regulations-{language}",
                                  **({} if language == posted else {"formdata": None}))
        for language in services.LANGUAGES
    }


def _edit_page(competition, form=None, stratum_form=None, regulations_forms=None, extension_form=None):
    """The edit page; the forms not given are shown fresh, whatever this request posted."""
    locked = locked_settings(competition)
    return render_template(
        "competitions/manage_edit.html",
        competition=competition,
        locked=locked,
        form=form or CompetitionForm.for_competition(competition, locked, formdata=None),
        stratum_form=stratum_form or StratumForm(prefix="stratum", formdata=None),
        regulations_forms=regulations_forms or _regulations_forms(),
        extension_form=extension_form or DeadlineExtensionForm(prefix="extension", formdata=None),
        may_extend="closes_at" in locked and services.call_state(competition) is not services.CallState.CLOSED,
    )


@manage_bp.route("/competitions")
@permission_required(Permission.MANAGE_CALL)
def competitions():
    return render_template("competitions/manage_list.html", competitions=services.all_competitions())


@manage_bp.route("/competitions/new", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CALL)
def new_competition():
    form = CompetitionForm()
    if not form.is_submitted():
        form.age_min.data, form.age_max.data = 18, 35
        form.grant_cap.data, form.appeal_days.data = 1_000_000, 5
        form.contract_signing_days.data = SIGNING_DAYS_DEFAULT
    competition = form.validate_on_submit() and apply_change(
        form, lambda: services.create_competition(form.competition_data(), current_actor()),
        _("The competition %(code)s has been created. Now add its strata and regulations.",
          code=form.competition_data()["code"].strip().upper()),
    )
    if competition:
        return redirect(url_for(".edit_competition", competition_id=competition.id))
    return render_template("competitions/manage_new.html", form=form)


@manage_bp.route("/competitions/<int:competition_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CALL)
def edit_competition(competition_id):
    competition = _competition_or_404(competition_id)
    form = CompetitionForm.for_competition(competition, locked_settings(competition))
    if form.validate_on_submit() and apply_change(
        form, lambda: services.update_competition(competition, form.competition_data(), current_actor()),
        _("The competition settings have been saved."),
    ):
        return redirect(url_for(".edit_competition", competition_id=competition.id))
    form.show_locked_as_they_are()
    return _edit_page(competition, form=form)


@manage_bp.route("/competitions/<int:competition_id>/deadline", methods=["POST"])
@permission_required(Permission.MANAGE_CALL)
def extend_deadline(competition_id):
    competition = _competition_or_404(competition_id)
    form = DeadlineExtensionForm(prefix="extension")
    if form.validate_on_submit() and apply_change(
        form, lambda: services.extend_deadline(competition, form.closes_at_utc(), form.reasons(), current_actor()),
        _("The deadline has been extended. The call page shows the new deadline and the reason."),
    ):
        return redirect(url_for(".edit_competition", competition_id=competition.id, _anchor="deadline"))
    return _edit_page(competition, extension_form=form)


@manage_bp.route("/competitions/<int:competition_id>/strata", methods=["POST"])
@permission_required(Permission.MANAGE_CALL)
def add_stratum(competition_id):
    competition = _competition_or_404(competition_id)
    form = StratumForm(prefix="stratum")
    if form.validate_on_submit() and apply_change(
        form, lambda: services.add_stratum(competition, form.region_code.data, form.quota.data,
                                           form.districts.data, current_actor()),
        _("The stratum has been added."),
    ):
        return redirect(url_for(".edit_competition", competition_id=competition.id, _anchor="strata"))
    return _edit_page(competition, stratum_form=form)


def _stratum_or_404(competition_id, stratum_id):
    stratum = db.session.get(Stratum, stratum_id)
    if stratum is None or stratum.competition_id != competition_id:
        abort(404)
    return stratum


@manage_bp.route("/competitions/<int:competition_id>/strata/<int:stratum_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CALL)
def edit_stratum(competition_id, stratum_id):
    stratum = _stratum_or_404(competition_id, stratum_id)
    locked = locked_settings(stratum.competition)
    form = StratumForm(obj=stratum).lock_stratum(stratum, locked)
    if form.validate_on_submit() and apply_change(
        form, lambda: services.update_stratum(stratum, form.region_code.data, form.quota.data,
                                              form.districts.data, current_actor()),
        _("The stratum has been saved."),
    ):
        return redirect(url_for(".edit_competition", competition_id=competition_id, _anchor="strata"))
    form.show_locked_as_they_are()
    return render_template("competitions/manage_stratum.html", competition=stratum.competition, stratum=stratum,
                           form=form, editable=not {"strata", "quota"} <= locked.keys())


@manage_bp.route("/competitions/<int:competition_id>/strata/<int:stratum_id>/remove", methods=["POST"])
@permission_required(Permission.MANAGE_CALL)
def remove_stratum(competition_id, stratum_id):
    stratum = _stratum_or_404(competition_id, stratum_id)
    try:
        services.remove_stratum(stratum, current_actor())
    except Refused as refusal:
        settle(refusal)
        flash(" ".join(map(str, refusal.messages)), "error")
    else:
        db.session.commit()
        flash(_("The stratum has been removed."), "success")
    return redirect(url_for(".edit_competition", competition_id=competition_id, _anchor="strata"))


@manage_bp.route("/competitions/<int:competition_id>/regulations/<lang>", methods=["POST"])
@permission_required(Permission.MANAGE_CALL)
def upload_regulations(competition_id, lang):
    competition = _competition_or_404(competition_id)
    if lang not in services.LANGUAGES:
        abort(404)
    forms = _regulations_forms(posted=lang)
    form = forms[lang]
    if form.validate_on_submit() and apply_change(
        form, lambda: services.upload_regulations(competition, lang, form.file.data, current_actor()),
        _("The regulations have been uploaded."),
    ):
        return redirect(url_for(".edit_competition", competition_id=competition.id, _anchor="regulations"))
    return _edit_page(competition, regulations_forms=forms)
