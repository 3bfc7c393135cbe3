"""An observer on a phone (390x844) opens a published draw: the latest winners are in the first
screen, the search box finds their number, and nothing is wider than the screen."""
import pytest
import sqlalchemy as sa

from app.auth.models import Role, User
from app.extensions import db
from app.lottery import lifecycle, reading
from app.lottery.models import Draw
from tests import factories
from tests.browser.fixtures import ARTIFACTS
from tests.lottery.test_lifecycle import (
    SOURCES, add_applications, closed_competition, committed_draw, published_draw,
)

pytestmark = pytest.mark.browser
SCREEN = {"width": 390, "height": 844}


def page_size(page):
    return page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")


def test_observer_finds_their_number_on_a_phone(app, live_server, phone):
    with app.test_request_context():  # publishing mails the applicants links to the page
        manager = factories.make_user("manager@example.kz", roles=(Role.MANAGER,))
        competition = closed_competition(strata=(("ALA", 12, ()), ("MAN", 8, ())))
        add_applications(competition, "ALA", 60)
        add_applications(competition, "MAN", 40)
        draw = published_draw(manager, competition=competition)
        draw_id = draw.id
        reserve = reading.outcomes(draw)[0].reserve[2]
        db.session.remove()
    page = phone
    page.goto(live_server + f"/draws/{draw_id}")

    now = page.locator("#now")
    assert now.is_visible()
    assert now.bounding_box()["y"] + now.bounding_box()["height"] <= SCREEN["height"]
    assert page.locator("#find-number").bounding_box()["y"] < SCREEN["height"]
    width, height = page_size(page)
    assert width <= SCREEN["width"] and height < 6000

    serial = int(reserve["ticket"].split("-")[1])
    page.fill("#find-number", f"zp25 {serial}")
    page.locator("#find button[type=submit]").click()
    page.wait_for_load_state()
    answer = page.locator("[data-number-answer]")
    assert answer.get_attribute("data-number-answer") == "reserve"
    assert answer.inner_text().strip() == (
        f"{reserve['ticket']} is on the reserve list of Almaty city, position 3.")
    assert answer.bounding_box()["y"] < SCREEN["height"]
    assert page_size(page)[0] <= SCREEN["width"]
    page.screenshot(path=str(ARTIFACTS / "draw-observer-phone.png"))

    # Every folded part opened, the balance table and the log included: still no sideways scroll.
    page.evaluate("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")
    assert page_size(page)[0] <= SCREEN["width"]
    clipped = page.evaluate("""Array.from(document.querySelectorAll('main *')).filter(function (e) {
        return e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible'
          && !e.classList.contains('visually-hidden'); }).map(function (e) { return e.tagName + '.' + e.className; })""")
    assert clipped == []
    page.screenshot(path=str(ARTIFACTS / "draw-observer-phone-open.png"), full_page=True)


def test_the_top_of_the_page_follows_the_draw_while_it_runs(app, live_server, phone):
    with app.test_request_context():
        manager = factories.make_user("manager@example.kz", roles=(Role.MANAGER,))
        draw = committed_draw(manager)
        draw_id = draw.id
        db.session.remove()
    page = phone
    page.goto(live_server + f"/draws/{draw_id}")
    assert page.locator("#now").count() == 0
    with app.test_request_context():
        draw = db.session.get(Draw, draw_id)
        actor = db.session.execute(sa.select(User).where(User.email == "manager@example.kz")).scalar_one()
        lifecycle.enter_sources(draw, SOURCES[draw.algorithm], actor)
        lifecycle.run(draw, actor)
        db.session.commit()
        last = [e.data for e in draw.log if e.event == "winner.revealed"][-1]
        db.session.remove()
    page.locator("[data-newest] li").nth(4).wait_for(timeout=15000)
    assert page.locator("[data-newest] li").first.inner_text().startswith(last["ticket"])
    assert page.locator("#now").bounding_box()["y"] < SCREEN["height"]
