"""Draw pages: public (the live draw page, the record, the protocol, the verifier, the guide) and
the manager's (one page per draw with a form for its next step)."""
from datetime import datetime, timezone

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import PROJECT_ROOT
from app.audit.chain import canonical_json
from app.auth.permissions import Permission, current_actor, permission_required
from app.competitions.models import Competition
from app.competitions.services import all_competitions
from app.errors import apply_change
from app.extensions import db
from app.lottery import balance, lifecycle, protocol, reading, replacement
from app.lottery import locks  # noqa: F401  (connects the draw's answer to competitions' locks)
from app.lottery.forms import ConfirmForm, ObserverForm, PrepareForm, ReplaceForm, SourcesForm
from app.lottery.models import Draw, DrawState, ReplacementReason
from app.lottery.steps import DrawRefused

public_bp = Blueprint("lottery", __name__, url_prefix="/draws")
manage_bp = Blueprint("manage_draws", __name__, url_prefix="/manage/draws")

VERIFIER = PROJECT_ROOT / "tools" / "verify_draw.py"

# What each public log event means, for people reading the log.
EVENT_TITLES = {
    "draw.prepared": _l("Draft list prepared from the screening results"),
    "list.frozen": _l("List frozen: the commitment is published"),
    "rule.announced": _l("Rule for the random sources announced"),
    "observer.registered": _l("Observer registered"),
    "eligible_set.change_refused": _l("A change of the eligible list was refused"),
    "sources.entered": _l("Random sources entered"),
    "seed.computed": _l("Seed computed"),
    "winner.revealed": _l("Winner revealed"),
    "stratum.drawn": _l("Stratum drawn"),
    "results.published": _l("Results published"),
    reading.WINNER_REMOVED: _l("Winner removed"),
    reading.RESERVE_PROMOTED: _l("Promoted from the reserve list"),
    "reserve.exhausted": _l("Reserve list exhausted: the grant stays unawarded"),
}


@public_bp.app_template_global()
def draw_event_title(event):
    return EVENT_TITLES.get(event, event)


@public_bp.app_template_global()
def replacement_reason_title(value):
    return ReplacementReason(value).title


@public_bp.app_template_filter()
def chain_time(at):
    """A log entry's time ("...Z", UTC as hashed) as naive UTC, for the `datetime` filter to show
    in Almaty time; the record and live.json keep the UTC text."""
    return datetime.fromisoformat(at).astimezone(timezone.utc).replace(tzinfo=None)


@public_bp.app_template_filter()
def chain_json(data):
    """A log entry's data exactly as it was hashed (canonical JSON, letters kept)."""
    return canonical_json(data).decode("utf-8")


# --- public -----------------------------------------------------------------------------------

def _public_draw_or_404(draw_id):
    draw = db.get_or_404(Draw, draw_id)
    if not reading.is_public(draw):
        abort(404)
    return draw


def _live_context(draw):
    return {"draw": draw, "strata": reading.strata_summary(draw), "outcomes": reading.outcomes(draw),
            "balance": balance.balance(draw), "newest": reading.newest_winners(draw)}


@public_bp.app_template_global()
def public_draw_of(competition):
    """The competition's draw once the public may see it (committed or later), else None."""
    draw = reading.draw_of(competition)
    return draw if draw is not None and reading.is_public(draw) else None


@public_bp.app_template_global()
def find_in_draw(draw, query):
    """Where the number `query` stands in the draw: the search of the screening results page."""
    return reading.find_number(draw, query)


@public_bp.route("")
def draws():
    return render_template("lottery/draws.html", draws=reading.public_draws())


@public_bp.route("/<int:draw_id>")
def draw(draw_id):
    draw = _public_draw_or_404(draw_id)
    query = request.args.get("number", "").strip()
    answer = reading.find_number(draw, query) if query else None
    return render_template("lottery/draw.html", query=query, answer=answer, **_live_context(draw))


@public_bp.route("/<int:draw_id>/live.json")
def live(draw_id):
    """What the page needs to follow the draw: the log's length and head, and the live part of
    the page when the log has grown past what the page shows (`?seq=`)."""
    draw = _public_draw_or_404(draw_id)
    body = {"state": draw.state.value, "seq": len(draw.log), "head": draw.log_head}
    if request.args.get("seq", type=int) != body["seq"]:
        body["html"] = render_template("lottery/_live.html", **_live_context(draw))
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@public_bp.route("/<int:draw_id>.json")
def record(draw_id):
    """The record, once the results are published. Stored data that disagree with their
    recomputation or with the log are not published as a record: 409 with the reason."""
    draw = _public_draw_or_404(draw_id)
    if draw.state is not DrawState.PUBLISHED:
        abort(404)
    try:
        return jsonify(reading.record(draw))
    except DrawRefused as refusal:
        return jsonify(error=str(refusal)), 409


@public_bp.route("/<int:draw_id>/list.json")
def frozen_list(draw_id):
    return jsonify(reading.frozen_list(_public_draw_or_404(draw_id)))


@public_bp.route("/<int:draw_id>/protocol-<lang>.pdf")
def protocol_pdf(draw_id, lang):
    draw = _public_draw_or_404(draw_id)
    if lang not in protocol.LANGUAGES or draw.results is None:
        abort(404)
    pdf = protocol.protocol_pdf(draw, lang, url_for(".draw", draw_id=draw.id, _external=True))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="draw-{draw.id}-protocol-{lang}.pdf"'})


@public_bp.route("/verify_draw.py")
def verifier():
    return send_file(VERIFIER, mimetype="text/x-python", as_attachment=True, download_name="verify_draw.py")


@public_bp.route("/check")
def guide():
    return render_template("lottery/guide.html")


# --- manager ----------------------------------------------------------------------------------

