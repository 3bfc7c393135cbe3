"""Submitting an application and withdrawing it.

A submission freezes what was sent (the data and the hashes of the documents) as a snapshot with
its SHA-256, gives the application its public number and queues the receipt mail, all in the
caller's transaction. The row lock and the unique (competition, submitted IIN) constraint make a
double click, a second tab, a retried request or two workers submit once."""
from datetime import timezone

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.applications import drafting, status
from app.applications.completeness import problems_before_submit
from app.applications.notices import mail_applicant
from app.applications.signals import application_submitted, correction_of, withdrawal_closed
from app.applications.models import ApplicationStatus
from app.audit.chain import canonical_json, sha256_hex
from app.competitions.models import Competition
from app.dbtypes import utcnow
from app.errors import Refused, audited
from app.extensions import db

SNAPSHOT_FORMAT = "application-snapshot/1"
# Until the draw list is committed (see can_withdraw).
WITHDRAWABLE = frozenset({
    ApplicationStatus.SUBMITTED, ApplicationStatus.CORRECTION_REQUESTED, ApplicationStatus.ELIGIBLE,
})


class SubmissionRefused(Refused):
    """A submission or withdrawal that cannot go through; `message` says why, in words for the
    applicant. `problems` lists what is missing, as (step number, message), when the application
    is incomplete. `record`: see Refused."""

    def __init__(self, message, problems=(), field=None, record=None):
        super().__init__(message, field, record)
        self.problems = list(problems)


def _require_complete(application):
    problems = problems_before_submit(application)
    if problems:
        raise SubmissionRefused(
            _l("The application is not complete yet: %(problems)s",
               problems=" ".join(str(message) for _step, message in problems)),
            problems=problems)


def _require_consent(consent):
    if not consent:
        raise SubmissionRefused(_l("Confirm that the information is true and that you agree to its "
                                   "processing, then submit."), field="consent")


def submit(application, actor, consent):
    """Submits the draft `application` for `actor` (its applicant) in the current transaction;
    the caller commits. Returns the application. One already submitted comes back unchanged,
    without a second number or mail; one corrected as screening asked is sent back (`resubmit`).
    SubmissionRefused says why it cannot be submitted."""
    application = status.locked(application)
    if application.applicant_id != actor.id:
        raise SubmissionRefused(_l("Only the applicant can submit this application."))
    if application.status is ApplicationStatus.WITHDRAWN:
        raise SubmissionRefused(_l("This application has been withdrawn and cannot be submitted again. "
                                   "Start a new application instead."))
    if application.status is ApplicationStatus.CORRECTION_REQUESTED:
        _require_consent(consent)
        return resubmit(application, actor)
    if application.status is not ApplicationStatus.DRAFT:
        return application  # submitted already: a double click, a second tab or a retry

    competition = application.competition
    now = utcnow()
    if now < competition.opens_at:
        raise SubmissionRefused(_l("Applications can be submitted from %(date)s (Almaty time).",
                                   date=format_datetime(competition.opens_at, "d MMMM y, HH:mm")))
    if now >= competition.closes_at:
        raise SubmissionRefused(_l("The application period closed on %(date)s (Almaty time).",
                                   date=format_datetime(competition.closes_at, "d MMMM y, HH:mm")))
    _require_consent(consent)
    _require_complete(application)

    _claim_iin(application)
    submitted_at = now.replace(microsecond=0)
    application.number = _next_number(competition)
    application.submitted_at = submitted_at
    application.consent_at = submitted_at
    _send(application, actor, snapshot_of(application), submitted_at)
    application_submitted.send(application, actor=actor)
    return application


def resubmit(application, actor):
    """Sends the application corrected as screening asked back to screening (CORRECTION_REQUESTED
    to SUBMITTED) for `actor`, its applicant, before the request's deadline; the caller commits.
    It keeps its number and first submission time and gets a new snapshot. One already sent back
    comes back unchanged. SubmissionRefused says why it cannot be sent."""
    application = status.locked(application)
    if application.applicant_id != actor.id:
        raise SubmissionRefused(_l("Only the applicant can submit this application."))
    if application.status is ApplicationStatus.SUBMITTED:
        return application  # sent back already: a double click, a second tab or a retry
    request = correction_of(application)
    if request is None:
        raise SubmissionRefused(_l("This application is not waiting for a correction."))
    now = utcnow()
    if now >= request.correction_deadline:
        raise SubmissionRefused(_l(
            "The deadline for the correction was %(date)s (Almaty time). The application can no longer "
            "be sent back.", date=format_datetime(request.correction_deadline, "d MMMM y, HH:mm")))
    _require_complete(application)

    _claim_iin(application)  # step 1 may have been corrected
    snapshot = snapshot_of(application) | {"resubmitted_at": _iso_utc(now.replace(microsecond=0))}
    return _send(application, actor, snapshot, now)


def _send(application, actor, snapshot, submitted_at):
    """Freezes `snapshot` with its SHA-256, moves the application to SUBMITTED and queues the
    receipt mail."""
    application.snapshot = snapshot
    application.snapshot_sha256 = sha256_hex(canonical_json(snapshot))
    status.move(application, ApplicationStatus.SUBMITTED, actor)
    db.session.flush()
    mail_applicant(application, "applications/mail/application_submitted", submitted_at=submitted_at)
    return application


