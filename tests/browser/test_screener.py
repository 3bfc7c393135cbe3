"""A screener at 1366x768 decides an application in few clicks (all checks saved at once, then
"eligible"), seeing an error beside the check it concerns; a manager reopens the decision."""
import pytest

from app.auth.models import Role
from app.extensions import db
from tests.browser.fixtures import ARTIFACTS, log_in
from tests.factories import make_open_competition, make_user
from tests.screening import person

pytestmark = pytest.mark.browser


@pytest.fixture
def submitted(app):
    """An open call with two applications submitted, a screener and a manager (the demo in small)."""
    with app.test_request_context():
        call = make_open_competition()
        make_user("screener@example.kz", roles=(Role.STAFF,), locale="en")
        make_user("manager@example.kz", roles=(Role.MANAGER,), locale="en")
        application = person(call, 1)
        person(call, 2)
        found = {"id": application.id, "number": application.number}
        db.session.remove()
    return found


def in_view(page, selector):
    """Whether the element comes into the window once the page has settled (the browser's jump to
    the #anchor is redone while the documents above are laid out)."""
    page.wait_for_function("""(selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
    }""", arg=selector, timeout=5000)
    return True


def test_screener_decides_in_two_clicks_and_a_manager_reopens(app, live_server, desk, submitted):
    page = desk.new_page()
    log_in(page, live_server, "screener@example.kz")
    screen = f"{live_server}/manage/screening/application/{submitted['id']}"
    page.goto(screen)
    # The documents shown inline load lazily as the page scrolls and move the checks down: let them.
    page.locator("#checks-heading").scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    page.wait_for_function("Array.from(document.images).every((image) => image.complete)")

    # An override without a comment: the page comes back at the error, beside its check.
    page.locator("#check-budget").get_by_label("Does not meet the rule").check()
    page.get_by_role("button", name="Save the judgements of all checks").click()
    page.wait_for_load_state()
    error = page.locator("#check-budget-comment-error")
    assert error.is_visible() and in_view(page, "#check-budget-comment-error")
    assert page.evaluate("document.activeElement.id") == "check-budget-comment"
    page.screenshot(path=str(ARTIFACTS / "screener-check-error-1366.png"))
    page.locator("#check-budget").get_by_label("Meets the rule").check()

    clicks = 0
    page.get_by_role("button", name="Save the judgements of all checks").click()
    clicks += 1
    page.wait_for_load_state()
    assert "Your judgements of the checks are recorded." in page.locator("main").inner_text()
    decide = page.get_by_role("button", name="Decide: eligible")
    assert decide.is_enabled()
    decide.click()
    clicks += 1
    page.wait_for_load_state()
    assert f"Application {submitted['number']} is eligible." in page.locator("main").inner_text()
    assert clicks <= 3

    manager = desk.new_page()
    page.context.clear_cookies()
    log_in(manager, live_server, "manager@example.kz")
    manager.goto(screen)
    manager.fill("#reason", "Паспорт просмотрен не полностью.")
    manager.get_by_role("button", name="Reopen the decision").click()
    manager.wait_for_load_state()
    text = manager.locator("main").inner_text()
    assert "is reopened" in text and "Паспорт просмотрен не полностью." in text
    assert manager.get_by_role("button", name="Decide: eligible").is_enabled()
    manager.screenshot(path=str(ARTIFACTS / "manager-reopened-1366.png"))
