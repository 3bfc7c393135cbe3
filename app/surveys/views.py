"""Survey pages. `surveys`: the answer page of an invitation's link, open without logging in,
in the person's language. `manage_surveys` (under /manage/surveys): the results per call and
stage for the project office, with comments and no names."""
import math

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import force_locale, format_decimal, format_percent

from app.assets import ACCOUNT_PAGE
from app.auth.permissions import Permission, permission_required
from app.competitions.models import Competition
from app.competitions.services import all_competitions
from app.errors import apply_change
from app.extensions import db
from app.surveys import answers, results
from app.surveys.forms import AnswerForm
from app.surveys.invitations import invitation_by_token
from app.surveys.models import SCORES, SurveyStage

bp = Blueprint("surveys", __name__)
manage_bp = Blueprint("manage_surveys", __name__, url_prefix="/manage/surveys")


def _language(invitation):
    """The language chosen on this device, else the person's own."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return invitation.person.locale if invitation.person.locale in languages else current_app.config[
        "BABEL_DEFAULT_LOCALE"]


@bp.route("/surveys/<token>", methods=["GET", "POST"])
def answer(token):
    invitation = invitation_by_token(token)
    if invitation is None:
        abort(404)
    with force_locale(_language(invitation)):
        form = AnswerForm()
        refusal = answers.answer_refusal(invitation)
        refused = form.is_submitted() and refusal is not None  # answered already, or expired
        if form.is_submitted() and not refused and form.validate() and apply_change(
                form, lambda: answers.answer(invitation, form.score.data, form.comment.data)):
            return redirect(url_for(".answer", token=token))  # which thanks them
        response = current_app.make_response((render_template(
            "surveys/answer.html", invitation=invitation, form=form, scores=SCORES,
            refusal=answers.answer_refusal(invitation), refused=refused), 409 if refused else 200))
    # The link is the person's: no copy kept by a browser or a proxy, none in a search engine.
    response.headers["Cache-Control"] = ACCOUNT_PAGE
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# --- staff: the results ---------------------------------------------------------------------

def _numbers():
    """How pages write the shares (whole percents, a half rounded up: 5 of 8 is 63%) and the
    average in the current language."""
    return {"percent": lambda share: "—" if share is None else format_percent(math.floor(share * 100 + 0.5) / 100),
            "average": lambda value: "—" if value is None else format_decimal(round(value, 1))}


@manage_bp.route("/")
@permission_required(Permission.MANAGE_CALL)
def index():
    calls = all_competitions()
    return render_template("surveys/index.html", calls=calls, numbers=results.by_call(calls), stages=list(SurveyStage),
                           **_numbers())


@manage_bp.route("/calls/<int:competition_id>")
@permission_required(Permission.MANAGE_CALL)
def call_results(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    stage = next((stage for stage in SurveyStage if stage.value == request.args.get("stage")), SurveyStage.APPLICATION)
    page = results.comments(competition, stage, request.args.get("page", 1, type=int))
    return render_template("surveys/results.html", competition=competition, stages=results.by_stage(competition),
                           stage=stage, page=page, scores=SCORES, **_numbers())
