"""A survey invitation: one person, one stage, one application (and its grant for the stages
after the draw); it holds the answer once given. The link's token is kept only as its SHA-256."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.dbtypes import enum_type, utcnow
from app.enums import TitledEnum
from app.extensions import db


class SurveyStage(TitledEnum):
    APPLICATION = "application", _l("Application")
    SCREENING = "screening", _l("Technical screening")
    MENTORING = "mentoring", _l("Mentoring")
    PROJECT = "project", _l("The whole project")


# The question each stage's survey asks.
QUESTIONS = {
    SurveyStage.APPLICATION: _l("How satisfied are you with applying to the competition: the information, "
                                "the application form and the help of the project office?"),
    SurveyStage.SCREENING: _l("How satisfied are you with the technical screening of your application: "
                              "was it clear, fair and quick?"),
    SurveyStage.MENTORING: _l("How satisfied are you with the support of your mentor?"),
    SurveyStage.PROJECT: _l("How satisfied are you with taking part in the project as a whole?"),
}
# The stages asked about a grant, after its final report is accepted.
GRANT_STAGES = (SurveyStage.MENTORING, SurveyStage.PROJECT)

SCORES = {
    1: _l("Very dissatisfied"),
    2: _l("Dissatisfied"),
    3: _l("Neither satisfied nor dissatisfied"),
    4: _l("Satisfied"),
    5: _l("Very satisfied"),
}
SATISFIED = (4, 5)


class SurveyInvitation(db.Model):
    __tablename__ = "survey_invitations"
    __table_args__ = (
        # One invitation per person, stage and application: a retried signal invites once.
        sa.UniqueConstraint("person_id", "stage", "application_id"),
        sa.CheckConstraint("score IS NULL OR score BETWEEN 1 AND 5", name="score_from_1_to_5"),
        sa.CheckConstraint("(answered_at IS NULL) = (score IS NULL)", name="answered_with_score"),
        sa.CheckConstraint("comment IS NULL OR answered_at IS NOT NULL", name="comment_when_answered"),
        sa.CheckConstraint("(stage IN ('mentoring', 'project')) = (grant_id IS NOT NULL)",
                           name="grant_for_grant_stages"),
    )

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(db.Integer, db.ForeignKey("competitions.id"), nullable=False, index=True)
    stage = db.Column(enum_type(SurveyStage), nullable=False)
    person_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    application_id = db.Column(db.Integer, db.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False,
                               index=True)
    grant_id = db.Column(db.Integer, db.ForeignKey("grants.id", ondelete="CASCADE"), nullable=True)
    token_sha256 = db.Column(db.String(64), nullable=False, unique=True)  # the link's token, hashed
    invited_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime, nullable=False)
    answered_at = db.Column(db.DateTime, nullable=True)
    score = db.Column(db.Integer, nullable=True)
    comment = db.Column(db.Text, nullable=True)

    competition = db.relationship("Competition")
    person = db.relationship("User")
    application = db.relationship("Application")

    @property
    def question(self):
        return QUESTIONS[self.stage]

    def __repr__(self):
        return f"<SurveyInvitation {self.id} {self.stage.value}>"
