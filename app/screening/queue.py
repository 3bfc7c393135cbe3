"""The queue of a call for screening: its submitted applications with their automatic checks,
filtered, searched, sorted and paged, the counts by status, and who screens them (the screeners
and the assignment of an application to one)."""
import math
import unicodedata
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import orm

from app.applications import eligibility
from app.applications.models import Application, ApplicationStatus, fails_check
from app.audit.services import record
from app.auth.models import User, UserRole
from app.auth.permissions import Permission, may, roles_with
from app.errors import InvalidChange, Refused
from app.extensions import db
from app.screening import duplicates
from app.screening.checks import automatic_checks
from app.screening.models import CheckReview

PER_PAGE = 50


# --- who screens -------------------------------------------------------------------------------

def can_screen(user):
    return may(user, Permission.SCREEN)


def screeners():
    """Everyone who may screen, by e-mail: the choices of the assignment."""
    return db.session.execute(
        sa.select(User).join(UserRole).where(UserRole.role.in_(roles_with(Permission.SCREEN)),
                                             User.active.is_(True),
                                             User.email_confirmed_at.is_not(None))
        .distinct().order_by(User.email)
    ).scalars().all()


def assign(application, screener, actor):
    """Gives the application to `screener` (None: to nobody); audited."""
    if application.status is ApplicationStatus.DRAFT:
        raise Refused(_("A draft is not screened."))
    if screener is not None and not can_screen(screener):
        raise InvalidChange({"screener": [_("Choose a member of the project office who screens.")]})
    previous = application.assigned_screener_id
    new = screener.id if screener is not None else None
    if previous == new:
        return application
    application.assigned_screener = screener
    db.session.flush()
    record(actor, "screening.assigned", {
        "application": application.id, "number": application.number, "from": previous, "to": new,
    })
    return application


# --- the queue ---------------------------------------------------------------------------------

SORTS = {
    "number": (Application.serial.asc(), Application.id.asc()),
    "-number": (Application.serial.desc(), Application.id.desc()),
    "submitted": (Application.submitted_at.asc(), Application.id.asc()),
    "-submitted": (Application.submitted_at.desc(), Application.id.desc()),
    "name": (Application.last_name.asc(), Application.first_name.asc(), Application.id.asc()),
}


@dataclass
class QueueFilters:
    """What the queue shows: every field empty shows every submitted application by number."""

    region: str = ""
    district: str = ""
    status: ApplicationStatus | None = None
    check: str = ""  # "any", or a check code: only applications where it fails
    screener: str = ""  # "me", "none", or a user id
    search: str = ""
    sort: str = "number"
    page: int = 1


@dataclass(frozen=True)
class QueueRow:
    application: Application
    checks: list
    reviewed: int  # how many checks a screener has confirmed or overridden

    @property
    def failed(self):
        return [check for check in self.checks if check.failed]


@dataclass
class QueuePage:
    rows: list
    total: int
    page: int
    per_page: int = PER_PAGE
    pages: int = field(init=False)

    def __post_init__(self):
        self.pages = max(1, math.ceil(self.total / self.per_page))


# How the rows are loaded: documents and budget lines (for the checks) come in one query each for
# the whole page (their relationships load by "selectin"); the timeline is not needed.
_ROW_LOADING = (orm.joinedload(Application.assigned_screener), orm.lazyload(Application.events))


