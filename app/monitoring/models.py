"""Monitoring (DESIGN.md section 2, step 8): the groups that visit the grants, the visit plan (one
planned visit per grant, given to a group with a date), the visits the groups record with their
checklist, findings, rating and photos, and the follow-up that a bad finding raises on the grant
until staff resolve it with a note."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.dbtypes import enum_type, utcnow
from app.enums import TitledEnum
from app.extensions import db


class VisitRating(TitledEnum):
    """The group's overall judgement of a visit (хорошо / удовлетворительно / неудовлетворительно)."""

    GOOD = "good", _l("Good")
    SATISFACTORY = "satisfactory", _l("Satisfactory")
    POOR = "poor", _l("Poor")


class CheckItem(TitledEnum):
    """What a monitoring group checks on every visit, in this order."""

    PURCHASES_IN_PLACE = "purchases_in_place", _l("The purchases are in place")
    PURCHASES_IN_USE = "purchases_in_use", _l("The purchases are in use")
    ACTIVITY_RUNNING = "activity_running", _l("The activity is running")
    BENEFICIARIES_SERVED = "beneficiaries_served", _l("Beneficiaries are being served")
    MATCHES_APPLICATION = "matches_application", _l("The project matches the application")


class CheckAnswer(TitledEnum):
    YES = "yes", _l("Yes")
    PARTLY = "partly", _l("Partly")
    NO = "no", _l("No")


group_members = db.Table(
    "monitoring_group_members",
    db.Column("group_id", db.Integer, db.ForeignKey("monitoring_groups.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("users.id"), primary_key=True, index=True),
)

visit_members = db.Table(
    "monitoring_visit_members",
    db.Column("visit_id", db.Integer, db.ForeignKey("monitoring_visits.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("users.id"), primary_key=True),
)


class MonitoringGroup(db.Model):
    """A monitoring group (мониторинговая группа): a few people of the project office who visit the
    grants, usually of one region."""

    __tablename__ = "monitoring_groups"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False, unique=True)
    region_code = db.Column(db.String(8), nullable=True)  # where it works; None: anywhere
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    members = db.relationship("User", secondary=group_members, order_by="User.email", lazy="selectin")

    def __repr__(self):
        return f"<MonitoringGroup {self.id} {self.name}>"


class PlannedVisit(db.Model):
    """A grant's place in the visit plan: the group that visits it and the day planned."""

    __tablename__ = "monitoring_plan"

    id = db.Column(db.Integer, primary_key=True)
    grant_id = db.Column(db.Integer, db.ForeignKey("grants.id", ondelete="CASCADE"), nullable=False, unique=True)
    group_id = db.Column(db.Integer, db.ForeignKey("monitoring_groups.id"), nullable=False, index=True)
    planned_on = db.Column(db.Date, nullable=False)  # a day in Almaty
    planned_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    planned_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    grant = db.relationship("Grant")
    group = db.relationship("MonitoringGroup")


class Visit(db.Model):
    """A visit a group made to a grant, as a member recorded it. A visit rated poor, or with any
    item of the checklist answered "no", needs a follow-up, which stays open on the grant until
    staff resolve it with a note."""

    __tablename__ = "monitoring_visits"
    __table_args__ = (
        sa.UniqueConstraint("grant_id", "group_id", "visited_on"),  # a second tap of "Record" records nothing
        sa.CheckConstraint("needs_follow_up OR resolved_at IS NULL", name="resolved_only_when_raised"),
        sa.CheckConstraint("(resolved_at IS NULL) = (resolution IS NULL)", name="resolved_with_a_note"),
    )

    id = db.Column(db.Integer, primary_key=True)
    grant_id = db.Column(db.Integer, db.ForeignKey("grants.id", ondelete="CASCADE"), nullable=False, index=True)
    group_id = db.Column(db.Integer, db.ForeignKey("monitoring_groups.id"), nullable=False, index=True)
    visited_on = db.Column(db.Date, nullable=False)  # a day in Almaty
    others_present = db.Column(db.Text, nullable=False, default="")  # the grantee, participants...
    findings = db.Column(db.Text, nullable=False)
    rating = db.Column(enum_type(VisitRating), nullable=False)
    needs_follow_up = db.Column(db.Boolean, nullable=False, default=False)
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    recorded_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    resolved_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    resolved_at = db.Column(db.DateTime, nullable=True)
    resolution = db.Column(db.Text, nullable=True)  # what staff did about the follow-up

    grant = db.relationship("Grant")
    group = db.relationship("MonitoringGroup")
    recorded_by = db.relationship("User", foreign_keys=[recorded_by_id])
    resolved_by = db.relationship("User", foreign_keys=[resolved_by_id])
    members_present = db.relationship("User", secondary=visit_members, order_by="User.email", lazy="selectin")
    checks = db.relationship("VisitCheck", cascade="all, delete-orphan", lazy="selectin")
    photos = db.relationship("VisitPhoto", back_populates="visit", cascade="all, delete-orphan",
                             order_by="VisitPhoto.id", lazy="selectin")

    @property
    def checklist(self):
        """The checks in the order of CheckItem."""
        order = list(CheckItem)
        return sorted(self.checks, key=lambda check: order.index(check.item))

    @property
    def follow_up_open(self):
        return self.needs_follow_up and self.resolved_at is None

    def __repr__(self):
        return f"<Visit {self.id} grant {self.grant_id} {self.visited_on}>"


class VisitCheck(db.Model):
    """One item of a visit's checklist: yes, partly or no, with the group's comment."""

    __tablename__ = "monitoring_visit_checks"

    visit_id = db.Column(db.Integer, db.ForeignKey("monitoring_visits.id", ondelete="CASCADE"), primary_key=True)
    item = db.Column(enum_type(CheckItem), primary_key=True)
    answer = db.Column(enum_type(CheckAnswer), nullable=False)
    comment = db.Column(db.Text, nullable=True)


class VisitPhoto(db.Model):
    """A photo taken on a visit: the picture as app.storage keeps it (checked by content and
    encoded again) and a small JPEG of it for the pages, kept here."""

    __tablename__ = "monitoring_photos"

    id = db.Column(db.Integer, primary_key=True)
    visit_id = db.Column(db.Integer, db.ForeignKey("monitoring_visits.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    stored_name = db.Column(db.String(64), nullable=False, unique=True)
    original_name = db.Column(db.String(255), nullable=False)
    kind = db.Column(db.String(8), nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    thumbnail = db.deferred(db.Column(db.LargeBinary, nullable=False))  # JPEG; read only when served
    uploaded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    uploaded_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    visit = db.relationship("Visit", back_populates="photos")
