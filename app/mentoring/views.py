"""Mentor selection and assignment: the public application form of mentor candidates (no log-in,
rate-limited), and the staff pages under /manage/mentors (MANAGE_MENTORS): the candidates ranked
by score, scoring, selection into the pool, each grant's mentor (the proposal, one grant's
choice with a reason) and the grants with months gone by without a meeting."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app import storage
from app.auth.permissions import Permission, current_actor, permission_required
from app.competitions.models import Competition
from app.competitions.services import all_competitions, current_call
from app.contracts.models import Grant
from app.errors import InvalidChange, apply_change, show_errors
from app.extensions import db, limiter
from app.i18n import current_language
from app.mentoring import assignment, candidates, meetings, sections  # noqa: F401  (sections: the grant page's)
from app.mentoring.forms import AcceptForm, AssignForm, ButtonForm, CandidateForm, ProposalForm, ScoreForm
from app.mentoring.models import CRITERIA, MAX_SCORE, MIN_EXPERIENCE_YEARS, MentorCandidate

public_bp = Blueprint("mentor_candidates", __name__, url_prefix="/mentors")
manage_bp = Blueprint("mentors", __name__, url_prefix="/manage/mentors")
MANAGE = Permission.MANAGE_MENTORS


# --- the public form ------------------------------------------------------------------------

@public_bp.route("/apply", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_REGISTER"], methods=["POST"])
def apply():
    """The application to mentor the grantees of the current call."""
    call = current_call()
    form = CandidateForm()
    if call is not None and form.validate_on_submit() and apply_change(
            form, lambda: candidates.apply(call, form.values(), form.cv.data, current_language()) or True):
        return render_template("mentoring/applied.html", call=call, email=form.email.data)
    return render_template("mentoring/apply.html", form=form, call=call,
                           min_years=MIN_EXPERIENCE_YEARS), 422 if form.errors else 200


# --- staff: the calls -----------------------------------------------------------------------

def _call_or_404(competition_id):
    return db.get_or_404(Competition, competition_id)


@manage_bp.route("/")
@permission_required(MANAGE)
def index():
    calls = all_competitions()
    return render_template("mentoring/index.html", calls=calls, counts=assignment.overview())


@manage_bp.route("/calls/<int:competition_id>/candidates")
@permission_required(MANAGE)
def candidate_list(competition_id):
    call = _call_or_404(competition_id)
    return render_template("mentoring/candidates.html", call=call, candidates=candidates.ranked(call),
                           max_score=MAX_SCORE)


# --- staff: one candidate -------------------------------------------------------------------

def _candidate_page(candidate, score_form=None, select_form=None):
    if score_form is None:
        score_form = ScoreForm(formdata=None, note=candidate.score_note, **candidate.scores)
    return render_template("mentoring/candidate.html", candidate=candidate, criteria=CRITERIA, max_score=MAX_SCORE,
                           min_years=MIN_EXPERIENCE_YEARS, score_form=score_form,
                           select_form=select_form or ButtonForm(formdata=None))


@manage_bp.route("/candidates/<int:candidate_id>")
@permission_required(MANAGE)
def candidate(candidate_id):
    return _candidate_page(db.get_or_404(MentorCandidate, candidate_id))


@manage_bp.route("/candidates/<int:candidate_id>/score", methods=["POST"])
@permission_required(MANAGE)
def score(candidate_id):
    candidate = db.get_or_404(MentorCandidate, candidate_id)
    form = ScoreForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: candidates.score(candidate, form.points(), form.note.data, current_actor()),
            _("The scores are saved.")):
        return redirect(url_for(".candidate_list", competition_id=candidate.competition_id))
    return _candidate_page(db.get_or_404(MentorCandidate, candidate_id), score_form=form), 422


@manage_bp.route("/candidates/<int:candidate_id>/select", methods=["POST"])
@permission_required(MANAGE)
def select(candidate_id):
    candidate = db.get_or_404(MentorCandidate, candidate_id)
    form = ButtonForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: candidates.select(candidate, current_actor()),
            _("%(name)s is in the pool of mentors and gets a mentor login.", name=candidate.full_name)):
        return redirect(url_for(".candidate", candidate_id=candidate_id))
    return _candidate_page(db.get_or_404(MentorCandidate, candidate_id), select_form=form), 422


@manage_bp.route("/candidates/<int:candidate_id>/cv")
@permission_required(MANAGE)
def cv(candidate_id):
    candidate = db.get_or_404(MentorCandidate, candidate_id)
    path = storage.path_for(candidate.cv_stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=storage.KINDS["pdf"].mimetype, as_attachment=True,
                         download_name=candidate.cv_original_name, etag=candidate.cv_sha256)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- staff: each grant's mentor -------------------------------------------------------------

def _assignments_page(call, proposal_form, accept_form=None, status=200):
    proposal = None
    if proposal_form.validate():
        try:
            proposal = assignment.propose(call, proposal_form.max_load.data)
        except InvalidChange as error:
            show_errors(proposal_form, error.errors)
    grants = assignment.assignable_grants(call)
    return render_template(
        "mentoring/assignments.html", call=call, grants=grants, taken=assignment.assignments_of(call),
        pool=candidates.pool_of(call), loads=assignment.loads(call), proposal=proposal,
        proposal_form=proposal_form, accept_form=accept_form or AcceptForm(formdata=None),
        schedules=meetings.schedules(grants)), status


@manage_bp.route("/calls/<int:competition_id>/assignments")
@permission_required(MANAGE)
def assignments(competition_id):
    form = ProposalForm(request.args)
    if "max_load" not in request.args:
        form.max_load.data = assignment.DEFAULT_MAX_LOAD
    return _assignments_page(_call_or_404(competition_id), form)


@manage_bp.route("/calls/<int:competition_id>/assignments", methods=["POST"])
@permission_required(MANAGE)
def accept_proposal(competition_id):
    call = _call_or_404(competition_id)
    form = AcceptForm()
    max_load = request.form.get("max_load", type=int)
    count = form.validate_on_submit() and apply_change(
        form, lambda: assignment.accept(call, max_load, form.fingerprint.data, current_actor()))
    if count:
        flash(ngettext("%(num)d grant got its mentor.", "%(num)d grants got their mentors.", count), "success")
        return redirect(url_for(".assignments", competition_id=competition_id))
    proposal_form = ProposalForm(formdata=None, max_load=max_load or assignment.DEFAULT_MAX_LOAD)
    return _assignments_page(call, proposal_form, accept_form=form, status=422)


@manage_bp.route("/grants/<int:grant_id>/mentor", methods=["GET", "POST"])
@permission_required(MANAGE)
def choose(grant_id):
    """Staff choose the mentor of one grant, saying why."""
    grant = db.get_or_404(Grant, grant_id)
    pool = candidates.pool_of(grant.competition)
    form = AssignForm()
    form.set_pool(pool, assignment.loads(grant.competition))
    if form.validate_on_submit() and apply_change(
            form, lambda: assignment.choose(grant, next((m for m in pool if m.id == form.candidate_id.data), None),
                                            form.reason.data, current_actor()),
            _("The mentor of grant %(number)s is saved.", number=grant.number)):
        return redirect(url_for(".assignments", competition_id=grant.competition_id))
    return render_template("mentoring/choose.html", grant=grant, form=form,
                           current=assignment.assignment_of(grant)), 422 if form.is_submitted() else 200


@manage_bp.route("/calls/<int:competition_id>/meetings")
@permission_required(MANAGE)
def overdue(competition_id):
    call = _call_or_404(competition_id)
    return render_template("mentoring/overdue.html", call=call, rows=meetings.overdue(call),
                           disputed=meetings.disputed(call))
