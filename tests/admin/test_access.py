"""Only administrators open /admin: the test walks every route of the admin blueprint, so routes
added later are covered too."""
import re

import pytest
from flask import url_for

from app.auth.models import Role
from app.auth.permissions import Permission
from app.auth.services import unusable_password_hash
from app.extensions import db
from tests.admin import make_admin
from tests.conftest import login
from tests.factories import make_user

IGNORED_METHODS = {"HEAD", "OPTIONS"}
NOT_ADMINS = [role for role in Role if role is not Role.ADMIN]


def admin_routes(app, user_id):
    routes = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith("admin."):
                assert rule.arguments <= {"user_id"}, rule.rule
                url = url_for(rule.endpoint, **({"user_id": user_id} if "user_id" in rule.arguments else {}))
                routes += [(method, url) for method in sorted(rule.methods - IGNORED_METHODS)]
    return routes


def test_every_admin_route_needs_the_admin_permission(app):
    endpoints = [rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")]
    assert len(endpoints) >= 9
    for endpoint in endpoints:
        assert app.view_functions[endpoint].required_permission is Permission.ADMIN, endpoint


def test_anonymous_visitors_are_sent_to_log_in(app, client, app_ctx):
    staff = make_user("screener@example.kz", roles=(Role.STAFF,))
    for method, url in admin_routes(app, staff.id):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "/login" in response.headers["Location"], (method, url)


@pytest.mark.parametrize("role", NOT_ADMINS, ids=lambda role: role.value)
def test_other_roles_get_403_everywhere(app, client, app_ctx, role):
    user = make_user(f"{role.value}@example.kz", roles=(role,))
    target = make_user("screener2@example.kz", roles=(Role.STAFF,))
    login(client, user.email)
    for method, url in admin_routes(app, target.id):
        assert client.open(url, method=method).status_code == 403, (role, method, url)
    assert target.active and target.roles == {Role.STAFF}


def test_an_administrator_opens_every_page(app, client, app_ctx):
    admin = make_admin()
    login(client, admin.email)
    for method, url in admin_routes(app, admin.id):
        if method == "GET":
            assert client.get(url).status_code == 200, url


def test_the_navigation_shows_administration_to_administrators_only(client, app_ctx):
    make_admin()
    make_user("manager@example.kz", roles=(Role.MANAGER,))
    login(client, "manager@example.kz")
    assert "/admin/" not in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(client, "admin@example.kz")
    body = client.get("/").get_data(as_text=True)
    assert 'href="/admin/"' in body and "Administration" in body


def test_posts_need_the_csrf_token(as_admin, csrf_enabled):
    target = make_user("screener@example.kz", roles=(Role.STAFF,))
    for url in (f"/admin/users/{target.id}/deactivate", f"/admin/users/{target.id}/resend-invitation",
                f"/admin/users/{target.id}", "/admin/users/invite", "/admin/organisation", "/admin/audit/verify"):
        response = as_admin.post(url, data={})
        assert response.status_code == 400, url
        assert "form has expired" in response.get_data(as_text=True)
    assert target.active


def test_every_form_of_the_admin_pages_carries_a_csrf_token(as_admin, admin, csrf_enabled):
    target = make_user("screener@example.kz", roles=(Role.STAFF,))
    target.password_hash = unusable_password_hash()  # invited: the page offers to send it again
    db.session.commit()
    # Log out, and the page's own: the account page has roles, send again and deactivate.
    posts = {"/admin/users/invite": 2, f"/admin/users/{target.id}": 4, "/admin/organisation": 2, "/admin/audit": 2}
    for url, count in posts.items():
        html = as_admin.get(url).get_data(as_text=True)
        forms = [f for f in re.findall(r"<form\b.*?</form>", html, re.S) if 'method="post"' in f]
        assert len(forms) == count, url
        for form in forms:
            assert re.search(r'<input[^>]*name="csrf_token"[^>]*value="[^"]+"', form), (url, form[:200])
