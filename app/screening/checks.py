"""The automatic checks of an application (eligibility and duplicates) and the screener's review of
each: confirmed, or overridden with a comment. A review names the `state_version` of the
application the screener was looking at: if its status changed since (another screener, another
tab), it is refused rather than taken on a stale page.

The decision follows the checks: "eligible" needs every check reviewed (on the result shown now,
since the latest submission) and none judged failing (`eligibility_problems`); a failing check
suggests its rejection reason (`suggested_reasons`)."""
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from app.applications import eligibility, status
from app.applications.models import ApplicationStatus
from app.audit.services import record
from app.dbtypes import utcnow
from app.errors import FieldErrors, InvalidChange, Refused
from app.extensions import db
from app.i18n import current_language
from app.kz.money import format_money
from app.screening import duplicates
from app.screening.models import CheckReview, ReasonCode

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
    submitted_at: datetime | None = None  # the application's latest submission

    @property
    def code(self):
        return self.check.code

    @property
    def title(self):
        return CHECK_TITLES[self.check.code]

    @property
    def message(self):
        return staff_message(self.check)

    @property
    def overridden(self):
        return self.review is not None and self.review.passes is not self.check.ok

    @property
    def outdated(self):
        """Reviewed when the automatic result was different (the application was corrected since)."""
        return self.review is not None and self.review.automatic_ok is not self.check.ok

    @property
    def before_resubmission(self):
        """Reviewed before the application was corrected and submitted again."""
        return (self.review is not None and self.submitted_at is not None
                and self.review.reviewed_at < self.submitted_at)

    @property
    def reviewed(self):
        """Whether the screener's judgement stands for the application as it is now."""
        return self.review is not None and not self.outdated and not self.before_resubmission

    @property
    def fails(self):
        """Judged as not meeting the rule: by the screener when the review stands, else by the
        automatic result."""
        return not self.review.passes if self.reviewed else self.check.ok is False


def evidence_date(value):
    """A date of a check's evidence (ISO text) in the page's language, e.g. 11 декабря 2008 г."""
    return format_date(date.fromisoformat(value), "d MMMM y") if value else ""


def staff_message(check):
    """The automatic result in the staff's words: the checks speak to the applicant while they type
    ("you will be 17"); screening reads about the applicant in the third person. Results already
    worded neutrally keep their message."""
    e = check.evidence
    if check.code == "iin":
        if check.ok is None:
            return _("The applicant has not entered an IIN.")
        if check.ok is False:
            return _("The IIN %(iin)s is not valid: its check digit or birth date does not match.", iin=e.get("iin"))
        return _("The IIN is valid.")
    if check.code == "age":
        if check.ok is None:
            return _("The age cannot be checked until the IIN is valid.")
        values = {"date": evidence_date(e["reference_date"]), "min": e["age_min"], "max": e["age_max"]}
        if e.get("age") is None:
            return _("By the birth date in the IIN (%(birth)s) the applicant is not yet born on %(date)s.",
                     birth=evidence_date(e.get("birth_date")), **values)
        if check.ok:
            return _("On %(date)s the applicant will be %(age)s: within the age rule of %(min)s to %(max)s.",
                     age=e["age"], **values)
        return _("On %(date)s the applicant will be %(age)s: outside the age rule of %(min)s to %(max)s.",
                 age=e["age"], **values)
    if check.code == "region" and check.ok is None:
        return _("The applicant has not chosen the region or the district of registration.")
    if check.code == "budget" and check.ok is not True:
        language = current_language()
        if e.get("total") is None:
            return _("The budget has no purchase lines.")
        if e["total"] > e["cap"]:
            return _("The budget total is %(total)s, more than the grant cap of %(cap)s.",
                     total=format_money(e["total"], language), cap=format_money(e["cap"], language))
    return check.message


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
    # The applicant's submissions only: a decision reopened by a manager (also back to SUBMITTED)
    # leaves the application as it was reviewed.
    submitted_at = max((event.at for event in application.events if event.status is ApplicationStatus.SUBMITTED
                        and event.actor_id in (None, application.applicant_id)), default=None)
    return [ReviewedCheck(check, reviews.get(check.code), submitted_at)
            for check in automatic_checks(application, found)]


def eligibility_problems(reviewed_checks):
    """Why the checks do not allow deciding "eligible" yet, one message per kind of problem; empty
    when every check is reviewed and none is judged failing (an automatic failure overridden with
    a comment passes)."""
    missing = [reviewed for reviewed in reviewed_checks if not reviewed.reviewed]
    failing = [reviewed for reviewed in reviewed_checks if reviewed.reviewed and reviewed.fails]
    problems = []
    if missing:
        problems.append(_("Not reviewed yet: %(checks)s.", checks="; ".join(str(c.title) for c in missing)))
    if failing:
        problems.append(_("Judged as not meeting the rule: %(checks)s. Reject the application, or override the "
                          "check with a comment if the documents show that it meets the rule.",
                          checks="; ".join(str(c.title) for c in failing)))
    return problems


def suggested_reasons(reviewed_checks):
    """The rejection reasons that match the checks judged as failing, in the order of ReasonCode."""
    suggested = {reason for reviewed in reviewed_checks if reviewed.fails for reason in _reasons_for(reviewed.check)}
    return [reason for reason in ReasonCode if reason in suggested]


_MISSING_DOCUMENT_REASONS = {"registration_proof": ReasonCode.NO_REGISTRATION_PROOF,
                             "neet_evidence": ReasonCode.NO_NEET_EVIDENCE}


def _reasons_for(check):
    """The rejection reasons a failing check stands for. An IIN or a region outside the strata has
    no code of its own: "other", which asks the screener to explain."""
    evidence = check.evidence
    if check.code == "age":
        return [ReasonCode.AGE]
    if check.code == "duplicates":
        return [ReasonCode.DUPLICATE]
    if check.code == "budget":
        empty = evidence.get("total") is None or evidence["total"] <= 0
        return [ReasonCode.INCOMPLETE if empty else ReasonCode.BUDGET_OVER_CAP]
    if check.code == "documents":
        return [_MISSING_DOCUMENT_REASONS.get(value, ReasonCode.INCOMPLETE)
                for value in evidence.get("missing", ())] or [ReasonCode.INCOMPLETE]
    return [ReasonCode.OTHER]


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
    errors.check_storable("comment", comment)
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


def review_checks(application, actor, version, judgements):
    """Records the screener's judgements of several checks at once (one page, one click):
    `judgements` maps a check code to (passes, comment); a check without a verdict (passes None)
    is left as it is, and so is one whose standing review says the same. Every check is judged
    before anything is refused, so that the messages stand next to each check they concern
    (InvalidChange, fields named `check-<code>-<field>`). Returns the reviews recorded."""
    standing = {reviewed.code: reviewed for reviewed in checks_of(application)}
    errors = FieldErrors()
    recorded = []
    for code, (passes, comment) in judgements.items():
        if passes is None:
            continue
        reviewed = standing.get(code)
        comment = (comment or "").strip()
        if reviewed is not None and reviewed.reviewed and reviewed.review.passes is passes \
                and reviewed.review.comment == comment:
            continue
        try:
            recorded.append(review_check(application, actor, version, code, passes, comment))
        except InvalidChange as error:
            for field, messages in error.errors.items():
                for message in messages:
                    errors.add(f"check-{code}-{field}", message)
    errors.raise_if_any()
    return recorded


def check_version(application, version):
    """Refused when the application changed since the screener's page showed `version`."""
    if version is None or application.state_version != version:
        raise Refused(STALE_MESSAGE)
