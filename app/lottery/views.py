"""Draw pages: public (the live draw page, the record, the protocol, the verifier, the guide) and
the manager's (one page per draw with a form for its next step)."""
import json
from datetime import datetime, timezone

from flask import Blueprint, abort, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app import PROJECT_ROOT
from app.audit.chain import canonical_json
from app.auth.permissions import Permission, current_actor, permission_required
from app.competitions.models import Competition
from app.competitions.services import all_competitions
from app.errors import apply_change
from app.extensions import db
from app.i18n import current_language
from app.lottery import balance, lifecycle, protocol, published, reading, replacement
from app.lottery import locks  # noqa: F401  (connects the draw's answer to competitions' locks)
from app.lottery.forms import ConfirmForm, ObserverForm, PrepareForm, ReplaceForm, SourcesForm
from app.lottery.models import Draw, DrawState, ReplacementReason
from app.lottery.steps import DrawRefused
from app.page_cache import Body, answer_for_everyone, for_everyone, page_for_everyone, respond

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
# The live part of the page, the record and the protocols are made once per change of the log and
# shared (app.lottery.published); a visitor who is not logged in gets the whole page as it was made
# for everyone (app.page_cache), anyone else the page made around the same live part.

def _public_head_or_404(draw_id):
    head = published.head(draw_id)
    if head is None or not head.is_public:
        abort(404)
    return head


def _public_draw(head):
    """The draw itself, read when something has to be made from it."""
    return db.session.get(Draw, head.draw_id)


def _live_part(head):
    def render():
        draw = _public_draw(head)
        return render_template("lottery/_live.html", draw=draw, strata=reading.strata_summary(draw),
                               outcomes=reading.outcomes(draw), balance=balance.balance(draw),
                               newest=reading.newest_winners(draw), shown_entries=reading.SHOWN_ENTRIES,
                               shown_reserve=reading.SHOWN_RESERVE)

    return published.live_part(head, render)


def _draw_page(head, query=""):
    live = Markup(_live_part(head))
    draw = _public_draw(head)
    answer = _find_number(head, query) if query else None
    return render_template("lottery/draw.html", draw=draw, head=head, live=live, query=query, answer=answer)


def _find_number(head, query):
    """"Find my number": a look-up in what this worker keeps of the draw for the head's version."""
    numbers = published.kept(head, "numbers", lambda: reading.draw_numbers(_public_draw(head)))
    return reading.find_number(numbers, query)


@public_bp.app_template_global()
def public_draw_of(competition):
    """The competition's draw once the public may see it (committed or later), else None."""
    draw = reading.draw_of(competition)
    return draw if draw is not None and reading.is_public(draw) else None


@public_bp.app_template_global()
def find_in_draw(draw, query):
    """Where the number `query` stands in the draw: the search of the screening results page."""
    return _find_number(published.head(draw.id), query)


@public_bp.route("")
@page_for_everyone
def draws():
    return render_template("lottery/draws.html", draws=reading.public_draws())


@public_bp.route("/<int:draw_id>")
def draw(draw_id):
    head = _public_head_or_404(draw_id)
    if request.args or not for_everyone():  # "find my number", or a page with the visitor's menu
        return _draw_page(head, request.args.get("number", "").strip())
    return answer_for_everyone(lambda make: published.kept(head, f"page-{current_language()}", make),
                               lambda: _draw_page(head), head.cache_control)


@public_bp.route("/<int:draw_id>/live.json")
def live(draw_id):
    """What the page needs to follow the draw: the log's length and head, and the live part of
    the page when the log has grown past what the page shows (`?seq=`). Answered from the head
    alone while the page is up to date."""
    head = _public_head_or_404(draw_id)
    status = {"state": head.state.value, "seq": head.seq, "head": head.hash}
    if request.args.get("seq", type=int) == head.seq:
        body = published.kept(head, "live.json", lambda: _json_body(status))
        return respond(body, head.cache_control, vary=())
    body = published.kept(head, f"live-{current_language()}.json",
                          lambda: _json_body({**status, "html": _live_part(head)}))
    return respond(body, head.cache_control)


@public_bp.route("/<int:draw_id>.json")
def record(draw_id):
    """The record, once the results are published. Stored data that disagree with their
    recomputation or with the log are not published as a record: 409 with the reason."""
    head = _public_head_or_404(draw_id)
    if head.state is not DrawState.PUBLISHED:
        abort(404)
    try:
        body = published.shared(head, "record", "application/json",
                                lambda: _json_bytes(reading.record(_public_draw(head))))
    except DrawRefused as refusal:
        return jsonify(error=str(refusal)), 409
    return respond(body, head.cache_control, vary=())


@public_bp.route("/<int:draw_id>/list.json")
def frozen_list(draw_id):
    head = _public_head_or_404(draw_id)
    body = published.kept(head, "list.json", lambda: _json_body(reading.frozen_list(_public_draw(head))))
    return respond(body, head.cache_control, vary=())


@public_bp.route("/<int:draw_id>/protocol-<lang>.pdf")
def protocol_pdf(draw_id, lang):
    """The protocol as stored for the draw's log head: its ETag is the SHA-256 of the file."""
    head = _public_head_or_404(draw_id)
    if lang not in protocol.LANGUAGES or head.state not in (DrawState.DRAWN, DrawState.PUBLISHED):
        abort(404)
    return respond(published.stored_protocol(head, lang), head.cache_control, vary=(), headers={
        "Content-Disposition": f'inline; filename="draw-{draw_id}-protocol-{lang}.pdf"'})


def _json_bytes(data):
    """Compact UTF-8 JSON: the live part's Kazakh and Russian text a third of its escaped size."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _json_body(data):
    return Body(_json_bytes(data), "application/json")


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
