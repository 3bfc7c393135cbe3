"""Appeals: a rejected applicant appeals once, within the call's period (Almaty calendar days,
the whole last day included), with a text and documents; a staff member other than the rejecter
decides; the decision is final, audited and mailed in the applicant's language."""
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.applications.models import ApplicationDocument, ApplicationStatus
from app.audit.models import AuditEntry
from app.audit.services import verify
from app.auth.models import Role
from app.dbtypes import utcnow
from app.extensions import db
from app.screening import appeals
from app.screening.appeals import AppealRefused, decide_appeal, submit_appeal
from app.screening.models import Appeal, AppealStatus, DecisionOutcome, ReasonCode, ScreeningDecision
from tests.applications import HTML, PNG, assert_no_inline_code, count, en, reload  # noqa: F401
from tests.conftest import login
from tests.factories import MINIMAL_PDF, make_open_competition, make_user, upload
from tests.mail.helpers import outbox_for
from tests.screening.helpers import reject, staff_user, submitted

S = ApplicationStatus


@pytest.fixture
def call(app_ctx):
    return make_open_competition(appeal_days=5)


@pytest.fixture
def screener(app_ctx):
    return staff_user("screener@example.kz")


@pytest.fixture
def second_screener(app_ctx):
    return staff_user("second@example.kz")


@pytest.fixture
def rejected(en, call, screener):
    application = submitted(call, "aigerim@example.kz")
    return reject(application, screener, reasons=(ReasonCode.AGE, ReasonCode.NO_NEET_EVIDENCE))


@pytest.fixture
def appealed(rejected):
    submit_appeal(rejected, rejected.applicant, "Мне 35 лет, справка из ЦЗН приложена.",
                  [upload(filename="справка.pdf")])
    db.session.commit()
    return reload(rejected)


def audit_events():
    return [entry.event for entry in db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars()]


def refusal(call_):
    with pytest.raises(AppealRefused) as raised:
        call_()
    db.session.rollback()
    return str(raised.value)


# --- the appeal period ----------------------------------------------------------------------

def test_the_period_ends_at_almaty_midnight_after_the_last_day():
    # Rejected at 23:30 on 25 October in Almaty (17:30 UTC): five days, to the end of 30 October.
    end = appeals.period_end(datetime(2025, 10, 25, 17, 30), 5)
    assert end == datetime(2025, 10, 30, 19, 0)  # 31 October 00:00 in Almaty (UTC+5)
    assert appeals.last_appeal_day(end) == datetime(2025, 10, 30).date()


def test_a_rejection_just_after_almaty_midnight_counts_from_that_almaty_day():
    # 00:30 on 26 October in Almaty is still 25 October in UTC.
    end = appeals.period_end(datetime(2025, 10, 25, 19, 30), 5)
    assert appeals.last_appeal_day(end) == datetime(2025, 10, 31).date()


def test_a_call_with_zero_appeal_days_has_no_appeal_period():
    assert appeals.period_end(datetime(2025, 10, 25, 10, 0), 0) is None


def test_the_applicant_can_appeal_until_the_end_of_the_last_day(en, call, screener):
    rejected_at = datetime(2025, 10, 25, 17, 30)
    application = reject(submitted(call, "aigerim@example.kz"), screener, at=rejected_at)
    applicant = application.applicant
    assert appeals.can_appeal(application, applicant, now=datetime(2025, 10, 30, 18, 59, 59))
    message = str(appeals.appeal_refusal(application, applicant, now=datetime(2025, 10, 30, 19, 0)))
    assert message == "The appeal period ended on 30 October 2025 (Almaty time)."


def test_an_appeal_after_the_period_is_refused(en, call, screener):
    application = reject(submitted(call, "aigerim@example.kz"), screener, at=utcnow() - timedelta(days=7))
    message = refusal(lambda: submit_appeal(application, application.applicant, "Прошу пересмотреть."))
    assert message.startswith("The appeal period ended on ")
    application = reload(application)
    assert application.status is S.REJECTED and application.appeal is None


