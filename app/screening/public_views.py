"""The public results of technical screening of a call, once screening is closed: counts by
region and by reason, and the eligible and rejected applications by number, with a search for
one number (the draw answers instead once it has run). No names, no IINs."""
from flask import Blueprint, render_template, request

from app.applications.numbers import MAX_QUERY, match_number
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
    query = request.args.get("number", "").strip()[:MAX_QUERY]
    # After the draw the template asks the draw instead (`find_in_draw`, from the lottery).
    screening_answer = _screening_answer(competition, summary, query) if summary is not None and query else None
    return render_template("screening/results.html", call=competition, summary=summary, query=query,
                           screening_answer=screening_answer)


def _screening_answer(competition, summary, query):
    """Before the draw: ("eligible" | "rejected", number), or ("not_found", what was typed)."""
    for outcome, rows in (("eligible", summary.eligible), ("rejected", summary.rejected)):
        number = match_number(query, [row.number for row in rows], competition.code)
        if number:
            return outcome, number
    return "not_found", query
