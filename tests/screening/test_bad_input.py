"""Bad input in the screening forms never becomes a 500: a deadline at the edge of the calendar,
a NUL character (which PostgreSQL refuses in text) in a message or a comment each get a clear
message, and nothing is decided. Run on SQLite and on PostgreSQL (TEST_DATABASE_URL)."""
import pytest

from app.applications.models import ApplicationStatus
from app.screening.models import CheckReview
from app.extensions import db
from tests.applications import reload
from tests.screening import as_screener, call, person, screener  # noqa: F401

NUL = "Исправьте\x00справку"


@pytest.fixture
def application(call):
    return person(call, 1)


@pytest.mark.parametrize("action, data, message", [
    ("correction", {"message": "Исправьте", "steps": ["6"], "deadline": "0001-01-01T00:00"},
     "Enter a date from 2000 to 2100."),
    ("correction", {"message": "Исправьте", "steps": ["6"], "deadline": "9999-12-31T23:59"},
     "Enter a date from 2000 to 2100."),
    ("correction", {"message": NUL, "steps": ["6"], "deadline": "2099-01-01T18:00"}, "invisible control character"),
    ("reject", {"reasons": ["other"], "message": NUL}, "invisible control character"),
])
def test_a_decision_with_bad_input_is_refused_with_a_message(as_screener, application, action, data, message):
    response = as_screener.post(f"/manage/screening/application/{application.id}/{action}",
                                data={"version": application.state_version, **data})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert reload(application).status is ApplicationStatus.SUBMITTED


def test_a_check_comment_with_a_nul_is_refused_with_a_message(as_screener, application):
    response = as_screener.post(f"/manage/screening/application/{application.id}/checks", data={
        "check-age-version": application.state_version, "check-age-verdict": "fail", "check-age-comment": NUL})
    assert response.status_code == 200
    assert "invisible control character" in response.get_data(as_text=True)
    assert db.session.query(CheckReview).count() == 0
