"""The balance table of a draw: winners against the not selected, by sex, age bucket and district,
per stratum (DESIGN.md, Annex 8). Shown for impact evaluation; never used to select."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.applications.models import Application
from app.competitions.services import reference_date
from app.extensions import db
from app.kz.iin import Sex, age_on
from app.lottery import engine

# The age buckets of the Operator's statistics (DESIGN.md, Annex 8): (first age, last age or None).
AGE_BUCKETS = ((13, 16), (17, 22), (23, 27), (28, 32), (33, 45), (46, 58), (59, None))
SEX_TITLES = {Sex.FEMALE: _l("Women"), Sex.MALE: _l("Men")}


def age_bucket(age):
    """The label of the Annex 8 bucket an age falls in, e.g. "23-27" or "59+"; None below 13."""
    for first, last in AGE_BUCKETS:
        if age >= first and (last is None or age <= last):
            return f"{first}-{last}" if last is not None else f"{first}+"
    return None


@dataclass
class BalanceRow:
    label: object  # a (lazy) string, or a code that the template turns into a name
    winners: int = 0
    others: int = 0


@dataclass
class StratumBalance:
    code: str
    winners: int
    others: int
    sex: list
    age: list
    districts: list  # of BalanceRow with district codes as labels


def balance(draw):
    """Winners against the not selected (the reserve list), by sex, age bucket and district, per
    stratum, as drawn (before any replacement). Shown for impact evaluation; never used to select."""
    if draw.results is None:
        return []
    applications = {
        application.number: application
        for application in db.session.execute(
            sa.select(Application).where(Application.competition_id == draw.competition_id,
                                         Application.number.in_([r["ticket"] for r in draw.results]))
        ).scalars()
    }
    on_date = reference_date(draw.competition)
    tables = []
    for code in sorted(draw.quotas):
        results = [r for r in draw.results if r["stratum"] == code]
        sex = {key: BalanceRow(title) for key, title in SEX_TITLES.items()}
        ages = {age_bucket(first): BalanceRow(age_bucket(first)) for first, _last in AGE_BUCKETS}
        districts = {}
        for result in results:
            application = applications.get(result["ticket"])
            if application is None:
                continue
            column = "winners" if result["outcome"] == engine.WINNER else "others"
            rows = []
            if application.sex in sex:
                rows.append(sex[application.sex])
            if application.birth_date is not None and on_date >= application.birth_date:
                bucket = age_bucket(age_on(application.birth_date, on_date))
                if bucket in ages:
                    rows.append(ages[bucket])
            if application.district_code:
                rows.append(districts.setdefault(application.district_code, BalanceRow(application.district_code)))
            for row in rows:
                setattr(row, column, getattr(row, column) + 1)
        winners = sum(1 for r in results if r["outcome"] == engine.WINNER)
        tables.append(StratumBalance(
            code=code, winners=winners, others=len(results) - winners, sex=list(sex.values()),
            age=[row for row in ages.values() if row.winners or row.others],
            districts=[districts[key] for key in sorted(districts)],
        ))
    return tables