def test_no_appeal_when_the_call_allows_none(en, screener):
    call = make_open_competition(appeal_days=0)
    application = reject(submitted(call, "aigerim@example.kz"), screener)
    assert refusal(lambda: submit_appeal(application, application.applicant, "Прошу.")) == \
        "The rules of this competition do not allow appeals."


# --- the applicant's appeal -----------------------------------------------------------------

def test_rejected_applicant_can_appeal_once_with_a_text_and_documents(rejected):
    appeal = submit_appeal(rejected, rejected.applicant, "  Мне 35 лет.  ",
                           [upload(filename="справка.pdf"), upload(PNG, "фото.png", "image/png"),
                            upload(b"", "")])  # an empty file input is skipped
    db.session.commit()
    application = reload(rejected)
    assert application.status is S.APPEALED
    assert (appeal.text, appeal.status) == ("Мне 35 лет.", AppealStatus.PENDING)
    documents = appeals.appeal_documents(appeal)
    assert [(d.original_name, d.kind) for d in documents] == [("справка.pdf", "pdf"), ("фото.png", "png")]
    assert all(d.appeal_id == appeal.id for d in documents)
    [mail] = [m for m in outbox_for("aigerim@example.kz") if "Appeal" in m.subject]
    assert mail.subject.startswith(f"Appeal on application {application.number} received")
    assert f"/my/applications/{application.id}" in mail.body_text
    assert not [event for event in audit_events() if event.startswith("appeal")]  # the applicant is not staff


def test_a_second_appeal_is_refused(appealed, second_screener):
    assert refusal(lambda: submit_appeal(appealed, appealed.applicant, "Ещё раз.")) == \
        "This application has already been appealed. An application can be appealed only once."
    decide_appeal(appealed.appeal, second_screener, False, "Справка не подтверждает статус.", appealed.state_version)
    db.session.commit()
    application = reload(appealed)
    assert application.status is S.REJECTED
    assert refusal(lambda: submit_appeal(application, application.applicant, "Ещё раз.")) == \
        "This application has already been appealed. An application can be appealed only once."
    assert count(Appeal) == 1


