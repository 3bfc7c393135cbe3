"""The demo's monitoring: two groups of three, the plan covering every grant under way, visits with
photos for all but the last few, two visits waiting for a follow-up."""
import pytest

from app.auth.models import Role
from app.dbtypes import utcnow
from app.demo.monitoring import NOT_YET_VISITED, load_monitoring
from app.extensions import db
from app.monitoring import plan, visits
from app.monitoring.models import MonitoringGroup, Visit, VisitPhoto
from tests.conftest import login
from tests.factories import make_user
from tests.monitoring import signed_grants

DOMAIN = "demo.zhasproject.kz"


@pytest.fixture
def demo_staff(app_ctx):
    for role in (Role.MANAGER, Role.STAFF, Role.MONITOR):
        make_user(f"{role.value}@{DOMAIN}", roles=(role,))


def test_the_demo_plans_every_grant_and_visits_all_but_a_few(demo_staff, client):
    call, grants = signed_grants(regions=("ALA",) * 6 + ("MAN",) * 3, signed_days_ago=60)
    demo = load_monitoring(call, utcnow(), "demo-secret-1", DOMAIN)
    db.session.commit()

    assert (demo.groups, demo.planned, demo.visited) == (2, 9, 9 - NOT_YET_VISITED)
    assert demo.created_accounts == [f"monitor0{n}@{DOMAIN}" for n in range(1, 5)]
    almaty, aktau = db.session.query(MonitoringGroup).order_by(MonitoringGroup.region_code).all()
    assert [len(almaty.members), len(aktau.members)] == [3, 3]
    assert f"staff@{DOMAIN}" in [member.email for member in almaty.members]
    the_plan = plan.plan_of(call)
    assert not the_plan.uncovered
    assert {row.planned.group for row in the_plan.rows if row.grant.application.region_code == "MAN"} == {aktau}
    assert demo.follow_ups == len(visits.open_follow_ups()) == 2
    assert db.session.query(VisitPhoto).count() == 2 * demo.visited
    for visit in db.session.query(Visit):
        assert visit.recorded_at <= utcnow() and len(visit.photos) == 2
        assert visit.photos[0].thumbnail.startswith(b"\xff\xd8\xff")

    login(client, f"monitor01@{DOMAIN}", password="demo-secret-1")
    client.get("/lang/en")
    page = client.get("/manage/visits").get_data(as_text=True)
    assert "Мониторинговая группа г. Алматы" in page and page.count("data-planned-grant") == 6
    assert "Record the visit" in page  # the grants not yet visited


def test_the_demo_makes_only_groups_when_no_grant_is_under_way(demo_staff):
    call, _grants = signed_grants(regions=())
    demo = load_monitoring(call, utcnow(), "demo-secret-1", DOMAIN)
    assert (demo.groups, demo.planned, demo.visited) == (2, 0, 0)
