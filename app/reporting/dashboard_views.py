"""The staff dashboard under /manage/reporting: a call's charts with their tables, and each chart's
table as CSV. The dashboard opens on the current call; the others are a choice away."""
from flask import Blueprint, abort, redirect, render_template, url_for

from app.auth.permissions import Permission, permission_required
from app.competitions.models import Competition
from app.competitions.services import all_competitions, current_call
from app.extensions import db
from app.reporting import dashboard
from app.tables import MIMETYPES, attachment

bp = Blueprint("dashboard", __name__, url_prefix="/manage/reporting")
VIEW = Permission.VIEW_DASHBOARD
LARGEST_ID = 2**31 - 1  # an integer column's range: a larger id names no call


def call_or_404(competition_id):
    if competition_id > LARGEST_ID:
        abort(404)
    return db.get_or_404(Competition, competition_id)


@bp.route("/")
@permission_required(VIEW)
def index():
    call = current_call()
    if call is None:
        return render_template("reporting/dashboard.html", call=None, calls=[], charts=[])
    return redirect(url_for(".call_dashboard", competition_id=call.id))


@bp.route("/calls/<int:competition_id>")
@permission_required(VIEW)
def call_dashboard(competition_id):
    call = call_or_404(competition_id)
    return render_template("reporting/dashboard.html", call=call, calls=all_competitions(),
                           charts=dashboard.charts(call))


@bp.route("/calls/<int:competition_id>/charts/<chart>.csv")
@permission_required(VIEW)
def chart_csv(competition_id, chart):
    call = call_or_404(competition_id)
    try:
        found = dashboard.chart(call, chart)
    except KeyError:
        abort(404)
    return attachment(found.csv(), MIMETYPES["csv"], f"{call.code}_{found.key}.csv")
