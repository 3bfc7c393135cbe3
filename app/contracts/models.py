"""A grant: what a winner (or a promoted reserve) of the draw receives, under a contract, and the
status table of its life (DESIGN.md section 2, steps 5 and 7)."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.dbtypes import enum_type, utcnow
from app.enums import TitledEnum
from app.extensions import db


class GrantStatus(TitledEnum):
    CONTRACTING = "contracting", _l("Contract being signed")
    ACTIVE = "active", _l("Project under way")
    REPORTING = "reporting", _l("Final report")
    COMPLETED = "completed", _l("Completed")
    TERMINATED = "terminated", _l("Terminated")


S = GrantStatus
# Every allowed change of status; anything else is refused.
GRANT_TRANSITIONS = {
    S.CONTRACTING: {S.ACTIVE, S.TERMINATED},
    S.ACTIVE: {S.REPORTING, S.TERMINATED},
    S.REPORTING: {S.COMPLETED, S.TERMINATED},
    S.COMPLETED: set(),
    S.TERMINATED: set(),
}
del S


class Grant(db.Model):
    """One grant of one application that won (or was promoted from the reserve list)."""

    __tablename__ = "grants"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint("(status = 'terminated') = (terminated_reason IS NOT NULL)",
                           name="terminated_with_reason"),
    )

    id = db.Column(db.Integer, primary_key=True)
    application_id = db.Column(db.Integer, db.ForeignKey("applications.id"), nullable=False, unique=True)
    competition_id = db.Column(db.Integer, db.ForeignKey("competitions.id"), nullable=False, index=True)
    number = db.Column(db.String(24), nullable=False, unique=True)  # e.g. ZP23-G-0001
    amount = db.Column(db.BigInteger, nullable=False)  # tenge; at most the call's cap
    status = db.Column(enum_type(GrantStatus), nullable=False, default=GrantStatus.CONTRACTING, index=True)
    terminated_reason = db.Column(db.Text, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    application = db.relationship("Application")
    competition = db.relationship("Competition")
    events = db.relationship("GrantEvent", back_populates="grant", cascade="all, delete-orphan",
                             order_by="GrantEvent.id", lazy="selectin")

    def __repr__(self):
        return f"<Grant {self.number} {self.status.value}>"


class GrantEventKind(TitledEnum):
    CREATED = "created", _l("Grant awarded")
    AMOUNT_LOWERED = "amount_lowered", _l("Amount lowered")
    TERMINATED = "terminated", _l("Grant terminated")
    CONTRACT_ISSUED = "contract_issued", _l("Contract issued")
    SCAN_UPLOADED = "scan_uploaded", _l("Signed contract uploaded")
    CMS_UPLOADED = "cms_uploaded", _l("Contract signed with an EDS")
    SIGNATURE_CONFIRMED = "signature_confirmed", _l("Signature confirmed")
    COUNTERSIGNED = "countersigned", _l("Contract countersigned by the director")
    REPORT_SUBMITTED = "report_submitted", _l("Final report submitted")
    REPORT_RETURNED = "report_returned", _l("Final report returned for correction")
    REPORT_ACCEPTED = "report_accepted", _l("Final report accepted")
    COMPLETED = "completed", _l("Grant completed")


class GrantEvent(db.Model):
    """One line of a grant's timeline: what happened, when, who did it and why. Rows are only ever
    appended; the audit log keeps the same facts in its hash chain."""

    __tablename__ = "grant_events"

    id = db.Column(db.Integer, primary_key=True)
    grant_id = db.Column(db.Integer, db.ForeignKey("grants.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = db.Column(enum_type(GrantEventKind), nullable=False)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    reason = db.Column(db.Text, nullable=True)  # why, as the staff member wrote it
    data = db.Column(sa.JSON, nullable=False, default=dict)  # e.g. {"from": 1000000, "to": 800000}

    grant = db.relationship("Grant", back_populates="events")
    actor = db.relationship("User")


class SignatureKind(TitledEnum):
    """How the grantee signed the contract's PDF."""
    SCAN = "scan", _l("Scan or photo of the signed paper")
    CMS = "cms", _l("E-signature file (EDS)")


