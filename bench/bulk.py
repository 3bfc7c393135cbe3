"""Submitted and screened applications added to a call in bulk, for the benchmarks' databases.

The people come from the demo's generator (app/demo/applications.py: names, valid IINs, phones,
districts, projects and budgets whose suppliers the demo's grants know); each gets a confirmed
applicant account, an application submitted inside the window (more of them near the deadline),
with its snapshot made by the real `snapshot_of`, three documents written to the upload folder
(an identity card as a JPEG photo for a third of them, PDFs otherwise) with their SHA-256, its
timeline, the screener's review of the six checks and the decision: eligible, or rejected for a
reason the data shows (outside the strata, age, budget over the cap) or the documents do (NEET
evidence, registration proof, incomplete). Rows go in with multi-row INSERTs, a batch at a time:
no request, no mail, no audit entry per application (the caller records one for the whole lot)."""
import random
import secrets
from dataclasses import astuple, dataclass
from datetime import timedelta

import sqlalchemy as sa

from app import storage
from app.applications.eligibility import failing_codes
from app.applications.models import (Application, ApplicationDocument, ApplicationEvent, ApplicationStatus,
                                     BudgetLine)
from app.applications.submission import snapshot_of
from app.audit.chain import canonical_json, sha256_hex
from app.auth.models import Role, User, UserRole
from app.competitions.models import DocumentType
from app.competitions.services import reference_date
from app.demo.applications import _birth_for_age, _iin, _ordinary, _over_cap
from app.demo.data import OUTSIDE_STRATA, REJECTION_MESSAGES
from app.demo.office_log import AFTER_CLOSING, CHANNELS, PHASES, REGIONS
from app.demo.surveys import ANSWERING, REJECTED
from app.extensions import db
from app.office_log.models import Consultation
from app.screening.checks import CHECK_CODES
from app.screening.models import CheckReview, DecisionOutcome, ReasonCode, ScreeningDecision
from app.surveys.invitations import SURVEY_DAYS
from app.surveys.models import SurveyInvitation, SurveyStage
from bench import files

BATCH = 2000
SCREENING_DAYS = 10  # the decisions are spread over the days after the deadline
EMAIL = "bench{:06d}@bench.zhasproject.kz"
R = ReasonCode
# Rejections per 1,000 applications: (reason, the check that shows it, whether the automatic check saw it).
REJECTIONS = (
    (40, R.OTHER, "region", True),  # registered outside the strata
    (30, R.AGE, "age", True),
    (15, R.BUDGET_OVER_CAP, "budget", True),
    (50, R.NO_NEET_EVIDENCE, "documents", False),  # the screener read the evidence
    (30, R.NO_REGISTRATION_PROOF, "documents", False),
    (15, R.INCOMPLETE, "documents", False),
)
del R
TOLD = (ApplicationStatus.ELIGIBLE, ApplicationStatus.REJECTED)  # screening's outcome, told to the applicant
DOCUMENT_NAMES = {
    DocumentType.IDENTITY: "udostoverenie",
    DocumentType.REGISTRATION_PROOF: "adresnaya_spravka",
    DocumentType.NEET_EVIDENCE: "spravka_czn",
}


@dataclass(frozen=True)
class Bulk:
    applications: int
    eligible: int
    documents: int
    document_bytes: int


@dataclass
class _Making:
    """What every batch of one call's applications draws on."""

    competition: object
    on: object  # the call's reference date for ages
    rng: random.Random
    serials: random.Random  # the IINs' serial digits
    taken: set  # IINs given
    screener: object
    password_hash: str
    decided_from: object  # the first moment of the decisions


