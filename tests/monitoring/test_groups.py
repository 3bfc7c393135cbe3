"""Monitoring groups: a name, a region or none, members among the accounts that may record visits;
made and changed by staff who manage monitoring, every change audited, bad values refused."""
import pytest

from app.auth.models import Role
from app.errors import InvalidChange
from app.extensions import db
from app.monitoring import groups
from app.monitoring.models import MonitoringGroup
from tests.conftest import login
from tests.factories import make_user
from tests.monitoring import make_group
from tests.screening import audit_events


@pytest.fixture
def people(app_ctx):
    return [make_user("monitor1@example.kz", roles=(Role.MONITOR,)),
            make_user("screener@example.kz", roles=(Role.STAFF,)),
            make_user("boss@example.kz", roles=(Role.MANAGER,))]


def test_screeners_managers_and_monitors_can_be_members_but_not_finance_mentors_or_applicants(people):
    make_user("finance@example.kz", roles=(Role.FINANCE,))
    make_user("mentor@example.kz", roles=(Role.MENTOR,))
    make_user("applicant@example.kz")
    assert [user.email for user in groups.member_candidates()] == [
        "boss@example.kz", "monitor1@example.kz", "screener@example.kz"]


def test_a_group_is_made_changed_and_audited(people):
    group = groups.create_group({"name": "  Алматы   группа ", "region_code": "ALA",
                                 "member_ids": [people[0].id, people[1].id]}, people[2])
    db.session.commit()
    assert (group.name, group.region_code) == ("Алматы группа", "ALA")
    assert [member.email for member in group.members] == ["monitor1@example.kz", "screener@example.kz"]

    groups.update_group(group, {"name": "Алматы", "region_code": "", "member_ids": [people[0].id]}, people[2])
    db.session.commit()
    assert (group.name, group.region_code, len(group.members)) == ("Алматы", None, 1)
    (created, first), (changed, second) = audit_events("monitoring.group")
    assert (created, changed) == ("monitoring.group_created", "monitoring.group_changed")
    assert first["members"] == sorted([people[0].id, people[1].id]) and first["actor"] == people[2].id
    assert second["before"]["name"] == "Алматы группа" and second["region"] is None


@pytest.mark.parametrize("values, field", [
    ({"name": ""}, "name"),
    ({"name": "x" * 121}, "name"),
    ({"name": "Алматы\x00"}, "name"),
    ({"region_code": "XXX"}, "region_code"),
    ({"member_ids": []}, "member_ids"),
    ({"member_ids": [10**25]}, "member_ids"),
])
def test_bad_group_values_are_refused_next_to_their_field(people, values, field):
    data = {"name": "Актау", "region_code": "MAN", "member_ids": [people[0].id], **values}
    with pytest.raises(InvalidChange) as refused:
        groups.create_group(data, people[2])
    assert field in refused.value.errors
    db.session.rollback()
    assert db.session.query(MonitoringGroup).count() == 0


def test_a_finance_account_is_not_a_member(people):
    accountant = make_user("finance@example.kz", roles=(Role.FINANCE,))
    with pytest.raises(InvalidChange) as refused:
        groups.create_group({"name": "Актау", "member_ids": [accountant.id]}, people[2])
    assert "member_ids" in refused.value.errors


def test_two_groups_cannot_share_a_name(people):
    make_group("Актау", members=[people[0]])
    with pytest.raises(InvalidChange) as refused:
        groups.create_group({"name": "Актау", "member_ids": [people[1].id]}, people[2])
    assert refused.value.errors == {"name": ["Another group has this name."]}


def test_the_group_form_saves_and_shows_errors(client, people):
    login(client, people[2].email)
    response = client.post("/manage/monitoring/groups/new", data={"name": "", "member_ids": [str(people[0].id)]})
    assert response.status_code == 200 and "Name the group" in response.get_data(as_text=True)
    response = client.post("/manage/monitoring/groups/new", data={
        "name": "Актау", "region_code": "MAN", "member_ids": [str(people[0].id), str(people[1].id)]})
    assert response.status_code == 302
    group = db.session.query(MonitoringGroup).one()
    page = client.get(f"/manage/monitoring/groups/{group.id}").get_data(as_text=True)
    assert 'value="Актау"' in page and "monitor1@example.kz" in page
    assert "Актау" in client.get("/manage/monitoring").get_data(as_text=True)


def test_a_monitor_or_a_screener_cannot_manage_groups(client, people):
    for user in people[:2]:
        login(client, user.email)
        assert client.get("/manage/monitoring/groups/new").status_code == 403
        assert client.post("/manage/monitoring/groups/new", data={"name": "X"}).status_code == 403
