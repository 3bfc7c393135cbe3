"""Imports every feature's models, so the metadata that migrations compare against is complete."""
from app.admin.models import Organisation  # noqa: F401
from app.applications.models import Application, ApplicationDocument, ApplicationEvent, BudgetLine  # noqa: F401
from app.audit.models import AuditEntry  # noqa: F401
from app.auth.models import User, UserRole  # noqa: F401
from app.competitions.models import Competition, RegulationsDocument, Stratum  # noqa: F401
from app.contracts.models import Grant, GrantEvent  # noqa: F401
from app.lottery.models import Draw, DrawLogEntry, DrawObserver  # noqa: F401
from app.mail.models import OutboxMessage  # noqa: F401
from app.payments.models import PaymentLine, PaymentRequest, Supplier  # noqa: F401
from app.screening.models import Appeal, CheckReview, ScreeningDecision  # noqa: F401
