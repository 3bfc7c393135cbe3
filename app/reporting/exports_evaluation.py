"""The evaluation table of a call's lottery (treatment and control): one row per eligible applicant
(the draw's frozen list once committed, else the applications that passed screening) with the
stratum, what the draw made of them (winner, reserve list, or not drawn yet), whether a grant was
awarded, sex, age group and district. No name, no IIN, no application number: each row is known
by a pseudonym, the HMAC-SHA256 of the application's id under the app's secret key, the same in
every download (evaluators can join later waves of data) and useless to find the person."""
import hashlib
import hmac

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.applications.models import Application
from app.competitions.services import reference_date
from app.contracts.models import Grant
from app.extensions import db
from app.kz.age_buckets import bucket_of
from app.kz.iin import age_on
from app.kz.regions import district_name, region_name
from app.lottery import engine, reading
from app.lottery.models import DrawState
from app.screening.closing import PASSED

COLUMNS = (_l("Pseudonym"), _l("Stratum"), _l("Draw outcome"), _l("Grant awarded"), _l("Sex"), _l("Age group"),
           _l("District"))
WIDTHS = (22, 22, 16, 12, 10, 14, 24)
OUTCOMES = {engine.WINNER: _l("Winner"), engine.RESERVE: _l("Reserve list"), None: _l("Not drawn")}


def pseudonym(application_id):
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"evaluation:{application_id}".encode(), hashlib.sha256).hexdigest()[:20]


def _eligible(competition):
    """{ticket: stratum} of the draw's frozen list, or of the applications passed screening while
    the list is not frozen; and {ticket: outcome} of the draw's results (empty before the draw)."""
    draw = reading.draw_of(competition)
    if draw is not None and draw.state is not DrawState.PREPARED:
        return ({entry["ticket"]: entry["stratum"] for entry in draw.entries},
                {result["ticket"]: result["outcome"] for result in draw.results or ()})
    return dict(db.session.execute(
        sa.select(Application.number, Application.region_code)
        .where(Application.competition_id == competition.id, Application.status.in_(PASSED))).all()), {}


def rows(competition, language):
    strata, outcomes = _eligible(competition)
    found = db.session.execute(
        sa.select(Application.id, Application.number, Application.sex, Application.birth_date,
                  Application.district_code, Grant.id.label("grant_id"))
        .outerjoin(Grant, Grant.application_id == Application.id)
        .where(Application.competition_id == competition.id, Application.number.is_not(None))).all()
    on = reference_date(competition)
    table = []
    for row in found:
        if row.number not in strata:
            continue
        bucket = bucket_of(age_on(row.birth_date, on)) if row.birth_date and row.birth_date <= on else None
        table.append((pseudonym(row.id), region_name(strata[row.number], language),
                      str(OUTCOMES[outcomes.get(row.number)]), str(_l("Yes") if row.grant_id else _l("No")),
                      str(row.sex.title) if row.sex else "", str(bucket.title) if bucket else "",
                      district_name(row.district_code, language) if row.district_code else ""))
    return sorted(table)
