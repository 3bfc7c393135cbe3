"""A live server on the test database and Debian's Chromium driven by Playwright."""
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

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


@pytest.fixture
def phone(browser, app):
    """A new browser context the size of a phone screen (390x844), like most applicants'."""
    app.config["SERVER_NAME"] = None  # links in mail must point at the live server's host
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    context.close()
    app.config["SERVER_NAME"] = "localhost"


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
    app.config["SERVER_NAME"] = None
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  bypass_csp=True)
    yield context
    context.close()
    app.config["SERVER_NAME"] = "localhost"
