"""A competition, its strata (regions with quotas), its regulations documents and the extensions of
its deadline."""
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.almaty import utc_to_almaty
from app.competitions.terms import REPORT_DUE_AFTER_ISSUE, SIGNING_DAYS_DEFAULT
from app.dbtypes import utcnow
from app.enums import TitledEnum
from app.extensions import db


class DocumentType(TitledEnum):
    IDENTITY = "identity", _l("Identity document")
    REGISTRATION_PROOF = "registration_proof", _l("Proof of registration address")
    NEET_EVIDENCE = "neet_evidence", _l(
        "NEET evidence (employment centre, pension contributions, not studying)")
    SUPPLIER_QUOTE = "supplier_quote", _l("Supplier quote")
    OTHER = "other", _l("Other document")


class Competition(db.Model):
    __tablename__ = "competitions"
    __table_args__ = (
        sa.CheckConstraint("opens_at < closes_at", name="window_order"),
        sa.CheckConstraint("age_min >= 0 AND age_min <= age_max", name="age_range"),
        sa.CheckConstraint("grant_cap > 0", name="grant_cap_positive"),
        sa.CheckConstraint("appeal_days >= 0", name="appeal_days_not_negative"),
        sa.CheckConstraint("contract_signing_days >= 1 AND contract_signing_days <= 90",
                           name="contract_signing_days_range"),
    )

    id = db.Column(db.Integer, primary_key=True)
    # Prefix of the public application numbers, e.g. ZP23 -> ZP23-0042.
    code = db.Column(db.String(8), nullable=False, unique=True)
    title_kk = db.Column(db.String(255), nullable=False)
    title_ru = db.Column(db.String(255), nullable=False)
    title_en = db.Column(db.String(255), nullable=False)
    summary_kk = db.Column(db.Text, nullable=False, default="")
    summary_ru = db.Column(db.Text, nullable=False, default="")
    summary_en = db.Column(db.Text, nullable=False, default="")
    opens_at = db.Column(db.DateTime, nullable=False)  # UTC; entered and shown in Asia/Almaty
    closes_at = db.Column(db.DateTime, nullable=False)
    age_min = db.Column(db.Integer, nullable=False, default=18)
    age_max = db.Column(db.Integer, nullable=False, default=35)
    # Age counts in full years on this date; None means the closing date (in Asia/Almaty).
    age_reference_date = db.Column(db.Date, nullable=True)
    grant_cap = db.Column(db.Integer, nullable=False, default=1_000_000)  # tenge
    appeal_days = db.Column(db.Integer, nullable=False, default=5)
    required_documents = db.Column(sa.JSON, nullable=False, default=list)  # DocumentType values
    # Set when technical screening (and its appeals) is closed: the eligible set is then final.
    screening_closed_at = db.Column(db.DateTime, nullable=True)
    # The last application number given; submissions take the next one under a row lock.
    last_application_number = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    # The contract terms of the call's grants (see signing_deadline and report_due_on); the
    # clauses, one a line, are printed after the standard obligations of the contract.
    contract_signing_days = db.Column(db.Integer, nullable=False, default=SIGNING_DAYS_DEFAULT,
                                      server_default=str(SIGNING_DAYS_DEFAULT))
    project_ends_on = db.Column(db.Date, nullable=True)  # None: the contract prints no project period
    report_due_date = db.Column(db.Date, nullable=True)
    contract_clauses_kk = db.Column(db.Text, nullable=False, default="", server_default="")
    contract_clauses_ru = db.Column(db.Text, nullable=False, default="", server_default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    strata = db.relationship(
        "Stratum", back_populates="competition", cascade="all, delete-orphan",
        order_by="Stratum.id", lazy="selectin",
    )
    regulations = db.relationship(
        "RegulationsDocument", back_populates="competition", cascade="all, delete-orphan",
        lazy="selectin",
    )
    deadline_extensions = db.relationship(
        "DeadlineExtension", back_populates="competition", cascade="all, delete-orphan",
        order_by="DeadlineExtension.id", lazy="selectin",
    )

    def __repr__(self):
        return f"<Competition {self.code}>"

    def signing_deadline(self, issued_at):
        """The last moment (naive UTC) to sign a contract version issued at `issued_at`."""
        return issued_at + timedelta(days=self.contract_signing_days)

    def report_due_on(self, issued_at):
        """The date the final report is due under a contract issued at `issued_at`: the call's
        one date for every grant, else 180 days after the issue (in Asia/Almaty)."""
        return self.report_due_date or utc_to_almaty(issued_at + REPORT_DUE_AFTER_ISSUE).date()

    def contract_clauses(self, language):
        """The call's own clauses of the contract in `language` ("kk" or "ru"), one per line."""
        return [line for line in getattr(self, f"contract_clauses_{language}").splitlines() if line.strip()]


class Stratum(db.Model):
    """A region where applicants must be registered, with its number of grants."""

    __tablename__ = "strata"
    __table_args__ = (
        sa.UniqueConstraint("competition_id", "region_code"),
        sa.CheckConstraint("quota > 0", name="quota_positive"),
    )

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    region_code = db.Column(db.String(8), nullable=False)  # app/kz/regions.json; the stratum code
    quota = db.Column(db.Integer, nullable=False)
    districts = db.Column(sa.JSON, nullable=False, default=list)  # district codes; empty = all

    competition = db.relationship("Competition", back_populates="strata")


class RegulationsDocument(db.Model):
    """The competition's regulations as a PDF, one per language, public."""

    __tablename__ = "regulations_documents"
    __table_args__ = (sa.UniqueConstraint("competition_id", "language"),)

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False
    )
    language = db.Column(db.String(2), nullable=False)
    stored_name = db.Column(db.String(64), nullable=False, unique=True)  # random, under instance/
    original_name = db.Column(db.String(255), nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    uploaded_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    uploaded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    competition = db.relationship("Competition", back_populates="regulations")


class DeadlineExtension(db.Model):
    """An amendment of the call: its deadline moved later before it passed, for a reason shown on
    the call page in every language."""

    __tablename__ = "deadline_extensions"
    __table_args__ = (sa.CheckConstraint("closes_at > previous_closes_at", name="moves_the_deadline_later"),)

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    previous_closes_at = db.Column(db.DateTime, nullable=False)  # UTC
    closes_at = db.Column(db.DateTime, nullable=False)  # UTC
    reason_kk = db.Column(db.Text, nullable=False)
    reason_ru = db.Column(db.Text, nullable=False)
    reason_en = db.Column(db.Text, nullable=False)
    extended_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    extended_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    competition = db.relationship("Competition", back_populates="deadline_extensions")
