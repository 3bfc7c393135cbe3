"""The balance table of a draw: winners against the not selected, by sex, age bucket and district,
per stratum (DESIGN.md, Annex 8). Shown for impact evaluation; never used to select."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.applications.models import Application
from app.competitions.services import reference_date
from app.extensions import db
from app.kz.age_buckets import AGE_BUCKETS, bucket_of
from app.kz.iin import Sex, age_on
from app.lottery import engine

SEX_TITLES = {Sex.FEMALE: _l("Women"), Sex.MALE: _l("Men")}


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
    # The columns counted, not the applications: no documents, budget lines or events are read.
    applications = {
        row.number: row
        for row in db.session.execute(
            sa.select(Application.number, Application.sex, Application.birth_date, Application.district_code)
            .where(Application.competition_id == draw.competition_id, Application.number.is_not(None))
        )
    }
    on_date = reference_date(draw.competition)
    tables = []
    for code in sorted(draw.quotas):
        results = [r for r in draw.results if r["stratum"] == code]
        sex = {key: BalanceRow(title) for key, title in SEX_TITLES.items()}
        ages = {bucket: BalanceRow(bucket.short) for bucket in AGE_BUCKETS}
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
                bucket = bucket_of(age_on(application.birth_date, on_date))
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
