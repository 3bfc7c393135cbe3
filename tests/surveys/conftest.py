"""The browser fixtures, for the survey tests that answer on a phone (marked `browser`)."""
from tests.browser.conftest import audited_phone, browser, live_server, phone  # noqa: F401