class ChainOutcome(TitledEnum):
    """What the check of an e-signature's certificate against the NCA root certificates found."""
    NOT_CONFIGURED = "not_configured", _l("Not checked: the NCA root certificates are not set up")
    VALID = "valid", _l("Valid: issued under the NCA root certificates")
    INVALID = "invalid", _l("Not valid")


class Contract(db.Model):
    """One issued version of a grant's contract: the PDF as issued (kept whole, with its SHA-256),
    and its signing: the grantee's upload (a scan of the signed paper, or an e-signature file
    with the signer read from its certificate), the staff's confirmation, the director's
    countersignature. Issuing again makes the next version and supersedes this one."""

    __tablename__ = "contracts"
    __table_args__ = (
        sa.UniqueConstraint("grant_id", "version"),
        sa.CheckConstraint("version > 0", name="version_positive"),
        sa.CheckConstraint(
            "(signature_kind IS NULL) = (signature_stored_name IS NULL) "
            "AND (signature_kind IS NULL) = (signature_sha256 IS NULL) "
            "AND (signature_kind IS NULL) = (signature_uploaded_at IS NULL)", name="signature_complete"),
        sa.CheckConstraint(
            "(COALESCE(signature_kind, '') = 'cms') = (signer_iin IS NOT NULL AND signer_name IS NOT NULL "
            "AND chain_outcome IS NOT NULL)", name="signer_of_cms"),
        sa.CheckConstraint("confirmed_at IS NULL OR signature_uploaded_at IS NOT NULL", name="confirmed_after_upload"),
        sa.CheckConstraint("countersigned_at IS NULL OR confirmed_at IS NOT NULL", name="countersigned_after_confirmed"),
    )

    id = db.Column(db.Integer, primary_key=True)
    grant_id = db.Column(db.Integer, db.ForeignKey("grants.id", ondelete="CASCADE"), nullable=False, index=True)
    version = db.Column(db.Integer, nullable=False)
    pdf = db.Column(db.LargeBinary, nullable=False)  # the bytes issued: what the grantee signs
    sha256 = db.Column(db.String(64), nullable=False)
    issued_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    issued_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    signing_deadline = db.Column(db.DateTime, nullable=False)  # UTC
    superseded_at = db.Column(db.DateTime, nullable=True)
    signature_kind = db.Column(enum_type(SignatureKind), nullable=True)
    signature_stored_name = db.Column(db.String(64), nullable=True)  # app.storage, under instance/uploads
    signature_sha256 = db.Column(db.String(64), nullable=True)  # of the file as uploaded (a CMS file is kept as is)
    signature_uploaded_at = db.Column(db.DateTime, nullable=True)
    # Read from an e-signature's certificate (CMS only):
    signer_name = db.Column(db.String(200), nullable=True)
    signer_iin = db.Column(db.String(12), nullable=True)
    signed_at = db.Column(db.DateTime, nullable=True)  # UTC, the signing time the signer's software wrote
    chain_outcome = db.Column(enum_type(ChainOutcome), nullable=True)
    chain_detail = db.Column(db.Text, nullable=True)  # the certificates from the signer's up to the root
    confirmed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    confirmed_at = db.Column(db.DateTime, nullable=True)
    countersigned_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    countersigned_at = db.Column(db.DateTime, nullable=True)

    grant = db.relationship("Grant", backref=db.backref("contracts", order_by="Contract.version",
                                                         cascade="all, delete-orphan"))
    issued_by = db.relationship("User", foreign_keys=[issued_by_id])
    confirmed_by = db.relationship("User", foreign_keys=[confirmed_by_id])
    countersigned_by = db.relationship("User", foreign_keys=[countersigned_by_id])

    @property
    def is_current(self):
        return self.superseded_at is None

    @property
    def signed_by_grantee(self):
        """Whether the e-signature's IIN is the grantee's (None for a scan: a person checks it)."""
        if self.signature_kind is not SignatureKind.CMS:
            return None
        return self.signer_iin == self.grant.application.iin

    def __repr__(self):
        return f"<Contract {self.grant_id} v{self.version}>"