def test_the_database_allows_one_appeal_per_application(appealed):
    db.session.add(Appeal(application_id=appealed.id, text="Второй"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_unique_constraint_refuses_an_appeal_the_checks_missed(rejected, monkeypatch):
    db.session.add(Appeal(application_id=rejected.id, text="Из другой вкладки"))  # a concurrent request
    db.session.commit()
    monkeypatch.setattr(appeals, "appeal_refusal", lambda *args: None)
    assert refusal(lambda: submit_appeal(rejected, rejected.applicant, "Прошу.")) == \
        "This application has already been appealed. An application can be appealed only once."
    assert count(Appeal) == 1


def test_only_the_applicant_can_appeal(rejected, app_ctx):
    stranger = make_user("stranger@example.kz")
    assert refusal(lambda: submit_appeal(rejected, stranger, "Прошу.")) == \
        "Only the applicant can appeal this decision."


def test_only_a_rejected_application_can_be_appealed(en, call):
    application = submitted(call, "aigerim@example.kz")
    assert refusal(lambda: submit_appeal(application, application.applicant, "Прошу.")) == \
        "Only a rejected application can be appealed."


@pytest.mark.parametrize("text, message", [
    ("   ", "Write why you think the decision is wrong."),
    ("я" * (appeals.APPEAL_TEXT_MAX + 1), f"The text is too long: at most {appeals.APPEAL_TEXT_MAX} characters."),
    ("Прошу\x00пересмотреть", "This text contains an invisible control character that cannot be saved. Delete it "
                               "(or type the text again) and save."),
])
def test_the_appeal_needs_a_text_of_reasonable_length(rejected, text, message):
    with pytest.raises(AppealRefused) as raised:
        submit_appeal(rejected, rejected.applicant, text)
    assert (str(raised.value), raised.value.field) == (message, "text")


def test_appeal_documents_are_checked_by_content(rejected):
    with pytest.raises(AppealRefused) as raised:
        submit_appeal(rejected, rejected.applicant, "Прошу.", [upload(HTML, "справка.pdf")])
    assert raised.value.field == "documents"
    assert "справка.pdf: This file is not of an accepted type." in str(raised.value)
    db.session.rollback()
    assert reload(rejected).status is S.REJECTED
    assert count(Appeal) == 0
    appeal_documents = sa.select(ApplicationDocument).where(ApplicationDocument.appeal_id.is_not(None))
    assert db.session.execute(appeal_documents).first() is None


def test_too_many_appeal_documents_are_refused(rejected):
    files = [upload(filename=f"{n}.pdf") for n in range(appeals.APPEAL_FILES_MAX + 1)]
    assert refusal(lambda: submit_appeal(rejected, rejected.applicant, "Прошу.", files)) == \
        f"Attach at most {appeals.APPEAL_FILES_MAX} files."


# --- the decision ---------------------------------------------------------------------------

def test_an_upheld_appeal_makes_the_application_eligible(appealed, second_screener):
    decide_appeal(appealed.appeal, second_screener, True, "Справка из ЦЗН подтверждает статус.", appealed.state_version)
    db.session.commit()
    application = reload(appealed)
    assert application.status is S.ELIGIBLE
    appeal = application.appeal
    assert (appeal.status, appeal.decided_by_id, appeal.decision_message) == (
        AppealStatus.UPHELD, second_screener.id, "Справка из ЦЗН подтверждает статус.")
    decision = db.session.execute(sa.select(ScreeningDecision).order_by(ScreeningDecision.id.desc())).scalars().first()
    assert (decision.outcome, decision.on_appeal, decision.reasons, decision.decided_by_id) == (
        DecisionOutcome.ELIGIBLE, True, [], second_screener.id)
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.event == "appeal.upheld")).scalar_one()
    assert entry.actor_id == second_screener.id
    assert entry.data["application"] == application.id and entry.data["appeal"] == appeal.id
    assert verify() is None
    assert application.events[-1].message == "Справка из ЦЗН подтверждает статус."


def test_a_dismissed_appeal_is_final_and_keeps_the_reasons(appealed, second_screener):
    decide_appeal(appealed.appeal, second_screener, False, "Справка не подтверждает статус.", appealed.state_version)
    db.session.commit()
    application = reload(appealed)
    assert application.status is S.REJECTED
    assert application.appeal.status is AppealStatus.DISMISSED
    decision = db.session.execute(sa.select(ScreeningDecision).order_by(ScreeningDecision.id.desc())).scalars().first()
    assert (decision.outcome, decision.on_appeal) == (DecisionOutcome.REJECTED, True)
    assert decision.reasons == ["age", "no_neet_evidence"]
    assert "appeal.dismissed" in audit_events()
    assert not appeals.can_appeal(application, application.applicant)


def test_a_dismissal_needs_a_message(appealed, second_screener):
    with pytest.raises(AppealRefused) as raised:
        decide_appeal(appealed.appeal, second_screener, False, "  ", appealed.state_version)
    assert (str(raised.value), raised.value.field) == ("Explain to the applicant why the rejection stands.", "message")


def test_a_screener_cannot_decide_an_appeal_against_their_own_rejection(appealed, screener):
    assert refusal(lambda: decide_appeal(appealed.appeal, screener, True, "", appealed.state_version)) == \
        "You cannot decide on an appeal against your own decision."
    assert reload(appealed).status is S.APPEALED


def test_a_manager_may_decide_but_not_an_applicant_or_finance(appealed, app_ctx):
    for user in (appealed.applicant, staff_user("finance@example.kz", Role.FINANCE)):
        assert refusal(lambda: decide_appeal(appealed.appeal, user, True, "", appealed.state_version)) == \
            "Only project office staff can decide on appeals."
    manager = staff_user("manager@example.kz", Role.MANAGER)
    decide_appeal(appealed.appeal, manager, True, "", appealed.state_version)
    db.session.commit()
    assert reload(appealed).status is S.ELIGIBLE


