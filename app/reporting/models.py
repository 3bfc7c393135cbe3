"""The plan of a call's report to the Operator ("Annex 8", seeds 000-004), as the manager
configures it: the header's own texts (project name, period, total, the narrative), the tasks with
their activities and indicators (plan and fact), the social-economic effect table and the
partners. Every typed text is kept in Kazakh and Russian; the report in one language prints the
other's text where its own is empty. A fact is either computed (`fact_key`, a key of
app.reporting.facts) or typed, never both."""
import sqlalchemy as sa
from sqlalchemy.orm import declared_attr

from app.dbtypes import utcnow
from app.extensions import db

NAME_MAX = 500  # names of tasks' indicators, partners, the project
SHORT_MAX = 200  # dates, places, participants, plan and typed fact values, units
CONTACTS_MAX = 300
TEXT_MAX = 5000  # paragraphs: activities, results, effects, the narrative
FACT_KEY_MAX = 64


class ReportHeader(db.Model):
    """The header and the narrative of a call's report: what the data cannot say."""

    __tablename__ = "report_headers"
    __table_args__ = (
        sa.CheckConstraint("period_start IS NULL OR period_end IS NULL OR period_start <= period_end",
                           name="period_in_order"),
        sa.CheckConstraint("total_amount IS NULL OR total_amount >= 0", name="total_not_negative"),
    )

    competition_id = db.Column(db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True,
                               autoincrement=False)
    project_name_kk = db.Column(db.String(NAME_MAX), nullable=False, default="")
    project_name_ru = db.Column(db.String(NAME_MAX), nullable=False, default="")
    period_start = db.Column(db.Date, nullable=True)  # None: the call's opening day
    period_end = db.Column(db.Date, nullable=True)  # None: the project's end, else the report's day
    total_amount = db.Column(db.BigInteger, nullable=True)  # tenge; None: the total of the grants
    goal_kk = db.Column(db.Text, nullable=False, default="")
    goal_ru = db.Column(db.Text, nullable=False, default="")
    deviations_kk = db.Column(db.Text, nullable=False, default="")  # why the facts differ from the plan
    deviations_ru = db.Column(db.Text, nullable=False, default="")
    achievement_kk = db.Column(db.Text, nullable=False, default="")  # section 2: the goal reached
    achievement_ru = db.Column(db.Text, nullable=False, default="")
    results_kk = db.Column(db.Text, nullable=False, default="")  # section 5: results, long-term effect
    results_ru = db.Column(db.Text, nullable=False, default="")
    partners_analysis_kk = db.Column(db.Text, nullable=False, default="")  # section 6
    partners_analysis_ru = db.Column(db.Text, nullable=False, default="")
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    competition = db.relationship("Competition")


class PlanTask(db.Model):
    """A task of the project (Задача / Міндет); its activities follow."""

    __tablename__ = "report_tasks"
    __table_args__ = (sa.CheckConstraint("position >= 1", name="position_positive"),)

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False,
                               index=True)
    position = db.Column(db.Integer, nullable=False)
    title_kk = db.Column(db.Text, nullable=False, default="")
    title_ru = db.Column(db.Text, nullable=False, default="")

    competition = db.relationship("Competition")
    activities = db.relationship("PlanActivity", back_populates="task", cascade="all, delete-orphan",
                                 order_by="(PlanActivity.position, PlanActivity.id)", lazy="selectin")


