"""Who may do what, in one table: each role grants a set of permissions, and views, services and
templates ask for a permission (`user.can(Permission.SCREEN)`, `@permission_required(...)`),
never for a list of roles."""
import enum
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.auth.models import Role


class Permission(enum.Enum):
    SCREEN = "screen"  # the screening queue, checks and decisions; reading applications
    DECIDE_APPEAL = "decide_appeal"
    REOPEN_DECISION = "reopen_decision"  # take a screening decision back before screening closes
    MANAGE_CALL = "manage_call"  # calls, strata, districts, regulations
    RUN_DRAW = "run_draw"
    READ_IDENTITY_DOCUMENTS = "read_identity_documents"  # applicants' uploaded documents
    MANAGE_GRANTS = "manage_grants"  # grants and their contracts: read, issue, confirm signatures
    AMEND_GRANT = "amend_grant"  # lower a grant's amount, terminate a grant
    COUNTERSIGN = "countersign"  # the director's countersignature of a grant's contract
    APPROVE_PAYMENT = "approve_payment"
    PAY = "pay"
    MANAGE_MENTORS = "manage_mentors"  # mentor candidates, scoring, the pool, assigning grants to mentors
    MENTOR = "mentor"
    MANAGE_MONITORING = "manage_monitoring"  # monitoring groups, the visit plan, every visit, resolving follow-ups
    MONITOR = "monitor"  # record the visits of one's monitoring group's grants; read a grant's visits
    LOG_CONSULTATIONS = "log_consultations"  # the office log: call-centre consultations, information events
    VIEW_DASHBOARD = "view_dashboard"  # a call's dashboard and its exports without names (SCREEN: with names)
    REPORT = "report"  # the report to the Operator ("Annex 8"): its plan, and the report in DOCX and PDF
    ADMIN = "admin"  # staff accounts, organisation settings, the audit log


P = Permission
ROLE_PERMISSIONS = {
    Role.APPLICANT: frozenset(),
    Role.STAFF: frozenset({P.SCREEN, P.DECIDE_APPEAL, P.READ_IDENTITY_DOCUMENTS, P.APPROVE_PAYMENT,
                           P.MANAGE_GRANTS, P.MANAGE_MENTORS, P.MONITOR, P.LOG_CONSULTATIONS, P.VIEW_DASHBOARD}),
    Role.MANAGER: frozenset({P.SCREEN, P.DECIDE_APPEAL, P.READ_IDENTITY_DOCUMENTS, P.MANAGE_CALL,
                             P.RUN_DRAW, P.APPROVE_PAYMENT, P.REOPEN_DECISION, P.MANAGE_GRANTS, P.AMEND_GRANT,
                             P.COUNTERSIGN, P.MANAGE_MENTORS, P.MONITOR,
                             P.MANAGE_MONITORING, P.LOG_CONSULTATIONS, P.VIEW_DASHBOARD, P.REPORT}),
    Role.FINANCE: frozenset({P.PAY, P.VIEW_DASHBOARD}),
    Role.MENTOR: frozenset({P.MENTOR}),
    Role.MONITOR: frozenset({P.MONITOR}),
    Role.ADMIN: frozenset({P.SCREEN, P.DECIDE_APPEAL, P.READ_IDENTITY_DOCUMENTS, P.MANAGE_CALL,
                           P.RUN_DRAW, P.ADMIN, P.REOPEN_DECISION, P.MANAGE_GRANTS, P.AMEND_GRANT,
                           P.COUNTERSIGN, P.MANAGE_MENTORS, P.MONITOR, P.MANAGE_MONITORING,
                           P.LOG_CONSULTATIONS, P.VIEW_DASHBOARD, P.REPORT}),
}
del P


def roles_with(permission):
    """The roles that grant `permission`, e.g. to find the people who may screen."""
    return frozenset(role for role, granted in ROLE_PERMISSIONS.items() if permission in granted)


def permissions_of(roles):
    return frozenset().union(*(ROLE_PERMISSIONS[role] for role in roles))


def may(user, permission):
    """Whether `user` (a confirmed, active account) holds `permission` through one of its roles."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.email_confirmed
                and permission in permissions_of(user.roles))


def permission_required(permission):
    """The view needs a logged-in, confirmed user whose roles grant `permission`; others get 403
    (anonymous visitors are sent to log in)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not may(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permission = permission
        return wrapped

    return decorator


def current_actor():
    """The user acting in this request, as the object services take (not the proxy)."""
    return current_user._get_current_object()
