"""My applications: the list, one application's status and history, its receipt and the
withdraw button; and the privacy rule: another person's application id answers 404 on every
page that takes one."""
import re
from io import BytesIO

import pytest
from flask import url_for
from pypdf import PdfReader

from app.applications import status
from app.applications.models import ApplicationStatus
from app.applications.submission import submit
from app.auth.models import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.applications import (applicant, as_applicant, assert_no_inline_code, call, complete, count,  # noqa: F401
                                en, other, reload)
from tests.conftest import login
from tests.factories import make_application, make_user

S = ApplicationStatus


@pytest.fixture
def submitted(en, complete):
    submit(complete, complete.applicant, consent=True)
    db.session.commit()
    return reload(complete)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    assert_no_inline_code(html)
    return html


# --- the list -------------------------------------------------------------------------------

def test_my_applications_lists_mine_newest_first_with_their_status(as_applicant, call, submitted, other):
    draft = make_application(call, submitted.applicant, iin=submitted.iin, project_title="Второй черновик")
    make_application(call, other, project_title="Чужой проект")
    html = page(as_applicant, "/my/applications")
    assert html.index("Второй черновик") < html.index("Швейная мастерская для молодых мам")
    assert "Чужой проект" not in html
    assert "ZP25-0001" in html and "Submitted" in html and "Draft" in html
    assert f'/my/applications/{draft.id}"' in html


def test_with_no_application_the_list_points_to_the_open_call(as_applicant, call):
    html = page(as_applicant, "/my/applications")
    assert "You have no applications yet." in html
    assert f"/calls/{call.id}" in html


