"""An application, its budget lines and its documents; the status table of the whole cycle."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from app.applications import eligibility
from app.competitions.models import Competition, DocumentType
from app.dbtypes import enum_type, utcnow
from app.enums import TitledEnum
from app.extensions import db
from app.kz.iin import Sex


class ApplicationStatus(TitledEnum):
    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Submitted")
    CORRECTION_REQUESTED = "correction_requested", _l("Correction requested")
    ELIGIBLE = "eligible", _l("Eligible")
    REJECTED = "rejected", _l("Rejected")
    APPEALED = "appealed", _l("Appealed")
    WINNER = "winner", _l("Winner")
    RESERVE = "reserve", _l("Reserve list")
    NOT_SELECTED = "not_selected", _l("Not selected")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


S = ApplicationStatus
# Every allowed change of status; anything else is refused (app.applications.status.move).
TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.ELIGIBLE, S.REJECTED, S.CORRECTION_REQUESTED, S.WITHDRAWN},
    S.CORRECTION_REQUESTED: {S.SUBMITTED, S.REJECTED, S.WITHDRAWN},
    # Back to SUBMITTED: a manager reopens the decision before screening closes (screening.decisions.reopen).
    S.ELIGIBLE: {S.WINNER, S.RESERVE, S.NOT_SELECTED, S.WITHDRAWN, S.SUBMITTED},
    S.REJECTED: {S.APPEALED, S.SUBMITTED},
    S.APPEALED: {S.ELIGIBLE, S.REJECTED},
    S.RESERVE: {S.WINNER},
    S.WINNER: {S.WITHDRAWN},
    S.NOT_SELECTED: set(),
    S.WITHDRAWN: set(),
}
del S


class SocialCategory(TitledEnum):
    """Social-status categories of the Operator's statistics (Annex 8) that apply to applicants."""

    DISABILITY = "disability", _l("Person with a disability")
    UNEMPLOYED_REGISTERED = "unemployed_registered", _l("Registered as unemployed at the employment centre")
    LARGE_FAMILY = "large_family", _l("From a large family")
    ORPHAN = "orphan", _l("Orphan or left without parental care")
    LOW_INCOME = "low_income", _l("From a low-income family")
    RURAL = "rural", _l("Living in a village")
    YOUNG_PARENT = "young_parent", _l("Young parent")
    OTHER = "other", _l("Other")


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        # One submitted application per IIN per call: `submitted_iin` is set on submission and
        # cleared on withdrawal; drafts leave it NULL, and NULLs never collide.
        sa.UniqueConstraint("competition_id", "submitted_iin"),
        sa.CheckConstraint("(number IS NULL) = (submitted_at IS NULL)", name="number_with_submission"),
        # The queue's order by number, and the lookups of possible duplicates within a call.
        sa.Index("ix_applications_competition_id_serial", "competition_id", "serial"),
        sa.Index("ix_applications_competition_id_iin", "competition_id", "iin"),
        sa.Index("ix_applications_competition_id_phone", "competition_id", "phone"),
        sa.Index("ix_applications_competition_id_birth_date", "competition_id", "birth_date"),
    )

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(db.Integer, db.ForeignKey("competitions.id"), nullable=False, index=True)
    applicant_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    status = db.Column(enum_type(ApplicationStatus), nullable=False, default=ApplicationStatus.DRAFT, index=True)
    number = db.Column(db.String(16), nullable=True, unique=True)  # public, e.g. ZP23-0042
    # The n of the number (42): numbers sort as text only up to 9999, the serial in the order given.
    serial = db.Column(db.Integer, nullable=True)

    # Step 1: identity. Birth date and sex come from the IIN.
    iin = db.Column(db.String(12), nullable=True)
    last_name = db.Column(db.String(100), nullable=True)
    first_name = db.Column(db.String(100), nullable=True)
    name_key = db.Column(db.Text, nullable=True)  # name_key(last_name, first_name), set with them
    patronymic = db.Column(db.String(100), nullable=True)
    phone = db.Column(db.String(16), nullable=True)  # E.164
    birth_date = db.Column(db.Date, nullable=True)
    sex = db.Column(enum_type(Sex), nullable=True)
    # Step 2: registration address.
    region_code = db.Column(db.String(8), nullable=True)
    district_code = db.Column(db.String(32), nullable=True)
    address = db.Column(db.String(255), nullable=True)
    # Step 3: NEET declaration.
    not_working = db.Column(db.Boolean, nullable=False, default=False)
    not_studying = db.Column(db.Boolean, nullable=False, default=False)
    not_in_training = db.Column(db.Boolean, nullable=False, default=False)
    situation = db.Column(db.Text, nullable=True)
    social_categories = db.Column(sa.JSON, nullable=False, default=list)  # SocialCategory values
    # Step 4: the project.
    project_title = db.Column(db.String(200), nullable=True)
    problem = db.Column(db.Text, nullable=True)
    goal = db.Column(db.Text, nullable=True)
    target_group = db.Column(db.Text, nullable=True)
    activities = db.Column(db.Text, nullable=True)
    beneficiaries_count = db.Column(db.Integer, nullable=True)
    # Submission.
    consent_at = db.Column(db.DateTime, nullable=True)
    submitted_iin = db.Column(db.String(12), nullable=True)
    submitted_at = db.Column(db.DateTime, nullable=True)
    snapshot = db.Column(sa.JSON, nullable=True)  # what was submitted, with document hashes
    snapshot_sha256 = db.Column(db.String(64), nullable=True)
    withdrawn_at = db.Column(db.DateTime, nullable=True)
    # The codes of the eligibility checks it fails (eligibility.failing_codes), for screening to
    # filter on in SQL; NULL while a draft. Kept true to the application by _keep_failed_checks.
    failed_checks = db.Column(db.String(64), nullable=True)
    # Screening: who looks at it, and a counter bumped by every status change, so that a decision
    # taken on a page showing an older state (two screeners, two tabs) is refused.
    assigned_screener_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    state_version = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    competition = db.relationship("Competition")
    applicant = db.relationship("User", foreign_keys=[applicant_id])
    assigned_screener = db.relationship("User", foreign_keys=[assigned_screener_id])
    budget_lines = db.relationship(
        "BudgetLine", back_populates="application", cascade="all, delete-orphan",
        order_by="BudgetLine.position", lazy="selectin",
    )
    documents = db.relationship(
        "ApplicationDocument", back_populates="application", cascade="all, delete-orphan",
        order_by="ApplicationDocument.id", lazy="selectin",
    )
    events = db.relationship(
        "ApplicationEvent", back_populates="application", cascade="all, delete-orphan",
        order_by="ApplicationEvent.id", lazy="selectin",
    )
    appeal = db.relationship("Appeal", back_populates="application", uselist=False,
                             cascade="all, delete-orphan")

    @property
    def budget_total(self):
        return sum(line.total for line in self.budget_lines)

    @orm.validates("number")
    def _number_with_serial(self, _key, number):
        self.serial = serial_of(number)
        return number

    @orm.validates("last_name", "first_name")
    def _names_with_key(self, key, value):
        names = {"last_name": self.last_name, "first_name": self.first_name, key: value}
        self.name_key = name_key(names["last_name"], names["first_name"])
        return value

    def __repr__(self):
        return f"<Application {self.id} {self.number or 'draft'} {self.status.value}>"


