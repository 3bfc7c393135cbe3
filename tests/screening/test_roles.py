"""Who may open the staff area: the test walks the whole URL map, so that every route under
/manage/ (present and future) is covered. Anonymous visitors are sent to the login page, an
applicant gets 403 everywhere in it, and the screening pages answer 403 to the roles that do not
screen (finance, mentor, monitor) and to staff whose e-mail is not confirmed."""
import pytest
from flask import url_for

from app.auth.models import Role
from app.extensions import db
from app.lottery.models import Draw
from app.screening.models import Appeal
from tests.conftest import login
from tests.factories import make_user
from tests.screening import call, person  # noqa: F401

IGNORED_METHODS = {"HEAD", "OPTIONS"}
NOT_SCREENERS = (Role.FINANCE, Role.MENTOR, Role.MONITOR)


@pytest.fixture
def url_values(call):
    """A real object for every URL variable of the staff area."""
    application = person(call, 1)
    appeal = Appeal(application_id=application.id, text="Прошу пересмотреть.")
    draw = Draw(competition_id=call.id, entries=[], quotas={})
    db.session.add_all([appeal, draw])
    db.session.commit()
    return {
        "competition_id": call.id, "stratum_id": call.strata[0].id, "application_id": application.id,
        "document_id": application.documents[0].id, "appeal_id": appeal.id, "draw_id": draw.id,
        "lang": "ru", "code": "iin",
    }


def staff_routes(app, url_values, prefix="/manage/"):
    """(method, URL) of every route under `prefix`, its variables filled with real ids."""
    routes = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith(prefix):
                continue
            unknown = rule.arguments - set(url_values)
            assert not unknown, f"{rule.rule}: give the test a real value for {sorted(unknown)}"
            url = url_for(rule.endpoint, **{name: url_values[name] for name in rule.arguments})
            routes += [(method, url) for method in sorted(rule.methods - IGNORED_METHODS)]
    assert routes, f"no route under {prefix}"
    return routes


def test_the_walk_covers_screening(app, url_values):
    urls = {url for _method, url in staff_routes(app, url_values)}
    assert f"/manage/screening/{url_values['competition_id']}/" in urls
    assert f"/manage/screening/application/{url_values['application_id']}" in urls


def test_anonymous_visitors_are_sent_to_log_in_everywhere_in_the_staff_area(app, client, url_values):
    for method, url in staff_routes(app, url_values):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "/login" in response.headers["Location"], (method, url)


def test_an_applicant_gets_403_everywhere_in_the_staff_area(app, client, url_values):
    applicant = make_user("aigerim@example.kz")
    login(client, applicant.email)
    for method, url in staff_routes(app, url_values):
        assert client.open(url, method=method).status_code == 403, (method, url)


@pytest.mark.parametrize("role", NOT_SCREENERS, ids=lambda role: role.value)
def test_roles_that_do_not_screen_get_403_on_screening_pages(app, client, url_values, role):
    user = make_user(f"{role.value}@example.kz", roles=(role,))
    login(client, user.email)
    for method, url in staff_routes(app, url_values, prefix="/manage/screening/"):
        assert client.open(url, method=method).status_code == 403, (method, url)


def test_a_screener_whose_email_is_no_longer_confirmed_gets_403(app, client, url_values):
    user = make_user("screener@example.kz", roles=(Role.STAFF,))
    login(client, user.email)
    user.email_confirmed_at = None  # e.g. the address was changed and awaits confirmation
    db.session.commit()
    for method, url in staff_routes(app, url_values, prefix="/manage/screening/"):
        assert client.open(url, method=method).status_code == 403, (method, url)


@pytest.mark.parametrize("role", (Role.STAFF, Role.MANAGER, Role.ADMIN), ids=lambda role: role.value)
def test_screening_roles_open_the_screening_pages(client, url_values, role):
    user = make_user(f"{role.value}@example.kz", roles=(role,))
    login(client, user.email)
    for url in ("/manage/screening/", f"/manage/screening/{url_values['competition_id']}/",
                f"/manage/screening/application/{url_values['application_id']}"):
        assert client.get(url).status_code == 200, url