def test_a_decision_on_a_stale_page_is_refused(appealed, second_screener):
    assert refusal(lambda: decide_appeal(appealed.appeal, second_screener, True, "", appealed.state_version - 1)) == \
        "This application has changed since you opened it. Reload the page, check it again and decide then."


def test_a_decision_from_a_second_tab_is_refused_and_applied_once(appealed, second_screener, app_ctx):
    version = appealed.state_version
    decide_appeal(appealed.appeal, second_screener, True, "", version)
    db.session.commit()
    third = staff_user("third@example.kz")
    assert refusal(lambda: decide_appeal(reload(appealed).appeal, third, False, "Нет.", version)) == \
        "This appeal has already been decided."
    assert reload(appealed).status is S.ELIGIBLE
    assert audit_events().count("appeal.upheld") == 1


def test_the_decision_is_mailed_in_the_applicants_language(en, call, screener, second_screener):
    application = reject(submitted(call, "asel@example.kz", locale="kk"), screener)
    submit_appeal(application, application.applicant, "Қайта қарауды сұраймын.")
    db.session.commit()
    application = reload(application)
    decide_appeal(application.appeal, second_screener, False, "Құжат жоқ.", application.state_version)
    db.session.commit()
    received, decided = outbox_for("asel@example.kz")[-2:]
    assert received.locale == decided.locale == "kk"
    assert application.number in decided.subject
    assert "Құжат жоқ." in decided.body_text


# --- the applicant's pages ------------------------------------------------------------------

@pytest.fixture
def as_rejected(client, rejected):
    login(client, rejected.applicant.email)
    return client


def test_the_application_page_offers_the_appeal_with_its_last_day(as_rejected, rejected):
    html = as_rejected.get(f"/my/applications/{rejected.id}").get_data(as_text=True)
    assert f"/my/applications/{rejected.id}/appeal" in html
    last_day = appeals.last_appeal_day(appeals.appeal_deadline(rejected))
    assert f"until the end of {last_day.day} {last_day:%B %Y}" in html
    assert_no_inline_code(html)


