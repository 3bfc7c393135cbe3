"""Who is invited to which survey, when, and by which mail: after the submission, after the
screening outcome, after the final report's acceptance; once per person, stage and application."""
from datetime import timedelta

import pytest

from app.applications.submission import submit
from app.auth.models import Role
from app.dbtypes import utcnow
from app.extensions import db
from app.final_reports.signals import report_accepted
from app.screening import decisions
from app.screening.models import DecisionOutcome
from app.surveys.invitations import INVITATION_DELAY, SURVEY_DAYS, invite, token_hash
from app.surveys.models import GRANT_STAGES, SurveyStage
from tests.applications import reload
from tests.factories import make_user
from tests.mail.helpers import outbox_for
from tests.payments import make_signed_grant
from tests.screening.helpers import review_all
from tests.surveys import (all_mail, call, en, invitations, person, screener, submitted, survey_links,  # noqa: F401
                           survey_mails)

S = SurveyStage


def test_a_submission_invites_the_applicant_to_the_application_survey_by_a_delayed_mail(submitted):
    [invitation] = invitations()
    assert (invitation.stage, invitation.person_id, invitation.application_id, invitation.grant_id) == (
        S.APPLICATION, submitted.applicant_id, submitted.id, None)
    assert invitation.competition_id == submitted.competition_id
    assert invitation.expires_at - invitation.invited_at == timedelta(days=SURVEY_DAYS)
    receipt, mail = outbox_for(submitted.applicant.email)
    assert "received" in receipt.subject and "survey" in mail.subject
    assert mail.next_attempt_at - mail.created_at >= INVITATION_DELAY - timedelta(seconds=5)
    assert "How satisfied are you with applying to the competition" in mail.body_text
    assert submitted.competition.title_en in mail.body_text
    [path] = survey_links(submitted.applicant.email)
    token = path.rsplit("/", 1)[1]
    assert len(token) >= 40
    assert invitation.token_sha256 == token_hash(token) and token not in invitation.token_sha256


def test_the_invitation_mail_is_in_the_persons_language(en, call):
    application = person(call, 2, locale="kk")
    [mail] = survey_mails(application.applicant.email)
    assert mail.locale == "kk"
    assert call.title_kk in mail.body_text


def test_a_second_submit_or_a_repeated_signal_invites_once(submitted):
    submit(reload(submitted), submitted.applicant, consent=True)
    db.session.commit()
    assert invite(reload(submitted), [S.APPLICATION]) == []
    db.session.commit()
    assert len(invitations()) == 1
    assert len(survey_mails(submitted.applicant.email)) == 1


def test_a_correction_request_does_not_invite_and_the_resubmission_does_not_invite_again(submitted, screener):
    decisions.request_correction(submitted, screener, submitted.state_version, "Загрузите справку.", [6],
                                 utcnow() + timedelta(days=3))
    db.session.commit()
    submit(reload(submitted), submitted.applicant, consent=True)
    db.session.commit()
    assert [i.stage for i in invitations()] == [S.APPLICATION]


@pytest.mark.parametrize("outcome", [DecisionOutcome.ELIGIBLE, DecisionOutcome.REJECTED])
def test_the_screening_outcome_invites_to_the_screening_survey_before_its_mail(submitted, screener, outcome):
    if outcome is DecisionOutcome.ELIGIBLE:
        review_all(submitted, screener)
        decisions.decide_eligible(reload(submitted), screener, reload(submitted).state_version)
    else:
        decisions.reject(submitted, screener, submitted.state_version, ["age"], "Вам 36 лет.")
    db.session.commit()
    assert [i.stage for i in invitations()] == [S.APPLICATION, S.SCREENING]
    mails = outbox_for(submitted.applicant.email)
    assert "technical screening" in mails[-1].subject  # the decision stays the newest mail
    assert "technical screening of your application" in mails[-2].body_text
    assert mails[-2].next_attempt_at > mails[-1].next_attempt_at  # delivered after the decision


def test_a_reopened_and_decided_again_application_is_not_invited_again(submitted, screener):
    manager = make_user("manager@example.kz", roles=(Role.MANAGER,))
    decisions.reject(submitted, screener, submitted.state_version, ["age"], "")
    db.session.commit()
    decisions.reopen(reload(submitted), manager, reload(submitted).state_version, "Ошибка в дате.")
    db.session.commit()
    decisions.reject(reload(submitted), screener, reload(submitted).state_version, ["age"], "")
    db.session.commit()
    assert [i.stage for i in invitations()] == [S.APPLICATION, S.SCREENING]


def test_an_accepted_final_report_invites_the_grantee_to_mentoring_and_project_in_one_mail(en):
    grant = make_signed_grant(email="grantee@example.kz")
    before = len(all_mail())
    report_accepted.send(object(), grant=grant, actor=None)
    db.session.commit()
    found = invitations()
    assert [i.stage for i in found] == list(GRANT_STAGES)
    assert all(i.grant_id == grant.id and i.person_id == grant.application.applicant_id for i in found)
    assert len(all_mail()) == before + 1
    [mail] = survey_mails("grantee@example.kz")
    assert "support of your mentor" in mail.body_text and "project as a whole" in mail.body_text
    assert len(survey_links("grantee@example.kz")) == 2

    report_accepted.send(object(), grant=grant, actor=None)  # a retried acceptance
    db.session.commit()
    assert len(invitations()) == 2 and len(all_mail()) == before + 1


def test_the_receiver_does_not_commit(en):
    grant = make_signed_grant(email="grantee@example.kz")
    report_accepted.send(object(), grant=grant, actor=None)
    db.session.rollback()  # the acceptance failed after the signal: nothing of the survey stays
    assert invitations() == [] and survey_mails("grantee@example.kz") == []
