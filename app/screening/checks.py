"""The automatic checks of an application (eligibility and duplicates) and the screener's review of
each: confirmed, or overridden with a comment. A review names the `state_version` of the
application the screener was looking at: if its status changed since (another screener, another
tab), it is refused rather than taken on a stale page."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from app.applications import eligibility, status
from app.applications.models import ApplicationStatus
from app.audit.services import record
from app.dbtypes import utcnow
from app.errors import FieldErrors, InvalidChange, Refused
from app.extensions import db
from app.screening import duplicates
from app.screening.models import CheckReview

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
    check_version(application, version)
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


def check_version(application, version):
    """Refused when the application changed since the screener's page showed `version`."""
    if version is None or application.state_version != version:
        raise Refused(STALE_MESSAGE)
