"""Staff at a 1366 px office screen: after log-in they land on their start page, the navbar fits
the width in every language (nothing scrolls sideways) and log-out is reachable from the user menu;
on a phone the same navbar collapses behind its toggler."""
import pytest

from app.auth.models import Role
from app.extensions import db
from tests.browser.fixtures import ARTIFACTS, OFFICE_SCREEN, log_in, page_width
from tests.factories import make_open_competition, make_user

pytestmark = pytest.mark.browser

OFFICE_WIDTH = OFFICE_SCREEN["viewport"]["width"]


@pytest.fixture
def office(desk):
    return desk.new_page()



@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAFF, Role.ADMIN], ids=lambda role: role.value)
def test_staff_land_on_their_start_page_and_the_navbar_fits_1366_px(app, live_server, office, role):
    email = f"{role.value}-office@example.kz"
    with app.app_context():
        make_open_competition()
        make_user(email, roles=(role,), locale="ru")
        db.session.remove()
    page = office
    log_in(page, live_server, email)
    assert page.url.rstrip("/").endswith("/manage")
    assert page.locator("h1").is_visible()
    assert not page.locator("nav a[href='/my/applications']").count()

    for code in ("ru", "kk", "en"):
        page.goto(f"{live_server}/lang/{code}?next=/manage/")
        assert page.locator("html").get_attribute("lang") == code
        width = page_width(page)
        assert width <= OFFICE_WIDTH, (code, width)
        assert page.locator(".navbar-toggler").is_hidden()
        page.screenshot(path=str(ARTIFACTS / f"staff-navbar-{role.value}-{code}.png"))

    page.locator("#user-menu").click()
    log_out = page.locator("nav form[action='/logout'] button")
    assert log_out.is_visible()
    box = log_out.bounding_box()
    assert box["x"] + box["width"] <= OFFICE_WIDTH
    log_out.click()
    page.wait_for_load_state()
    assert page.locator("nav a[href='/login']").is_visible()


def test_the_staff_navbar_collapses_on_a_phone(app, live_server, phone):
    with app.app_context():
        make_user("manager-phone@example.kz", roles=(Role.MANAGER,))
        db.session.remove()
    page = phone
    log_in(page, live_server, "manager-phone@example.kz")
    assert page_width(page) <= 390
    page.locator(".navbar-toggler").click()
    page.locator("#nav.show").wait_for()
    page.locator("#work-menu").click()
    assert page.locator("nav a[href='/manage/draws']").is_visible()
    page.locator("#user-menu").click()
    assert page.locator("nav form[action='/logout'] button").is_visible()
    assert page_width(page) <= 390
