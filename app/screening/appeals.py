"""Appeals against rejections.

A rejected applicant may appeal once, within the call's `appeal_days` Asia/Almaty calendar days
after the rejection (to the end of the last day), with a text and documents. A staff member other
than the one who rejected decides: upheld makes the application eligible, dismissed leaves it
rejected for good. Functions take objects and the acting user and change the session; the caller
commits."""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import storage
from app.almaty import almaty_to_utc, utc_to_almaty
from app.applications import status
from app.applications.notices import mail_applicant
from app.applications.models import Application, ApplicationDocument, ApplicationStatus
from app.audit.services import record
from app.auth.permissions import Permission, may
from app.competitions.models import DocumentType
from app.dbtypes import utcnow
from app.errors import UNSTORABLE_TEXT, FieldErrors, Refused
from app.extensions import db
from app.screening.models import Appeal, AppealStatus, DecisionOutcome, ScreeningDecision
from app.screening.signals import eligibility_changing

APPEAL_TEXT_MAX = 5000
APPEAL_FILES_MAX = 5
DECISION_MESSAGE_MAX = 5000
UPLOAD_KINDS = ("pdf", "jpeg", "png")


class AppealRefused(Refused):
    """An appeal or an appeal decision the rules do not allow; `message` says why, for the person
    who tried, `field` names the form field it concerns, if any."""


# --- the appeal period ----------------------------------------------------------------------

