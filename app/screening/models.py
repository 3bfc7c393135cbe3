"""What screening records: each check as a screener confirmed or overrode it, each decision with
its reasons, and appeals against rejections."""
import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.dbtypes import enum_type, utcnow
from app.enums import TitledEnum
from app.extensions import db


class ReasonCode(TitledEnum):
    AGE = "age", _l("Age outside the competition's rule")
    NO_REGISTRATION_PROOF = "no_registration_proof", _l("No proof of registration in the region")
    NO_NEET_EVIDENCE = "no_neet_evidence", _l("No documents confirming the NEET status")
    DUPLICATE = "duplicate", _l("Repeated application")
    INCOMPLETE = "incomplete", _l("Application incomplete")
    BUDGET_OVER_CAP = "budget_over_cap", _l("Budget over the grant cap")
    OTHER = "other", _l("Other reason")


class DecisionOutcome(TitledEnum):
    ELIGIBLE = "eligible", _l("Eligible")
    REJECTED = "rejected", _l("Rejected")
    CORRECTION_REQUESTED = "correction_requested", _l("Correction requested")


class CheckReview(db.Model):
    """A screener's judgement of one automatic check (app.applications.eligibility) of one
    application: confirmed as the system saw it, or overridden with a comment."""

    __tablename__ = "check_reviews"
    __table_args__ = (
        sa.UniqueConstraint("application_id", "code"),
        sa.CheckConstraint("passes = automatic_ok OR comment <> ''", name="override_has_comment"),
    )

    id = db.Column(db.Integer, primary_key=True)
    application_id = db.Column(
        db.Integer, db.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code = db.Column(db.String(32), nullable=False)  # iin, age, region, documents, budget, duplicates
    automatic_ok = db.Column(db.Boolean, nullable=True)  # None: the system could not tell
    passes = db.Column(db.Boolean, nullable=False)  # the screener's judgement after the documents
    comment = db.Column(db.Text, nullable=False, default="")
    reviewer_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    reviewed_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    reviewer = db.relationship("User")


class ScreeningDecision(db.Model):
    """A decision on an application; the latest one stands. Appeal decisions are marked."""

    __tablename__ = "screening_decisions"
    __table_args__ = (
        sa.CheckConstraint(
            "(outcome = 'correction_requested') = (correction_deadline IS NOT NULL)",
            name="deadline_with_correction",
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    application_id = db.Column(
        db.Integer, db.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    outcome = db.Column(enum_type(DecisionOutcome), nullable=False)
    reasons = db.Column(sa.JSON, nullable=False, default=list)  # ReasonCode values
    message = db.Column(db.Text, nullable=False, default="")  # to the applicant
    correction_steps = db.Column(sa.JSON, nullable=False, default=list)  # form steps to fix
    correction_deadline = db.Column(db.DateTime, nullable=True)  # UTC
    on_appeal = db.Column(db.Boolean, nullable=False, default=False)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    decided_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    decided_by = db.relationship("User")


class AppealStatus(enum.Enum):
    PENDING = "pending"
    UPHELD = "upheld"  # the rejection is reversed: eligible
    DISMISSED = "dismissed"  # the rejection stands


class Appeal(db.Model):
    """A rejected applicant's one appeal, decided by a staff member other than the rejecter."""

    __tablename__ = "appeals"

    id = db.Column(db.Integer, primary_key=True)
    application_id = db.Column(
        db.Integer, db.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    text = db.Column(db.Text, nullable=False)
    status = db.Column(enum_type(AppealStatus), nullable=False, default=AppealStatus.PENDING)
    submitted_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    decided_at = db.Column(db.DateTime, nullable=True)
    decision_message = db.Column(db.Text, nullable=False, default="")

    application = db.relationship("Application", back_populates="appeal")
    decided_by = db.relationship("User")


class ScreeningProtocol(db.Model):
    """The screening protocol of a closed call in one language as its results stood (`version`,
    closing.results_version): built once, when first asked for, and served as stored while the
    results are the same. Each version is kept with its SHA-256: the commission signs a printed
    copy, and the hash someone noted of it must stay checkable."""

    __tablename__ = "screening_protocols"
    __table_args__ = (sa.UniqueConstraint("competition_id", "lang", "version"),)

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False)
    lang = db.Column(db.String(2), nullable=False)
    version = db.Column(db.String(64), nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    pdf = db.deferred(db.Column(db.LargeBinary, nullable=False))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
