"""Screening decisions on an application: eligible, rejected with reasons, or a correction asked
with a deadline; the decisions taken so far, and the correction the applicant is answering.

Functions take objects and the acting user, check the rules, change the session, write the audit
log and queue the applicant's mail; the caller commits, or settles a refusal (app.errors.settle).
Every decision names the `state_version` of the application the screener was looking at: if its
status changed since, the decision is refused (app.screening.checks.check_version). The row lock
makes two identical requests (a double click) decide once."""
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import orm

from app.applications import status
from app.applications.drafting import FORM_STEPS
from app.applications.models import ApplicationStatus
from app.applications.notices import mail_applicant
from app.applications.signals import correction_asked
from app.audit.services import record
from app.dbtypes import utcnow
from app.errors import FieldErrors, Refused, audited
from app.extensions import db
from app.screening.appeals import last_day_to_appeal
from app.screening.checks import check_version, checks_of, eligibility_problems
from app.screening.models import DecisionOutcome, ReasonCode, ScreeningDecision
from app.screening.signals import eligibility_changing, outcome_told

CORRECTION_DAYS_MAX = 30
MESSAGE_MAX = 4000
# The decisions a manager may reopen: those of screening itself (a decision on appeal is final).
REOPENABLE = frozenset({ApplicationStatus.ELIGIBLE, ApplicationStatus.REJECTED})


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


def correction_request(application):
    """The decision asking for the correction the applicant is making, or None when the
    application is not waiting for one."""
    if application.status is not ApplicationStatus.CORRECTION_REQUESTED:
        return None
    latest = latest_decision(application)
    return latest if latest is not None and latest.outcome is DecisionOutcome.CORRECTION_REQUESTED else None


@correction_asked.connect
def _answer_correction_asked(application, **_kwargs):
    return correction_request(application)


def decide_eligible(application, actor, version):
    """The application meets every rule: it takes part in the draw. Only when the checks say so:
    every one reviewed, none judged failing (checks.eligibility_problems); the refusal says which
    are missing or failing."""
    application, repeated = _lock_for_decision(application, actor, version, DecisionOutcome.ELIGIBLE)
    if repeated:
        return repeated
    problems = eligibility_problems(checks_of(application))
    if problems:
        raise Refused(" ".join([_("The application can be eligible only when every check is reviewed and "
                                  "none fails."), *problems]))
    return _decide(application, actor, DecisionOutcome.ELIGIBLE)


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
    DecisionOutcome.ELIGIBLE: "screening/mail/screening_decision",
    DecisionOutcome.REJECTED: "screening/mail/screening_decision",
    DecisionOutcome.CORRECTION_REQUESTED: "screening/mail/screening_correction_requested",
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


def _check_message_length(errors, message, field="message"):
    if len(message) > MESSAGE_MAX:
        errors.add(field, _("The message is too long: at most %(max)s characters.", max=MESSAGE_MAX))
    errors.check_storable(field, message)


def _lock_for_decision(application, actor, version, outcome):
    """The application locked, at the version the screener saw, and open to `outcome`; with the
    decision itself when this screener has just taken exactly it (a double click, a retried
    request), so that it is taken once."""
    application = status.locked(application)
    if version is not None and application.state_version == version + 1 \
            and application.status is NEW_STATUS[outcome]:
        latest = latest_decision(application)
        if latest is not None and latest.decided_by_id == actor.id and latest.outcome is outcome \
                and not latest.on_appeal:
            return application, latest
    check_version(application, version)
    refusal = decision_refusal(application, outcome)
    if refusal is not None:
        # Once screening is closed the eligible set is final: an attempt to decide stays on record.
        closed = application.competition.screening_closed_at is not None
        raise Refused(refusal, record=audited(actor, "screening.decision_refused", {
            "application": application.id, "number": application.number, "outcome": outcome.value,
            "status": application.status.value}) if closed else None)
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
    """The applicant's mail, in their language; an outcome (not a correction request) is
    announced to the features above first (`outcome_told`)."""
    if decision.outcome is not DecisionOutcome.CORRECTION_REQUESTED:
        outcome_told.send(application, outcome=decision.outcome)
    mail_applicant(
        application, MAIL_TEMPLATES[decision.outcome], outcome=decision.outcome.value,
        reasons=[ReasonCode(value) for value in decision.reasons], message=decision.message,
        steps=decision.correction_steps, deadline=decision.correction_deadline,
        last_day=last_day_to_appeal(application) if decision.outcome is DecisionOutcome.REJECTED else None,
    )


def reopen_refusal(application):
    """Why the decision on `application` cannot be reopened now, or None."""
    if application.competition.screening_closed_at is not None:
        return _("Screening of this competition is closed: its decisions can no longer be reopened.")
    if application.status not in REOPENABLE:
        return _("Only an eligible or rejected application can be reopened: its status is %(status)s.",
                 status=application.status.title)
    latest = latest_decision(application)
    if latest is None or latest.on_appeal:
        return _("A decision taken on appeal is final: it cannot be reopened.")
    return None


def reopen(application, actor, version, reason):
    """Takes the decision back: the application waits for a screening decision again (SUBMITTED),
    its check reviews kept for the screener to look at again. Only a manager (the view asks for
    REOPEN_DECISION), with a `reason` the applicant reads in their mail, before screening closes;
    an eligible application asks the draw first (`eligibility_changing`), which refuses once its
    list is committed."""
    errors = FieldErrors()
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", _("Write why the decision is reopened."))
    _check_message_length(errors, reason, "reason")
    errors.raise_if_any()
    application = status.locked(application)
    check_version(application, version)
    refusal = reopen_refusal(application)
    if refusal is not None:
        raise Refused(refusal)
    if application.status is ApplicationStatus.ELIGIBLE:
        eligibility_changing.send(application, actor=actor, attempt={
            "application": application.id, "ticket": application.number, "change": "reopened"})
    latest = latest_decision(application)
    status.move(application, ApplicationStatus.SUBMITTED, actor, reason)
    db.session.flush()
    record(actor, "screening.decision_reopened", {
        "application": application.id, "number": application.number, "decision": latest.id,
        "outcome": latest.outcome.value, "version": application.state_version, "reason": reason,
    })
    mail_applicant(application, "screening/mail/decision_reopened", outcome=latest.outcome.value, reason=reason)
    return application