def can_withdraw(application, user):
    """Whether `user` may withdraw `application` now: its applicant, until the draw list is
    committed (from then on the eligible set cannot change; a winner who declines is replaced
    by the office from the reserve list). The draw says when, through `withdrawal_closed`."""
    return (user is not None and application.applicant_id == user.id
            and application.status in WITHDRAWABLE and not _withdrawal_closed(application))


def _withdrawal_closed(application):
    return any(closed for _receiver, closed in withdrawal_closed.send(application))


def withdraw(application, actor, reason=None):
    """Withdraws the submitted `application` for `actor` (its applicant); the caller commits.
    The IIN is released, so the person can apply again while the call is open. A refusal stays
    on record (the caller settles it): once the draw list is committed, an attempt to leave the
    eligible set is refused and logged."""
    application = status.locked(application)
    if not can_withdraw(application, actor):
        raise _withdrawal_refused(application, actor)
    application.submitted_iin = None
    application.withdrawn_at = utcnow()
    reason = (reason or "").strip() or None
    status.move(application, ApplicationStatus.WITHDRAWN, actor, reason)
    db.session.flush()

    mail_applicant(application, "applications/mail/application_withdrawn")
    return application


def _withdrawal_refused(application, actor):
    """Why `actor` cannot withdraw `application`, as a refusal that stays on record."""
    if actor is None or application.applicant_id != actor.id:
        why, message = "not_applicant", _l("Only the applicant can withdraw this application.")
    elif application.status in WITHDRAWABLE:  # closed from above: the draw list is committed
        why, message = "closed", _l("The draw list of this competition is committed: the application can no "
                                    "longer be withdrawn. If you cannot take part, tell the project office.")
    else:
        why, message = "status", _l("This application can no longer be withdrawn.")
    return SubmissionRefused(message, record=audited(actor, "application.withdrawal_refused", {
        "application": application.id, "number": application.number, "status": application.status.value,
        "why": why}))


def snapshot_of(application):
    """What the applicant sent, as plain JSON data: every field of the form with codes (not
    names) for regions, the budget, and the documents by their SHA-256."""
    competition = application.competition
    return {
        "format": SNAPSHOT_FORMAT,
        "call": competition.code,
        "call_title": {"kk": competition.title_kk, "ru": competition.title_ru, "en": competition.title_en},
        "number": application.number,
        "submitted_at": _iso_utc(application.submitted_at),
        "consent_at": _iso_utc(application.consent_at),
        "applicant": {
            "iin": application.iin,
            "last_name": application.last_name,
            "first_name": application.first_name,
            "patronymic": application.patronymic,
            "birth_date": application.birth_date.isoformat() if application.birth_date else None,
            "sex": application.sex.value if application.sex else None,
            "phone": application.phone,
            "email": application.applicant.email,
        },
        "registration": {
            "region": application.region_code,
            "district": application.district_code,
            "address": application.address,
        },
        "neet": {
            "not_working": application.not_working,
            "not_studying": application.not_studying,
            "not_in_training": application.not_in_training,
            "situation": application.situation,
            "social_categories": list(application.social_categories or []),
        },
        "project": {
            "title": application.project_title,
            "problem": application.problem,
            "goal": application.goal,
            "target_group": application.target_group,
            "activities": application.activities,
            "beneficiaries_count": application.beneficiaries_count,
        },
        "budget": {
            "lines": [
                {"position": line.position, "item": line.item, "quantity": line.quantity,
                 "unit_price": line.unit_price, "total": line.total, "supplier": line.supplier}
                for line in application.budget_lines
            ],
            "total": application.budget_total,
        },
        "documents": [
            {"type": document.doc_type.value, "name": document.original_name,
             "sha256": document.sha256, "size": document.size}
            for document in application.documents
        ],
    }


def _claim_iin(application):
    """Marks the IIN as submitted in this call; the unique constraint refuses a second one, even
    from a concurrent transaction (which waits for the first to end)."""
    try:
        # Changed inside the savepoint: begin_nested() first flushes what is pending outside it.
        with db.session.begin_nested():
            application.submitted_iin = application.iin
            db.session.flush()
    except IntegrityError:
        raise SubmissionRefused(drafting.iin_refusal(application, application.iin)
                                or drafting.IIN_TAKEN_MESSAGE) from None


def _next_number(competition):
    """The next public number of the call, e.g. ZP23-0042: at least four digits, ZP23-10000
    after ZP23-9999, so that as text they sort in the order given only up to 9999; lists in
    that order sort by Application.serial, which the number sets. The counter row's lock
    serialises this."""
    n = db.session.execute(
        sa.update(Competition).where(Competition.id == competition.id)
        .values(last_application_number=Competition.last_application_number + 1)
        .returning(Competition.last_application_number)
    ).scalar_one()
    return f"{competition.code}-{n:04d}"


def _iso_utc(value):
    return value.replace(tzinfo=timezone.utc).isoformat() if value else None