def test_the_list_needs_a_login(client):
    response = client.get("/my/applications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- one application ------------------------------------------------------------------------

def test_a_submitted_application_shows_its_number_receipt_links_and_withdraw_button(as_applicant, submitted):
    html = page(as_applicant, f"/my/applications/{submitted.id}")
    assert "Application ZP25-0001" in html
    assert submitted.snapshot_sha256 in html
    for lang in ("kk", "ru", "en"):
        assert f"/my/applications/{submitted.id}/receipt-{lang}.pdf" in html
    assert "Қазақша" in html and "Русский" in html
    assert f"/my/applications/{submitted.id}/withdraw" in html


def test_a_draft_links_to_the_form_and_has_no_receipt_or_withdraw(as_applicant, complete):
    html = page(as_applicant, f"/my/applications/{complete.id}")
    assert f"/applications/{complete.id}/step/1" in html
    assert "receipt-" not in html
    assert "/withdraw" not in html


def test_the_history_shows_each_status_with_the_office_s_message(as_applicant, submitted):
    screener = make_user("screener@example.kz", roles=(Role.STAFF,))
    application = reload(submitted)
    status.move(application, S.CORRECTION_REQUESTED, screener,
                "Загрузите справку из центра занятости.\nСрок: 5 дней.")
    db.session.commit()

    html = page(as_applicant, f"/my/applications/{submitted.id}")
    history = html[html.index('id="timeline-heading"'):]
    assert history.index("Draft started") < history.index("Submitted") < history.index("Correction requested")
    assert "Загрузите справку из центра занятости." in history and "Срок: 5 дней." in history
    assert "The project office asks you to correct your application." in html
    assert "/withdraw" in html  # still before the draw


def test_a_winner_sees_no_withdraw_button(as_applicant, submitted):
    application = reload(submitted)
    application.status = S.WINNER
    db.session.commit()
    html = page(as_applicant, f"/my/applications/{submitted.id}")
    assert "Winner" in html and "/withdraw" not in html


# --- the receipt ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang, words", [("kk", "Алматы қаласы"), ("ru", "город Алматы")])
def test_the_receipt_downloads_as_a_pdf_attachment(as_applicant, submitted, lang, words):
    response = as_applicant.get(f"/my/applications/{submitted.id}/receipt-{lang}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f"attachment; filename=ZP25-0001-{lang}.pdf"
    assert "no-store" in response.headers["Cache-Control"]
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    assert words in " ".join(text.split())


def test_a_draft_or_an_unknown_language_has_no_receipt(as_applicant, submitted, complete, call):
    draft = make_application(call, submitted.applicant, iin=submitted.iin)
    assert as_applicant.get(f"/my/applications/{draft.id}/receipt-kk.pdf").status_code == 404
    assert as_applicant.get(f"/my/applications/{submitted.id}/receipt-de.pdf").status_code == 404


# --- withdrawing ----------------------------------------------------------------------------

def test_withdraw_asks_first_then_withdraws_and_says_so(as_applicant, submitted):
    url = f"/my/applications/{submitted.id}/withdraw"
    html = page(as_applicant, url)
    assert "Withdraw application ZP25-0001?" in html
    assert reload(submitted).status is S.SUBMITTED

    response = as_applicant.post(url, data={"reason": "Нашла работу."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/my/applications/{submitted.id}")
    application = reload(submitted)
    assert application.status is S.WITHDRAWN and application.submitted_iin is None
    html = page(as_applicant, f"/my/applications/{submitted.id}")
    assert "Application ZP25-0001 has been withdrawn." in html
    assert "Нашла работу." in html
    assert count(OutboxMessage) == 3  # the receipt, the survey invitation, then the withdrawal

    response = as_applicant.post(url, data={})
    assert "can no longer be withdrawn" in as_applicant.get(response.headers["Location"]).get_data(as_text=True)
    assert count(OutboxMessage) == 3


def test_a_too_long_reason_is_refused_next_to_the_field(as_applicant, submitted):
    response = as_applicant.post(f"/my/applications/{submitted.id}/withdraw", data={"reason": "x" * 1001})
    assert response.status_code == 200
    assert "reason-error" in response.get_data(as_text=True)
    assert reload(submitted).status is S.SUBMITTED


def test_withdraw_needs_the_csrf_token(as_applicant, submitted, csrf_enabled):
    response = as_applicant.post(f"/my/applications/{submitted.id}/withdraw", data={})
    assert response.status_code == 400
    assert reload(submitted).status is S.SUBMITTED


def test_the_withdraw_form_carries_a_csrf_token(as_applicant, submitted, csrf_enabled):
    html = page(as_applicant, f"/my/applications/{submitted.id}/withdraw")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    response = as_applicant.post(f"/my/applications/{submitted.id}/withdraw",
                                 data={"csrf_token": token.group(1)})
    assert response.status_code == 302
    assert reload(submitted).status is S.WITHDRAWN


# --- privacy --------------------------------------------------------------------------------

def my_routes_with_an_id(app):
    """Every route of the `my` blueprint that takes an application id, as (rule, method)."""
    found = [(rule, method) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("my.")
             and "application_id" in rule.arguments for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    assert len(found) >= 4  # the page, the receipt, the withdraw page and its POST
    return found


def url_of(app, rule, application_id):
    values = {"application_id": application_id, "lang": "kk"}
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def test_every_my_route_with_an_id_answers_404_to_another_applicant(app, client, submitted, other):
    login(client, other.email)
    for rule, method in my_routes_with_an_id(app):
        for application_id in (submitted.id, submitted.id + 1000):
            response = client.open(url_of(app, rule, application_id), method=method, data={})
            assert response.status_code == 404, (rule.rule, method, application_id)
    application = reload(submitted)
    assert application.status is S.SUBMITTED and count(OutboxMessage) == 2  # the receipt and the survey invitation


def test_staff_get_404_on_an_applicants_my_pages_too(app, client, submitted):
    make_user("manager@example.kz", roles=(Role.MANAGER,))
    login(client, "manager@example.kz")
    for rule, method in my_routes_with_an_id(app):
        assert client.open(url_of(app, rule, submitted.id), method=method).status_code == 404, rule.rule


def test_every_my_route_with_an_id_sends_the_anonymous_to_login(app, client, submitted):
    for rule, method in my_routes_with_an_id(app):
        response = client.open(url_of(app, rule, submitted.id), method=method, data={})
        assert response.status_code == 302, (rule.rule, method)
        assert "/login" in response.headers["Location"]
    assert reload(submitted).status is S.SUBMITTED


def test_the_owner_reaches_every_my_route_with_an_id(app, as_applicant, submitted):
    for rule, method in my_routes_with_an_id(app):
        if method == "GET":
            assert as_applicant.get(url_of(app, rule, submitted.id)).status_code == 200, rule.rule
