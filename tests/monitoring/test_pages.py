"""Where monitoring shows: the grant's pages (staff: plan, visits, follow-up; the grantee: the days
and ratings only), the navbar's "Visits" for those who visit and "Monitoring" for those who
manage it, the start page's card of a group's member, and the monitoring overview."""
import pytest

from app.auth.models import Role
from app.monitoring.models import CheckAnswer, CheckItem, VisitRating
from tests.conftest import login
from tests.factories import make_user
from tests.monitoring import make_group, plan_for, record, signed_grants


@pytest.fixture
def visited(app_ctx):
    """A grant planned for a group and visited once, with a finding that needs a follow-up."""
    _call, (grant, other) = signed_grants(regions=("ALA", "MAN"))
    group = make_group("Алматы")
    plan_for(grant, group)
    visit = record(grant, group.members[0], rating=VisitRating.POOR,
                   answers={CheckItem.PURCHASES_IN_PLACE: CheckAnswer.NO},
                   findings="Закупленный инвентарь не найден на месте.")
    return grant, other, group, visit


def test_staff_see_the_plan_visits_and_follow_up_on_the_grant_page(visited, client):
    grant, other, group, visit = visited
    login(client, make_user("pages-manager@example.kz", roles=(Role.MANAGER,)).email)
    page = client.get(f"/manage/grants/{grant.id}").get_data(as_text=True)
    assert 'data-section="monitoring"' in page and "Алматы" in page
    assert "Закупленный инвентарь не найден" in page and "Follow-up needed" in page
    assert f"/manage/visits/{visit.id}" in page
    page = client.get(f"/manage/grants/{other.id}").get_data(as_text=True)
    assert "Not in the visit plan yet" in page and f"#grant-{other.id}" in page


def test_the_grantee_sees_the_day_and_the_rating_but_not_the_findings(visited, client):
    grant, _other, _group, _visit = visited
    login(client, grant.application.applicant.email)
    page = client.get(f"/my/grants/{grant.id}").get_data(as_text=True)
    assert 'data-section="monitoring"' in page and 'data-rating="poor"' in page
    assert "Закупленный инвентарь" not in page and "Follow-up" not in page


def test_a_grantee_not_yet_visited_sees_no_monitoring_section(visited, client):
    _grant, other, _group, _visit = visited
    login(client, other.application.applicant.email)
    assert 'data-section="monitoring"' not in client.get(f"/my/grants/{other.id}").get_data(as_text=True)


def test_a_member_finds_the_visits_in_the_navbar_and_on_the_start_page(visited, client):
    grant, _other, group, _visit = visited
    login(client, group.members[1].email)
    page = client.get("/manage/").get_data(as_text=True)
    assert 'href="/manage/visits"' in page and "data-visit-work" in page
    assert "0 of 1 planned grants still to visit." in page
    assert "Nothing waits for your role" not in page
    visits_page = client.get("/manage/visits").get_data(as_text=True)
    assert grant.number in visits_page and "Record another visit" in visits_page
    assert f'href="tel:{grant.application.phone}"' in visits_page


def test_a_monitor_outside_any_group_is_told_so(app_ctx, client):
    login(client, make_user("lonely-monitor@example.kz", roles=(Role.MONITOR,)).email)
    assert 'href="/manage/visits"' in client.get("/manage/").get_data(as_text=True)
    assert "You are not in a monitoring group yet." in client.get("/manage/visits").get_data(as_text=True)


def test_a_screener_outside_the_groups_has_no_visits_link_and_a_manager_has_monitoring(app_ctx, client):
    screener = make_user("pages-screener@example.kz", roles=(Role.STAFF,))
    login(client, screener.email)
    page = client.get("/manage/").get_data(as_text=True)
    assert 'href="/manage/visits"' not in page and 'href="/manage/monitoring"' not in page
    client.post("/logout")
    login(client, make_user("pages-boss@example.kz", roles=(Role.MANAGER,)).email)
    assert 'href="/manage/monitoring"' in client.get("/manage/").get_data(as_text=True)


def test_the_overview_lists_the_follow_ups_the_plans_and_the_groups(visited, client):
    grant, _other, group, visit = visited
    login(client, make_user("pages-admin@example.kz", roles=(Role.ADMIN,)).email)
    page = client.get("/manage/monitoring").get_data(as_text=True)
    assert f'href="/manage/visits/{visit.id}">{grant.number}</a>' in page
    assert "1 of 2 grants planned, 1 visited" in page and "Not covered: 1" in page
    assert group.members[0].email in page
    assert client.get(f"/manage/monitoring/calls/{grant.competition_id}").status_code == 200
