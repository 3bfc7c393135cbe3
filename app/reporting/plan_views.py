"""The report to the Operator's pages under /manage/report-to-operator (REPORT): the calls; a call's
plan with its figures as computed now and the four downloads (Kazakh or Russian, DOCX or PDF);
the forms of the header, the tasks, the activities with their indicators, the effect table and
the partners; and the standard plan in one click."""
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from app.auth.permissions import Permission, current_actor, permission_required
from app.competitions.models import Competition
from app.competitions.services import all_competitions
from app.errors import apply_change
from app.extensions import db
from app.i18n import current_language
from app.reporting import annex8, plan
from app.reporting.annex8_docx import annex8_docx
from app.reporting.annex8_pdf import annex8_pdf
from app.reporting.fact_values import FACTS
from app.reporting.facts import CallFacts, Period
from app.reporting.models import PlanActivity, PlanTask
from app.reporting.plan_forms import ActionForm, ActivityForm, EffectsForm, HeaderForm, PartnersForm, TaskForm

bp = Blueprint("annex8", __name__, url_prefix="/manage/report-to-operator")
REPORT = Permission.REPORT
MIMETYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "pdf": "application/pdf"}
WRITERS = {"docx": annex8_docx, "pdf": annex8_pdf}


def _status(form):
    """422 when a form sent comes back (its errors shown, some inside a list of rows), else 200."""
    return 422 if form.is_submitted() else 200


@bp.route("/")
@permission_required(REPORT)
def index():
    return render_template("reporting/plan_index.html", competitions=all_competitions())


