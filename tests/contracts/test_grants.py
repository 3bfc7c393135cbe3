"""Grants: made for the draw's winners at publication and for reserves promoted later, once
each; their amount lowered and their termination, each with a reason, on the timeline and in
the audit log; the staff pages by role and the grantee's own page (others answer 404)."""
import pytest
import sqlalchemy as sa

from app.applications.models import ApplicationStatus
from app.audit.models import AuditEntry
from app.auth.models import Role
from app.contracts import grants
from app.contracts.models import Grant, GrantEventKind, GrantStatus
from app.contracts.signals import amount_committed
from app.errors import InvalidChange
from app.extensions import db
from app.lottery import replacement
from app.lottery.engine import WINNER
from tests.conftest import login
from tests.factories import make_user
from tests.lottery.test_lifecycle import drawn_draw, published_draw


def all_grants():
    return db.session.execute(sa.select(Grant).order_by(Grant.number)).scalars().all()


def audit_events(prefix="grant."):
    return [entry.event for entry in db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.event.startswith(prefix)).order_by(AuditEntry.seq)).scalars()]


@pytest.fixture
def draw(manager):
    return published_draw(manager)


@pytest.fixture
def grant(draw):
    return all_grants()[0]


# --- creation -------------------------------------------------------------------------------

def test_publishing_the_draw_makes_one_grant_per_winner_numbered_in_order_for_the_cap(draw):
    winners = [r["ticket"] for r in draw.results if r["outcome"] == WINNER]
    made = all_grants()
    assert sorted(g.application.number for g in made) == sorted(winners)
    code = draw.competition.code
    assert [g.number for g in made] == [f"{code}-G-{n:04d}" for n in range(1, len(winners) + 1)]
    # numbered in the order of the results
    assert [g.application.number for g in sorted(made, key=lambda g: g.id)] == winners
    assert {g.amount for g in made} == {draw.competition.grant_cap}
    assert {g.status for g in made} == {GrantStatus.CONTRACTING}
    assert all(g.events[0].kind is GrantEventKind.CREATED for g in made)
    assert audit_events().count("grant.created") == len(winners)


def test_no_grant_before_publication(manager):
    drawn_draw(manager)
    assert all_grants() == []


def test_awarding_again_makes_no_second_grant(draw, manager):
    before = [(g.id, g.number) for g in all_grants()]
    from app.lottery.signals import draw_published
    draw_published.send(draw, actor=manager)  # a retry
    for g in all_grants():
        assert grants.award(g.application, manager) is g
    db.session.commit()
    assert [(g.id, g.number) for g in all_grants()] == before


def test_a_promoted_reserve_gets_the_next_grant_and_the_leaving_winner_keeps_hers(draw, manager):
    count = len(all_grants())
    leaving = next(r["ticket"] for r in draw.results if r["outcome"] == WINNER and r["stratum"] == "ALA")
    promoted = replacement.replace_winner(draw, leaving, "withdrew", manager)
    db.session.commit()
    made = all_grants()
    assert len(made) == count + 1
    newest = max(made, key=lambda g: g.id)
    assert newest.application_id == promoted.id
    assert newest.number == f"{draw.competition.code}-G-{count + 1:04d}"
    assert promoted.status is ApplicationStatus.WINNER


# --- amount ---------------------------------------------------------------------------------

def test_a_manager_lowers_the_amount_with_a_reason(grant, manager):
    grants.lower_amount(grant, 800_000, "The budget line for a laptop was removed.", manager)
    db.session.commit()
    assert grant.amount == 800_000
    event = grant.events[-1]
    assert (event.kind, event.reason, event.data, event.actor_id) == (
        GrantEventKind.AMOUNT_LOWERED, "The budget line for a laptop was removed.", {"from": 1_000_000, "to": 800_000},
        manager.id)
    assert audit_events()[-1] == "grant.amount_lowered"


@pytest.mark.parametrize("amount, reason, field", [
    (0, "reason", "amount"),
    (-5, "reason", "amount"),
    (1_000_001, "reason", "amount"),  # above the cap
    (1_000_000, "reason", "amount"),  # not lower
    (500_000, "  ", "reason"),
    (500_000, "bad\x00text", "reason"),
    (500_000, "x" * 2001, "reason"),
])
def test_a_bad_amount_or_reason_is_refused(grant, manager, amount, reason, field):
    with pytest.raises(InvalidChange) as refused:
        grants.lower_amount(grant, amount, reason, manager)
    assert field in refused.value.errors
    db.session.rollback()
    assert grant.amount == 1_000_000