def rejection_of(application):
    """The screening decision that rejected `application` (the latest one not taken on appeal),
    or None when there is none."""
    return db.session.execute(
        sa.select(ScreeningDecision)
        .where(ScreeningDecision.application_id == application.id,
               ScreeningDecision.outcome == DecisionOutcome.REJECTED,
               ScreeningDecision.on_appeal.is_(False))
        .order_by(ScreeningDecision.decided_at.desc(), ScreeningDecision.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def period_end(rejected_at, appeal_days):
    """The first moment (naive UTC) after the appeal period of a rejection at `rejected_at`: the
    Almaty midnight that ends the `appeal_days`-th calendar day after it. None when the call
    allows no appeal (0 days)."""
    if rejected_at is None or appeal_days <= 0:
        return None
    last_day = utc_to_almaty(rejected_at).date() + timedelta(days=appeal_days)
    return almaty_to_utc(datetime.combine(last_day + timedelta(days=1), time(0)))


def last_appeal_day(moment):
    """The Almaty calendar day that a `period_end` moment closes: the last day to appeal."""
    return utc_to_almaty(moment).date() - timedelta(days=1)


def appeal_deadline(application):
    """When the application's appeal period ends (naive UTC, exclusive), or None when it has none."""
    rejection = rejection_of(application)
    return period_end(rejection.decided_at if rejection else None, application.competition.appeal_days)


def last_day_to_appeal(application):
    """The last Almaty calendar day to appeal the rejection of `application`, or None when it
    cannot be appealed: what the status card, the appeal card and the decision mail all say."""
    deadline = appeal_deadline(application)
    return last_appeal_day(deadline) if deadline else None


# --- the applicant's appeal -----------------------------------------------------------------

def appeal_refusal(application, user, now=None):
    """Why `user` cannot appeal `application` now (a lazy message), or None when they can."""
    now = now or utcnow()
    if user is None or application.applicant_id != user.id:
        return _l("Only the applicant can appeal this decision.")
    if application.appeal is not None:
        return _l("This application has already been appealed. An application can be appealed only once.")
    if application.status is not ApplicationStatus.REJECTED:
        return _l("Only a rejected application can be appealed.")
    competition = application.competition
    if competition.screening_closed_at is not None:
        return _l("Screening of this competition is closed: appeals are no longer accepted.")
    deadline = appeal_deadline(application)
    if deadline is None:
        return _l("The rules of this competition do not allow appeals.")
    if now >= deadline:
        return _l("The appeal period ended on %(date)s (Almaty time).",
                  date=format_date(last_appeal_day(deadline), "d MMMM y"))
    return None


def can_appeal(application, user, now=None):
    return appeal_refusal(application, user, now) is None


def submit_appeal(application, actor, text, files=(), now=None):
    """The applicant's appeal against the rejection of `application`: the text and the uploaded
    `files` (werkzeug FileStorage; empty ones are skipped), at `now` (default: the current time).
    Moves the application to APPEALED and queues the acknowledgement mail. Returns the Appeal;
    AppealRefused says why not (the caller rolls back)."""
    now = now or utcnow()
    application = status.locked(application)
    refusal = appeal_refusal(application, actor, now)
    if refusal is not None:
        raise AppealRefused(refusal)
    text = (text or "").strip()
    if not text:
        raise AppealRefused(_l("Write why you think the decision is wrong."), field="text")
    if len(text) > APPEAL_TEXT_MAX:
        raise AppealRefused(_l("The text is too long: at most %(max)s characters.", max=APPEAL_TEXT_MAX),
                            field="text")
    if FieldErrors.unstorable(text):
        raise AppealRefused(UNSTORABLE_TEXT, field="text")
    files = [f for f in files or () if f is not None and getattr(f, "filename", None)]
    if len(files) > APPEAL_FILES_MAX:
        raise AppealRefused(_l("Attach at most %(max)s files.", max=APPEAL_FILES_MAX), field="documents")

    appeal = Appeal(application_id=application.id, text=text, status=AppealStatus.PENDING, submitted_at=now)
    db.session.add(appeal)
    try:
        db.session.flush()
    except IntegrityError:  # a concurrent request got there first; the caller rolls back
        raise AppealRefused(_l("This application has already been appealed. An application can be "
                               "appealed only once.")) from None
    for file_storage in files:
        try:
            stored = storage.save_upload(file_storage, allowed=UPLOAD_KINDS)
        except storage.UploadError as error:
            raise AppealRefused(_l("%(name)s: %(problem)s", name=file_storage.filename, problem=error.message),
                                field="documents") from None
        application.documents.append(ApplicationDocument(
            doc_type=DocumentType.OTHER, appeal_id=appeal.id, stored_name=stored.stored_name,
            original_name=stored.original_name, kind=stored.kind, sha256=stored.sha256, size=stored.size))
    status.move(application, ApplicationStatus.APPEALED, actor)
    db.session.flush()
    mail_applicant(application, "screening/mail/appeal_received")
    return appeal


def appeal_documents(appeal):
    return [document for document in appeal.application.documents if document.appeal_id == appeal.id]


# --- the staff decision ---------------------------------------------------------------------

def decision_refusal(appeal, user):
    """Why `user` cannot decide on `appeal` (a lazy message), or None when they can."""
    if not may(user, Permission.DECIDE_APPEAL):
        return _l("Only project office staff can decide on appeals.")
    if appeal.status is not AppealStatus.PENDING:
        return _l("This appeal has already been decided.")
    rejection = rejection_of(appeal.application)
    if rejection is not None and rejection.decided_by_id == user.id:
        return _l("You cannot decide on an appeal against your own decision.")
    return None


def decide_appeal(appeal, actor, uphold, message, state_version):
    """Decides `appeal` for `actor`: upheld makes the application eligible, dismissed leaves it
    rejected (final). `state_version` is the application's version the decider saw: a decision
    taken on an older page is refused. Writes the decision, the audit entry and the applicant's
    mail. Returns the appeal; AppealRefused says why not."""
    application = status.locked(appeal.application)
    db.session.refresh(appeal)
    refusal = decision_refusal(appeal, actor)
    if refusal is not None:
        raise AppealRefused(refusal)
    if state_version is None or int(state_version) != application.state_version:
        raise AppealRefused(_l("This application has changed since you opened it. Reload the page, check "
                               "it again and decide then."))
    if application.status is not ApplicationStatus.APPEALED:
        raise AppealRefused(_l("This appeal has already been decided."))
    message = (message or "").strip()
    if not uphold and not message:
        raise AppealRefused(_l("Explain to the applicant why the rejection stands."), field="message")
    if len(message) > DECISION_MESSAGE_MAX:
        raise AppealRefused(_l("The message is too long: at most %(max)s characters.", max=DECISION_MESSAGE_MAX),
                            field="message")
    if uphold:
        eligibility_changing.send(application, actor=actor, attempt={
            "application": application.id, "ticket": application.number, "change": "eligible"})

    rejection = rejection_of(application)
    now = utcnow()
    outcome = DecisionOutcome.ELIGIBLE if uphold else DecisionOutcome.REJECTED
    db.session.add(ScreeningDecision(
        application_id=application.id, outcome=outcome,
        reasons=[] if uphold else list(rejection.reasons if rejection else []),
        message=message, on_appeal=True, decided_by_id=actor.id, decided_at=now,
    ))
    appeal.status = AppealStatus.UPHELD if uphold else AppealStatus.DISMISSED
    appeal.decided_by_id = actor.id
    appeal.decided_at = now
    appeal.decision_message = message
    status.move(application, ApplicationStatus.ELIGIBLE if uphold else ApplicationStatus.REJECTED, actor,
                message or None)
    db.session.flush()
    record(actor, "appeal.upheld" if uphold else "appeal.dismissed", {
        "application": application.id, "number": application.number, "appeal": appeal.id,
        "rejected_by": rejection.decided_by_id if rejection else None,
    })
    mail_applicant(application, "screening/mail/appeal_decided", upheld=uphold, message=message)
    return appeal


# --- reading for the staff pages ------------------------------------------------------------

@dataclass(frozen=True)
class AppealRow:
    appeal: Appeal
    application: Application
    rejected_by_id: int | None


def appeals_of(competition, pending_only=False):
    """The competition's appeals, the oldest first, with who made the rejection: two queries."""
    query = (
        sa.select(Appeal, Application).join(Application, Appeal.application_id == Application.id)
        .where(Application.competition_id == competition.id)
        .order_by(Appeal.submitted_at, Appeal.id)
    )
    if pending_only:
        query = query.where(Appeal.status == AppealStatus.PENDING)
    rows = db.session.execute(query).all()
    rejecters = _rejecters(competition) if rows else {}
    return [AppealRow(appeal, application, rejecters.get(application.id)) for appeal, application in rows]


def _rejecters(competition):
    """application id -> id of the user who rejected it (the latest rejection not on appeal), for
    the appealed applications of `competition`."""
    rows = db.session.execute(
        sa.select(ScreeningDecision.application_id, ScreeningDecision.decided_by_id)
        .join(Appeal, Appeal.application_id == ScreeningDecision.application_id)
        .join(Application, Application.id == ScreeningDecision.application_id)
        .where(Application.competition_id == competition.id,
               ScreeningDecision.outcome == DecisionOutcome.REJECTED,
               ScreeningDecision.on_appeal.is_(False))
        .order_by(ScreeningDecision.decided_at, ScreeningDecision.id)
    ).all()
    return {application_id: user_id for application_id, user_id in rows}  # the latest wins


def pending_count(competition):
    return db.session.execute(
        sa.select(sa.func.count(Appeal.id)).join(Application, Appeal.application_id == Application.id)
        .where(Application.competition_id == competition.id, Appeal.status == AppealStatus.PENDING)
    ).scalar_one()


# --- helpers --------------------------------------------------------------------------------
