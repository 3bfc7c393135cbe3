"""Possible duplicates: other applications of the same call that share the IIN, the phone, the
e-mail (the account) or the name and birth date with an application.

The rule is SQL (`SHARED`, `_shares`): `find` joins by it to say what each of a page of
applications shares with which others, in one query; `has_duplicates` is its condition for every
application of a call at once, so that the queue filters and counts in the database. Drafts and withdrawn applications
are not in the competition and never count; names compare trimmed and case-folded
(Application.name_key)."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

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


# What two applications may share, kind by kind (the keys of KINDS): the columns equal in both.
SHARED = {
    "iin": ("iin",),
    "phone": ("phone",),
    "email": ("applicant_id",),
    "name_birth": ("name_key", "birth_date"),
}


def _columns(entity, kind):
    return [getattr(entity, name) for name in SHARED[kind]]


def _shares(other, application, kind):
    """SQL: `other` is a possible duplicate of `application` (each Application or an alias of it)
    by `kind`: one condition per kind, so that each is looked up by its own index."""
    return sa.and_(
        other.competition_id == application.competition_id, other.id != application.id,
        other.status.not_in(OUT_OF_COMPETITION),
        *(theirs == mine for theirs, mine in zip(_columns(other, kind), _columns(application, kind))))


def has_duplicates(competition):
    """SQL condition on an application of `competition`: another application of the call may be
    the same person's (the rule of `_shares`). Each kind's values shared in the call are
    read once (a subquery PostgreSQL hashes), not looked up again for every row: a value that
    two applications in the competition share, or one in the competition shares with an
    application out of it."""
    other = orm.aliased(Application)
    conditions = []
    for kind in SHARED:
        mine, theirs = _columns(Application, kind), _columns(other, kind)
        key = mine[0] if len(mine) == 1 else sa.tuple_(*mine)
        in_competition = sa.select(*theirs).where(
            other.competition_id == competition.id, other.status.not_in(OUT_OF_COMPETITION),
            *(column.is_not(None) for column in theirs))
        conditions += [key.in_(in_competition.group_by(*theirs).having(sa.func.count() > 1)),
                       sa.and_(Application.status.in_(OUT_OF_COMPETITION), key.in_(in_competition))]
    return sa.or_(*conditions)


def find(applications):
    """{application id: [Duplicate, ...]} for `applications`, in one query; an application without
    duplicates has an empty list. Each lists its duplicates kind by kind (in the order of KINDS),
    each kind by the other application's id."""
    found = {application.id: [] for application in applications}
    if not applications:
        return found
    by_id = {application.id: application for application in applications}
    this, other = orm.aliased(Application), orm.aliased(Application)
    pairs = sa.union(*(
        sa.select(this.id.label("application_id"), other.id.label("other_id"))
        .join(other, _shares(other, this, kind)).where(this.id.in_(list(by_id)))
        for kind in SHARED)).subquery()
    rows = db.session.execute(
        sa.select(pairs.c.application_id, other.id, other.number, other.status, other.iin, other.phone,
                  other.applicant_id, other.name_key, other.birth_date, User.email)
        .join(other, other.id == pairs.c.other_id)
        .join(User, User.id == other.applicant_id)
        .order_by(other.id)
    ).all()
    matches = []
    for row in rows:
        application = by_id[row.application_id]
        same_person = (application.name_key is not None and application.birth_date is not None
                       and (row.name_key, row.birth_date) == (application.name_key, application.birth_date))
        shared = {
            "iin": (application.iin is not None and row.iin == application.iin, application.iin),
            "phone": (application.phone is not None and row.phone == application.phone, application.phone),
            "email": (row.applicant_id == application.applicant_id, row.email),
            "name_birth": (same_person, f"{application.last_name} {application.first_name}, {application.birth_date}"),
        }
        for order, (kind, (same, shown)) in enumerate(shared.items()):
            if same:
                matches.append((order, application.id, Duplicate(
                    kind=kind, value=shown, other_id=row.id, other_number=row.number, other_status=row.status)))
    for _order, application_id, duplicate in sorted(matches, key=lambda match: match[0]):
        found[application_id].append(duplicate)
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
