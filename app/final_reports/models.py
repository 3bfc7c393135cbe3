"""A grantee's final report on their grant (DESIGN.md section 2, step 9): the work done, the people
reached by gender and age bucket, photos, the target-group list, media links, a short success story
and the consent to publish it; and the status table of its review."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.dbtypes import enum_type, utcnow
from app.enums import TitledEnum
from app.extensions import db
from app.kz.age_buckets import AGE_BUCKETS


class ReportStatus(TitledEnum):
    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Submitted, awaiting review")
    RETURNED = "returned", _l("Returned with comments")
    ACCEPTED = "accepted", _l("Accepted")


S = ReportStatus
# Every allowed change of status; anything else is refused.
REPORT_TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.ACCEPTED, S.RETURNED},
    S.RETURNED: {S.SUBMITTED},
    S.ACCEPTED: set(),
}
EDITABLE = frozenset({S.DRAFT, S.RETURNED})  # the grantee may change the report
del S


def age_column(bucket):
    """The report's column counting the people of `bucket` (app.kz.age_buckets)."""
    return f"age_{bucket.key}"


_AGE_SUM = " + ".join(age_column(bucket) for bucket in AGE_BUCKETS)
_COUNTS = ("beneficiaries", "female", "male", *(age_column(bucket) for bucket in AGE_BUCKETS))


class FinalReport(db.Model):
    """The one final report of a grant: written as a draft, submitted, returned and submitted
    again, accepted. Once submitted, women and men and the age buckets add up to the people reached."""

    __tablename__ = "final_reports"
    __table_args__ = (
        sa.CheckConstraint(" AND ".join(f"{count} >= 0" for count in _COUNTS), name="counts_not_negative"),
        sa.CheckConstraint(f"status = 'draft' OR (beneficiaries > 0 AND female + male = beneficiaries "
                           f"AND {_AGE_SUM} = beneficiaries)", name="counts_add_up_when_submitted"),
        sa.CheckConstraint("status = 'draft' OR submitted_at IS NOT NULL", name="submitted_at_when_submitted"),
        sa.CheckConstraint("(status = 'returned') = (comments IS NOT NULL)", name="comments_when_returned"),
        sa.CheckConstraint("(status = 'accepted') = (accepted_at IS NOT NULL)", name="accepted_at_when_accepted"),
    )

    id = db.Column(db.Integer, primary_key=True)
    grant_id = db.Column(db.Integer, db.ForeignKey("grants.id"), nullable=False, unique=True)
    status = db.Column(enum_type(ReportStatus), nullable=False, default=ReportStatus.DRAFT, index=True)
    work_done = db.Column(db.Text, nullable=False, default="")
    # The people the project reached, in all; by gender; by the age buckets of the Operator's statistics.
    beneficiaries = db.Column(db.Integer, nullable=False, default=0)
    female = db.Column(db.Integer, nullable=False, default=0)
    male = db.Column(db.Integer, nullable=False, default=0)
    age_13_16 = db.Column(db.Integer, nullable=False, default=0)
    age_17_22 = db.Column(db.Integer, nullable=False, default=0)
    age_23_27 = db.Column(db.Integer, nullable=False, default=0)
    age_28_32 = db.Column(db.Integer, nullable=False, default=0)
    age_33_45 = db.Column(db.Integer, nullable=False, default=0)
    age_46_58 = db.Column(db.Integer, nullable=False, default=0)
    age_59_plus = db.Column(db.Integer, nullable=False, default=0)
    media_links = db.Column(sa.JSON, nullable=False, default=list)  # web addresses of the press and posts
    # The success story: the situation before, what the project did, the result, and a quote.
    story_situation = db.Column(db.Text, nullable=False, default="")
    story_action = db.Column(db.Text, nullable=False, default="")
    story_result = db.Column(db.Text, nullable=False, default="")
    story_quote = db.Column(db.Text, nullable=False, default="")
    story_quote_by = db.Column(db.String(200), nullable=False, default="")
    consent_to_publish = db.Column(db.Boolean, nullable=False, default=False)  # the story and photos
    # The target-group list (who took part), as app.storage keeps it.
    target_list_stored_name = db.Column(db.String(64), nullable=True)
    target_list_original_name = db.Column(db.String(255), nullable=True)
    target_list_kind = db.Column(db.String(8), nullable=True)
    target_list_sha256 = db.Column(db.String(64), nullable=True)
    target_list_size = db.Column(db.Integer, nullable=True)
    comments = db.Column(db.Text, nullable=True)  # why staff returned it
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    submitted_at = db.Column(db.DateTime, nullable=True)  # the last submission
    accepted_at = db.Column(db.DateTime, nullable=True)
    accepted_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    grant = db.relationship("Grant")
    accepted_by = db.relationship("User")
    photos = db.relationship("ReportPhoto", back_populates="report", order_by="ReportPhoto.id",
                             cascade="all, delete-orphan")

    @property
    def age_counts(self):
        """(bucket, people) for every age bucket, youngest first."""
        return [(bucket, getattr(self, age_column(bucket))) for bucket in AGE_BUCKETS]

    @property
    def editable(self):
        return self.status in EDITABLE

    @property
    def may_be_published(self):
        """The story and photos may appear on public pages: accepted, and the grantee consented."""
        return self.status is ReportStatus.ACCEPTED and self.consent_to_publish

    def __repr__(self):
        return f"<FinalReport {self.grant_id} {self.status.value}>"


class ReportPhoto(db.Model):
    """A photo of the project: the picture as app.storage cleaned it, and a small copy for the pages
    (kept in the database: a page of thumbnails reads no file)."""

    __tablename__ = "final_report_photos"

    id = db.Column(db.Integer, primary_key=True)
    report_id = db.Column(db.Integer, db.ForeignKey("final_reports.id", ondelete="CASCADE"), nullable=False,
                          index=True)
    stored_name = db.Column(db.String(64), nullable=False)
    original_name = db.Column(db.String(255), nullable=False)
    kind = db.Column(db.String(8), nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    thumbnail = db.Column(db.LargeBinary, nullable=False)  # a small JPEG for the pages
    uploaded_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    report = db.relationship("FinalReport", back_populates="photos")
