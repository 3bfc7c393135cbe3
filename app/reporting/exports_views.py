"""The exports of a call under /manage/reporting/calls/<id>/exports: a page listing the tables
(app.reporting.exports) in the language chosen, and their downloads as CSV or XLSX. The table of
applications names people: it has its own route for those who may read applications (SCREEN).
Every download is written in the audit log: who took which table of which call."""
from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import force_locale

from app.audit.services import record
from app.auth.permissions import Permission, current_actor, may, permission_required
from app.extensions import db
from app.i18n import current_language
from app.reporting.dashboard_views import VIEW, call_or_404
from app.reporting.exports import APPLICATIONS, DATASETS
from app.tables import FORMATS, attachment, export_table

bp = Blueprint("reporting_exports", __name__, url_prefix="/manage/reporting/calls/<int:competition_id>/exports")


def _language():
    """The `lang` asked for, else the page's; 400 for a language the app does not speak."""
    language = request.args.get("lang", current_language())
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    return language


@bp.route("/")
@permission_required(VIEW)
def exports(competition_id):
    call = call_or_404(competition_id)
    language = _language()
    shown = ([APPLICATIONS] if may(current_actor(), Permission.SCREEN) else []) + list(DATASETS.values())

    def download_url(dataset, fmt):
        if dataset.personal:
            return url_for(".applications", competition_id=call.id, file_format=fmt, lang=language)
        return url_for(".download", competition_id=call.id, dataset=dataset.key, file_format=fmt, lang=language)

    return render_template("reporting/exports.html", call=call, datasets=shown, formats=FORMATS, language=language,
                           languages=current_app.config["LANGUAGES"], download_url=download_url)


def _download(call, dataset, fmt):
    language = _language()
    with force_locale(language):
        rows = dataset.rows(call, language)
        data, mimetype = export_table(fmt, dataset.key, dataset.columns, rows, dataset.widths)
    record(current_actor(), "reporting.exported", {"competition": call.id, "table": dataset.key, "format": fmt,
                                                   "language": language, "rows": len(rows)})
    db.session.commit()
    return attachment(data, mimetype, f"{call.code}_{dataset.key}_{language}.{fmt}")


@bp.route("/<dataset>.<any(csv, xlsx):file_format>")
@permission_required(VIEW)
def download(competition_id, dataset, file_format):
    call = call_or_404(competition_id)
    found = DATASETS.get(dataset)
    if found is None:
        abort(404)
    return _download(call, found, file_format)


@bp.route("/applications.<any(csv, xlsx):file_format>")
@permission_required(Permission.SCREEN)
def applications(competition_id, file_format):
    return _download(call_or_404(competition_id), APPLICATIONS, file_format)
