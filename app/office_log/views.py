"""The office log's pages under /manage/office-log (LOG_CONSULTATIONS): the consultation log with
its one-line quick entry, filters, counts per channel and downloads; a consultation's own page to
log one of an earlier day or correct one; and the information events, listed, logged, corrected
and downloaded."""
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.almaty import utc_to_almaty
from app.auth.permissions import Permission, current_actor, permission_required
from app.competitions.services import all_competitions, current_call
from app.dbtypes import utcnow
from app.errors import apply_change
from app.extensions import db
from app.i18n import current_language
from app.office_log import consultations, events, exports, queries
from app.office_log.forms import (ConsultationFilterForm, ConsultationForm, DeleteForm, EventFilterForm, EventForm,
                                  QuickConsultationForm)
from app.office_log.models import Channel, Consultation, InfoEvent
from app.tables import attachment

bp = Blueprint("office_log", __name__, url_prefix="/manage/office-log")
LOG = Permission.LOG_CONSULTATIONS
SHOWN = 100  # the latest consultations listed; the download has them all
RECENT_DAYS = 7  # the list opens on the last week
FILTERS = ("start", "end", "channel", "region_code", "competition_id")


def _today():
    return utc_to_almaty(utcnow()).date()


@bp.app_template_global()
def office_log_today(user):
    """The start page's card: consultations logged today, in all and by `user`."""
    today = _today()
    return {"all": queries.consultation_count(start=today, end=today),
            "mine": consultations.logged_today_by(user, today)}


# --- consultations --------------------------------------------------------------------------

def _with_defaults(form):
    """The operator's last channel and call (a call centre answers the same way for hours), else
    a phone call about the current call."""
    channel, call = consultations.last_choices(current_actor())
    call = call or current_call()
    form.channel.data = (channel or Channel.CALL).value
    form.competition_id.data = str(call.id) if call else ""
    return form


def _filters(form_class, calls, recent_days=None):
    """The list's filters from the query string; with no period in it, the last `recent_days`
    (None: every day). Filters that do not validate show their errors and fall back to that."""
    form = form_class(calls, request.args)
    default = {"start": None, "end": None}
    if recent_days:
        default["end"] = _today()
        default["start"] = default["end"] - timedelta(days=recent_days - 1)
    if "start" not in request.args and "end" not in request.args:
        form.start.data, form.end.data = default["start"], default["end"]
    return form, form.chosen() if form.validate() else default


def _filter_args():
    """The filters of the list, to keep them after the quick entry."""
    return {name: value for name, value in request.args.items() if name in FILTERS}


def _log_page(calls, quick_form, status=200):
    filters, chosen = _filters(ConsultationFilterForm, calls, RECENT_DAYS)
    by_channel = queries.consultations_by_channel(**{k: v for k, v in chosen.items() if k != "channel"})
    return render_template(
        "office_log/consultations.html", quick_form=quick_form, filters=filters, filter_args=_filter_args(),
        rows=queries.consultations(**chosen, limit=SHOWN), total=queries.consultation_count(**chosen),
        by_channel=by_channel, shown=SHOWN, today_count=office_log_today(current_actor()),
        may_change=lambda entry: consultations.may_change(entry, current_actor())), status


@bp.route("/", endpoint="index")
@bp.route("/consultations")
@permission_required(LOG)
def consultation_log():
    calls = all_competitions()
    return _log_page(calls, _with_defaults(QuickConsultationForm(calls, formdata=None)))


@bp.route("/consultations", methods=["POST"])
@permission_required(LOG)
def quick_log():
    calls = all_competitions()
    form = QuickConsultationForm(calls)
    if form.validate_on_submit() and apply_change(
            form, lambda: consultations.log_consultation(form.values(utcnow()), current_actor()),
            _("The consultation is logged.")):
        return redirect(url_for(".consultation_log", **_filter_args()))
    return _log_page(calls, form, 422)


@bp.route("/consultations/new", methods=["GET", "POST"])
@permission_required(LOG)
def new_consultation():
    calls = all_competitions()
    form = ConsultationForm(calls)
    if not form.is_submitted():
        _with_defaults(form)
    if form.validate_on_submit() and apply_change(
            form, lambda: consultations.log_consultation(form.values(), current_actor()),
            _("The consultation is logged.")):
        return redirect(url_for(".consultation_log"))
    return render_template("office_log/consultation_form.html", form=form, entry=None), 422 if form.errors else 200