def add_applications(competition, count, screener, password_hash, seed=2026):
    """Adds `count` applications to `competition` (its window in the past), screened by
    `screener`, their applicants' accounts logging in with the password of `password_hash`.
    In the current transaction; the caller commits."""
    making = _Making(
        competition, reference_date(competition), random.Random(seed), random.Random(seed + 1),
        set(db.session.scalars(sa.select(Application.iin).where(Application.iin.is_not(None)))), screener,
        password_hash, competition.closes_at + timedelta(days=1, hours=4))
    first = (db.session.scalar(sa.select(sa.func.max(Application.submitted_at))
                               .where(Application.competition_id == competition.id)) or competition.opens_at)
    span = (competition.closes_at - first).total_seconds() - 120
    # More and more submissions as the deadline nears: the density grows linearly to it.
    moments = sorted(first + timedelta(seconds=60 + span * making.rng.random() ** 0.5) for _ in range(count))
    number = competition.last_application_number
    made = []
    for start in range(0, count, BATCH):
        made.append(_batch(making, moments[start:start + BATCH], number))
        number += made[-1].applications
    db.session.execute(sa.update(type(competition)).where(type(competition).id == competition.id)
                       .values(last_application_number=number))
    db.session.expire(competition)
    return Bulk(*(sum(column) for column in zip(*(astuple(batch) for batch in made))))


def _batch(making, moments, number):
    """The applications numbered from `number` + 1, submitted at `moments`, with all they hold."""
    competition, rng, screener = making.competition, making.rng, making.screener
    people = [_person(rng, making.serials, number + n + 1, making.on, making.taken) for n in range(len(moments))]
    user_ids = db.session.scalars(sa.insert(User).returning(User.id, sort_by_parameter_order=True), [
        {"email": EMAIL.format(number + n + 1), "password_hash": making.password_hash, "phone": profile.phone,
         "locale": profile.locale, "active": True, "session_version": 1,
         "email_confirmed_at": moment - timedelta(days=2), "created_at": moment - timedelta(days=2)}
        for n, ((profile, _rejection), moment) in enumerate(zip(people, moments))]).all()
    db.session.execute(sa.insert(UserRole), [{"user_id": user_id, "role": Role.APPLICANT} for user_id in user_ids])

    folder = storage.upload_folder()
    rows, children, stored = [], [], 0
    for n, ((profile, rejection), moment, user_id) in enumerate(zip(people, moments, user_ids)):
        ticket = f"{competition.code}-{number + n + 1:04d}"
        lines = [{"position": position, "item": item, "quantity": quantity, "unit_price": price, "supplier": supplier}
                 for position, (item, quantity, price, supplier) in enumerate(profile.budget, 1)]
        documents = []
        for kind_n, doc_type in enumerate(DOCUMENT_NAMES):
            data, kind = _document(doc_type, ticket, profile, n + kind_n)
            name = f"{secrets.token_hex(16)}.{storage.KINDS[kind].extension}"
            (folder / name).write_bytes(data)
            stored += len(data)
            documents.append({"doc_type": doc_type, "stored_name": name, "kind": kind, "size": len(data),
                              "original_name": f"{DOCUMENT_NAMES[doc_type]}.{storage.KINDS[kind].extension}",
                              "sha256": files.sha256(data), "uploaded_at": moment - timedelta(hours=1 + kind_n)})
        values = _values(competition, profile, ticket, moment, user_id, rejection)
        application = Application(**values, competition=competition,
                                  applicant=User(email=EMAIL.format(number + n + 1)),
                                  budget_lines=[BudgetLine(**line) for line in lines],
                                  documents=[ApplicationDocument(**document) for document in documents])
        values["snapshot"] = snapshot_of(application)
        # What the model keeps with each row (its validators and flush hook do not run for INSERTs).
        values["serial"], values["name_key"] = application.serial, application.name_key
        values["failed_checks"] = failing_codes(application)
        values["snapshot_sha256"] = sha256_hex(canonical_json(values["snapshot"]))
        decided = making.decided_from + timedelta(minutes=rng.randint(0, SCREENING_DAYS * 24 * 60))
        values["updated_at"] = decided
        rows.append(values)
        children.append((lines, documents, rejection, decided, user_id))
    application_ids = db.session.scalars(
        sa.insert(Application).returning(Application.id, sort_by_parameter_order=True), rows).all()

    tables = {BudgetLine: [], ApplicationDocument: [], ApplicationEvent: [], ScreeningDecision: [], CheckReview: []}
    for application_id, (lines, documents, rejection, decided, user_id), row in zip(application_ids, children, rows):
        tables[BudgetLine] += [line | {"application_id": application_id} for line in lines]
        tables[ApplicationDocument] += [document | {"application_id": application_id, "appeal_id": None}
                                        for document in documents]
        message = REJECTION_MESSAGES[rejection[1]] if rejection else None
        tables[ApplicationEvent] += [
            {"application_id": application_id, "status": ApplicationStatus.SUBMITTED, "at": row["submitted_at"],
             "actor_id": user_id, "message": None},
            {"application_id": application_id, "status": row["status"], "at": decided, "actor_id": screener.id,
             "message": message}]
        tables[ScreeningDecision].append({
            "application_id": application_id, "reasons": [rejection[1].value] if rejection else [],
            "outcome": DecisionOutcome.REJECTED if rejection else DecisionOutcome.ELIGIBLE,
            "message": message or "", "correction_steps": [], "correction_deadline": None, "on_appeal": False,
            "decided_by_id": screener.id, "decided_at": decided})
        tables[CheckReview] += [_review(application_id, code, rejection, screener, decided) for code in CHECK_CODES]
    for model, table_rows in tables.items():
        db.session.execute(sa.insert(model), table_rows)
    eligible = sum(1 for row in rows if row["status"] is ApplicationStatus.ELIGIBLE)
    return Bulk(len(rows), eligible, len(tables[ApplicationDocument]), stored)


