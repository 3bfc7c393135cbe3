"""What technical screening does: the queue of a call, the automatic checks of an application with
the screener's review of each, assignment to a screener, and the decisions: eligible, rejected
with reasons, or a correction requested with a deadline.

Functions take objects and the acting user, check the rules, change the session, write the audit
log and queue the applicant's mail; the caller commits. Every decision and check review names the
`state_version` of the application the screener was looking at: if its status changed since
(another screener, another tab), the decision is refused rather than taken on a stale page. The
row lock makes two identical requests (a double click) decide once."""
import math
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from app.applications import eligibility, status
from app.applications.models import Application, ApplicationStatus
from app.applications.notices import mail_applicant
from app.applications.services import FORM_STEPS, correction_request
from app.audit.services import record
from app.auth.models import User, UserRole
from app.auth.permissions import Permission, may, roles_with
from app.dbtypes import utcnow
from app.errors import FieldErrors, InvalidChange, Refused
from app.extensions import db
from app.screening import duplicates
from app.screening.models import CheckReview, DecisionOutcome, ReasonCode, ScreeningDecision

PER_PAGE = 50
CORRECTION_DAYS_MAX = 30
MESSAGE_MAX = 4000
COMMENT_MAX = 2000

CHECK_CODES = (*eligibility.CODES, "duplicates")
CHECK_TITLES = {
    "iin": _l("IIN check digit"),
    "age": _l("Age on the reference date"),
    "region": _l("Region and district in a stratum"),
    "documents": _l("Required documents present"),
    "budget": _l("Budget within the grant cap"),
    "duplicates": _l("Possible duplicates"),
}
# Statuses in which the screener may still confirm or override the checks.
REVIEWABLE = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.APPEALED})
STALE_MESSAGE = _l("This application was changed by someone else while you were looking at it. "
                   "Reload and check again.")


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


# --- automatic checks and their review ---------------------------------------------------------

@dataclass(frozen=True)
class ReviewedCheck:
    """An automatic check and the screener's judgement of it, if there is one yet."""

    check: eligibility.Check
    review: CheckReview | None

    @property
    def code(self):
        return self.check.code

    @property
    def title(self):
        return CHECK_TITLES[self.check.code]

    @property
    def overridden(self):
        return self.review is not None and self.review.passes is not self.check.ok

    @property
    def outdated(self):
        """Reviewed when the automatic result was different (the application was corrected since)."""
        return self.review is not None and self.review.automatic_ok is not self.check.ok


def automatic_checks(application, found_duplicates):
    """Every automatic check of `application`, in the order of CHECK_CODES; `found_duplicates`
    is what duplicates.find found for it."""
    return [*eligibility.checks(application), duplicates.duplicates_check(found_duplicates)]


def checks_of(application):
    """The automatic checks of `application` with the screener's reviews, as ReviewedCheck."""
    found = duplicates.find([application])[application.id]
    reviews = {review.code: review for review in db.session.execute(
        sa.select(CheckReview).where(CheckReview.application_id == application.id)
        .options(orm.joinedload(CheckReview.reviewer))).scalars()}
    return [ReviewedCheck(check, reviews.get(check.code)) for check in automatic_checks(application, found)]


def review_check(application, actor, version, code, passes, comment=""):
    """Records the screener's judgement of the check `code`: it passes or not. Going against the
    automatic result (an override) needs a comment. A second review of the same check replaces
    the first; both are in the audit log."""
    if code not in CHECK_CODES:
        raise InvalidChange({"code": [_("There is no such check.")]})
    comment = (comment or "").strip()
    errors = FieldErrors()
    if len(comment) > COMMENT_MAX:
        errors.add("comment", _("The comment is too long: at most %(max)s characters.", max=COMMENT_MAX))
    errors.raise_if_any()

    application = status.locked(application)
    _check_version(application, version)
    if application.status not in REVIEWABLE:
        raise Refused(_("The checks of this application can no longer be changed: its status is %(status)s.",
                        status=application.status.title))
    automatic = next(c for c in automatic_checks(application, duplicates.find([application])[application.id])
                     if c.code == code)
    overridden = passes is not automatic.ok
    if overridden and not comment:
        errors.add("comment", _("Write in the comment why the check gives a different result from the "
                                "automatic one."))
    errors.raise_if_any()

    review = db.session.execute(
        sa.select(CheckReview).where(CheckReview.application_id == application.id, CheckReview.code == code)
    ).scalar_one_or_none()
    if review is None:
        review = CheckReview(application_id=application.id, code=code)
    review.automatic_ok = automatic.ok
    review.passes = passes
    review.comment = comment
    review.reviewer_id = actor.id
    review.reviewed_at = utcnow()
    db.session.add(review)
    db.session.flush()
    record(actor, "screening.check_overridden" if overridden else "screening.check_confirmed", {
        "application": application.id, "number": application.number, "code": code,
        "automatic_ok": automatic.ok, "passes": passes, "comment": comment,
    })
    return review


