"""Answering through the link: once, before it expires, a score from 1 to 5 and an optional
comment; every wrong value refused in words, never a 500; nothing about the person on the page."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.dbtypes import utcnow
from app.errors import Refused
from app.extensions import db
from app.surveys import answers
from app.surveys.answers import COMMENT_MAX
from app.surveys.invitations import invitation_by_token
from app.surveys.models import SurveyInvitation
from tests.applications import assert_no_inline_code, error_next_to, reload
from tests.surveys import call, en, invitations, link, person, submitted, survey_links  # noqa: F401


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_link_opens_without_logging_in_and_an_answer_is_counted_once(client, link):
    response = client.get(link)
    assert response.headers["Cache-Control"] == "private, no-store"
    html = response.get_data(as_text=True)
    assert "How satisfied are you with applying to the competition" in html
    assert html.count('class="btn-check"') == 5 and "Very satisfied" in html
    assert_no_inline_code(html)

    response = client.post(link, data={"score": "4", "comment": "  Всё понятно, спасибо!  "})
    assert response.status_code == 302 and response.headers["Location"].endswith(link)
    html = page(client, link)
    assert "Thank you!" in html and "Your answer has been received." in html and 'name="score"' not in html
    [invitation] = invitations()
    assert (invitation.score, invitation.comment) == (4, "Всё понятно, спасибо!")
    assert utcnow() - invitation.answered_at < timedelta(seconds=5)


def test_answering_twice_is_refused_and_keeps_the_first_answer(client, link):
    client.post(link, data={"score": "5"})
    response = client.post(link, data={"score": "1", "comment": "Передумал"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "This survey has already been answered: one answer is counted per person." in html
    assert 'name="score"' not in html
    [invitation] = invitations()
    assert (invitation.score, invitation.comment) == (5, None)


def test_an_answer_from_a_stale_page_is_refused_by_the_conditional_update(en, submitted):
    [invitation] = invitations()
    with db.engine.begin() as connection:  # another worker answers after this one read the row
        connection.execute(sa.update(SurveyInvitation).values(answered_at=utcnow(), score=3))
    assert invitation.answered_at is None  # what this worker still has in memory
    with pytest.raises(Refused) as refused:
        answers.answer(invitation, 2)
    assert "already been answered" in str(refused.value)
    db.session.rollback()
    assert reload(invitation).score == 3


def test_an_expired_link_says_when_it_closed_and_takes_no_answer(client, link):
    [invitation] = invitations()
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    html = page(client, link)
    assert "This survey closed on" in html and 'name="score"' not in html
    response = client.post(link, data={"score": "5"})
    assert response.status_code == 409
    assert response.get_data(as_text=True).count("This survey closed on") == 1
    assert reload(invitation).answered_at is None


@pytest.mark.parametrize("token", ["x", "A" * 43, "A" * 5000, "%00", "..%2F..%2Fetc"])
def test_a_wrong_token_is_not_found(client, submitted, token):
    assert client.get(f"/surveys/{token}").status_code == 404
    assert client.post(f"/surveys/{token}", data={"score": "5"}).status_code == 404


def test_the_token_in_the_database_does_not_open_the_survey(client, link):
    [invitation] = invitations()
    assert client.get(f"/surveys/{invitation.token_sha256}").status_code == 404
    assert invitation_by_token(link.rsplit("/", 1)[1]).id == invitation.id


@pytest.mark.parametrize("score, message", [
    ("", "Choose a score from 1 to 5."),
    ("0", "The score must be a whole number from 1 to 5."),
    ("6", "The score must be a whole number from 1 to 5."),
    ("-1", "The score must be a whole number from 1 to 5."),
    ("4.5", "The score must be a whole number from 1 to 5."),
    (str(10**25), "The score must be a whole number from 1 to 5."),
    ("5\x00", "The score must be a whole number from 1 to 5."),
    ("пять", "The score must be a whole number from 1 to 5."),
])
def test_a_wrong_score_is_refused_next_to_the_buttons_and_the_comment_stays(client, link, score, message):
    response = client.post(link, data={"score": score, "comment": "Мой комментарий"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert error_next_to(html, "score") == message
    assert "Мой комментарий" in html
    assert invitations()[0].answered_at is None


def test_a_missing_score_field_is_refused_too(client, link):
    response = client.post(link, data={"comment": "Без оценки"})
    assert error_next_to(response.get_data(as_text=True), "score") == "Choose a score from 1 to 5."


def test_a_too_long_comment_is_refused_and_kept(client, link):
    text = "Очень длинный отзыв. " * 200
    response = client.post(link, data={"score": "4", "comment": text})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"at most {COMMENT_MAX} characters" in error_next_to(html, "comment")
    assert "Очень длинный отзыв." in html and 'value="4"' in html and "checked" in html
    assert invitations()[0].answered_at is None


def test_a_comment_with_a_nul_byte_is_refused_in_words(client, link):
    response = client.post(link, data={"score": "4", "comment": "Хорошо\x00"})
    assert response.status_code == 200
    assert "invisible control character" in error_next_to(response.get_data(as_text=True), "comment")
    assert invitations()[0].answered_at is None


def test_the_comment_keeps_its_lines_and_an_empty_one_is_none(en, submitted):
    [invitation] = invitations()
    answers.answer(invitation, "5", "Спасибо.\nВсё понравилось.")
    assert invitation.comment == "Спасибо.\nВсё понравилось."
    second = person(submitted.competition, 2)
    [other] = invitations(application_id=second.id)
    answers.answer(other, 2, "   ")
    assert (other.score, other.comment) == (2, None)


def test_the_answer_page_shows_nothing_about_the_person(client, en, call):
    application = person(call, 3, locale="ru")
    [link] = survey_links(application.applicant.email)
    html = page(client, link)
    for personal in (application.applicant.email, application.last_name, application.first_name, application.iin,
                     application.phone, application.number, application.project_title):
        assert personal not in html, personal
    assert call.title_ru in html  # in the person's language, though nobody is logged in
    assert '<html lang="ru">' in html


def test_the_answer_page_follows_a_language_chosen_on_the_device(client, link):
    client.get("/lang/kk")
    assert '<html lang="kk">' in page(client, link)


def test_the_answer_form_needs_the_csrf_token(client, link, csrf_enabled):
    response = client.post(link, data={"score": "5"})
    assert response.status_code in (200, 400)
    assert invitations()[0].answered_at is None
