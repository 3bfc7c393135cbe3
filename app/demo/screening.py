"""The demo call taken to the end of technical screening (`flask demo load --stage screened`).

The pool of applicants is submitted while the call is open (app/demo/applications.py); then the
call's history is moved back by `HISTORY_SHIFT`, so that the window lies in the past with every
submission inside it, and the demo screener screens the pool with the screening services: what
the pool hides is rejected with every reason code, one correction is asked and answered, another
goes unanswered, two rejected applicants appeal (one upheld, one dismissed by the manager), and
screening is closed. Each step is dated on a timeline after the window, far enough back for every
appeal period to be over; the audit log keeps the real times at which the demo was loaded. What
the screener, the manager and the applicants write is in app/demo/data/screening.json."""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from app.almaty import almaty_to_utc, utc_to_almaty
from app.applications import documents as applications
from app.applications.models import Application, ApplicationDocument, ApplicationEvent, ApplicationStatus
from app.applications.submission import resubmit
from app.audit.chain import canonical_json, sha256_hex
from app.audit.services import record
from app.competitions.models import DocumentType
from app.competitions.services import reference_date
from app.dbtypes import utcnow
from app.demo.applications import EMAIL, profiles, url_context
from app.demo.data import (APPEAL_EVIDENCE, APPEALS, CORRECTION_REQUESTS, DUPLICATE_OVERRIDES, FULL_ADDRESS_PROOF,
                           REJECTION_MESSAGES)
from app.demo.documents import stand_in
from app.extensions import db
from app.kz.iin import age_on
from app.screening import decisions as screening
from app.screening.appeals import decide_appeal, submit_appeal
from app.screening.checks import checks_of, review_check
from app.screening.closing import close_screening, screening_summary
from app.screening.models import Appeal, ReasonCode, ScreeningDecision

HISTORY_SHIFT = timedelta(days=35)
STEP = timedelta(minutes=6)  # between two decisions of the first pass
CORRECTION_STEPS = [applications.DOCUMENTS_STEP]


@dataclass(frozen=True)
class ScreenedDemo:
    eligible: int
    rejected: int
    reasons: list  # (ReasonCode, applications rejected for it)

    def line(self):
        reasons = ", ".join(f"{code.value} {count}" for code, count in self.reasons)
        return (f"Screening closed: {self.eligible} eligible, {self.rejected} rejected ({reasons}); "
                f"2 corrections asked (1 answered), 2 appeals (1 upheld, 1 dismissed).")


def screen_demo_call(competition, screener, manager, email_domain, now=None):
    """Moves the open demo call into the past and screens its pool: `screener` decides, `manager`
    decides the appeals and closes screening. In the current transaction; the caller commits."""
    now = now or utcnow()
    pool = {EMAIL.format(profile.index, email_domain): profile for profile in profiles(reference_date(competition))}
    _move_history_back(competition)
    applications_ = db.session.execute(
        sa.select(Application).where(Application.competition_id == competition.id,
                                     Application.status == ApplicationStatus.SUBMITTED)
        .order_by(Application.serial, Application.id)
    ).scalars().all()
    plan = _plan(competition, applications_, pool)
    day_one = almaty_to_utc(datetime.combine(utc_to_almaty(competition.closes_at).date() + timedelta(days=1),
                                             time(10, 0)))
    with url_context():
        moment = day_one
        for application in applications_:
            reasons, role = plan[application.id]
            if role == "correction_answered":
                _correction_answered(application, screener, moment, day_one)
            elif role == "correction_unanswered":
                _correction_unanswered(application, screener, moment, day_one)
            elif reasons:
                _stamped(application, moment, lambda a=application, r=reasons: screening.reject(
                    a, screener, a.state_version, r, _message(r)))
                if role in ("appeal_upheld", "appeal_dismissed"):
                    _appeal(application, manager, role == "appeal_upheld", day_one)
            else:
                _stamped(application, moment, lambda a=application: _eligible(a, screener))
            moment += STEP
        close_screening(competition, manager, now=now)
    summary = screening_summary(competition)
    return ScreenedDemo(eligible=len(summary.eligible), rejected=len(summary.rejected), reasons=summary.reasons)