def _person(rng, serials, index, on, taken):
    """(a demo Profile, its rejection or None)."""
    rejection = _rejection(rng)
    code = rejection[2] if rejection else None
    if code == "region":
        region, address = rng.choice(OUTSIDE_STRATA)
        profile = _ordinary(rng, serials, index, on, region, None, taken)
        profile.address = address
    else:
        profile = _ordinary(rng, serials, index, on, "ALA" if rng.random() < 0.62 else "MAN", None, taken)
    if code == "age":
        profile.birth_date = _birth_for_age(rng, on, rng.randint(36, 39))
        profile.iin = _iin(serials, profile.birth_date, profile.sex, taken)
    elif code == "budget":
        profile.budget = _over_cap(profile.budget, 1_000_000 + rng.randint(1, 40) * 5_000)
    return profile, rejection


def _rejection(rng):
    """(share, ReasonCode, check code, seen automatically), or None for an eligible application."""
    draw = rng.randrange(1000)
    for rejection in REJECTIONS:
        if draw < rejection[0]:
            return rejection
        draw -= rejection[0]
    return None


def _document(doc_type, ticket, profile, n):
    """The file's bytes and kind: a third of the identity documents are phone photos."""
    if doc_type is DocumentType.IDENTITY and n % 3 == 0:
        return files.identity_photo(ticket, profile.iin, n), "jpeg"
    title = {DocumentType.IDENTITY: "Identity card", DocumentType.REGISTRATION_PROOF: "Address certificate",
             DocumentType.NEET_EVIDENCE: "Employment centre certificate"}[doc_type]
    return files.pdf(f"{title} {ticket}", [f"IIN {profile.iin}", f"Born {profile.birth_date:%d.%m.%Y}",
                                           f"Region {profile.region_code} {profile.district_code or ''}"]), "pdf"


def _values(competition, profile, ticket, moment, user_id, rejection):
    status = ApplicationStatus.REJECTED if rejection else ApplicationStatus.ELIGIBLE
    return {
        "competition_id": competition.id, "applicant_id": user_id, "status": status, "number": ticket,
        "iin": profile.iin, "last_name": profile.last_name, "first_name": profile.first_name,
        "patronymic": profile.patronymic, "phone": profile.phone, "birth_date": profile.birth_date,
        "sex": profile.sex, "region_code": profile.region_code, "district_code": profile.district_code,
        "address": profile.address, "not_working": True, "not_studying": True, "not_in_training": True,
        "situation": profile.situation, "social_categories": profile.social_categories,
        "project_title": profile.project.title, "problem": profile.project.problem, "goal": profile.project.goal,
        "target_group": profile.project.target_group, "activities": profile.project.activities,
        "beneficiaries_count": profile.beneficiaries, "consent_at": moment, "submitted_iin": profile.iin,
        "submitted_at": moment, "withdrawn_at": None, "assigned_screener_id": None, "state_version": 2,
        "created_at": moment - timedelta(days=2),
    }