def test_the_amount_never_goes_below_what_payments_committed(grant, manager):
    def committed(sender):
        return 700_000

    amount_committed.connect(committed)
    try:
        with pytest.raises(InvalidChange) as refused:
            grants.lower_amount(grant, 600_000, "less", manager)
        assert "amount" in refused.value.errors
        grants.lower_amount(grant, 700_000, "exactly what is committed", manager)
    finally:
        amount_committed.disconnect(committed)
    assert grant.amount == 700_000


# --- termination ----------------------------------------------------------------------------

def test_terminating_needs_a_reason_and_closes_the_grant(grant, manager):
    with pytest.raises(InvalidChange):
        grants.terminate(grant, "", manager)
    grants.terminate(grant, "Declined the grant.", manager)
    db.session.commit()
    assert (grant.status, grant.terminated_reason) == (GrantStatus.TERMINATED, "Declined the grant.")
    assert audit_events()[-1] == "grant.terminated"
    with pytest.raises(grants.GrantRefused):
        grants.terminate(grant, "again", manager)
    with pytest.raises(grants.GrantRefused):
        grants.lower_amount(grant, 10, "after the end", manager)


@pytest.mark.parametrize("status, allowed", [
    (GrantStatus.CONTRACTING, True), (GrantStatus.ACTIVE, True), (GrantStatus.REPORTING, True),
    (GrantStatus.COMPLETED, False), (GrantStatus.TERMINATED, False),
])
def test_termination_follows_the_status_table(status, allowed):
    grant = Grant(status=status)
    assert grants.can_move(grant, GrantStatus.TERMINATED) is allowed


# --- pages ----------------------------------------------------------------------------------

def test_staff_see_the_list_and_the_grant_page_but_cannot_change_the_amount(client, grant):
    staff = make_user("staff@example.kz", roles=(Role.STAFF,))
    login(client, staff.email)
    page = client.get(f"/manage/grants?competition={grant.competition_id}").get_data(as_text=True)
    assert grant.number in page
    page = client.get(f"/manage/grants/{grant.id}").get_data(as_text=True)
    assert grant.number in page and 'id="amount"' not in page
    assert client.post(f"/manage/grants/{grant.id}/amount", data={"amount": 1, "reason": "x"}).status_code == 403
    assert client.post(f"/manage/grants/{grant.id}/terminate", data={"reason": "x"}).status_code == 403


def test_a_manager_lowers_and_terminates_through_the_pages(client, grant, manager):
    login(client, manager.email)
    response = client.post(f"/manage/grants/{grant.id}/amount", data={"amount": "2000000", "reason": "more"})
    assert response.status_code == 422 and "above the call" in response.get_data(as_text=True)
    response = client.post(f"/manage/grants/{grant.id}/amount", data={"amount": "900000", "reason": "Quote lower."})
    assert response.status_code == 302
    response = client.post(f"/manage/grants/{grant.id}/terminate", data={"reason": "Declined."})
    assert response.status_code == 302
    page = client.get(f"/manage/grants/{grant.id}").get_data(as_text=True)
    assert "Quote lower." in page and "Declined." in page and manager.email in page


def test_the_grantee_reads_the_timeline_in_their_language_and_nobody_else_opens_it(client, grant, manager):
    grants.lower_amount(grant, 900_000, "Смета уточнена.", manager)
    db.session.commit()
    grantee = grant.application.applicant
    grantee.locale = "ru"
    db.session.commit()
    login(client, grantee.email)
    client.get("/lang/ru")
    page = client.get(f"/my/grants/{grant.id}").get_data(as_text=True)
    assert grant.number in page and "Смета уточнена." in page and "История" in page
    assert manager.email not in page  # the staff member stays the project office
    assert f"/my/grants/{grant.id}" in client.get("/my/grants").get_data(as_text=True)
    other = next(g for g in all_grants() if g.id != grant.id)
    assert client.get(f"/my/grants/{other.id}").status_code == 404
    assert client.get("/my/grants/999999").status_code == 404
    assert client.get("/manage/grants").status_code == 403
