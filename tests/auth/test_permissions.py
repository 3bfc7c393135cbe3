"""The permission table, checked against the whole URL map for every role.

Every route is one of four kinds: public, an applicant's own (log-in needed; somebody else's
objects answer 404), staff (a permission of app.auth.permissions needed), or any staff (a role that
the table gives any permission, e.g. the start page). A route of none of
these kinds fails the first test, so a new route cannot be added without saying who may open it.
Then every staff route is opened by every role: the roles whose permissions include the route's
answer anything but 403 (and never 500), the others 403, and anonymous visitors are sent to log in."""
from datetime import date

import pytest
from flask import url_for

from app.auth.models import Role
from app.auth.permissions import ROLE_PERMISSIONS, Permission, permissions_of, roles_with
from app.contracts.models import Grant
from app.extensions import db
from app.final_reports.models import FinalReport, ReportPhoto
from app.lottery.models import Draw
from app.payments.models import PaymentRequest
from app.screening.models import Appeal
from tests.conftest import login
from tests.factories import make_user
from tests.mentoring import mentoring_url_values
from tests.monitoring import monitoring_url_values
from tests.office_log import office_log_url_values
from tests.payments import make_supplier
from tests.reporting import reporting_url_values
from tests.screening import call, person  # noqa: F401

IGNORED_METHODS = {"HEAD", "OPTIONS"}

PUBLIC = {
    "static", "bootstrap.static", "site.home", "site.faq", "site.contacts", "site.set_language",
    "site.healthz", "competitions.call", "competitions.regulations", "results.screening_results",
    "lottery.draws", "lottery.draw", "lottery.record", "lottery.frozen_list", "lottery.live",
    "lottery.protocol_pdf", "lottery.guide", "lottery.verifier",
    "auth.login", "auth.logout", "auth.register", "auth.confirm_email", "auth.resend_confirmation",
    "auth.forgot_password", "auth.reset_password", "auth.set_password", "mentor_candidates.apply",
    "surveys.answer",  # the link's token is the key: no log-in
    "transparency.calls", "transparency.call_results", "transparency.projects", "transparency.project",
    "transparency.photo",
}
# An applicant's own pages: log-in needed, and only their own objects open.
OWN = {
    "apply.start", "apply.check", "apply.step", "apply.review", "apply.submit_application",
    "apply.document", "apply.add_document", "apply.replace_document", "apply.delete_document",
    "my.applications", "my.application", "my.receipt_pdf", "my.withdraw", "appeals.appeal",
    "auth.account", "auth.log_out_everywhere", "my_grants.grants", "my_grants.grant", "my_grants.contract_pdf",
    "my_grants.upload_signature",
    "my_payments.ledger", "my_payments.new_request", "my_payments.edit_request", "my_payments.invoice",
    "my_mentoring.meeting", "my_mentoring.confirm", "my_mentoring.dispute",
    "my_final_report.report", "my_final_report.photo", "my_final_report.thumbnail", "my_final_report.target_list",
}
# Open to every role the permission table gives something, 403 to the others.
STAFF_ANY = {"site.start_page"}


@pytest.fixture
def url_values(call):
    """A real object for every URL variable of the whole map."""
    application = person(call, 1)
    appeal = Appeal(application_id=application.id, text="Прошу пересмотреть.")
    draw = Draw(competition_id=call.id, entries=[], quotas={})
    grant = Grant(application_id=application.id, competition_id=call.id, number=f"{call.code}-G-0001",
                  amount=call.grant_cap)
    db.session.add_all([appeal, draw, grant])
    db.session.commit()
    supplier = make_supplier()
    payment = PaymentRequest(grant_id=grant.id, supplier_id=supplier.id, invoice_number="1", invoice_date=date.today(),
                             total=1, stored_name="0" * 32 + ".pdf", original_name="invoice.pdf", kind="pdf",
                             sha256="0" * 64, size=1)
    report = FinalReport(grant_id=grant.id, photos=[ReportPhoto(
        stored_name="0" * 32 + ".jpg", original_name="photo.jpg", kind="jpeg", sha256="0" * 64, size=1,
        thumbnail=b"\xff\xd8\xff")])
    db.session.add_all([payment, report])
    db.session.commit()
    return {
        "competition_id": call.id, "stratum_id": call.strata[0].id, "application_id": application.id,
        "document_id": application.documents[0].id, "appeal_id": appeal.id, "draw_id": draw.id,
        "lang": "ru", "code": "iin", "step": 1, "doc_type": "identity", "token": "x",
        "chart": "applications", "dataset": "grants", "file_format": "csv",
        "filename": "app.css", "user_id": application.applicant_id, "grant_id": grant.id,
        "supplier_id": supplier.id, "request_id": payment.id, "photo_id": report.photos[0].id,
        "grant_number": grant.number,
        **mentoring_url_values(grant), **monitoring_url_values(grant),
        **office_log_url_values(application.applicant), **reporting_url_values(call),
    }


