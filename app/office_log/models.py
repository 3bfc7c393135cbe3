"""The office's own log (DESIGN.md section 2, step 10): the consultations of the call centre
(журнал консультаций: a phone call, a WhatsApp or Instagram message, an e-mail, a visit to the
office) and the information events the office holds (Open Days, regional briefings, master
sessions), with their participants: the figures of the report to the Operator."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.dbtypes import enum_type, utcnow
from app.enums import TitledEnum
from app.extensions import db


class Channel(TitledEnum):
    """How the question came in; seed 004 counts calls and WhatsApp messages apart."""

    CALL = "call", _l("Phone call")
    WHATSAPP = "whatsapp", _l("WhatsApp")
    INSTAGRAM = "instagram", _l("Instagram")
    EMAIL = "email", _l("E-mail")
    VISIT = "visit", _l("Visit to the office")


class Topic(TitledEnum):
    """What the question was about, in the order of the call's cycle; anything else is "other"
    with a word in the note."""

    CONDITIONS = "conditions", _l("Conditions: who may take part")
    APPLYING = "applying", _l("Filling in the application")
    DOCUMENTS = "documents", _l("Documents: NEET status, registration")
    RESULTS = "results", _l("Screening and draw results")
    GRANT = "grant", _l("Contract, purchases, payments")
    REPORTING = "reporting", _l("Mentors, monitoring, reports")
    OTHER = "other", _l("Other")


class EventKind(TitledEnum):
    OPEN_DAY = "open_day", _l("Open Day")
    BRIEFING = "briefing", _l("Briefing")
    MASTER_SESSION = "master_session", _l("Master session")
    OTHER = "other", _l("Other event")


class Consultation(db.Model):
    """One question answered by the office, as the operator logged it when the call ended."""

    __tablename__ = "office_consultations"

    id = db.Column(db.Integer, primary_key=True)
    # The call it concerns; None: a question about the project in general.
    competition_id = db.Column(db.Integer, db.ForeignKey("competitions.id"), nullable=True, index=True)
    occurred_at = db.Column(db.DateTime, nullable=False, index=True)  # UTC; typed and shown in Asia/Almaty
    channel = db.Column(enum_type(Channel), nullable=False)
    topic = db.Column(enum_type(Topic), nullable=False)
    region_code = db.Column(db.String(8), nullable=True)  # app/kz/regions.json; None: not asked
    note = db.Column(db.Text, nullable=False, default="")
    operator_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    logged_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    competition = db.relationship("Competition")
    operator = db.relationship("User")

    def __repr__(self):
        return f"<Consultation {self.id} {self.channel.value} {self.occurred_at:%Y-%m-%d %H:%M}>"


class InfoEvent(db.Model):
    """An information event of the office: the day, the place and how many came."""

    __tablename__ = "office_events"
    __table_args__ = (
        sa.CheckConstraint("participants >= 0", name="participants_not_negative"),
        sa.CheckConstraint("women IS NULL OR (women >= 0 AND women <= participants)", name="women_among_participants"),
        sa.CheckConstraint("neet_youth IS NULL OR (neet_youth >= 0 AND neet_youth <= participants)",
                           name="neet_youth_among_participants"),
    )

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(db.Integer, db.ForeignKey("competitions.id"), nullable=True, index=True)
    kind = db.Column(enum_type(EventKind), nullable=False)
    held_on = db.Column(db.Date, nullable=False, index=True)  # in Asia/Almaty
    title = db.Column(db.String(200), nullable=False, default="")  # e.g. the master session's theme
    place = db.Column(db.String(200), nullable=False)  # "Aktau, youth resource centre", "Online, Zoom"
    region_code = db.Column(db.String(8), nullable=True)  # None: online, or several regions
    participants = db.Column(db.Integer, nullable=False)
    women = db.Column(db.Integer, nullable=True)  # of the participants; None: not counted
    neet_youth = db.Column(db.Integer, nullable=True)  # of the participants, NEET youth; None: not counted
    notes = db.Column(db.Text, nullable=False, default="")
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    competition = db.relationship("Competition")
    created_by = db.relationship("User")

    def __repr__(self):
        return f"<InfoEvent {self.id} {self.kind.value} {self.held_on}>"
