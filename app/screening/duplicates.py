"""Possible duplicates: other applications of the same call that share the IIN, the phone, the
e-mail (the account) or the name and birth date with an application.

One query finds the candidates for any number of applications at once (the queue's page, the
whole call when the queue is filtered by checks), so that the number of queries never grows with
the number of rows. Drafts and withdrawn applications are not in the competition and never count."""
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.applications.eligibility import Check
from app.applications.models import Application, ApplicationStatus
from app.auth.models import User
from app.extensions import db

KINDS = {
    "iin": _l("same IIN"),
    "phone": _l("same phone"),
    "email": _l("same e-mail"),
    "name_birth": _l("same name and birth date"),
}
OUT_OF_COMPETITION = (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)
# Up to this many applications the query asks for their values only; beyond, it reads the whole
# call once rather than send thousands of parameters.
NARROW_UP_TO = 200


@dataclass(frozen=True)
class Duplicate:
    kind: str  # a key of KINDS
    value: str  # what the two applications share
    other_id: int
    other_number: str | None
    other_status: ApplicationStatus

    @property
    def title(self):
        return KINDS[self.kind]


def _name_key(last_name, first_name, birth_date):
    if not (last_name and first_name and birth_date):
        return None
    return (last_name.strip().casefold(), first_name.strip().casefold(), birth_date)


def find(applications):
    """{application id: [Duplicate, ...]} for `applications` (of one call), in one query; an
    application without duplicates has an empty list."""
    found = {application.id: [] for application in applications}
    if not applications:
        return found
    competition_ids = {application.competition_id for application in applications}
    query = (
        sa.select(Application.id, Application.competition_id, Application.number, Application.status,
                  Application.iin, Application.phone, Application.applicant_id, Application.last_name,
                  Application.first_name, Application.birth_date, User.email)
        .join(User, User.id == Application.applicant_id)
        .where(Application.competition_id.in_(competition_ids),
               Application.status.not_in(OUT_OF_COMPETITION))
        .order_by(Application.id)
    )
    if len(applications) <= NARROW_UP_TO:
        query = query.where(sa.or_(
            Application.iin.in_({a.iin for a in applications if a.iin}),
            Application.phone.in_({a.phone for a in applications if a.phone}),
            Application.applicant_id.in_({a.applicant_id for a in applications}),
            Application.birth_date.in_({a.birth_date for a in applications if a.birth_date})))
    candidates = db.session.execute(query).all()

    by_key = defaultdict(list)
    for row in candidates:
        for key in (("iin", row.iin), ("phone", row.phone), ("email", row.applicant_id),
                    ("name_birth", _name_key(row.last_name, row.first_name, row.birth_date))):
            if key[1] is not None:
                by_key[(row.competition_id, *key)].append(row)

    for application in applications:
        keys = (("iin", application.iin, application.iin), ("phone", application.phone, application.phone),
                ("email", application.applicant_id, None),
                ("name_birth", _name_key(application.last_name, application.first_name, application.birth_date),
                 f"{application.last_name} {application.first_name}, {application.birth_date}"))
        for kind, key, shown in keys:
            if key is None:
                continue
            for row in by_key.get((application.competition_id, kind, key), ()):
                if row.id != application.id:
                    found[application.id].append(Duplicate(
                        kind=kind, value=shown if kind != "email" else row.email, other_id=row.id,
                        other_number=row.number, other_status=row.status))
    return found


def duplicates_check(duplicates):
    """The automatic check of possible duplicates, from what `find` found for one application."""
    evidence = {"matches": [{"kind": d.kind, "value": d.value, "application": d.other_id,
                             "number": d.other_number} for d in duplicates]}
    if not duplicates:
        return Check("duplicates", True, _(
            "No other application of this call has the same IIN, phone, e-mail, or name and birth date."),
            evidence)
    return Check("duplicates", False, _(
        "Possible repeated application: %(matches)s.",
        matches="; ".join(f"{d.other_number} ({d.title})" for d in duplicates)), evidence)
