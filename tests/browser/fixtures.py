"""A live server on the test database and Debian's Chromium driven by Playwright."""
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.factories import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        message = "Debian's Chromium is not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI never skips the browser tests")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
OFFICE_SCREEN = {"viewport": {"width": 1366, "height": 768}}


def _context(browser, app, **options):
    """A new browser context on the live server; links in mail must point at its host."""
    app.config["SERVER_NAME"] = None
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(**options)
    yield context
    context.close()
    app.config["SERVER_NAME"] = "localhost"


@pytest.fixture
def phone(browser, app):
    """A page the size of a phone screen (390x844), like most applicants'."""
    for context in _context(browser, app, **PHONE):
        yield context.new_page()


@pytest.fixture
def desk(browser, app):
    """A browser context the size of an office laptop's screen (1366x768), like the staff's."""
    yield from _context(browser, app, **OFFICE_SCREEN)


def log_in(page, base, email, password=PASSWORD):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def page_width(page):
    """The open page's width in CSS pixels, read once its document is there (after a click on a link
    the old document may be going away: reading it then finds no documentElement)."""
    page.wait_for_load_state()
    return page.wait_for_function("document.documentElement && document.documentElement.scrollWidth").json_value()


AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"  # axe-core from npm: vendor/README.md


def axe_violations(page, impacts=("serious", "critical")):
    """axe-core's violations on the open page with the given impacts, as (rule, impact, help, targets)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))  # inline: the context must bypass the CSP
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:5])
            for v in results["violations"] if v["impact"] in impacts]


@pytest.fixture
def audited_phone(browser, app):
    """A phone-sized context whose pages accept the injected axe-core script despite the CSP."""
    yield from _context(browser, app, **PHONE, bypass_csp=True)
