"""Who may screen, beyond the permission table (tests/auth/test_permissions.py walks every route
for every role): staff whose e-mail is no longer confirmed are refused, and the roles that screen
open the screening pages."""
import pytest

from app.auth.models import Role
from app.extensions import db
from tests.auth.test_permissions import routes, staff_endpoints, url_values  # noqa: F401
from tests.conftest import login
from tests.factories import make_user
from tests.screening import call, person  # noqa: F401


def test_a_screener_whose_email_is_no_longer_confirmed_gets_403(app, client, url_values):
    user = make_user("screener@example.kz", roles=(Role.STAFF,))
    login(client, user.email)
    user.email_confirmed_at = None  # e.g. the address was changed and awaits confirmation
    db.session.commit()
    screening = {endpoint for endpoint in staff_endpoints(app) if endpoint.startswith("screening")}
    for method, url, _rule in routes(app, url_values, screening):
        assert client.open(url, method=method).status_code == 403, (method, url)


@pytest.mark.parametrize("role", (Role.STAFF, Role.MANAGER, Role.ADMIN), ids=lambda role: role.value)
def test_screening_roles_open_the_screening_pages(client, url_values, role):
    user = make_user(f"{role.value}@example.kz", roles=(role,))
    login(client, user.email)
    for url in ("/manage/screening/", f"/manage/screening/{url_values['competition_id']}/",
                f"/manage/screening/application/{url_values['application_id']}"):
        assert client.get(url).status_code == 200, url
