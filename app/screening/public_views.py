"""The public results of technical screening of a call, once screening is closed: counts by
region and by reason, and the eligible and rejected applications by number, with a search for
one number (the draw answers instead once it has run). No names, no IINs.

Every applicant opens this page the day the results are published, and it is the same for all of
them: the lists are made once per version of the results and language and kept by the worker
(app.page_cache); a visitor who is not logged in gets the whole page as it was made, with its
ETag. Once screening is closed no screening decision, appeal or reopening is taken any more
(decisions, appeals), and a withdrawal after closing leaves the lists as screening made them
(closing.screened_condition); what still changes the page is the call itself (its title,
updated_at) and the draw's link, which comes with the draw's results in the same transaction as
the applications' new statuses. A change of status makes a new version all the same: the version is
read from these in one statement (closing.results_version): every worker and host sees a change
at once."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from markupsafe import Markup

from app.applications.models import Application, ApplicationStatus
from app.applications.numbers import MAX_QUERY, match_number, numbers_meant
from app.competitions.models import Competition
from app.extensions import db
from app.i18n import current_language
from app.page_cache import answer_for_everyone, for_everyone, memory
from app.screening import closing

bp = Blueprint("results", __name__)


@bp.app_template_global()
def screening_results_published(call):
    return closing.is_closed(call)


@dataclass(frozen=True)
class PublishedResults:
    """What the page shows of the results, made once per version and language: the two counts and
    the tables (HTML). Application numbers only: the summary's masked names are not kept."""

    eligible: int
    rejected: int
    lists: Markup


@bp.route("/calls/<int:competition_id>/screening-results")
def screening_results(competition_id):
    version = _version(competition_id)
    if version is None:
        abort(404)
    if request.args or not for_everyone():  # a search, or a page with the visitor's menu
        return _page(competition_id, version, request.args.get("number", "").strip()[:MAX_QUERY])
    key = ("screening-results", competition_id, current_language())
    return answer_for_everyone(lambda make: memory().versioned(key, version, make),
                               lambda: _page(competition_id, version))


def _page(competition_id, version, query=""):
    competition = db.get_or_404(Competition, competition_id)
    results = _published(competition, version) if closing.is_closed(competition) else None
    # After the draw the template asks the draw instead (`find_in_draw`, from the lottery).
    screening_answer = _screening_answer(competition, query) if results is not None and query else None
    return render_template("screening/results.html", call=competition, results=results, query=query,
                           screening_answer=screening_answer)


def _published(competition, version):
    def make():
        summary = closing.screening_summary(competition)
        return PublishedResults(len(summary.eligible), len(summary.rejected),
                                Markup(render_template("screening/_public_lists.html", summary=summary)))

    return memory().versioned(("screening-results-lists", competition.id, current_language()), version, make)


def _version(competition_id):
    """The version of the call's public results, as this worker read it less than
    PUBLIC_CACHE_SECONDS ago; None when there is no such call."""
    return memory().fresh(("screening-results-version", competition_id),
                          lambda: closing.results_version(competition_id))


def _screening_answer(competition, query):
    """Before the draw: ("eligible" | "rejected", number), or ("not_found", what was typed); the
    number looked up by its index."""
    meant = numbers_meant(query, competition.code)
    found = db.session.execute(
        sa.select(Application.number, Application.status)
        .where(closing.screened_condition(competition), Application.number.in_(meant))
    ).all() if meant else []
    for outcome, rejected in (("eligible", False), ("rejected", True)):
        numbers = [number for number, status in found if (status is ApplicationStatus.REJECTED) is rejected]
        number = match_number(query, numbers, competition.code)
        if number:
            return outcome, number
    return "not_found", query
