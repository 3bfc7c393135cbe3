"""The visit plan of a call covers every grant under way: the page shows what is not covered yet;
staff plan one grant or propose a plan for the rest, by region and over working days."""
from datetime import date, timedelta

import pytest

from app.auth.models import Role
from app.contracts import grants as grant_services
from app.contracts.models import GrantStatus
from app.errors import InvalidChange, Refused
from app.extensions import db
from app.monitoring import plan
from app.monitoring.models import PlannedVisit
from app.payments.decisions import almaty_today
from tests.conftest import login
from tests.factories import make_user
from tests.monitoring import make_group, plan_for, signed_grants
from tests.payments import make_grant
from tests.screening import audit_events

MONDAY = date(2031, 3, 3)


@pytest.fixture
def manager(app_ctx):
    return make_user("plan-manager@example.kz", roles=(Role.MANAGER,))


def test_the_plan_covers_grants_under_way_and_leaves_out_contracting_and_terminated(manager):
    call, (ala_1, ala_2, man_1) = signed_grants()
    grant_services.terminate(ala_2, "Грантополучатель отказался.", manager)
    contracting = make_grant(status=GrantStatus.CONTRACTING, number="ZP30-G-0099")
    contracting.competition_id = call.id
    db.session.commit()
    the_plan = plan.plan_of(call)
    assert [row.grant.number for row in the_plan.rows] == [ala_1.number, man_1.number]
    assert len(the_plan.uncovered) == 2

    plan_for(ala_1, make_group("Алматы"), actor=manager)
    the_plan = plan.plan_of(call)
    assert [row.grant for row in the_plan.uncovered] == [man_1]


def test_planning_a_grant_is_audited_and_a_second_time_moves_it(manager):
    call, (grant, *_rest) = signed_grants()
    group, other = make_group("Алматы"), make_group("Актау", email_prefix="aktau")
    today = almaty_today()
    plan_for(grant, group, today, manager)
    plan_for(grant, other, today + timedelta(days=3), manager)
    entry = db.session.query(PlannedVisit).one()
    assert (entry.group, entry.planned_on) == (other, today + timedelta(days=3))
    (_event, first), (_event2, second) = audit_events("monitoring.planned")
    assert first["before"] is None and second["before"] == {"group": group.id, "planned_on": today.isoformat()}


def test_a_visit_is_not_planned_before_the_contract_took_effect(manager):
    _call, (grant, *_rest) = signed_grants(signed_days_ago=10)
    with pytest.raises(InvalidChange) as refused:
        plan.plan_grant(grant, make_group(), almaty_today() - timedelta(days=11), manager)
    assert "planned_on" in refused.value.errors


def test_a_contracting_grant_is_not_planned(manager):
    grant = make_grant(status=GrantStatus.CONTRACTING, number="ZP30-G-0050")
    with pytest.raises(Refused):
        plan.plan_grant(grant, make_group(), almaty_today(), manager)


def test_the_proposal_gives_each_region_its_own_group_and_spreads_the_days(manager):
    call, grants = signed_grants(regions=("ALA",) * 5 + ("MAN",) * 3, signed_days_ago=400)
    almaty, aktau = make_group("Группа 1"), make_group("Группа 2", email_prefix="second")
    entries = plan.propose(call, MONDAY, 2, manager)
    db.session.commit()
    assert len(entries) == 8 and not plan.plan_of(call).uncovered
    by_grant = {entry.grant_id: entry for entry in entries}
    ala_groups = {by_grant[grant.id].group for grant in grants[:5]}
    man_groups = {by_grant[grant.id].group for grant in grants[5:]}
    assert len(ala_groups) == len(man_groups) == 1 and ala_groups != man_groups  # one group per region
    assert ala_groups == {almaty}  # the larger region first, to the least loaded (then by name)
    days = sorted(by_grant[grant.id].planned_on for grant in grants[:5])
    assert days == [MONDAY, MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=1),
                    MONDAY + timedelta(days=2)]  # two a day
    assert all(entry.planned_on.weekday() < 5 for entry in entries)
    (_event, data), = audit_events("monitoring.plan_proposed")
    assert data["per_day"] == 2 and len(data["planned"]) == 8 and data["actor"] == manager.id
    assert aktau in man_groups


def test_the_proposal_uses_the_region_of_a_group_and_skips_weekends(manager):
    call, grants = signed_grants(regions=("MAN", "MAN", "ALA"), signed_days_ago=400)
    aktau = make_group("Актау", region_code="MAN")
    anywhere = make_group("Алматы", email_prefix="ala")
    friday = MONDAY + timedelta(days=4)
    entries = {entry.grant_id: entry for entry in plan.propose(call, friday, 1, manager)}
    assert {entries[grant.id].group for grant in grants[:2]} == {aktau}
    assert sorted(entries[grant.id].planned_on for grant in grants[:2]) == [friday, friday + timedelta(days=3)]
    assert entries[grants[2].id].group == anywhere


