"""The staff start page: staff land there after log-in, see the queue counts, the appeals waiting
and the draw's next step of every call by their permissions, in the same few queries whatever the
number of calls; the navbar shows "My applications" to applicants and to staff who applied."""
import pytest

from app.applications.models import ApplicationStatus
from app.auth.models import Role
from app.extensions import db
from app.lottery import lifecycle
from app.lottery.engine import SHA256_RANK
from app.lottery.models import DrawState
from app.screening.models import Appeal
from app.site.start import next_draw_step, work_of
from tests.conftest import login
from tests.factories import make_application, make_competition, make_open_competition, make_user
from tests.lottery.test_lifecycle import RULE, add_applications, closed_competition
from tests.screening import counting_queries

S = ApplicationStatus


def busy_call(code, screener):
    """A call with 3 submitted (one assigned to `screener`), 1 waiting for a correction and 1
    appealed application with its appeal pending."""
    call = make_open_competition(code=code)
    submitted = add_applications(call, "ALA", 3, status=S.SUBMITTED)
    add_applications(call, "MAN", 1, status=S.CORRECTION_REQUESTED)
    appealed, = add_applications(call, "MAN", 1, status=S.APPEALED)
    submitted[0].assigned_screener_id = screener.id
    db.session.add(Appeal(application_id=appealed.id, text="Прошу пересмотреть."))
    db.session.commit()
    return call


def test_a_screener_sees_the_queue_counts_and_the_appeals_of_each_call(app_ctx, client):
    screener = make_user("screener@example.kz", roles=(Role.STAFF,))
    call = busy_call("ZP25", screener)
    work, = work_of(screener)
    assert work.competition == call
    assert (work.submitted, work.correction_requested, work.appealed) == (3, 1, 1)
    assert (work.unassigned, work.mine, work.appeals_waiting) == (4, 1, 1)
    assert work.draw_step is None  # a screener does not run draws

    login(client, screener.email)
    html = client.get("/manage/").get_data(as_text=True)
    assert f"/manage/screening/{call.id}/?screener=me" in html
    assert f"/manage/screening/{call.id}/?status=submitted" in html
    assert f"/manage/screening/calls/{call.id}/appeals" in html
    assert "/manage/draws" not in html and "/admin/" not in html


def test_the_start_page_takes_the_same_queries_for_one_call_or_many(app_ctx, client):
    manager = make_user("manager@example.kz", roles=(Role.MANAGER,))
    busy_call("ZP25", manager)
    login(client, manager.email)
    with counting_queries() as one_call:
        assert client.get("/manage/").status_code == 200
    for code in ("ZP26", "ZP27", "ZP28"):
        busy_call(code, manager)
    competition = closed_competition(code="ZP29")
    add_applications(competition, "ALA", 2)
    lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    db.session.commit()
    with counting_queries() as five_calls:
        html = client.get("/manage/").get_data(as_text=True)
    assert html.count('data-draw-step="') == 5
    assert len(five_calls) == len(one_call) <= 15, five_calls


def test_an_administrator_is_shown_the_way_to_administration(app_ctx, client):
    admin = make_user("admin@example.kz", roles=(Role.ADMIN,))
    login(client, admin.email)
    assert 'href="/admin/"' in client.get("/manage/").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.FINANCE, Role.MENTOR, Role.MONITOR], ids=lambda role: role.value)
def test_roles_without_calls_to_screen_open_the_start_page_too(app_ctx, client, role):
    make_open_competition()
    user = make_user(f"{role.value}@example.kz", roles=(role,))
    login(client, user.email)
    assert client.get("/manage/").status_code == 200


def test_an_applicant_is_refused_the_start_page(app_ctx, client):
    applicant = make_user("applicant@example.kz")
    login(client, applicant.email)
    assert client.get("/manage/").status_code == 403


@pytest.mark.parametrize("role, lands_on", [
    (Role.STAFF, "/manage/"), (Role.MANAGER, "/manage/"), (Role.FINANCE, "/manage/"), (Role.APPLICANT, "/"),
], ids=lambda value: getattr(value, "value", value))
def test_staff_land_on_their_start_page_after_log_in(app_ctx, client, role, lands_on):
    user = make_user(f"{role.value}@example.kz", roles=(role,))
    response = login(client, user.email)
    assert response.status_code == 302 and response.headers["Location"] == lands_on
    assert client.get("/login").headers["Location"] == lands_on


def test_a_next_address_wins_over_the_start_page(app_ctx, client):
    user = make_user("screener@example.kz", roles=(Role.STAFF,))
    response = client.post("/login?next=/manage/screening/", data={"email": user.email, "password": "correct horse 42"})
    assert response.headers["Location"] == "/manage/screening/"


def test_staff_see_my_applications_only_when_they_have_applied(app_ctx, client):
    screener = make_user("screener@example.kz", roles=(Role.STAFF,))
    login(client, screener.email)
    assert 'href="/my/applications"' not in client.get("/manage/").get_data(as_text=True)
    make_application(make_competition(), screener)
    assert 'href="/my/applications"' in client.get("/manage/").get_data(as_text=True)


def test_applicants_see_my_applications_and_the_public_links(app_ctx, client):
    applicant = make_user("applicant@example.kz")
    login(client, applicant.email)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/my/applications"' in html and 'href="/faq"' in html
    assert 'href="/manage/"' not in html


class FakeDraw:
    def __init__(self, state, sources=None):
        self.state, self.sources = state, sources


@pytest.mark.parametrize("screening_closed, draw, step", [
    (False, None, "screening"),
    (True, None, "prepare"),
    (True, FakeDraw(DrawState.PREPARED), "commit"),
    (True, FakeDraw(DrawState.COMMITTED), "sources"),
    (True, FakeDraw(DrawState.COMMITTED, ["1", "2"]), "run"),
    (True, FakeDraw(DrawState.DRAWN, ["1", "2"]), "publish"),
    (True, FakeDraw(DrawState.PUBLISHED, ["1", "2"]), "done"),
])
def test_the_draws_next_step_follows_its_state(screening_closed, draw, step):
    class Call:
        screening_closed_at = object() if screening_closed else None

    assert next_draw_step(Call(), draw).code == step