def _draw_or_404(draw_id):
    return db.get_or_404(Draw, draw_id)


def _manage_page(draw, **forms):
    """The manager's draw page; the forms not given are shown fresh."""
    replace = forms.get("replace_form") or ReplaceForm(formdata=None)
    replace.ticket.choices = [("", _("Choose the winner"))] + [
        (ticket, f"{ticket} · {stratum.code}")
        for stratum in reading.outcomes(draw) for ticket in stratum.current_winners
    ]
    return render_template(
        "lottery/manage_draw.html", draw=draw, strata=reading.strata_summary(draw),
        problems=reading.list_problems(draw.entries, draw.quotas) if draw.state is DrawState.PREPARED else [],
        outcomes=reading.outcomes(draw),
        prepare_form=forms.get("prepare_form") or PrepareForm(formdata=None, obj=draw),
        confirm_form=forms.get("confirm_form") or ConfirmForm(formdata=None),
        observer_form=forms.get("observer_form") or ObserverForm(formdata=None),
        sources_form=forms.get("sources_form") or SourcesForm(formdata=None),
        replace_form=replace,
    )


def _step(draw_id, change, message):
    """A button that moves the draw on: back to its page, with the refusal if there is one."""
    draw = _draw_or_404(draw_id)
    form = ConfirmForm()
    if form.validate_on_submit() and apply_change(form, lambda: change(draw), message):
        return redirect(url_for(".draw", draw_id=draw_id))
    return _manage_page(draw, confirm_form=form)


@manage_bp.route("", endpoint="draws")
@permission_required(Permission.RUN_DRAW)
def manage_draws():
    competitions = all_competitions()
    draws = {draw.competition_id: draw for draw in db.session.execute(db.select(Draw)).scalars()}
    return render_template("lottery/manage_draws.html", competitions=competitions, draws=draws)


@manage_bp.route("/prepare/<int:competition_id>", methods=["GET", "POST"])
@permission_required(Permission.RUN_DRAW)
def prepare(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    # What was sent, not what is stored now: the version tells which draft the manager saw.
    form = PrepareForm(obj=reading.draw_of(competition)) if request.method == "GET" else PrepareForm()
    if form.validate_on_submit() and apply_change(
        form, lambda: lifecycle.prepare(competition, current_actor(), form.algorithm.data, form.source_rule.data,
                                        form.seen_version()),
        _("The draw list has been prepared from the screening results. Check it, then commit it."),
    ):
        return redirect(url_for(".draw", draw_id=reading.draw_of(competition).id))
    return render_template("lottery/manage_prepare.html", competition=competition, draw=reading.draw_of(competition),
                           form=form, entries=reading.eligible_entries(competition),
                           quotas=reading.competition_quotas(competition),
                           screening_closed=reading.screening_closed(competition))


@manage_bp.route("/<int:draw_id>", endpoint="draw")
@permission_required(Permission.RUN_DRAW)
def manage_draw(draw_id):
    return _manage_page(_draw_or_404(draw_id))


@manage_bp.route("/<int:draw_id>/commit", methods=["POST"])
@permission_required(Permission.RUN_DRAW)
def commit(draw_id):
    return _step(draw_id, lambda draw: lifecycle.commit(draw, current_actor()),
                 _("The list is committed and its commitment is public. The eligible list cannot change any more."))


@manage_bp.route("/<int:draw_id>/observers", methods=["POST"])
@permission_required(Permission.RUN_DRAW)
def add_observer(draw_id):
    draw = _draw_or_404(draw_id)
    form = ObserverForm()
    if form.validate_on_submit() and apply_change(
        form, lambda: lifecycle.register_observer(draw, form.name.data, form.organisation.data, current_actor()),
        _("The observer has been registered."),
    ):
        return redirect(url_for(".draw", draw_id=draw_id, _anchor="observers"))
    return _manage_page(draw, observer_form=form)


@manage_bp.route("/<int:draw_id>/sources", methods=["POST"])
@permission_required(Permission.RUN_DRAW)
def enter_sources(draw_id):
    draw = _draw_or_404(draw_id)
    form = SourcesForm()
    if form.validate_on_submit() and apply_change(
        form, lambda: lifecycle.enter_sources(draw, form.source_list(), current_actor()),
        _("The sources have been entered and published. Now run the draw."),
    ):
        return redirect(url_for(".draw", draw_id=draw_id, _anchor="run"))
    return _manage_page(draw, sources_form=form)


@manage_bp.route("/<int:draw_id>/run", methods=["POST"])
@permission_required(Permission.RUN_DRAW)
def run(draw_id):
    return _step(draw_id, lambda draw: lifecycle.run(draw, current_actor()),
                 _("The draw has been run. Check the results with the observers, then publish them."))


@manage_bp.route("/<int:draw_id>/publish", methods=["POST"])
@permission_required(Permission.RUN_DRAW)
def publish(draw_id):
    return _step(draw_id, lambda draw: lifecycle.publish(draw, current_actor()),
                 _("The results are published; the applicants are being notified."))


@manage_bp.route("/<int:draw_id>/replace", methods=["POST"])
@permission_required(Permission.RUN_DRAW)
def replace(draw_id):
    draw = _draw_or_404(draw_id)
    form = ReplaceForm()
    form.ticket.choices = []
    if form.validate_on_submit() and apply_change(
        form, lambda: replacement.replace_winner(draw, form.ticket.data, form.reason.data, current_actor(),
                                                 form.comment.data),
        _("The winner has been removed and the next on the reserve list promoted, if there was one. "
          "Both steps are in the public log."),
    ):
        return redirect(url_for(".draw", draw_id=draw_id, _anchor="replace"))
    return _manage_page(draw, replace_form=form)
