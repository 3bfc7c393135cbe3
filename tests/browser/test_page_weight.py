"""Page weight on a phone: what Chromium transfers (compressed, headers included) for the first visit
of a public or applicant page, and again on a later visit with the files in its cache. The figures
are printed (`pytest -s`) for README.md's "Page weight"."""
import pytest
import sqlalchemy as sa

from app.demo.services import load_demo
from app.extensions import db
from app.lottery.models import Draw
from tests.browser.fixtures import log_in
from tests.factories import make_application, make_open_competition, make_user

pytestmark = pytest.mark.browser
FIRST_VISIT_LIMIT = 150_000
REPEAT_VISIT_LIMIT = 30_000


def transferred(context, url):
    """Bytes received for `url` in a new tab of `context` (its HTTP cache shared), until load."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received = []
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    response = page.goto(url, wait_until="load")
    assert response.status == 200, url
    page.wait_for_timeout(200)  # the favicon
    page.close()
    return sum(received)


def logged_in_cookies(browser, base):
    context = browser.new_context()
    page = context.new_page()
    log_in(page, base, "draft@example.kz")
    cookies = context.cookies()
    context.close()
    return cookies


def test_first_and_repeat_visits_stay_light(app, live_server, browser):
    with app.app_context():
        demo = load_demo("drawn")
        db.session.commit()
        call_id = demo.competition.id
        draw_id = db.session.execute(sa.select(Draw.id)).scalar_one()
        draft = make_application(make_open_competition(code="OPEN26"), make_user("draft@example.kz"))
        draft_id = draft.id
        db.session.remove()
    app.config["SERVER_NAME"] = None
    pages = {"home": "/", "call": f"/calls/{call_id}", "draw": f"/draws/{draw_id}", "login": "/login",
             "apply step 1": f"/applications/{draft_id}/step/1"}
    figures = {}
    try:
        for name, path in pages.items():
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
            if name.startswith("apply"):  # logged in elsewhere: this context's cache starts empty
                context.add_cookies(logged_in_cookies(browser, live_server))
            figures[name] = (transferred(context, live_server + path), transferred(context, live_server + path))
            context.close()
    finally:
        app.config["SERVER_NAME"] = "localhost"
    for name, (first, repeat) in figures.items():
        print(f"{name}: first visit {first / 1024:.1f} KiB, repeat visit {repeat / 1024:.1f} KiB")
    assert all(first < FIRST_VISIT_LIMIT for first, _ in figures.values()), figures
    assert all(repeat < REPEAT_VISIT_LIMIT for _, repeat in figures.values()), figures