def _review(application_id, code, rejection, screener, decided):
    failing = rejection is not None and rejection[2] == code
    automatic_ok = not (failing and rejection[3])
    return {"application_id": application_id, "code": code, "automatic_ok": automatic_ok, "passes": not failing,
            "comment": REJECTION_MESSAGES[rejection[1]] if failing and automatic_ok else "",
            "reviewer_id": screener.id, "reviewed_at": decided - timedelta(minutes=2)}


# --- what follows the applications: questions to the office, survey answers ------------------

def add_consultations(competition, count, operators, seed=2027):
    """`count` consultations logged by `operators` in turn, from a week before the window opens to
    a month after it closes, most while it is open (as in the demo's log, whose weights it takes).
    In the current transaction; the caller commits."""
    rng = random.Random(seed)
    opens, closes = competition.opens_at - timedelta(days=7), competition.closes_at
    rows = []
    for n in range(count):
        open_phase = rng.random() < PHASES[0][0] / (PHASES[0][0] + PHASES[1][0])
        first, last = (opens, closes) if open_phase else (closes, closes + AFTER_CLOSING)
        at = first + (last - first) * rng.random()
        topics = PHASES[0 if open_phase else 1][1]
        rows.append({
            "competition_id": competition.id, "occurred_at": at, "logged_at": at + timedelta(minutes=rng.randint(1, 5)),
            "channel": rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0],
            "topic": rng.choices(list(topics), weights=list(topics.values()))[0],
            "region_code": rng.choices(list(REGIONS), weights=list(REGIONS.values()))[0], "note": "",
            "operator_id": operators[n % len(operators)].id})
    for start in range(0, count, BATCH * 5):
        db.session.execute(sa.insert(Consultation), rows[start:start + BATCH * 5])
    return count


def add_survey_answers(competition, seed=2028):
    """The application and screening surveys of the bulk applications (those with no invitation
    yet), answered by the share and with the scores of the demo's applicants. In the current
    transaction; the caller commits."""
    rng = random.Random(seed)
    invited = sa.select(SurveyInvitation.application_id)
    told = (sa.select(ApplicationEvent.at).where(ApplicationEvent.application_id == Application.id,
                                                 ApplicationEvent.status.in_(TOLD)).limit(1).scalar_subquery())
    people = db.session.execute(
        sa.select(Application.id, Application.applicant_id, Application.status, Application.submitted_at,
                  told.label("told"))
        .where(Application.competition_id == competition.id, Application.submitted_at.is_not(None),
               Application.id.not_in(invited))).all()
    rows = []
    for person in people:
        for stage, at in ((SurveyStage.APPLICATION, person.submitted_at), (SurveyStage.SCREENING, person.told)):
            if at is None:
                continue
            group = REJECTED if stage is SurveyStage.SCREENING and person.status is ApplicationStatus.REJECTED \
                else ANSWERING[stage]
            answered = rng.random() < group.response
            rows.append({
                "competition_id": competition.id, "stage": stage, "person_id": person.applicant_id,
                "application_id": person.id, "grant_id": None, "token_sha256": secrets.token_hex(32),
                "invited_at": at, "expires_at": at + timedelta(days=SURVEY_DAYS),
                "answered_at": at + timedelta(minutes=rng.randint(90, 72 * 60)) if answered else None,
                "score": rng.choices(range(1, 6), weights=group.weights)[0] if answered else None,
                "comment": None})
    for start in range(0, len(rows), BATCH * 5):
        db.session.execute(sa.insert(SurveyInvitation), rows[start:start + BATCH * 5])
    return len(rows)
