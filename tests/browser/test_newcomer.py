"""A newcomer on a phone: opens the home page, switches to Kazakh, registers, confirms the
e-mail from the outbox, logs in."""
import re

import pytest

from app.demo.services import load_demo
from app.extensions import db
from tests.browser.fixtures import ARTIFACTS
from tests.mail.helpers import link_in_last_mail

pytestmark = pytest.mark.browser


def open_menu(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#nav.show").wait_for()


def test_newcomer_registers_in_kazakh_confirms_and_logs_in(app, live_server, phone):
    with app.app_context():
        load_demo()
        db.session.commit()
        db.session.remove()
    page = phone
    page.goto(live_server + "/")
    assert page.get_by_text("ZHAS PROJECT: small grants competition for NEET youth").first.is_visible()

    open_menu(page)
    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.get_by_text("NEET жастарына арналған шағын гранттар конкурсы").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "home-kk-phone.png"), full_page=True)

    open_menu(page)
    page.locator("nav a[href='/register']").click()
    page.fill("#email", "zhansaya@example.kz")
    page.fill("#phone", "8 701 555 12 34")
    page.fill("#password", "менің құпиясөзім")
    page.fill("#password_again", "менің құпиясөзім")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "zhansaya@example.kz" in page.locator("main").inner_text()

    with app.app_context():
        link = link_in_last_mail("zhansaya@example.kz", "/confirm/")
        db.session.remove()
    page.goto(live_server + link)
    assert re.search(r"/login", page.url)
    assert page.locator(".alert-success").is_visible()

    page.fill("#password", "менің құпиясөзім")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    open_menu(page)
    assert page.locator("nav").get_by_text("zhansaya@example.kz").is_visible()
    assert page.locator("html").get_attribute("lang") == "kk"
    page.screenshot(path=str(ARTIFACTS / "logged-in-kk-phone.png"), full_page=True)