# --- assignment --------------------------------------------------------------------------------

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


# --- decisions ---------------------------------------------------------------------------------

def decision_refusal(application, outcome):
    """Why `outcome` (a DecisionOutcome) cannot be decided on the application now, or None."""
    if application.competition.screening_closed_at is not None:
        return _("Screening of this competition is closed: no more decisions can be taken.")
    if application.status is ApplicationStatus.SUBMITTED:
        return None
    if application.status is ApplicationStatus.CORRECTION_REQUESTED:
        request = correction_request(application)
        deadline = request.correction_deadline if request is not None else None
        if deadline is not None and utcnow() < deadline:
            return _("The applicant may correct this application until %(date)s (Almaty time). Decide when it "
                     "comes back, or after the deadline.", date=format_datetime(deadline, "d MMMM y, HH:mm"))
        if outcome is DecisionOutcome.REJECTED:
            return None
        return _("The deadline for the correction passed without an answer: the application can only be "
                 "rejected.")
    return _("This application is not waiting for a screening decision: its status is %(status)s.",
             status=application.status.title)


def latest_decision(application):
    return db.session.execute(
        sa.select(ScreeningDecision).where(ScreeningDecision.application_id == application.id)
        .order_by(ScreeningDecision.id.desc()).limit(1)
    ).scalar_one_or_none()


def decisions_of(application):
    """Every decision on the application, the oldest first, with who took it."""
    return db.session.execute(
        sa.select(ScreeningDecision).where(ScreeningDecision.application_id == application.id)
        .options(orm.joinedload(ScreeningDecision.decided_by)).order_by(ScreeningDecision.id)
    ).scalars().all()


def decide_eligible(application, actor, version):
    """The application meets every rule: it takes part in the draw."""
    application, repeated = _lock_for_decision(application, actor, version, DecisionOutcome.ELIGIBLE)
    return repeated or _decide(application, actor, DecisionOutcome.ELIGIBLE)


def reject(application, actor, version, reasons, message=""):
    """Rejects the application for `reasons` (at least one ReasonCode) with a `message` to the
    applicant (needed with the reason OTHER)."""
    errors = FieldErrors()
    reasons = _reason_codes(reasons, errors)
    message = (message or "").strip()
    if not reasons:
        errors.add("reasons", _("Choose at least one reason for the rejection."))
    if ReasonCode.OTHER in reasons and not message:
        errors.add("message", _("Explain the other reason in the message to the applicant."))
    _check_message_length(errors, message)
    errors.raise_if_any()
    application, repeated = _lock_for_decision(application, actor, version, DecisionOutcome.REJECTED)
    return repeated or _decide(application, actor, DecisionOutcome.REJECTED, reasons=reasons, message=message)


def request_correction(application, actor, version, message, steps, deadline):
    """Asks the applicant to correct the form `steps` (numbers of FORM_STEPS) as `message` says,
    before `deadline` (naive UTC, in the future and at most CORRECTION_DAYS_MAX days away)."""
    errors = FieldErrors()
    message = (message or "").strip()
    if not message:
        errors.add("message", _("Write what the applicant must correct."))
    _check_message_length(errors, message)
    steps = sorted(set(steps or ()))
    if not steps:
        errors.add("steps", _("Choose at least one part of the application the applicant may change."))
    elif any(step not in FORM_STEPS for step in steps):
        errors.add("steps", _("Choose parts of the application from the list."))
    now = utcnow()
    if deadline is None:
        errors.add("deadline", _("Enter the deadline for the correction."))
    elif deadline <= now:
        errors.add("deadline", _("The deadline is in the past. Choose a date and time after now."))
    elif deadline > now + timedelta(days=CORRECTION_DAYS_MAX):
        errors.add("deadline", _("The deadline can be at most %(days)s days from now.", days=CORRECTION_DAYS_MAX))
    errors.raise_if_any()
    application, repeated = _lock_for_decision(
        application, actor, version, DecisionOutcome.CORRECTION_REQUESTED)
    return repeated or _decide(application, actor, DecisionOutcome.CORRECTION_REQUESTED, message=message,
                               steps=steps, deadline=deadline.replace(microsecond=0))