@bp.route("/consultations/<int:consultation_id>", methods=["GET", "POST"])
@permission_required(LOG)
def consultation(consultation_id):
    entry = db.get_or_404(Consultation, consultation_id)
    form = ConsultationForm(all_competitions(), data=None if request.method == "POST" else {
        "occurred_at": utc_to_almaty(entry.occurred_at), "channel": entry.channel.value, "topic": entry.topic.value,
        "region_code": entry.region_code or "", "competition_id": str(entry.competition_id or ""),
        "note": entry.note})
    if form.validate_on_submit() and apply_change(
            form, lambda: consultations.update_consultation(entry, form.values(), current_actor()),
            _("The consultation is corrected.")):
        return redirect(url_for(".consultation_log"))
    return render_template("office_log/consultation_form.html", form=form, entry=entry,
                           refusal=consultations.refusal_to_change(entry, current_actor()),
                           delete_form=DeleteForm(formdata=None)), 422 if form.errors else 200


@bp.route("/consultations/<int:consultation_id>/delete", methods=["POST"])
@permission_required(LOG)
def delete_consultation(consultation_id):
    entry = db.get_or_404(Consultation, consultation_id)
    form = DeleteForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: consultations.delete_consultation(entry, current_actor()), _("The consultation is removed.")):
        return redirect(url_for(".consultation_log"))
    for message in form.form_errors or [_("The consultation was not removed: send the form again.")]:
        flash(message, "danger")
    return redirect(url_for(".consultation", consultation_id=consultation_id))


@bp.route("/consultations/export")
@permission_required(LOG)
def export_consultations():
    return _download(ConsultationFilterForm, ".consultation_log", "consultations", queries.consultations,
                     exports.consultations_file)


def _download(form_class, back, name, rows, write):
    """The list's file, `write(rows(**filters), format, language)`, named `name` and the period;
    filters that do not validate go `back` to the list with their errors."""
    form = form_class(all_competitions(), request.args)
    if not form.validate():
        flash(_("Check the filters: %(errors)s", errors=" ".join(str(m) for ms in form.errors.values() for m in ms)),
              "warning")
        return redirect(url_for(back))
    data, mimetype = write(rows(**form.chosen()), form.fmt.data, current_language())
    period = "_".join(f"{day:%Y-%m-%d}" for day in (form.start.data, form.end.data) if day is not None)
    return attachment(data, mimetype, f"{name}_{period or 'all'}.{form.fmt.data}")


# --- information events ---------------------------------------------------------------------

@bp.route("/events")
@permission_required(LOG)
def event_list():
    filters, chosen = _filters(EventFilterForm, all_competitions())  # the events are few: all days
    return render_template("office_log/events.html", filters=filters, events=queries.events(**chosen),
                           totals=queries.event_participants(**chosen),
                           may_change=lambda event: events.may_change(event, current_actor()))


@bp.route("/events/new", methods=["GET", "POST"])
@permission_required(LOG)
def new_event():
    form = EventForm(all_competitions())
    if not form.is_submitted():
        call = current_call()
        form.competition_id.data = str(call.id) if call else ""
    if form.validate_on_submit() and apply_change(
            form, lambda: events.add_event(form.values(), current_actor()), _("The event is logged.")):
        return redirect(url_for(".event_list"))
    return render_template("office_log/event_form.html", form=form, event=None), 422 if form.errors else 200


@bp.route("/events/<int:event_id>", methods=["GET", "POST"])
@permission_required(LOG)
def event(event_id):
    entry = db.get_or_404(InfoEvent, event_id)
    form = EventForm(all_competitions(), data=None if request.method == "POST" else {
        "kind": entry.kind.value, "held_on": entry.held_on, "title": entry.title, "place": entry.place,
        "region_code": entry.region_code or "", "participants": entry.participants, "women": entry.women,
        "neet_youth": entry.neet_youth, "notes": entry.notes, "competition_id": str(entry.competition_id or "")})
    if form.validate_on_submit() and apply_change(
            form, lambda: events.update_event(entry, form.values(), current_actor()), _("The event is corrected.")):
        return redirect(url_for(".event_list"))
    return render_template("office_log/event_form.html", form=form, event=entry,
                           refusal=events.refusal_to_change(entry, current_actor()),
                           delete_form=DeleteForm(formdata=None)), 422 if form.errors else 200


@bp.route("/events/<int:event_id>/delete", methods=["POST"])
@permission_required(LOG)
def delete_event(event_id):
    entry = db.get_or_404(InfoEvent, event_id)
    form = DeleteForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: events.delete_event(entry, current_actor()), _("The event is removed.")):
        return redirect(url_for(".event_list"))
    for message in form.form_errors or [_("The event was not removed: send the form again.")]:
        flash(message, "danger")
    return redirect(url_for(".event", event_id=event_id))


@bp.route("/events/export")
@permission_required(LOG)
def export_events():
    return _download(EventFilterForm, ".event_list", "events", queries.events, exports.events_file)
