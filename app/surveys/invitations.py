"""Inviting a person to a stage's survey: the invitation with its one-time link, and one mail
with the links, delayed so that it comes after the mail of the event it follows.

The lower features announce the events (submission, the screening outcome, the final report's
acceptance) and the receivers below invite, in the event's transaction: they add rows and queue
mail, never commit. An invitation that exists already is not made (nor mailed) again, so a
retried request or a signal sent twice invites once, even from two workers at once."""
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.dialects import postgresql, sqlite

from app.applications.signals import application_submitted
from app.dbtypes import utcnow
from app.extensions import db
from app.final_reports.signals import report_accepted
from app.mail.services import queue_mail
from app.screening.signals import outcome_told
from app.surveys.models import GRANT_STAGES, SurveyInvitation, SurveyStage

SURVEY_DAYS = 30  # a link can be answered for this long
INVITATION_DELAY = timedelta(hours=1)  # after the mail of the event the survey follows
TOKEN_MAX = 100  # longer than any token made here: not looked up


def token_hash(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_by_token(token):
    """The invitation whose link carries `token`, or None."""
    if not token or len(token) > TOKEN_MAX:
        return None
    return db.session.execute(
        sa.select(SurveyInvitation).where(SurveyInvitation.token_sha256 == token_hash(token))
    ).scalar_one_or_none()


def invite(application, stages, grant=None, now=None):
    """Invites the applicant of `application` (the grantee of `grant`, for the grant stages) to
    the surveys of `stages`, in the current transaction, and queues one mail with their links.
    A stage they are invited to already is skipped. Returns the new invitations."""
    now = now or utcnow()
    person = application.applicant
    made = []
    for stage in stages:
        token = secrets.token_urlsafe(32)
        invitation_id = _insert_once({
            "competition_id": application.competition_id, "stage": stage, "person_id": person.id,
            "application_id": application.id, "grant_id": grant.id if stage in GRANT_STAGES else None,
            "token_sha256": token_hash(token), "invited_at": now, "expires_at": now + timedelta(days=SURVEY_DAYS),
        })
        if invitation_id is not None:
            made.append((db.session.get(SurveyInvitation, invitation_id), token))
    if made:
        _mail(person, application.competition, made, now)
    return [invitation for invitation, _token in made]


def _insert_once(values):
    """Inserts an invitation unless the person has one for the stage and application (the
    unique constraint decides, also against a concurrent transaction, which waits for the first
    to end); returns its id, or None when it was there. No savepoint, so nothing is committed
    early on SQLite, and no error ends the caller's transaction."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return db.session.execute(
        insert(SurveyInvitation).values(**values)
        .on_conflict_do_nothing(index_elements=["person_id", "stage", "application_id"])
        .returning(SurveyInvitation.id)
    ).scalar()


def _mail(person, competition, made, now):
    links = [(invitation, url_for("surveys.answer", token=token, _external=True)) for invitation, token in made]
    message = queue_mail(person.email, "surveys/mail/survey_invitation", person.locale, call=competition,
                         links=links, expires_at=made[0][0].expires_at)
    message.next_attempt_at = now + INVITATION_DELAY


@application_submitted.connect
def _invite_after_submission(application, **_kwargs):
    invite(application, [SurveyStage.APPLICATION])


@outcome_told.connect
def _invite_after_screening(application, **_kwargs):
    invite(application, [SurveyStage.SCREENING])


@report_accepted.connect
def _invite_after_final_report(_report, grant, **_kwargs):
    invite(grant.application, GRANT_STAGES, grant=grant)
