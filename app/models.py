"""Imports every feature's models, so the metadata that migrations compare against is complete."""
from app.admin.models import Organisation  # noqa: F401
from app.applications.models import Application, ApplicationDocument, ApplicationEvent, BudgetLine  # noqa: F401
from app.audit.models import AuditEntry  # noqa: F401
from app.auth.models import User, UserRole  # noqa: F401
from app.competitions.models import Competition, RegulationsDocument, Stratum  # noqa: F401
from app.contracts.models import Grant, GrantEvent  # noqa: F401
from app.final_reports.models import FinalReport, ReportPhoto  # noqa: F401
from app.lottery.models import Draw, DrawLogEntry, DrawObserver  # noqa: F401
from app.mail.models import OutboxMessage  # noqa: F401
from app.mentoring.models import Meeting, MentorAssignment, MentorCandidate  # noqa: F401
from app.monitoring.models import MonitoringGroup, PlannedVisit, Visit, VisitCheck, VisitPhoto  # noqa: F401
from app.office_log.models import Consultation, InfoEvent  # noqa: F401
from app.payments.models import PaymentLine, PaymentRequest, Supplier  # noqa: F401
from app.reporting.models import EffectRow, Partner, PlanActivity, PlanIndicator, PlanTask, ReportHeader  # noqa: F401
from app.screening.models import Appeal, CheckReview, ScreeningDecision  # noqa: F401
from app.surveys.models import SurveyInvitation  # noqa: F401
