"""Fixtures and helpers of the survey tests, imported by name in each module: applications
submitted and screened through the real services (which invite), the survey links read from the
outbox as the person would, and invitations made directly for the answer and results tests."""
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.mail.models import OutboxMessage
from app.surveys.invitations import invite
from app.surveys.models import SurveyInvitation, SurveyStage
from tests.applications import en  # noqa: F401
from tests.mail.helpers import outbox_for
from tests.screening import call, person, screener  # noqa: F401


def survey_mails(address):
    return [mail for mail in outbox_for(address) if "/surveys/" in mail.body_text]


def survey_links(address):
    """The paths of every survey link mailed to `address`, oldest first."""
    return [path for mail in survey_mails(address)
            for path in re.findall(r"https?://[^/\s]+(/surveys/\S+)", mail.body_text)]


def invitations(**filters):
    query = sa.select(SurveyInvitation).order_by(SurveyInvitation.id)
    for name, value in filters.items():
        query = query.where(getattr(SurveyInvitation, name) == value)
    return db.session.execute(query).scalars().all()


def all_mail():
    return db.session.execute(sa.select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()


@pytest.fixture
def submitted(en, call):
    """A submitted application of an English-speaking applicant: invited to the APPLICATION survey."""
    return person(call, 1)


@pytest.fixture
def link(submitted):
    """The path of the application survey's link, as mailed."""
    [path] = survey_links(submitted.applicant.email)
    return path


def invited(application, stage=SurveyStage.SCREENING):
    """A new invitation of `application`'s applicant to `stage`, made through `invite`."""
    [invitation] = invite(application, [stage])
    db.session.commit()
    return invitation