def routes(app, url_values, endpoints):
    """(method, URL, rule) of every route of `endpoints`, its variables filled with real values."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint not in endpoints:
                continue
            unknown = rule.arguments - set(url_values)
            assert not unknown, f"{rule.rule}: give the test a real value for {sorted(unknown)}"
            url = url_for(rule.endpoint, **{name: url_values[name] for name in rule.arguments})
            found += [(method, url, rule) for method in sorted(rule.methods - IGNORED_METHODS)]
    assert found
    return found


def staff_endpoints(app):
    return {endpoint for endpoint, view in app.view_functions.items() if hasattr(view, "required_permission")}


def test_every_route_says_who_may_open_it(app):
    unclassified = set(app.view_functions) - PUBLIC - OWN - STAFF_ANY - staff_endpoints(app)
    assert not unclassified, f"say who may open these routes: {sorted(unclassified)}"
    assert not (PUBLIC | OWN | STAFF_ANY) & staff_endpoints(app)
    assert not (PUBLIC | OWN) & STAFF_ANY


def test_every_staff_route_lives_under_manage_or_admin(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in staff_endpoints(app) | STAFF_ANY:
            assert rule.rule.startswith(("/manage/", "/admin")), rule.rule


def test_the_table_gives_every_permission_to_someone_and_the_applicant_nothing():
    assert ROLE_PERMISSIONS[Role.APPLICANT] == frozenset()
    for permission in Permission:
        assert roles_with(permission), permission
    assert roles_with(Permission.ADMIN) == {Role.ADMIN}
    assert roles_with(Permission.PAY) == {Role.FINANCE}
    assert Permission.READ_IDENTITY_DOCUMENTS not in permissions_of({Role.FINANCE, Role.MENTOR, Role.MONITOR})


def test_anonymous_visitors_are_sent_to_log_in_from_every_staff_and_own_route(app, client, url_values):
    for method, url, _rule in routes(app, url_values, staff_endpoints(app) | STAFF_ANY | OWN):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "/login" in response.headers["Location"], (method, url)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_role_opens_exactly_the_staff_routes_its_permissions_allow(app, client, url_values, role):
    user = make_user(f"{role.value}-walker@example.kz", roles=(role,))
    login(client, user.email)
    granted = ROLE_PERMISSIONS[role]
    for method, url, rule in routes(app, url_values, staff_endpoints(app)):
        allowed = app.view_functions[rule.endpoint].required_permission in granted
        if not allowed:
            assert client.open(url, method=method).status_code == 403, (role, method, url)
        elif method == "GET":  # only look: a POST would change what the next routes see
            status = client.get(url).status_code
            assert status not in (403, 500), (role, url, status)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_role_the_table_gives_something_opens_the_staff_pages_and_the_applicant_none(
        app, client, url_values, role):
    user = make_user(f"{role.value}-starter@example.kz", roles=(role,))
    login(client, user.email)
    for method, url, _rule in routes(app, url_values, STAFF_ANY):
        status = client.open(url, method=method).status_code
        assert status == (200 if ROLE_PERMISSIONS[role] else 403), (role, method, url, status)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_nobody_but_the_applicant_opens_their_own_pages(app, client, url_values, role):
    """Staff see applications through the staff area; an applicant's own pages answer 404 to
    everybody else, except the document download for those who may read identity documents."""
    user = make_user(f"{role.value}-other@example.kz", roles=(role,))
    login(client, user.email)
    for method, url, rule in routes(app, url_values, OWN):
        if not rule.arguments & {"application_id", "grant_id"}:
            continue
        status = client.open(url, method=method).status_code
        if rule.endpoint == "apply.document" and Permission.READ_IDENTITY_DOCUMENTS in ROLE_PERMISSIONS[role]:
            assert status == 200, (role, url)
        else:
            assert status == 404, (role, method, url, status)


def test_finance_cannot_download_an_applicants_identity_document(client, url_values):
    """Reproduced before the table: any staff role could download it."""
    accountant = make_user("finance@example.kz", roles=(Role.FINANCE,))
    login(client, accountant.email)
    url = f"/applications/{url_values['application_id']}/documents/{url_values['document_id']}"
    assert client.get(url).status_code == 404
    assert client.get(f"/manage/screening/application/{url_values['application_id']}"
                      f"/documents/{url_values['document_id']}").status_code == 403
