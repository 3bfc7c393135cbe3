"""Builders for the mentoring tests: candidates through the public form's service, a pool selected
by staff, grants with signed contracts sharing one call, and the objects the permission walk needs."""
from datetime import date, timedelta

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.auth.services import hash_password
from app.dbtypes import utcnow
from app.extensions import db
from app.mentoring import candidates
from app.mentoring.models import CandidateStatus, Education, Meeting, MeetingFormat, MentorCandidate
from tests import factories
from tests.payments import make_signed_grant, make_staff

SCORES = {"experience": 35, "projects": 25, "education": 10, "mobility": 15}


def candidate_values(**changes):
    values = {"full_name": "Ахметова Гульнара Сериковна", "email": "gulnara@example.kz", "phone": "+77011112233",
              "region_code": "ALA", "mobile": True, "years_experience": 6,
              "project_experience": "Ментор Проекта развития молодёжного корпуса (2017-2020), 12 проектов.",
              "education": Education.HIGHER, "consent": True}
    values.update(changes)
    return values


def make_candidate(competition, n=1, region="ALA", locale="en", **changes):
    """Candidate number `n` of `competition`, applied through the public form's service."""
    values = candidate_values(full_name=f"Candidate {n:02d}", email=f"mentor{n:02d}@example.kz",
                              region_code=region, **changes)
    candidate = candidates.apply(competition, values, factories.upload(), locale)
    db.session.commit()
    return candidate


def make_mentor(competition, staff, n=1, region="ALA", total=None):
    """A candidate scored (85 points unless `total` gives the experience points' part) and selected."""
    candidate = make_candidate(competition, n, region)
    scores = dict(SCORES, experience=total if total is not None else SCORES["experience"])
    candidates.score(candidate, scores, "", staff)
    candidates.select(candidate, staff)
    db.session.commit()
    return candidate


def grants_of_one_call(count, regions=("ALA",), signed_days_ago=75):
    """`count` ACTIVE grants with contracts countersigned `signed_days_ago` days ago, in the call of
    the first (make_signed_grant gives each grant a call of its own), their grantees registered in
    `regions` in turn."""
    grants = [make_signed_grant(number=f"ZP25-G-{n:04d}", signed_days_ago=signed_days_ago) for n in range(1, count + 1)]
    call_id = grants[0].competition_id
    for n, grant in enumerate(grants):
        grant.competition_id = grant.application.competition_id = call_id
        grant.application.region_code = regions[n % len(regions)]
    db.session.commit()
    return grants


def set_password(user):
    """The invited user as if they had set their password (tests.factories.PASSWORD) from the link."""
    user.password_hash = hash_password(factories.PASSWORD)
    user.email_confirmed_at = utcnow()
    db.session.commit()
    return user


def staff_member(role=Role.STAFF):
    return make_staff(role, email=f"mentoring-{role.value}@example.kz")


def audit_events(prefix="mentoring."):
    return [(entry.event, entry.data) for entry in db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.event.startswith(prefix)).order_by(AuditEntry.seq)).scalars()]


def mentoring_url_values(grant):
    """A candidate and a meeting on `grant`, for the permission walk's URL variables."""
    candidate = MentorCandidate(
        competition_id=grant.competition_id, full_name="Candidate", email="walk-candidate@example.kz",
        phone="+77011112233", locale="ru", region_code="ALA", years_experience=5, project_experience="Проекты",
        education=Education.HIGHER, mobile=True, cv_stored_name="0" * 32 + ".pdf", cv_original_name="cv.pdf",
        cv_sha256="0" * 64, cv_size=1, consent_at=utcnow(), status=CandidateStatus.NEW)
    meeting = Meeting(grant_id=grant.id, mentor_id=grant.application.applicant_id, held_on=date.today() - timedelta(1),
                      format=MeetingFormat.ONLINE, topics="План закупок")
    db.session.add_all([candidate, meeting])
    db.session.commit()
    return {"candidate_id": candidate.id, "meeting_id": meeting.id}