# --- who gets what --------------------------------------------------------------------------

def _plan(competition, applications_, pool):
    """application id -> (reason codes, role in the story)."""
    on = reference_date(competition)
    strata = {stratum.region_code for stratum in competition.strata}
    plan = {}
    for application in applications_:
        profile = pool[application.applicant.email]
        reasons = []
        if not competition.age_min <= age_on(application.birth_date, on) <= competition.age_max:
            reasons.append(ReasonCode.AGE)
        if application.region_code not in strata:
            reasons.append(ReasonCode.OTHER)
        if profile.registered_elsewhere:
            reasons.append(ReasonCode.NO_REGISTRATION_PROOF)
        if profile.wrong_neet_evidence:
            reasons.append(ReasonCode.NO_NEET_EVIDENCE)
        if profile.note.startswith("same name and birth date"):
            reasons.append(ReasonCode.DUPLICATE)
        if application.budget_total > competition.grant_cap:
            reasons.append(ReasonCode.BUDGET_OVER_CAP)
        plan[application.id] = (reasons, None)

    def first(condition):
        return next(a for a in applications_ if condition(a, plan[a.id][0]))

    # Two ordinary applicants are asked to correct a scan: one in Almaty answers, one in Mangystau
    # does not. The Mangystau student certificate is rejected, then upheld on appeal; the first
    # applicant over the age limit appeals in vain.
    answered = first(lambda a, r: not r and a.region_code == "ALA")
    unanswered = first(lambda a, r: not r and a.region_code == "MAN")
    upheld = first(lambda a, r: r == [ReasonCode.NO_NEET_EVIDENCE] and a.region_code == "MAN")
    dismissed = first(lambda a, r: r == [ReasonCode.AGE] and age_on(a.birth_date, on) > competition.age_max)
    plan[answered.id] = ([], "correction_answered")
    plan[unanswered.id] = ([ReasonCode.INCOMPLETE], "correction_unanswered")
    plan[upheld.id] = (plan[upheld.id][0], "appeal_upheld")
    plan[dismissed.id] = (plan[dismissed.id][0], "appeal_dismissed")
    return plan


def _message(reasons):
    return "\n".join(REJECTION_MESSAGES[code] for code in reasons)


# --- the story of the special applications --------------------------------------------------

def _correction_answered(application, screener, moment, day_one):
    deadline = _at(day_one, 3, time(18, 0))
    decision = _stamped(application, moment, lambda: screening.request_correction(
        application, screener, application.state_version, CORRECTION_REQUESTS["answered"], CORRECTION_STEPS,
        utcnow() + timedelta(days=3)))
    applicant = application.applicant
    proof = next(d for d in application.documents if d.doc_type is DocumentType.REGISTRATION_PROOF)

    def answer():
        applications.replace_document(proof, _stand_in(FULL_ADDRESS_PROOF, application, application.address),
                                      applicant)
        resubmit(application, applicant)

    resubmitted_at = _at(day_one, 1, time(15, 40))
    _stamped(application, resubmitted_at, answer)
    application.snapshot = application.snapshot | {"resubmitted_at": _iso(resubmitted_at)}
    application.snapshot_sha256 = sha256_hex(canonical_json(application.snapshot))
    decision.correction_deadline = deadline
    _stamped(application, _at(day_one, 2, time(11, 15)), lambda: _eligible(application, screener))


def _eligible(application, screener):
    """The screener reviews every check after looking at the documents, then decides eligible
    (the decision follows the checks): the automatic results are confirmed, except the possible
    duplicates that the story explains (the first of a repeated person, relatives sharing a phone),
    which are overridden with a comment."""
    for reviewed in checks_of(application):
        ok = reviewed.check.ok is True
        comment = "" if ok else DUPLICATE_OVERRIDES[reviewed.check.evidence["matches"][0]["kind"]]
        review_check(application, screener, application.state_version, reviewed.code, True, comment)
    return screening.decide_eligible(application, screener, application.state_version)


