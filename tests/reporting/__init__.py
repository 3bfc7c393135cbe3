"""Builders for the reporting tests: a call after its whole cycle, row by row (applications of
every outcome, grants, contracts, payments, mentors and meetings, visits, final reports, surveys,
the office log), sized by its number of winners, and the objects the permission walk needs."""
from datetime import date, datetime, timedelta

from app.applications.models import Application, ApplicationDocument, ApplicationStatus
from app.auth.models import Role, User, UserRole
from app.competitions.models import DocumentType
from app.contracts.models import Contract, Grant, GrantStatus, SignatureKind
from app.extensions import db
from app.final_reports.models import FinalReport, ReportStatus
from app.kz.iin import Sex
from app.mentoring.models import (CandidateStatus, Education, Meeting, MeetingFormat, MeetingStatus, MentorAssignment,
                                  MentorCandidate)
from app.monitoring.models import MonitoringGroup, PlannedVisit, Visit, VisitRating
from app.office_log.models import Channel, Consultation, EventKind, InfoEvent, Topic
from app.payments.models import PaymentRequest, PaymentStatus
from app.reporting import plan
from app.reporting.models import PlanTask
from app.screening.models import CheckReview, DecisionOutcome, ScreeningDecision
from app.surveys.models import SurveyInvitation, SurveyStage
from tests import factories
from tests.payments import make_bin, make_supplier

S = ApplicationStatus
# What the applications after the winners become, in turn.
OTHERS = (S.RESERVE, S.NOT_SELECTED, S.REJECTED, S.REJECTED, S.WITHDRAWN, S.SUBMITTED, S.CORRECTION_REQUESTED,
          S.APPEALED, S.REJECTED, S.WITHDRAWN)
REASONS = (["age"], ["no_neet_evidence", "no_registration_proof"], ["duplicate"], ["other"])
CATEGORIES = (["unemployed_registered"], ["rural", "low_income"], [], ["disability", "young_parent"], ["large_family"])
DISTRICTS = {"ALA": ("ALA-ALMALY", "ALA-BOSTANDYK", "ALA-AUEZOV"), "MAN": ("MAN-AKTAU", "MAN-ZHANAOZEN"),
             "AST": (None,)}
DAY = date(2025, 11, 3)
_counter = iter(range(10**6))


def _user(prefix, role=Role.APPLICANT):
    user = User(email=f"{prefix}-{next(_counter)}@example.kz", password_hash="!", locale="ru",
                role_links=[UserRole(role=role)])
    db.session.add(user)
    return user


def _file():
    serial = next(_counter)
    return {"stored_name": f"{serial:032d}.pdf", "original_name": "file.pdf", "kind": "pdf", "sha256": "0" * 64,
            "size": 1}


def _decision(application, staff, outcome, reasons=(), at=None):
    db.session.add(ScreeningDecision(
        application_id=application.id, outcome=outcome, reasons=list(reasons), decided_by_id=staff.id,
        correction_deadline=datetime(2025, 10, 30) if outcome is DecisionOutcome.CORRECTION_REQUESTED else None,
        decided_at=at or datetime(2025, 10, 25)))


def _application(competition, staff, index, status):
    region = "AST" if index % 17 == 16 else ("MAN" if index % 3 == 2 else "ALA")
    applicant = _user("applicant")
    db.session.flush()
    application = Application(
        competition_id=competition.id, applicant_id=applicant.id, status=status,
        number=f"{competition.code}-{index + 1:04d}", region_code=region,
        district_code=DISTRICTS[region][index % len(DISTRICTS[region])],
        sex=Sex.FEMALE if index % 3 else Sex.MALE, birth_date=date(1990 + index % 18, 1 + index % 12, 1 + index % 27),
        not_working=index % 11 != 10, not_studying=True, not_in_training=index % 13 != 12,
        social_categories=CATEGORIES[index % len(CATEGORIES)], project_title=f"Проект {index + 1}",
        submitted_at=datetime(2025, 10, 10) + timedelta(hours=index))
    db.session.add(application)
    db.session.flush()
    if index % 7 != 6:
        db.session.add(ApplicationDocument(application_id=application.id, doc_type=DocumentType.NEET_EVIDENCE,
                                           **_file()))
    db.session.add(CheckReview(application_id=application.id, code="documents", automatic_ok=True,
                               passes=index % 5 != 4, comment="" if index % 5 != 4 else "Справка не читается",
                               reviewer_id=staff.id))
    return application


def _screen(application, staff, index):
    """The decisions behind the application's status, the latest one standing."""
    status = application.status
    if status is S.SUBMITTED:
        return
    if index % 4 == 1:  # a correction first, then the decision
        _decision(application, staff, DecisionOutcome.CORRECTION_REQUESTED, at=datetime(2025, 10, 23))
    if status is S.CORRECTION_REQUESTED:
        _decision(application, staff, DecisionOutcome.CORRECTION_REQUESTED)
    elif status in (S.REJECTED, S.APPEALED):
        _decision(application, staff, DecisionOutcome.REJECTED, REASONS[index % len(REASONS)])
    elif status is S.WITHDRAWN and index % 2:
        _decision(application, staff, DecisionOutcome.ELIGIBLE)
    elif status is not S.WITHDRAWN:
        _decision(application, staff, DecisionOutcome.ELIGIBLE)