def queue(competition, filters, actor, per_page=PER_PAGE):
    """One page of the call's submitted applications as QueueRow, filtered and sorted as
    `filters` say; a page number below 1 shows the first page, one past the end the last. The
    number of queries depends neither on the number of rows nor on the size of the call: a
    filter by a failing check is a condition in SQL too (fails_check, has_duplicates)."""
    filtered = _filtered(competition, filters, actor)
    total = db.session.execute(
        sa.select(sa.func.count()).select_from(filtered.order_by(None).subquery())
    ).scalar_one()
    page = _page_within(filters.page, total, per_page)
    applications = db.session.execute(
        filtered.options(*_ROW_LOADING).limit(per_page).offset((page - 1) * per_page)).unique().scalars().all()
    found = duplicates.find(applications)
    shown = [(a, automatic_checks(a, found[a.id])) for a in applications]
    reviewed = _reviewed_counts([a.id for a, _checks in shown])
    rows = [QueueRow(a, checks, reviewed.get(a.id, 0)) for a, checks in shown]
    return QueuePage(rows=rows, total=total, page=page, per_page=per_page)


def _page_within(page, total, per_page):
    """`page` moved into 1..the last page: an offset from ?page=10**21 overflows every database."""
    return min(max(1, page), max(1, math.ceil(total / per_page)))


def _failing(competition, code):
    """SQL: the automatic check `code` fails ("any": one of them), as automatic_checks would say."""
    if code == "any":
        return sa.or_(fails_check("any"), duplicates.has_duplicates(competition))
    if code == "duplicates":
        return duplicates.has_duplicates(competition)
    if code in eligibility.CODES:
        return fails_check(code)
    return sa.false()


def _reviewed_counts(ids):
    if not ids:
        return {}
    return dict(db.session.execute(
        sa.select(CheckReview.application_id, sa.func.count())
        .where(CheckReview.application_id.in_(ids)).group_by(CheckReview.application_id)
    ).all())


def _filtered(competition, filters, actor):
    query = sa.select(Application).where(Application.competition_id == competition.id,
                                         Application.status != ApplicationStatus.DRAFT)
    if filters.region:
        query = query.where(Application.region_code == filters.region)
    if filters.district:
        query = query.where(Application.district_code == filters.district)
    if filters.status is not None:
        query = query.where(Application.status == filters.status)
    if filters.screener == "me":
        query = query.where(Application.assigned_screener_id == actor.id)
    elif filters.screener == "none":
        query = query.where(Application.assigned_screener_id.is_(None))
    elif filters.screener.isdigit():
        query = query.where(Application.assigned_screener_id == int(filters.screener))
    if filters.check:
        query = query.where(_failing(competition, filters.check))
    search = _search_condition(filters.search)
    if search is not None:
        query = query.where(search)
    return query.order_by(*SORTS.get(filters.sort, SORTS["number"]))


def _search_condition(text):
    """Applications whose number, IIN or phone contains what was typed, or whose names contain
    every word typed. SQLite compares non-Latin letters case-sensitively, so each word is also
    tried as typed, in lower case and capitalised. Control characters are left out: no stored
    text has them, and PostgreSQL refuses a NUL byte in a query."""
    text = "".join(ch for ch in text or "" if unicodedata.category(ch) != "Cc" or ch.isspace())
    text = " ".join(text.split())[:100]
    if not text:
        return None
    names = (Application.last_name, Application.first_name, Application.patronymic)
    word_matches = []
    for word in text.split():
        forms = {word, word.lower(), word.capitalize()}
        word_matches.append(sa.or_(*(name.icontains(form, autoescape=True) for name in names for form in forms)))
    found = [Application.number.icontains(text, autoescape=True), sa.and_(*word_matches)]
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 4:
        found.append(Application.iin.contains(digits, autoescape=True))
        if len(digits) == 11 and digits[0] == "8":  # 8 701 ... is +7 701 ...
            digits = "7" + digits[1:]
        found.append(Application.phone.contains(digits, autoescape=True))
    return sa.or_(*found)


def status_counts(competition):
    """{ApplicationStatus: number of applications} of the call in the order of the statuses,
    drafts left out."""
    found = dict(db.session.execute(
        sa.select(Application.status, sa.func.count())
        .where(Application.competition_id == competition.id, Application.status != ApplicationStatus.DRAFT)
        .group_by(Application.status)
    ).all())
    return {value: found[value] for value in ApplicationStatus if value in found}