class PlanActivity(db.Model):
    """An activity of a task: when, where, with how many, what it gave, its indicators, its effect."""

    __tablename__ = "report_activities"
    __table_args__ = (sa.CheckConstraint("position >= 1", name="position_positive"),)

    id = db.Column(db.Integer, primary_key=True)
    task_id = db.Column(db.Integer, db.ForeignKey("report_tasks.id", ondelete="CASCADE"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False)
    activity_kk = db.Column(db.Text, nullable=False, default="")
    activity_ru = db.Column(db.Text, nullable=False, default="")
    dates_kk = db.Column(db.String(SHORT_MAX), nullable=False, default="")
    dates_ru = db.Column(db.String(SHORT_MAX), nullable=False, default="")
    place_kk = db.Column(db.String(SHORT_MAX), nullable=False, default="")
    place_ru = db.Column(db.String(SHORT_MAX), nullable=False, default="")
    participants_kk = db.Column(db.String(SHORT_MAX), nullable=False, default="")
    participants_ru = db.Column(db.String(SHORT_MAX), nullable=False, default="")
    results_kk = db.Column(db.Text, nullable=False, default="")
    results_ru = db.Column(db.Text, nullable=False, default="")
    effect_kk = db.Column(db.Text, nullable=False, default="")
    effect_ru = db.Column(db.Text, nullable=False, default="")

    task = db.relationship("PlanTask", back_populates="activities")
    indicators = db.relationship("PlanIndicator", back_populates="activity", cascade="all, delete-orphan",
                                 order_by="(PlanIndicator.position, PlanIndicator.id)", lazy="selectin")


class _PlanAndFact:
    """A named row of a plan's table in its place, with its plan value (typed) and its fact:
    computed from the data (`fact_key`) or typed, never both."""

    @declared_attr.directive
    def __table_args__(cls):
        return (sa.CheckConstraint("position >= 1", name="position_positive"),
                sa.CheckConstraint("fact_key IS NULL OR (fact_kk = '' AND fact_ru = '')",
                                   name="fact_computed_or_typed"))

    id = db.Column(db.Integer, primary_key=True)
    position = db.Column(db.Integer, nullable=False)
    name_kk = db.Column(db.String(NAME_MAX), nullable=False, default="")
    name_ru = db.Column(db.String(NAME_MAX), nullable=False, default="")
    plan_kk = db.Column(db.String(SHORT_MAX), nullable=False, default="")
    plan_ru = db.Column(db.String(SHORT_MAX), nullable=False, default="")
    fact_key = db.Column(db.String(FACT_KEY_MAX), nullable=True)
    fact_kk = db.Column(db.String(SHORT_MAX), nullable=False, default="")
    fact_ru = db.Column(db.String(SHORT_MAX), nullable=False, default="")


class PlanIndicator(_PlanAndFact, db.Model):
    """A quantitative or qualitative indicator of an activity, with its plan and its fact."""

    __tablename__ = "report_indicators"

    activity_id = db.Column(db.Integer, db.ForeignKey("report_activities.id", ondelete="CASCADE"), nullable=False,
                            index=True)

    activity = db.relationship("PlanActivity", back_populates="indicators")


class EffectRow(_PlanAndFact, db.Model):
    """A row of the social-economic effect table: indicator, unit, planned and actual level."""

    __tablename__ = "report_effects"

    competition_id = db.Column(db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False,
                               index=True)
    unit_kk = db.Column(db.String(SHORT_MAX), nullable=False, default="")
    unit_ru = db.Column(db.String(SHORT_MAX), nullable=False, default="")


class Partner(db.Model):
    """A partner of the project: an organisation or a person taking part in it (not a supplier)."""

    __tablename__ = "report_partners"
    __table_args__ = (sa.CheckConstraint("position >= 1", name="position_positive"),)

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False,
                               index=True)
    position = db.Column(db.Integer, nullable=False)
    name_kk = db.Column(db.String(NAME_MAX), nullable=False, default="")
    name_ru = db.Column(db.String(NAME_MAX), nullable=False, default="")
    role_kk = db.Column(db.Text, nullable=False, default="")
    role_ru = db.Column(db.Text, nullable=False, default="")
    contacts = db.Column(db.String(CONTACTS_MAX), nullable=False, default="")
    note_kk = db.Column(db.String(NAME_MAX), nullable=False, default="")
    note_ru = db.Column(db.String(NAME_MAX), nullable=False, default="")
