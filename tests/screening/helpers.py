"""Builders shared by the appeal, closing, protocol and results tests: applications submitted to
an open call and then screened through the screening services."""
from datetime import timedelta

from app.applications.models import Application
from app.applications.submission import submit
from app.auth.models import Role
from app.dbtypes import utcnow
from app.extensions import db
from app.screening import checks, decisions
from app.screening.models import ReasonCode
from tests.factories import make_application, make_user


def submitted(competition, email, **changes):
    """A submitted application of a new applicant `email` (the call must be open)."""
    applicant = make_user(email, locale=changes.pop("locale", "en"), phone=changes.pop("user_phone", "+77011234567"))
    application = make_application(competition, applicant, **changes)
    submit(application, applicant, consent=True)
    db.session.commit()
    return application


def staff_user(email, role=Role.STAFF):
    return make_user(email, roles=(role,), locale="en")


def _backdate(decision, at):
    """Moves the decision to `at` (naive UTC), as if it had been taken then."""
    if at is not None:
        decision.decided_at = at
    db.session.commit()


def reject(application, screener, reasons=(ReasonCode.AGE,), message="Вам 36 лет на дату отсчёта.", at=None):
    """Rejects through the screening service, at `at` (default now)."""
    decision = decisions.reject(application, screener, application.state_version, reasons, message)
    _backdate(decision, at)
    return db.session.get(Application, application.id)


def review_all(application, screener, overrides=None):
    """Reviews every check as passing (an automatic failure overridden with a comment), except
    those in `overrides`: code -> (passes, comment)."""
    for reviewed in checks.checks_of(application):
        passes, comment = (overrides or {}).get(
            reviewed.code, (True, "" if reviewed.check.ok is True else "Проверено по документам."))
        checks.review_check(application, screener, application.state_version, reviewed.code, passes, comment)
    db.session.commit()


def make_eligible(application, screener, at=None):
    """Reviews every check, then decides eligible through the screening service."""
    review_all(application, screener)
    decision = decisions.decide_eligible(application, screener, application.state_version)
    _backdate(decision, at)
    return db.session.get(Application, application.id)


def close_window(competition, days_ago=1):
    """Moves the application window into the past, as if the call had closed `days_ago` days ago."""
    competition.opens_at = utcnow() - timedelta(days=days_ago + 20)
    competition.closes_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
