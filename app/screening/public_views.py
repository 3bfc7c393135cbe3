"""The public results of technical screening of a call, once screening is closed: counts by
region and by reason, and the eligible and rejected applications by number. No names, no IINs."""
from flask import Blueprint, render_template

from app.competitions.models import Competition
from app.extensions import db
from app.screening import closing

bp = Blueprint("results", __name__)


@bp.app_template_global()
def screening_results_published(call):
    return closing.is_closed(call)


@bp.route("/calls/<int:competition_id>/screening-results")
def screening_results(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    summary = closing.screening_summary(competition) if closing.is_closed(competition) else None
    return render_template("screening/results.html", call=competition, summary=summary)
