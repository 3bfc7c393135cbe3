"""Who keeps the office log: the project office (staff, managers, administrators) with
LOG_CONSULTATIONS; finance, mentors, monitors and applicants do not. The office finds it in the
menu and on their start page."""
import pytest

from app.auth.models import Role
from app.auth.permissions import Permission, roles_with
from app.office_log import queries
from tests.conftest import login
from tests.factories import make_user
from tests.office_log import log, make_staff

PAGES = ("/manage/office-log/", "/manage/office-log/consultations", "/manage/office-log/events",
         "/manage/office-log/events/new", "/manage/office-log/consultations/new")


def test_the_project_office_keeps_the_log():
    assert roles_with(Permission.LOG_CONSULTATIONS) == {Role.STAFF, Role.MANAGER, Role.ADMIN}


@pytest.mark.parametrize("role", [Role.FINANCE, Role.MENTOR, Role.MONITOR, Role.APPLICANT], ids=lambda r: r.value)
def test_other_roles_may_not_open_or_write_the_log(client, app_ctx, role):
    user = make_user(f"{role.value}@example.kz", roles=(role,))
    login(client, user.email)
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    assert client.post("/manage/office-log/consultations", data={"channel": "call", "topic": "other",
                                                                  "note": "x"}).status_code == 403
    if role is not Role.APPLICANT:
        page = client.get("/manage/").get_data(as_text=True)
        assert "Office log" not in page and "data-office-log-card" not in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/manage/office-log/consultations")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER, Role.ADMIN], ids=lambda r: r.value)
def test_the_office_finds_the_log_in_the_menu_and_on_the_start_page(client, app_ctx, role):
    user = make_staff(role)
    log(user)
    login(client, user.email)
    page = client.get("/manage/").get_data(as_text=True)
    assert 'href="/manage/office-log/consultations">Office log</a>' in page
    assert "data-office-log-card" in page and "Today: 1, logged by you: 1" in page
    for url in PAGES:
        assert client.get(url).status_code == 200, url


def test_forms_carry_a_csrf_token(app, client, app_ctx, monkeypatch):
    login(client, make_staff().email)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/manage/office-log/consultations").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    response = client.post("/manage/office-log/consultations", data={"channel": "call", "topic": "other",
                                                                      "note": "без токена"})
    assert response.status_code == 400
    assert queries.consultation_count() == 0
