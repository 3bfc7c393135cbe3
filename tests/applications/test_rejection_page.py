"""What a rejected applicant reads: the reasons in their language, the screener's message and the
last day to appeal, on the application page and in the mail, one date everywhere."""
import re

import pytest

from app.screening import appeals
from app.screening.models import ReasonCode
from tests.applications import en  # noqa: F401
from tests.conftest import login
from tests.factories import make_open_competition
from tests.mail.helpers import outbox_for
from tests.screening.helpers import reject, staff_user, submitted

MESSAGE = "Справка из ЦЗН не приложена.\nПриложите её к апелляции."


@pytest.fixture
def call(app_ctx):
    return make_open_competition(appeal_days=5)


def rejected_of(call, locale="en"):
    screener = staff_user("screener@example.kz")
    application = submitted(call, "aigerim@example.kz", locale=locale)
    return reject(application, screener, reasons=(ReasonCode.AGE, ReasonCode.NO_NEET_EVIDENCE), message=MESSAGE)


def status_card(html):
    return re.search(r'<section class="card mb-4" aria-labelledby="status-heading">(.*?)</section>', html, re.S).group(1)


def test_the_status_card_shows_the_reasons_the_message_and_the_last_day_to_appeal(client, en, call):
    application = rejected_of(call)
    login(client, application.applicant.email)
    html = client.get(f"/my/applications/{application.id}").get_data(as_text=True)
    card = status_card(html)
    assert "<li>Age outside the competition&#39;s rule</li>" in card
    assert "<li>No documents confirming the NEET status</li>" in card
    assert "Справка из ЦЗН не приложена." in card and "Приложите её к апелляции." in card
    last_day = appeals.last_appeal_day(appeals.appeal_deadline(application))
    written = f"{last_day.day} {last_day:%B %Y}"
    assert f"Last day to appeal: {written}" in card
    assert f"until the end of {written}" in html  # the appeal card: the same day


def test_the_reasons_are_in_the_applicants_language(client, call):
    application = rejected_of(call, locale="ru")
    login(client, application.applicant.email)  # the account's language: Russian
    html = client.get(f"/my/applications/{application.id}").get_data(as_text=True)
    assert "Возраст не соответствует требованиям конкурса" in status_card(html)


def test_the_rejection_mail_gives_the_reasons_the_message_and_the_last_day_to_appeal(en, call):
    application = rejected_of(call)
    body = outbox_for("aigerim@example.kz")[-1].body_text
    last_day = appeals.last_appeal_day(appeals.appeal_deadline(application))
    assert "- Age outside the competition's rule" in body
    assert "Справка из ЦЗН не приложена." in body
    assert f"until the end of {last_day.day} {last_day:%B %Y} (Almaty time)" in body


def test_a_call_without_appeals_mails_no_date(en, app_ctx):
    application = rejected_of(make_open_competition(appeal_days=0))
    body = outbox_for("aigerim@example.kz")[-1].body_text
    assert "until the end of" not in body
    assert appeals.appeal_deadline(application) is None