def test_the_proposal_keeps_what_is_planned_and_counts_its_days(manager):
    call, (first, second, third) = signed_grants(signed_days_ago=400)
    group = make_group("Алматы")
    plan_for(first, group, MONDAY, manager)
    entries = plan.propose(call, MONDAY, 2, manager)
    assert {entry.grant_id for entry in entries} == {second.id, third.id}
    assert sorted(entry.planned_on for entry in entries) == [MONDAY, MONDAY + timedelta(days=1)]
    assert db.session.get(PlannedVisit, plan.planned_visit(first).id).planned_on == MONDAY


def test_the_proposal_does_not_plan_before_a_grants_contract(manager):
    call, (grant,) = signed_grants(regions=("ALA",), signed_days_ago=0)
    make_group()
    entry, = plan.propose(call, almaty_today() - timedelta(days=30), 3, manager)
    assert entry.planned_on >= almaty_today()


@pytest.mark.parametrize("first_day, per_day, field", [
    (None, 2, "first_day"), (MONDAY, 0, "per_day"), (MONDAY, 10**25, "per_day"), (MONDAY, None, "per_day")])
def test_bad_proposal_values_are_refused(manager, first_day, per_day, field):
    call, _grants = signed_grants()
    make_group()
    with pytest.raises(InvalidChange) as refused:
        plan.propose(call, first_day, per_day, manager)
    assert field in refused.value.errors


def test_a_proposal_needs_a_group_and_something_to_plan(manager):
    call, grants = signed_grants(regions=("ALA",))
    with pytest.raises(Refused, match="Make a monitoring group"):
        plan.propose(call, MONDAY, 2, manager)
    plan_for(grants[0], make_group(), actor=manager)
    with pytest.raises(Refused, match="already in the plan"):
        plan.propose(call, MONDAY, 2, manager)


def test_the_plan_page_shows_what_is_not_covered_and_plans_from_its_forms(client, manager):
    call, (first, second, third) = signed_grants()
    group = make_group("Алматы")
    login(client, manager.email)
    page = client.get(f"/manage/monitoring/calls/{call.id}").get_data(as_text=True)
    assert "3 grants not covered" in page and page.count("data-uncovered-grant") == 3

    day = almaty_today().isoformat()
    response = client.post(f"/manage/monitoring/calls/{call.id}/grants/{first.id}",
                           data={f"grant-{first.id}-group_id": str(group.id), f"grant-{first.id}-planned_on": day})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#grant-{first.id}")
    assert "2 grants not covered" in client.get(f"/manage/monitoring/calls/{call.id}").get_data(as_text=True)

    response = client.post(f"/manage/monitoring/calls/{call.id}/grants/{second.id}",
                           data={f"grant-{second.id}-group_id": "", f"grant-{second.id}-planned_on": day})
    assert response.status_code == 422 and "Choose a group." in response.get_data(as_text=True)

    response = client.post(f"/manage/monitoring/calls/{call.id}/propose",
                           data={"first_day": MONDAY.isoformat(), "per_day": "2"}, follow_redirects=True)
    assert "2 grants are planned" in response.get_data(as_text=True)
    assert "not covered" not in client.get(f"/manage/monitoring/calls/{call.id}").get_data(as_text=True)


@pytest.mark.parametrize("value", ["1" + "0" * 25, "-3", "два", "\x00"])
def test_a_hostile_number_of_visits_a_day_is_refused_without_a_500(client, manager, value):
    call, _grants = signed_grants()
    make_group()
    login(client, manager.email)
    response = client.post(f"/manage/monitoring/calls/{call.id}/propose",
                           data={"first_day": MONDAY.isoformat(), "per_day": value})
    assert response.status_code == 422
    assert db.session.query(PlannedVisit).count() == 0


@pytest.mark.parametrize("group_id, day", [("1" + "0" * 25, None), ("x", None), (None, "0001-01-01"),
                                           (None, "9999-99-99"), (None, "\x00")])
def test_a_hostile_plan_line_is_refused_without_a_500(client, manager, group_id, day):
    call, (grant, *_rest) = signed_grants()
    group = make_group()
    login(client, manager.email)
    response = client.post(f"/manage/monitoring/calls/{call.id}/grants/{grant.id}", data={
        f"grant-{grant.id}-group_id": group_id or str(group.id),
        f"grant-{grant.id}-planned_on": day or almaty_today().isoformat()})
    assert response.status_code == 422
    assert db.session.query(PlannedVisit).count() == 0


def test_a_grant_of_another_call_is_not_planned_from_this_calls_page(client, manager):
    call, (grant, *_rest) = signed_grants()
    other, (foreign,) = signed_grants(regions=("ALA",), code="ZP31", first=10)
    group = make_group()
    login(client, manager.email)
    response = client.post(f"/manage/monitoring/calls/{call.id}/grants/{foreign.id}", data={
        f"grant-{foreign.id}-group_id": str(group.id), f"grant-{foreign.id}-planned_on": almaty_today().isoformat()})
    assert response.status_code == 404