@bp.route("/<int:competition_id>")
@permission_required(REPORT)
def plan_page(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    header = plan.header_of(competition)
    facts = CallFacts(competition, Period(header.period_start, header.period_end))
    language = current_language()
    typed_language = language if language in plan.LANGUAGES else "ru"
    return render_template(
        "reporting/plan.html", competition=competition, header=header, tasks=plan.tasks_of(competition),
        effects=plan.effects_of(competition), partners=plan.partners_of(competition), fact_titles=FACTS,
        fact=lambda row: annex8.fact_text(row, facts, language, typed_language), action_form=ActionForm(),
        text_language=typed_language, text=plan.text)


@bp.route("/<int:competition_id>/standard", methods=["POST"])
@permission_required(REPORT)
def fill_standard(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    form = ActionForm()
    if not (form.validate_on_submit() and apply_change(
            form, lambda: plan.fill_standard_plan(competition, current_actor()), _("The standard plan is filled in."))):
        for message in form.form_errors or [_("Nothing was changed: send the form again.")]:
            flash(message, "danger")
    return redirect(url_for(".plan_page", competition_id=competition.id))


@bp.route("/<int:competition_id>/header", methods=["GET", "POST"])
@permission_required(REPORT)
def header(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    form = HeaderForm(obj=plan.header_of(competition) if request.method == "GET" else None)
    if form.validate_on_submit() and apply_change(
            form, lambda: plan.save_header(competition, form.values(), current_actor()), _("The header is saved.")):
        return redirect(url_for(".plan_page", competition_id=competition.id))
    return render_template("reporting/plan_header.html", competition=competition, form=form), _status(form)


@bp.route("/<int:competition_id>/tasks/new", methods=["GET", "POST"])
@permission_required(REPORT)
def new_task(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    form = TaskForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: plan.add_task(competition, form.values(), current_actor()), _("The task is added.")):
        return redirect(url_for(".plan_page", competition_id=competition.id))
    return render_template("reporting/plan_task.html", competition=competition, form=form, task=None), _status(form)


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@permission_required(REPORT)
def task(task_id):
    entry = db.get_or_404(PlanTask, task_id)
    form = TaskForm(obj=entry if request.method == "GET" else None)
    if form.validate_on_submit() and apply_change(
            form, lambda: plan.update_task(entry, form.values(), current_actor()), _("The task is saved.")):
        return redirect(url_for(".plan_page", competition_id=entry.competition_id))
    return render_template("reporting/plan_task.html", competition=entry.competition, form=form, task=entry,
                           delete_form=ActionForm(formdata=None)), _status(form)


@bp.route("/tasks/<int:task_id>/delete", methods=["POST"])
@permission_required(REPORT)
def delete_task(task_id):
    entry = db.get_or_404(PlanTask, task_id)
    competition_id = entry.competition_id
    return _delete(lambda: plan.delete_task(entry, current_actor()), _("The task is removed."),
                   url_for(".plan_page", competition_id=competition_id), url_for(".task", task_id=task_id))


@bp.route("/tasks/<int:task_id>/activities/new", methods=["GET", "POST"])
@permission_required(REPORT)
def new_activity(task_id):
    entry = db.get_or_404(PlanTask, task_id)
    form = ActivityForm()
    if request.method == "GET":
        form.add_empty_rows()
    if form.validate_on_submit() and apply_change(
            form, lambda: plan.add_activity(entry, form.values(), current_actor(), form.rows()),
            _("The activity is added.")):
        return redirect(url_for(".plan_page", competition_id=entry.competition_id))
    return render_template("reporting/plan_activity.html", competition=entry.competition, task=entry, form=form,
                           activity=None), _status(form)


@bp.route("/activities/<int:activity_id>", methods=["GET", "POST"])
@permission_required(REPORT)
def activity(activity_id):
    entry = db.get_or_404(PlanActivity, activity_id)
    form = ActivityForm(obj=entry) if request.method == "GET" else ActivityForm()
    if request.method == "GET":
        form.add_empty_rows()
    if form.validate_on_submit() and apply_change(
            form, lambda: plan.update_activity(entry, form.values(), form.rows(), current_actor()),
            _("The activity is saved.")):
        return redirect(url_for(".plan_page", competition_id=entry.task.competition_id))
    return render_template("reporting/plan_activity.html", competition=entry.task.competition, task=entry.task,
                           form=form, activity=entry, delete_form=ActionForm(formdata=None)), _status(form)


@bp.route("/activities/<int:activity_id>/delete", methods=["POST"])
@permission_required(REPORT)
def delete_activity(activity_id):
    entry = db.get_or_404(PlanActivity, activity_id)
    competition_id = entry.task.competition_id
    return _delete(lambda: plan.delete_activity(entry, current_actor()), _("The activity is removed."),
                   url_for(".plan_page", competition_id=competition_id),
                   url_for(".activity", activity_id=activity_id))


def _delete(change, message, done, back):
    form = ActionForm()
    if form.validate_on_submit() and apply_change(form, change, message):
        return redirect(done)
    for problem in form.form_errors or [_("Nothing was removed: send the form again.")]:
        flash(problem, "danger")
    return redirect(back)


@bp.route("/<int:competition_id>/effects", methods=["GET", "POST"])
@permission_required(REPORT)
def effects(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    return _rows_page(competition, EffectsForm, plan.effects_of, plan.save_effects, "reporting/plan_effects.html",
                      _("The effect table is saved."))


@bp.route("/<int:competition_id>/partners", methods=["GET", "POST"])
@permission_required(REPORT)
def partners(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    return _rows_page(competition, PartnersForm, plan.partners_of, plan.save_partners, "reporting/plan_partners.html",
                      _("The partners are saved."))


def _rows_page(competition, form_class, rows_of, save, template, message):
    if request.method == "GET":
        form = form_class(data={form_class.rows_name: rows_of(competition)}).add_empty_rows()
    else:
        form = form_class()
    if form.validate_on_submit() and apply_change(
            form, lambda: save(competition, form.rows(), current_actor()), message):
        return redirect(url_for(".plan_page", competition_id=competition.id))
    return render_template(template, competition=competition, form=form), _status(form)


@bp.route("/<int:competition_id>/annex8-<lang>.<fmt>")
@permission_required(REPORT)
def download(competition_id, lang, fmt):
    competition = db.get_or_404(Competition, competition_id)
    if lang not in annex8.LANGUAGES or fmt not in annex8.FORMATS:
        abort(404)
    report = annex8.build(competition, lang)
    response = send_file(io.BytesIO(WRITERS[fmt](report)), mimetype=MIMETYPES[fmt], as_attachment=True,
                         download_name=report.file_name(fmt))
    response.headers["Cache-Control"] = "private, no-store"
    return response
