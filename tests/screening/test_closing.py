"""Closing screening: only after the window, with every application decided and every appeal
period over; and the summary (counts by region and by reason, the two lists) it publishes."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.applications.submission import withdraw
from app.audit.models import AuditEntry
from app.auth.models import Role
from app.dbtypes import utcnow
from app.extensions import db
from app.screening import closing
from app.screening.appeals import AppealRefused, appeal_deadline, decide_appeal, last_appeal_day, submit_appeal
from app.screening.closing import ClosingRefused, close_screening, masked_name, screening_summary
from app.screening.models import ReasonCode
from tests.applications import assert_no_inline_code, en, reload  # noqa: F401
from tests.conftest import login
from tests.factories import make_open_competition, make_user
from tests.screening.helpers import close_window, make_eligible, reject, staff_user, submitted

LONG_AGO = timedelta(days=10)


@pytest.fixture
def call(app_ctx):
    return make_open_competition(appeal_days=5)


@pytest.fixture
def screener(app_ctx):
    return staff_user("screener@example.kz")


@pytest.fixture
def manager(app_ctx):
    return staff_user("manager@example.kz", Role.MANAGER)


@pytest.fixture
def screened(en, call, screener):
    """Four applications in two strata, all decided long enough ago; the window closed."""
    past = utcnow() - LONG_AGO
    a = make_eligible(submitted(call, "a@example.kz", first_name="Айгерим", last_name="Нұрланова"), screener, at=past)
    b = reject(submitted(call, "b@example.kz", first_name="Ерлан", last_name="Сейітов", region_code="MAN",
                         district_code="MAN-AKTAU"), screener, reasons=(ReasonCode.AGE, ReasonCode.DUPLICATE), at=past)
    c = reject(submitted(call, "c@example.kz", first_name="Дана", last_name="Ким"), screener,
               reasons=(ReasonCode.AGE,), at=past)
    d = make_eligible(submitted(call, "d@example.kz", first_name="Мирас", last_name="Омаров", region_code="MAN",
                                district_code="MAN-AKTAU"), screener, at=past)
    close_window(call, days_ago=12)
    return call, [a, b, c, d]


def problems(competition):
    return [str(problem) for problem in closing.closing_problems(competition)]


def refused(competition, actor):
    with pytest.raises(ClosingRefused) as raised:
        close_screening(competition, actor)
    db.session.rollback()
    return [str(problem) for problem in raised.value.problems]


# --- when it can close ----------------------------------------------------------------------

def test_screening_closes_when_everything_is_decided_and_appeal_periods_are_over(screened, manager):
    call, _ = screened
    assert problems(call) == []
    close_screening(call, manager)
    db.session.commit()
    call = reload(call)
    assert call.screening_closed_at is not None
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.event == "screening.closed")).scalar_one()
    assert entry.actor_id == manager.id
    assert (entry.data["eligible"], entry.data["rejected"]) == (2, 2)
    assert entry.data["eligible_numbers"] == ["ZP25-0001", "ZP25-0004"]


def test_screening_cannot_close_while_applications_are_open(en, call, manager):
    assert refused(call, manager)[0].startswith("Applications are open until ")


def test_screening_cannot_close_with_undecided_applications(en, call, screener, manager):
    submitted(call, "a@example.kz")
    submitted(call, "b@example.kz")
    close_window(call)
    assert refused(call, manager) == [
        "2 applications are still undecided (submitted, correction requested or appealed)."]
    assert reload(call).screening_closed_at is None


def test_an_open_appeal_counts_as_undecided(screened, screener, manager):
    call, _ = screened
    application = reject(submitted_late(call, "e@example.kz"), screener)
    submit_appeal(application, application.applicant, "Прошу пересмотреть.")
    db.session.commit()
    assert refused(call, manager) == ["1 application is still undecided (submitted, correction requested or appealed)."]


def submitted_late(call, email):
    """An application submitted while the call was open again for a moment."""
    opens, closes = call.opens_at, call.closes_at
    call.opens_at, call.closes_at = utcnow() - timedelta(days=1), utcnow() + timedelta(days=1)
    db.session.commit()
    application = submitted(call, email)
    call.opens_at, call.closes_at = opens, closes
    db.session.commit()
    return application


def test_screening_cannot_close_while_a_rejected_applicant_can_still_appeal(screened, screener, manager):
    call, _ = screened
    recent = reject(submitted_late(call, "e@example.kz"), screener, at=utcnow() - timedelta(days=1))
    [problem] = refused(call, manager)
    assert problem.startswith("1 rejected applicant can still appeal; the last appeal period ends on ")
    last_day = last_appeal_day(appeal_deadline(recent))
    assert f"{last_day.day} {last_day:%B %Y} (Almaty time)." in problem


def test_once_the_period_is_over_the_rejection_no_longer_blocks(screened, screener, manager):
    call, _ = screened
    reject(submitted_late(call, "e@example.kz"), screener, at=utcnow() - timedelta(days=7))
    assert problems(call) == []


def test_a_decided_appeal_does_not_block_closing(screened, screener, manager):
    call, _ = screened
    application = reject(submitted_late(call, "e@example.kz"), screener, at=utcnow() - timedelta(days=1))
    submit_appeal(application, application.applicant, "Прошу.")
    db.session.commit()
    application = reload(application)
    decide_appeal(application.appeal, manager, False, "Нет оснований.", application.state_version)
    db.session.commit()
    assert problems(call) == []  # dismissed: final, no second appeal


def test_screening_cannot_be_closed_twice(screened, manager):
    call, _ = screened
    close_screening(call, manager)
    db.session.commit()
    [problem] = refused(call, manager)
    assert problem.startswith("Screening of this competition was closed on ")


def test_after_closing_no_appeal_is_accepted(screened, manager):
    call, applications = screened
    close_screening(call, manager)
    db.session.commit()
    rejected = reload(applications[1])
    with pytest.raises(AppealRefused) as raised:
        submit_appeal(rejected, rejected.applicant, "Прошу.")
    assert str(raised.value) == "Screening of this competition is closed: appeals are no longer accepted."


def test_drafts_and_withdrawn_applications_do_not_block_closing(screened, app_ctx):
    call, _ = screened
    application = submitted_late(call, "w@example.kz")
    withdraw(application, application.applicant)
    db.session.commit()
    assert problems(call) == []


# --- the summary ----------------------------------------------------------------------------

@pytest.mark.parametrize("first, last, masked", [
    ("Айгерим", "Нұрланова", "Айгерим Н."),
    (" Әсел ", "  Өтепова", "Әсел Ө."),
    ("Дана", "", "Дана"),
    ("Дана", None, "Дана"),
])
def test_masked_name_is_the_first_name_and_the_initial_of_the_last(first, last, masked):
    assert masked_name(first, last) == masked


def test_the_summary_counts_by_region_and_by_reason_and_lists_both(screened):
    call, _ = screened
    summary = screening_summary(call)
    assert [(r.region_code, r.screened, r.eligible, r.rejected) for r in summary.regions] == [
        ("ALA", 2, 1, 1), ("MAN", 2, 1, 1)]
    assert summary.reasons == [(ReasonCode.AGE, 2), (ReasonCode.DUPLICATE, 1)]
    assert [(r.number, r.masked_name, r.region_code) for r in summary.eligible] == [
        ("ZP25-0001", "Айгерим Н.", "ALA"), ("ZP25-0004", "Мирас О.", "MAN")]
    assert [(r.number, r.masked_name, r.reasons) for r in summary.rejected] == [
        ("ZP25-0002", "Ерлан С.", (ReasonCode.AGE, ReasonCode.DUPLICATE)), ("ZP25-0003", "Дана К.", (ReasonCode.AGE,))]
    assert summary.screened == 4


def test_the_summary_marks_appeal_decisions(screened, screener, manager):
    call, _ = screened
    upheld = reject(submitted_late(call, "e@example.kz"), screener, reasons=(ReasonCode.NO_REGISTRATION_PROOF,))
    submit_appeal(upheld, upheld.applicant, "Справка приложена.")
    db.session.commit()
    upheld = reload(upheld)
    decide_appeal(upheld.appeal, manager, True, "", upheld.state_version)
    db.session.commit()
    summary = screening_summary(call)
    row = next(r for r in summary.eligible if r.number == upheld.number)
    assert row.on_appeal and row.reasons == ()
    assert ReasonCode.NO_REGISTRATION_PROOF not in dict(summary.reasons)


def test_a_region_outside_the_strata_is_listed_after_them(en, call, screener):
    reject(submitted(call, "x@example.kz", region_code="AST", district_code=None), screener,
           reasons=(ReasonCode.OTHER,))
    summary = screening_summary(call)
    assert [r.region_code for r in summary.regions] == ["ALA", "MAN", "AST"]
    assert [r.screened for r in summary.regions] == [0, 0, 1]


def test_the_summary_needs_a_constant_number_of_queries(screened, app):
    call, _ = screened
    statements = []

    def count_statement(*args):
        statements.append(args)

    db.session.expire_all()
    call = reload(call)
    _ = call.strata
    sa.event.listen(db.engine, "before_cursor_execute", count_statement)
    try:
        screening_summary(call)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count_statement)
    assert len(statements) == 2


# --- the staff page -------------------------------------------------------------------------

def test_the_staff_page_shows_what_blocks_closing(client, en, call, screener):
    submitted(call, "a@example.kz")
    login(client, screener.email)
    html = client.get(f"/manage/screening/calls/{call.id}/results").get_data(as_text=True)
    assert "Screening cannot be closed yet" in html
    assert "1 application is still undecided" in html
    assert_no_inline_code(html)


def test_staff_close_screening_from_the_page(client, screened, screener):
    call, _ = screened
    login(client, screener.email)
    html = client.get(f"/manage/screening/calls/{call.id}/results").get_data(as_text=True)
    assert "Айгерим Н." in html and "ZP25-0002" in html
    response = client.post(f"/manage/screening/calls/{call.id}/close")
    assert response.status_code == 302
    assert reload(call).screening_closed_at is not None
    html = client.get(f"/manage/screening/calls/{call.id}/results").get_data(as_text=True)
    assert "The eligible list is final" in html


def test_a_refused_close_shows_the_reasons(client, en, call, manager):
    login(client, manager.email)
    response = client.post(f"/manage/screening/calls/{call.id}/close")
    assert response.status_code == 200
    assert "Applications are open until" in response.get_data(as_text=True)
    assert reload(call).screening_closed_at is None


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.FINANCE, Role.MENTOR, Role.MONITOR])
def test_non_screeners_get_403_on_the_closing_pages(client, call, app_ctx, role):
    user = make_user(f"{role.value}-x@example.kz", roles=(role,))
    login(client, user.email)
    assert client.get(f"/manage/screening/calls/{call.id}/results").status_code == 403
    assert client.post(f"/manage/screening/calls/{call.id}/close").status_code == 403


def test_the_closing_pages_need_a_login(client, call):
    response = client.get(f"/manage/screening/calls/{call.id}/results")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_withdrawal_after_closing_leaves_the_lists_as_screening_made_them(screened, manager):
    call, applications = screened
    before = submitted_late(call, "w@example.kz")
    withdraw(before, before.applicant)
    db.session.commit()
    close_screening(call, manager)
    db.session.commit()
    after = reload(applications[3])
    withdraw(after, after.applicant)  # before the draw list is committed it still may
    db.session.commit()
    summary = screening_summary(reload(call))
    assert [r.number for r in summary.eligible] == ["ZP25-0001", "ZP25-0004"]
    assert before.number not in [r.number for r in summary.eligible + summary.rejected]
    assert summary.screened == 4
