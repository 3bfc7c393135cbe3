"""The demo's survey answers: a realistic share answered, mostly satisfied, dated after each
invitation in the demo's history, through the surveys' own service."""
from datetime import timedelta

import pytest

from app.dbtypes import utcnow
from app.demo.surveys import load_surveys
from app.extensions import db
from app.final_reports.signals import report_accepted
from app.screening import decisions
from app.surveys.models import SurveyStage
from app.surveys.results import satisfaction
from tests.payments import make_signed_grant
from tests.screening.helpers import review_all
from tests.surveys import call, en, invitations, person, screener  # noqa: F401

S = SurveyStage
PEOPLE = 30


@pytest.fixture
def invited_call(en, call, screener):
    """PEOPLE submitted applications, a third rejected and the rest eligible, the history of the
    first ten moved 40 days back as the demo does."""
    for n in range(1, PEOPLE + 1):
        application = person(call, n, locale="kk" if n % 3 == 0 else "ru")
        if n % 3 == 1:
            decisions.reject(application, screener, application.state_version, ["age"], "")
        else:
            review_all(application, screener)
            decisions.decide_eligible(application, screener, application.state_version)
        if n <= 10:
            application.submitted_at -= timedelta(days=40)
            for event in application.events:
                event.at -= timedelta(days=40)
        db.session.commit()
    return call


def test_most_people_answer_mostly_satisfied_after_their_invitation(invited_call):
    now = utcnow()
    summary = load_surveys(invited_call, now)
    db.session.commit()
    for stage in (S.APPLICATION, S.SCREENING):
        numbers = satisfaction(invited_call, stage)
        assert numbers.invited == PEOPLE
        assert 0.55 <= numbers.response_rate <= 0.95, (stage, numbers.response_rate)
        assert numbers.satisfied_share >= 0.55, (stage, numbers.satisfied_share)
    answered = [invitation for invitation in invitations() if invitation.answered_at is not None]
    assert all(i.invited_at < i.answered_at <= now and i.answered_at < i.expires_at for i in answered)
    old = [i for i in answered if i.application.submitted_at < now - timedelta(days=30)]
    assert old and all(i.answered_at < now - timedelta(days=20) for i in old)  # dated in the history
    assert any(i.comment for i in answered)
    assert "Surveys answered: application" in summary.line()


def test_loading_again_answers_nobody_twice(invited_call):
    load_surveys(invited_call, utcnow())
    db.session.commit()
    first = {i.id: (i.score, i.answered_at) for i in invitations()}
    load_surveys(invited_call, utcnow())
    db.session.commit()
    again = {i.id: (i.score, i.answered_at) for i in invitations()}
    assert all(again[key] == value for key, value in first.items() if value[0] is not None)


def test_the_grant_stages_are_answered_too(en):
    grant = make_signed_grant(email="grantee@example.kz")
    report_accepted.send(object(), grant=grant, actor=None)
    db.session.commit()
    summary = load_surveys(grant.competition, utcnow() + timedelta(days=3))
    assert [numbers.invited for numbers in summary.stages] == [0, 0, 1, 1]