def _correction_unanswered(application, screener, moment, day_one):
    decision = _stamped(application, moment, lambda: screening.request_correction(
        application, screener, application.state_version, CORRECTION_REQUESTS["unanswered"], CORRECTION_STEPS,
        utcnow() + timedelta(days=3)))
    decision.correction_deadline = _at(day_one, 3, time(18, 0))
    _stamped(application, _at(day_one, 4, time(10, 30)), lambda: screening.reject(
        application, screener, application.state_version, [ReasonCode.INCOMPLETE],
        REJECTION_MESSAGES[ReasonCode.INCOMPLETE]))


def _appeal(application, manager, uphold, day_one):
    applicant = application.applicant
    submitted_at = _at(day_one, 1, time(19, 5))
    story = APPEALS["upheld" if uphold else "dismissed"]
    files = [_stand_in(document, application) for document in APPEAL_EVIDENCE] if uphold else []
    appeal = _stamped(application, submitted_at, lambda: submit_appeal(
        application, applicant, story["text"], files, now=submitted_at))
    _stamped(application, _at(day_one, 3, time(12, 0)), lambda: decide_appeal(
        appeal, manager, uphold, story["decision"], application.state_version))


# --- dates ----------------------------------------------------------------------------------

def _move_history_back(competition):
    """Moves the window, and every application of the call with what happened to it, back by
    HISTORY_SHIFT: the window is then over, and each submission still lies inside it."""
    # History rewritten for the demo, not a manager's change: the window is locked once open.
    competition.opens_at -= HISTORY_SHIFT
    competition.closes_at -= HISTORY_SHIFT
    found = db.session.execute(
        sa.select(Application).where(Application.competition_id == competition.id)).scalars().all()
    for application in found:
        application.created_at -= HISTORY_SHIFT
        application.applicant.created_at -= HISTORY_SHIFT
        application.applicant.email_confirmed_at -= HISTORY_SHIFT
        for row in application.events:
            row.at -= HISTORY_SHIFT
        for row in application.documents:
            row.uploaded_at -= HISTORY_SHIFT
        if application.submitted_at is not None:
            application.submitted_at -= HISTORY_SHIFT
            application.consent_at -= HISTORY_SHIFT
            application.snapshot = application.snapshot | {
                "submitted_at": _iso(application.submitted_at), "consent_at": _iso(application.consent_at)}
            application.snapshot_sha256 = sha256_hex(canonical_json(application.snapshot))
        if application.withdrawn_at is not None:
            application.withdrawn_at -= HISTORY_SHIFT
    db.session.flush()
    db.session.expire_all()
    record(None, "demo.history_moved_back", {"competition": competition.id, "days": HISTORY_SHIFT.days})


def _stamped(application, moment, step):
    """Runs `step` and dates at `moment` what it wrote about the application (its status steps,
    decisions, appeal and documents); returns what the step returned."""
    since = utcnow()
    result = step()
    db.session.flush()
    application_id = application.id
    for column in (ApplicationEvent.at, ApplicationDocument.uploaded_at, ScreeningDecision.decided_at):
        db.session.execute(sa.update(column.class_).where(column.class_.application_id == application_id,
                                                          column >= since).values({column.key: moment}))
    for column in (Appeal.submitted_at, Appeal.decided_at):
        db.session.execute(sa.update(Appeal).where(Appeal.application_id == application_id, column >= since)
                           .values({column.key: moment}))
    db.session.expire_all()
    return result


def _at(day_one, days_after, wall_clock):
    """A moment (naive UTC) at `wall_clock` Almaty time, `days_after` days after `day_one`."""
    return almaty_to_utc(datetime.combine(utc_to_almaty(day_one).date() + timedelta(days=days_after), wall_clock))


def _iso(moment):
    return moment.isoformat() + "+00:00"


def _stand_in(document, application, address=None):
    full_name = " ".join(filter(None, (application.last_name, application.first_name, application.patronymic)))
    return stand_in(document, full_name, application.iin, address=address)