NEW_STATUS = {
    DecisionOutcome.ELIGIBLE: ApplicationStatus.ELIGIBLE,
    DecisionOutcome.REJECTED: ApplicationStatus.REJECTED,
    DecisionOutcome.CORRECTION_REQUESTED: ApplicationStatus.CORRECTION_REQUESTED,
}
MAIL_TEMPLATES = {
    DecisionOutcome.ELIGIBLE: "screening_decision",
    DecisionOutcome.REJECTED: "screening_decision",
    DecisionOutcome.CORRECTION_REQUESTED: "screening_correction_requested",
}


def _reason_codes(values, errors):
    codes = []
    for value in values or ():
        try:
            code = value if isinstance(value, ReasonCode) else ReasonCode(value)
        except ValueError:
            errors.add("reasons", _("Choose reasons from the list."))
            return []
        if code not in codes:
            codes.append(code)
    return [code for code in ReasonCode if code in codes]


def _check_message_length(errors, message):
    if len(message) > MESSAGE_MAX:
        errors.add("message", _("The message is too long: at most %(max)s characters.", max=MESSAGE_MAX))


def _check_version(application, version):
    if version is None or application.state_version != version:
        raise Refused(STALE_MESSAGE)


def _lock_for_decision(application, actor, version, outcome):
    """The application locked, at the version the screener saw, and open to `outcome`; with the
    decision itself when this screener has just taken exactly it (a double click, a retried
    request), so that it is taken once."""
    application = status.locked(application)
    if version is not None and application.state_version == version + 1:
        latest = latest_decision(application)
        if latest is not None and latest.decided_by_id == actor.id and latest.outcome is outcome \
                and not latest.on_appeal:
            return application, latest
    _check_version(application, version)
    refusal = decision_refusal(application, outcome)
    if refusal is not None:
        raise Refused(refusal)
    return application, None


def _decide(application, actor, outcome, reasons=(), message="", steps=(), deadline=None):
    decision = ScreeningDecision(
        application_id=application.id, outcome=outcome, reasons=[reason.value for reason in reasons],
        message=message, correction_steps=list(steps), correction_deadline=deadline,
        decided_by_id=actor.id, decided_at=utcnow(),
    )
    db.session.add(decision)
    status.move(application, NEW_STATUS[outcome], actor, message or None)
    db.session.flush()
    record(actor, f"screening.{outcome.value}", {
        "application": application.id, "number": application.number, "decision": decision.id,
        "version": application.state_version, "reasons": decision.reasons, "message": message,
        "steps": decision.correction_steps,
        "deadline": deadline.isoformat() + "Z" if deadline is not None else None,
    })
    _notify(application, decision)
    return decision


def _notify(application, decision):
    """The applicant's mail, in their language."""
    mail_applicant(
        application, MAIL_TEMPLATES[decision.outcome], outcome=decision.outcome.value,
        reasons=[ReasonCode(value) for value in decision.reasons], message=decision.message,
        steps=decision.correction_steps, deadline=decision.correction_deadline,
    )


# --- the queue ---------------------------------------------------------------------------------

SORTS = {
    "number": (Application.number.asc(),),
    "-number": (Application.number.desc(),),
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
    `filters` say. The number of queries does not depend on the number of rows."""
    query = _filtered(competition, filters, actor).options(*_ROW_LOADING)
    page = max(1, filters.page)
    if filters.check:
        candidates = db.session.execute(query).unique().scalars().all()
        found = duplicates.find(candidates)
        checked = [(a, automatic_checks(a, found[a.id])) for a in candidates]
        matching = [(a, checks) for a, checks in checked if _fails(checks, filters.check)]
        total = len(matching)
        shown = matching[(page - 1) * per_page: page * per_page]
    else:
        total = db.session.execute(
            sa.select(sa.func.count()).select_from(_filtered(competition, filters, actor).order_by(None).subquery())
        ).scalar_one()
        applications = db.session.execute(
            query.limit(per_page).offset((page - 1) * per_page)).unique().scalars().all()
        found = duplicates.find(applications)
        shown = [(a, automatic_checks(a, found[a.id])) for a in applications]
    reviewed = _reviewed_counts([a.id for a, _checks in shown])
    rows = [QueueRow(a, checks, reviewed.get(a.id, 0)) for a, checks in shown]
    return QueuePage(rows=rows, total=total, page=page, per_page=per_page)


def _fails(checks, wanted):
    return any(check.failed and wanted in ("any", check.code) for check in checks)


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
    search = _search_condition(filters.search)
    if search is not None:
        query = query.where(search)
    return query.order_by(*SORTS.get(filters.sort, SORTS["number"]))


def _search_condition(text):
    """Applications whose number, IIN or phone contains what was typed, or whose names contain
    every word typed. SQLite compares non-Latin letters case-sensitively, so each word is also
    tried as typed, in lower case and capitalised."""
    text = " ".join((text or "").split())[:100]
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
