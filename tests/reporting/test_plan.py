"""The plan of the report to the Operator, configured on its pages: the standard plan in one click,
the header, tasks, activities with computed or typed indicators, the effect table and the
partners; bad input gets a message next to its field and changes nothing; only REPORT opens it."""
import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.extensions import db
from app.reporting import plan
from app.reporting.fact_values import FACTS
from app.reporting.models import EffectRow, Partner, PlanActivity, PlanIndicator, PlanTask, ReportHeader
from tests import factories
from tests.conftest import login

BASE = "/manage/report-to-operator"


@pytest.fixture
def call(app_ctx):
    return factories.make_competition(code="PL25")


def audit_events():
    return [entry.event for entry in db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.event.startswith("report.")).order_by(AuditEntry.seq)).scalars()]


def count(model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def activity_form(**changes):
    data = {"activity_ru": "Провести Open Day", "activity_kk": "Open Day өткізу", "dates_ru": "октябрь 2025 г.",
            "place_ru": "Актау", "indicators-0-name_ru": "Встречи Open Day", "indicators-0-plan_ru": "не менее 10",
            "indicators-0-fact_key": "office.events.open_day", "indicators-1-name_ru": "Буклеты",
            "indicators-1-plan_ru": "500", "indicators-1-fact_ru": "500", "indicators-1-fact_key": "",
            "indicators-2-name_ru": "", "indicators-2-fact_key": ""}
    data.update(changes)
    return data


def test_the_standard_plan_fills_an_empty_plan_once(call, as_manager):
    page = as_manager.get(f"{BASE}/{call.id}")
    assert "Fill with the standard plan" in page.text
    response = as_manager.post(f"{BASE}/{call.id}/standard", follow_redirects=True)
    assert "The standard plan is filled in." in response.text
    tasks = plan.tasks_of(call)
    assert len(tasks) == 7 and all(task.activities for task in tasks)
    indicators = [i for task in tasks for activity in task.activities for i in activity.indicators]
    assert all(i.fact_key in FACTS for i in indicators if i.fact_key)
    assert len({i.fact_key for i in indicators if i.fact_key}) >= 20
    assert [row.fact_key for row in plan.effects_of(call)][0] == "grants.awarded" and len(plan.effects_of(call)) == 9
    winners = next(i for i in indicators if i.fact_key == "draw.winners_by_region")
    assert winners.plan_ru == "28: город Алматы — 20, Мангистауская область — 8"
    again = as_manager.post(f"{BASE}/{call.id}/standard", follow_redirects=True)
    assert "The plan is already begun" in again.text
    assert count(PlanTask) == 7
    assert audit_events() == ["report.standard_plan_filled"]
    assert "computed" in as_manager.get(f"{BASE}/{call.id}").text


def test_the_header_is_saved_and_shown(call, as_manager):
    response = as_manager.post(f"{BASE}/{call.id}/header", data={
        "project_name_ru": "ZHAS PROJECT", "project_name_kk": "", "period_start": "2025-09-25",
        "period_end": "2026-09-30", "total_amount": "34 490 370", "goal_ru": "Повысить качество жизни NEET"})
    assert response.status_code == 302
    header = db.session.get(ReportHeader, call.id)
    assert (header.total_amount, header.period_start.isoformat(), header.goal_ru) == (
        34_490_370, "2025-09-25", "Повысить качество жизни NEET")
    page = as_manager.get(f"{BASE}/{call.id}/header")
    assert 'value="34490370"' in page.text and "ZHAS PROJECT" in page.text
    assert audit_events() == ["report.header_saved"]


@pytest.mark.parametrize("changes, field_message", [
    ({"goal_ru": "Цель\x00"}, "invisible control character"),
    ({"project_name_kk": "Ж" * 501}, "At most 500 characters."),
    ({"total_amount": "1" + "0" * 25}, "Enter a whole number from 0 to"),
    ({"total_amount": "-5"}, "Enter a whole number from 0 to"),
    ({"total_amount": "много"}, "Enter a whole number."),
    ({"period_start": "2026-01-10", "period_end": "2025-01-10"}, "The period cannot end before it starts."),
    ({"period_start": "1800-01-01"}, "Enter a date from"),
])
def test_a_bad_header_is_refused_with_a_message_and_nothing_is_saved(call, as_manager, changes, field_message):
    response = as_manager.post(f"{BASE}/{call.id}/header", data={"project_name_ru": "Проект", **changes})
    assert response.status_code == 422
    assert field_message in response.text
    assert db.session.get(ReportHeader, call.id) is None


def test_tasks_and_activities_with_computed_and_typed_indicators(call, as_manager):
    assert as_manager.post(f"{BASE}/{call.id}/tasks/new", data={"title_ru": "Информационная кампания"}).status_code == 302
    task = plan.tasks_of(call)[0]
    assert task.position == 1
    assert as_manager.get(f"{BASE}/tasks/{task.id}/activities/new").status_code == 200
    response = as_manager.post(f"{BASE}/tasks/{task.id}/activities/new", data=activity_form())
    assert response.status_code == 302, response.text
    activity = db.session.execute(sa.select(PlanActivity)).scalar_one()
    assert [(i.name_ru, i.fact_key, i.fact_ru) for i in activity.indicators] == [
        ("Встречи Open Day", "office.events.open_day", ""), ("Буклеты", None, "500")]
    page = as_manager.get(f"{BASE}/{call.id}")
    assert 'data-fact="office.events.open_day">0' in page.text and "500" in page.text
    first, second = activity.indicators
    edit = as_manager.get(f"{BASE}/activities/{activity.id}")
    assert f'value="{first.id}"' in edit.text
    response = as_manager.post(f"{BASE}/activities/{activity.id}", data=activity_form(**{
        "indicators-0-id": str(first.id), "indicators-0-fact_key": "office.events", "indicators-1-id": str(second.id),
        "indicators-1-delete": "y", "indicators-2-name_kk": "Қатысушылар", "indicators-2-fact_key":
        "office.event_participants"}))
    assert response.status_code == 302, response.text
    db.session.expire_all()
    assert [(i.name_ru or i.name_kk, i.fact_key) for i in activity.indicators] == [
        ("Встречи Open Day", "office.events"), ("Қатысушылар", "office.event_participants")]
    assert as_manager.post(f"{BASE}/tasks/{task.id}/delete").status_code == 302
    assert count(PlanTask) == count(PlanActivity) == count(PlanIndicator) == 0
    assert audit_events() == ["report.task_added", "report.activity_added", "report.activity_changed",
                              "report.task_deleted"]


@pytest.mark.parametrize("changes, message", [
    ({"indicators-0-fact_ru": "12"}, "Either choose a computed figure or type the fact, not both."),
    ({"indicators-0-fact_key": "applications.everything"}, "Choose a figure from the list."),
    ({"indicators-1-name_ru": ""}, "Write it in Russian or in Kazakh (or both)."),
    ({"indicators-1-id": "12abc"}, "This row is no longer in the plan: reload the page."),
    ({"indicators-1-id": "999999"}, "This row is no longer in the plan: reload the page."),
    ({"position": "1" + "0" * 25}, "Enter a whole number from 1 to"),
    ({"indicators-0-position": "0"}, "Enter a whole number from 1 to"),
    ({"activity_ru": "", "activity_kk": ""}, "Write it in Russian or in Kazakh (or both)."),
    ({"place_ru": "Актау\x00"}, "invisible control character"),
    ({"dates_ru": "д" * 201}, "At most 200 characters."),
    ({"results_ru": "р" * 5001}, "At most 5000 characters."),
])
def test_a_bad_activity_is_refused_next_to_its_field(call, as_manager, changes, message):
    task = plan.add_task(call, {"title_ru": "Задача"}, None)
    db.session.commit()
    response = as_manager.post(f"{BASE}/tasks/{task.id}/activities/new", data=activity_form(**changes))
    assert response.status_code == 422
    assert message in response.text
    assert count(PlanActivity) == count(PlanIndicator) == 0
    assert 'value="Встречи Open Day"' in response.text  # nothing typed is lost


def test_the_effect_table_and_the_partners(call, as_manager):
    response = as_manager.post(f"{BASE}/{call.id}/effects", data={
        "effects-0-name_ru": "Вклад в экономику", "effects-0-unit_ru": "тенге", "effects-0-plan_ru": "28 000 000",
        "effects-0-fact_key": "payments.paid", "effects-1-name_ru": "", "effects-1-fact_key": ""})
    assert response.status_code == 302
    assert [(row.name_ru, row.fact_key) for row in plan.effects_of(call)] == [("Вклад в экономику", "payments.paid")]
    response = as_manager.post(f"{BASE}/{call.id}/partners", data={
        "partners-0-name_ru": "Молодёжный ресурсный центр", "partners-0-role_ru": "Освещение",
        "partners-0-contacts": "8 701 551 44 84", "partners-1-name_kk": "Ізгі жүрек", "partners-1-contacts": ""})
    assert response.status_code == 302
    partners = plan.partners_of(call)
    assert [(p.position, p.name_ru or p.name_kk) for p in partners] == [(1, "Молодёжный ресурсный центр"),
                                                                       (2, "Ізгі жүрек")]
    page = as_manager.get(f"{BASE}/{call.id}/partners")
    assert page.text.count("data-row=") == 2 + 3  # the saved rows and three to fill in
    bad = as_manager.post(f"{BASE}/{call.id}/partners", data={
        "partners-0-id": str(partners[0].id), "partners-0-name_ru": "Центр", "partners-0-contacts": "8 701\x00",
        "partners-1-id": str(partners[1].id), "partners-1-delete": "y"})
    assert bad.status_code == 422 and "invisible control character" in bad.text
    assert count(Partner) == 2  # nothing changed, the removal included
    removed = as_manager.post(f"{BASE}/{call.id}/partners", data={
        "partners-0-id": str(partners[0].id), "partners-0-name_ru": "Центр", "partners-1-id": str(partners[1].id),
        "partners-1-delete": "y"})
    assert removed.status_code == 302
    assert [p.name_ru for p in plan.partners_of(call)] == ["Центр"]
    assert count(EffectRow) == 1
    assert audit_events() == ["report.effects_saved", "report.partners_saved", "report.partners_saved"]


def test_a_task_can_be_renamed_and_moved(call, as_manager):
    for title in ("Первая", "Вторая"):
        plan.add_task(call, {"title_ru": title}, None)
    db.session.commit()
    first, second = plan.tasks_of(call)
    response = as_manager.post(f"{BASE}/tasks/{first.id}", data={"title_ru": "Первая", "title_kk": "Бірінші",
                                                                  "position": "3"})
    assert response.status_code == 302
    assert [task.title_ru for task in plan.tasks_of(call)] == ["Вторая", "Первая"]
    assert as_manager.post(f"{BASE}/tasks/{first.id}", data={"title_ru": "x" * 5001}).status_code == 422


@pytest.mark.parametrize("role, status", [(Role.STAFF, 403), (Role.FINANCE, 403), (Role.MENTOR, 403),
                                          (Role.MANAGER, 200), (Role.ADMIN, 200)])
def test_only_managers_and_admins_configure_the_report(call, client, make_user, role, status):
    user = make_user(f"{role.value}-plan@example.kz", roles=(role,))
    login(client, user.email)
    assert client.get(f"{BASE}/{call.id}").status_code == status
    assert client.get(f"{BASE}/").status_code == status
    expected = 403 if status == 403 else 302
    assert client.post(f"{BASE}/{call.id}/tasks/new", data={"title_ru": "Задача"}).status_code == expected


def test_an_unknown_call_task_or_activity_is_not_found(call, as_manager):
    for url in (f"{BASE}/999999", f"{BASE}/tasks/999999", f"{BASE}/activities/999999", f"{BASE}/999999/effects",
                f"{BASE}/999999/annex8-ru.pdf"):
        assert as_manager.get(url).status_code == 404, url