def test_the_applicant_appeals_from_the_form_with_files(as_rejected, rejected):
    page = as_rejected.get(f"/my/applications/{rejected.id}/appeal")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Age outside the competition" in html and 'enctype="multipart/form-data"' in html
    assert_no_inline_code(html)
    response = as_rejected.post(f"/my/applications/{rejected.id}/appeal", data={
        "text": "Мне 35 лет.", "documents": [upload(filename="справка.pdf"), upload(PNG, "фото.png", "image/png")],
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    html = as_rejected.get(f"/my/applications/{rejected.id}").get_data(as_text=True)
    assert "Your appeal" in html and "Мне 35 лет." in html and "Waiting for a decision" in html
    assert "справка.pdf" in html and "фото.png" in html
    assert f"/my/applications/{rejected.id}/appeal\"" not in html
    document = appeals.appeal_documents(reload(rejected).appeal)[0]
    download = as_rejected.get(f"/applications/{rejected.id}/documents/{document.id}")
    assert download.status_code == 200 and download.data == MINIMAL_PDF


def test_the_form_shows_a_refusal_next_to_the_field(as_rejected, rejected):
    response = as_rejected.post(f"/my/applications/{rejected.id}/appeal", data={"text": ""})
    assert response.status_code == 200
    assert "Write why you think the decision is wrong." in response.get_data(as_text=True)
    assert reload(rejected).status is S.REJECTED


def test_after_the_period_the_page_says_so_and_the_form_is_closed(client, en, call, screener):
    application = reject(submitted(call, "aigerim@example.kz"), screener, at=utcnow() - timedelta(days=8))
    login(client, application.applicant.email)
    html = client.get(f"/my/applications/{application.id}").get_data(as_text=True)
    assert "The appeal period ended on" in html and f"/my/applications/{application.id}/appeal\"" not in html
    response = client.get(f"/my/applications/{application.id}/appeal")
    assert response.status_code == 302
    response = client.post(f"/my/applications/{application.id}/appeal", data={"text": "Прошу."}, follow_redirects=True)
    assert "The appeal period ended on" in response.get_data(as_text=True)
    assert reload(application).appeal is None


def test_the_decision_is_shown_on_the_application_page(client, appealed, second_screener):
    decide_appeal(appealed.appeal, second_screener, True, "Статус подтверждён.", appealed.state_version)
    db.session.commit()
    login(client, appealed.applicant.email)
    html = client.get(f"/my/applications/{appealed.id}").get_data(as_text=True)
    assert "Your appeal has been upheld" in html and "Статус подтверждён." in html


def test_another_persons_appeal_page_answers_404(client, rejected, app_ctx):
    make_user("stranger@example.kz")
    login(client, "stranger@example.kz")
    assert client.get(f"/my/applications/{rejected.id}/appeal").status_code == 404
    assert client.post(f"/my/applications/{rejected.id}/appeal", data={"text": "x"}).status_code == 404


# --- the staff pages ------------------------------------------------------------------------

def test_staff_see_the_pending_appeals_of_a_call(client, appealed, call, second_screener):
    login(client, second_screener.email)
    html = client.get(f"/manage/screening/calls/{call.id}/appeals").get_data(as_text=True)
    assert appealed.number in html and f"/manage/screening/appeals/{appealed.appeal.id}" in html
    assert "Waiting for a decision (1)" in html
    assert_no_inline_code(html)


def test_the_appeal_screen_shows_the_text_documents_and_reasons_and_decides(client, appealed, second_screener):
    login(client, second_screener.email)
    url = f"/manage/screening/appeals/{appealed.appeal.id}"
    html = client.get(url).get_data(as_text=True)
    assert "Мне 35 лет, справка из ЦЗН приложена." in html
    assert "Age outside the competition" in html and "No documents confirming the NEET status" in html
    document = appeals.appeal_documents(appealed.appeal)[0]
    assert f"/applications/{appealed.id}/documents/{document.id}" in html
    assert_no_inline_code(html)
    assert client.get(f"/applications/{appealed.id}/documents/{document.id}").status_code == 200

    response = client.post(url, data={"outcome": "upheld", "message": "", "state_version": appealed.state_version})
    assert response.status_code == 302
    assert reload(appealed).status is S.ELIGIBLE
    assert "Upheld" in client.get(url).get_data(as_text=True)


def test_the_rejecter_sees_no_decision_form_and_cannot_post_one(client, appealed, screener):
    login(client, screener.email)
    url = f"/manage/screening/appeals/{appealed.appeal.id}"
    html = client.get(url).get_data(as_text=True)
    assert "You cannot decide on an appeal against your own decision." in html
    assert 'name="outcome"' not in html
    response = client.post(url, data={"outcome": "upheld", "state_version": appealed.state_version})
    assert "You cannot decide on an appeal against your own decision." in response.get_data(as_text=True)
    assert reload(appealed).status is S.APPEALED


def test_a_stale_decision_form_is_refused_with_a_message(client, appealed, second_screener):
    login(client, second_screener.email)
    response = client.post(f"/manage/screening/appeals/{appealed.appeal.id}", data={
        "outcome": "dismissed", "message": "Нет.", "state_version": appealed.state_version - 1})
    assert "This application has changed since you opened it." in response.get_data(as_text=True)
    assert reload(appealed).status is S.APPEALED


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.FINANCE, Role.MENTOR, Role.MONITOR])
def test_non_screeners_get_403_on_the_appeal_pages(client, appealed, call, role):
    user = make_user(f"{role.value}-x@example.kz", roles=(role,))
    login(client, user.email)
    assert client.get(f"/manage/screening/calls/{call.id}/appeals").status_code == 403
    assert client.get(f"/manage/screening/appeals/{appealed.appeal.id}").status_code == 403
    assert client.post(f"/manage/screening/appeals/{appealed.appeal.id}",
                       data={"outcome": "upheld", "state_version": appealed.state_version}).status_code == 403