class BudgetLine(db.Model):
    """One purchase of the project: paid later to the supplier, never in cash."""

    __tablename__ = "budget_lines"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )

    id = db.Column(db.Integer, primary_key=True)
    application_id = db.Column(
        db.Integer, db.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = db.Column(db.Integer, nullable=False)
    item = db.Column(db.String(255), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    unit_price = db.Column(db.Integer, nullable=False)  # tenge
    supplier = db.Column(db.String(255), nullable=False, default="")

    application = db.relationship("Application", back_populates="budget_lines")

    @property
    def total(self):
        return self.quantity * self.unit_price


class ApplicationDocument(db.Model):
    """A file the applicant uploaded: stored under instance/uploads/, served only to them and staff."""

    __tablename__ = "application_documents"

    id = db.Column(db.Integer, primary_key=True)
    application_id = db.Column(
        db.Integer, db.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    doc_type = db.Column(enum_type(DocumentType), nullable=False)
    stored_name = db.Column(db.String(64), nullable=False, unique=True)
    original_name = db.Column(db.String(255), nullable=False)
    kind = db.Column(db.String(8), nullable=False)  # pdf, jpeg, png: judged by content
    sha256 = db.Column(db.String(64), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    uploaded_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Set for documents sent with an appeal rather than with the application.
    appeal_id = db.Column(db.Integer, db.ForeignKey("appeals.id", ondelete="CASCADE"), nullable=True)

    application = db.relationship("Application", back_populates="documents")


class ApplicationEvent(db.Model):
    """One step of the application's timeline, as the applicant sees it."""

    __tablename__ = "application_events"

    id = db.Column(db.Integer, primary_key=True)
    application_id = db.Column(
        db.Integer, db.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status = db.Column(enum_type(ApplicationStatus), nullable=False)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    message = db.Column(db.Text, nullable=True)  # shown to the applicant (reasons, what to fix)

    application = db.relationship("Application", back_populates="events")


def serial_of(number):
    """The serial of an application number: 42 for ZP23-0042, 10000 for ZP23-10000; None for a
    number not given by submission (one typed into a test or an import, "A1")."""
    digits = (number or "").rsplit("-", 1)[-1]
    return int(digits) if digits.isascii() and digits.isdigit() else None


def name_key(last_name, first_name):
    """The names as possible duplicates compare them: trimmed and case-folded in Python, as SQL's
    lower() does not do for Cyrillic on SQLite; None when one is missing. Names hold no "|"."""
    if not (last_name and first_name):
        return None
    return f"{last_name.strip().casefold()}|{first_name.strip().casefold()}"


def fails_check(code):
    """SQL: the application fails the eligibility check `code` (one of eligibility.CODES), or any
    of them for "any", as failed_checks keeps them."""
    if code == "any":
        return Application.failed_checks != ""
    return (sa.literal(" ") + Application.failed_checks + sa.literal(" ")).contains(f" {code} ")


# Children of an application that its eligibility checks read.
_CHECKED_CHILDREN = (BudgetLine, ApplicationDocument)
# The application's own attributes they read.
_CHECKED = ("competition_id", "competition", "iin", "region_code", "district_code", "budget_lines", "documents")


@sa.event.listens_for(orm.Session, "before_flush")
def _keep_failed_checks(session, _context, _instances):
    """Keeps failed_checks true to each submitted application as it is: worked out when it leaves
    the drafts, and again whenever what the checks read changes (a correction, a document added
    with an appeal or taken away). The call's rules cannot change from its first submission on
    (app.competitions.locks), so only the application's own changes matter."""
    changed = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Application):
            state = sa.inspect(instance)
            if instance.failed_checks is None or any(state.attrs[name].history.has_changes() for name in _CHECKED):
                changed.add(instance)
        elif isinstance(instance, _CHECKED_CHILDREN) and instance.application is not None:
            changed.add(instance.application)
    for application in changed:
        if application.status not in (None, ApplicationStatus.DRAFT) and application not in session.deleted:
            if application.competition is None:  # made with competition_id only, not yet loaded
                application.competition = session.get(Competition, application.competition_id)
            application.failed_checks = eligibility.failing_codes(application)