def make_cycle(grants=5, code="RP25"):
    """A call whose `grants` winners each got a grant, after the whole cycle; returns the call."""
    man_quota = max(1, grants // 3)
    competition = factories.make_competition(code=code, strata=(("ALA", grants - man_quota, DISTRICTS["ALA"]),
                                                                ("MAN", man_quota, ())))
    staff, mentor_users = _user("staff", Role.MANAGER), [_user("mentor", Role.MENTOR) for _ in range(3)]
    db.session.flush()
    statuses = [S.WINNER] * grants + [OTHERS[i % len(OTHERS)] for i in range(2 * grants + 3)]
    applications = [_application(competition, staff, index, status) for index, status in enumerate(statuses)]
    for index, application in enumerate(applications):
        _screen(application, staff, index)
    draft = Application(competition_id=competition.id, applicant_id=staff.id, region_code="ALA", sex=Sex.MALE)
    db.session.add(draft)
    supplier = make_supplier(bin_iin=make_bin(serial=next(_counter)))
    group = MonitoringGroup(name=f"Group {code}", region_code="ALA")
    candidates = [_candidate(competition, user, CandidateStatus.SELECTED) for user in mentor_users]
    candidates.append(_candidate(competition, None, CandidateStatus.SCORED))
    db.session.add_all([group, *candidates])
    db.session.flush()
    for index, application in enumerate(applications[:grants]):
        _grant(competition, application, index, staff, supplier, group, candidates[index % 3])
    _surveys(competition, applications)
    _office(competition, staff)
    db.session.commit()
    return competition


def _candidate(competition, user, status):
    selected = status is CandidateStatus.SELECTED
    return MentorCandidate(
        competition_id=competition.id, full_name="Ментор", email=f"m{next(_counter)}@example.kz",
        phone="+77011234567", locale="ru", region_code="ALA", years_experience=5, project_experience="Проекты",
        education=Education.HIGHER, mobile=True, cv_stored_name=f"{next(_counter):032d}.pdf", cv_original_name="cv.pdf",
        cv_sha256="0" * 64, cv_size=1, consent_at=datetime(2025, 10, 1), status=status, score_total=80,
        user_id=user.id if selected else None, selected_at=datetime(2025, 10, 20) if selected else None)


GRANT_STATUSES = (GrantStatus.COMPLETED, GrantStatus.COMPLETED, GrantStatus.REPORTING, GrantStatus.ACTIVE,
                  GrantStatus.COMPLETED, GrantStatus.REPORTING, GrantStatus.CONTRACTING)


def _grant(competition, application, index, staff, supplier, group, mentor):
    status = GrantStatus.TERMINATED if index == 3 else GRANT_STATUSES[index % 7]
    grant = Grant(application_id=application.id, competition_id=competition.id, number=f"{competition.code}-G-{index + 1:04d}",
                  amount=1_000_000 - 10_000 * (index % 4), status=status,
                  terminated_reason="Отказался" if status is GrantStatus.TERMINATED else None)
    db.session.add(grant)
    db.session.flush()
    signed = status is not GrantStatus.CONTRACTING
    if index % 6 == 1:  # an earlier version, signed and then superseded
        db.session.add(_contract(grant, 1, signed=True, superseded=True))
    db.session.add(_contract(grant, 2, signed=signed, superseded=False))
    for number, (total, payment_status, day) in enumerate(
            ((300_000, PaymentStatus.PAID, DAY + timedelta(days=index)),
             (200_000 + index, PaymentStatus.APPROVED if index % 2 else PaymentStatus.PAID, DAY + timedelta(days=40)),
             (50_000, PaymentStatus.SUBMITTED, None), (70_000, PaymentStatus.REJECTED, None))):
        db.session.add(_payment(grant, supplier, staff, number, total, payment_status, day))
    if index % 5 != 4:
        db.session.add(MentorAssignment(grant_id=grant.id, candidate_id=mentor.id))
        for month in range(1 + index % 3):
            disputed = index == 2 and month == 1
            db.session.add(Meeting(
                grant_id=grant.id, mentor_id=mentor.user_id, held_on=DAY + timedelta(days=30 * month),
                format=MeetingFormat.ONLINE, topics="Закупки", answered_at=datetime(2025, 12, 1),
                status=MeetingStatus.DISPUTED if disputed else MeetingStatus.CONFIRMED,
                grantee_comment="Не было встречи" if disputed else None))
    if index % 4 != 3:
        db.session.add(PlannedVisit(grant_id=grant.id, group_id=group.id, planned_on=DAY + timedelta(days=20)))
    for visit in range(index % 3):
        db.session.add(Visit(grant_id=grant.id, group_id=group.id, visited_on=DAY + timedelta(days=20 + 15 * visit),
                             findings="Всё на месте", rating=VisitRating.GOOD))
    _report(grant, index)


def _contract(grant, version, signed, superseded):
    moment = datetime(2025, 11, 1)
    signature = {"signature_kind": SignatureKind.SCAN, "signature_stored_name": f"{next(_counter):032d}.pdf",
                 "signature_sha256": "0" * 64, "signature_uploaded_at": moment, "confirmed_at": moment,
                 "countersigned_at": moment} if signed else {}
    return Contract(grant_id=grant.id, version=version, pdf=b"%PDF", sha256="0" * 64, issued_at=moment,
                    signing_deadline=moment + timedelta(days=10), superseded_at=moment if superseded else None,
                    **signature)


def _payment(grant, supplier, staff, number, total, status, day):
    committed = status in (PaymentStatus.APPROVED, PaymentStatus.PAID)
    paid = status is PaymentStatus.PAID
    at = datetime.combine(day, datetime.min.time()) + timedelta(hours=6) if day else None
    return PaymentRequest(
        grant_id=grant.id, supplier_id=supplier.id, invoice_number=f"СФ-{number}", invoice_date=DAY, total=total,
        status=status, message="Не тот поставщик" if status is PaymentStatus.REJECTED else None, **_file(),
        approved_at=at if committed else None, approved_by_id=staff.id if committed else None,
        paid_at=at if paid else None, order_number=f"ПП-{number}" if paid else None, order_date=day if paid else None)


def _report(grant, index):
    status = {GrantStatus.COMPLETED: ReportStatus.ACCEPTED, GrantStatus.REPORTING: (
        ReportStatus.SUBMITTED, ReportStatus.RETURNED)[index % 2]}.get(grant.status)
    if status is None:
        if grant.status is GrantStatus.ACTIVE:
            db.session.add(FinalReport(grant_id=grant.id, work_done="Черновик"))
        return
    people = 40 + index
    ages = [index % 5, 10, 10, 10, 5, 5, index - index % 5]  # they add up to `people`
    db.session.add(FinalReport(
        grant_id=grant.id, status=status, work_done="Сделано", beneficiaries=people, female=people // 2 + 3,
        male=people - people // 2 - 3, age_13_16=ages[0], age_17_22=ages[1], age_23_27=ages[2], age_28_32=ages[3],
        age_33_45=ages[4], age_46_58=ages[5], age_59_plus=ages[6], submitted_at=datetime(2025, 12, 10),
        comments="Добавьте фото" if status is ReportStatus.RETURNED else None,
        accepted_at=datetime(2025, 12, 15) if status is ReportStatus.ACCEPTED else None,
        consent_to_publish=index % 2 == 0, story_situation=f"До проекта {index}", story_action="Купила оборудование",
        story_result=f"Итог {index}", story_quote="Спасибо!", story_quote_by="Участница"))


def _surveys(competition, applications):
    for index, application in enumerate(applications):
        for stage in (SurveyStage.APPLICATION, SurveyStage.SCREENING)[:1 + index % 2]:
            score = None if index % 4 == 3 else 1 + (index * 3 + len(stage.value)) % 5
            db.session.add(SurveyInvitation(
                competition_id=competition.id, stage=stage, person_id=application.applicant_id,
                application_id=application.id, token_sha256=f"{next(_counter):064d}",
                expires_at=datetime(2026, 1, 1), score=score,
                answered_at=datetime(2025, 11, 1) if score is not None else None))


def _office(competition, staff):
    channels = list(Channel)
    for index in range(23):
        db.session.add(Consultation(
            competition_id=competition.id if index % 6 else None, channel=channels[index % 3 * (index % 2 + 1) % 5],
            topic=Topic.APPLYING, occurred_at=datetime(2025, 10, 1) + timedelta(days=index * 3, hours=5),
            operator_id=staff.id, note=""))
    for index, kind in enumerate((EventKind.OPEN_DAY, EventKind.OPEN_DAY, EventKind.BRIEFING, EventKind.MASTER_SESSION)):
        db.session.add(InfoEvent(competition_id=competition.id, kind=kind, held_on=DAY + timedelta(days=10 * index),
                                 place="Актау", participants=10 + index, created_by_id=staff.id))


def reporting_url_values(call):
    """A task with an activity of `call`'s plan, for the permission walk's URL variables."""
    task = PlanTask(competition_id=call.id, position=1, title_ru="Задача", title_kk="Міндет")
    db.session.add(task)
    db.session.flush()
    activity = plan.add_activity(task, {"activity_ru": "Мероприятие"}, None)
    db.session.commit()
    return {"task_id": task.id, "activity_id": activity.id, "fmt": "pdf"}
