"""Privacy: an applicant reaches only their own applications and documents; every other id
answers 404 (as if it did not exist); staff may download documents but change nothing; visitors
are sent to log in. The routes are read from the app, so a new one cannot be forgotten."""
import io

import pytest
from flask import url_for

from app.applications.models import ApplicationStatus
from app.audit.models import AuditEntry
from app.extensions import db
from tests.applications import applicant, call, complete, other, reload, staff  # noqa: F401
from tests.conftest import login
from tests.factories import MINIMAL_PDF, make_application

# A value for every URL argument a route of the blueprint may take, besides the ids.
OTHER_ARGUMENTS = {"step": 1, "doc_type": "identity"}


def apply_routes(app):
    """(endpoint, rule, methods) of every route of the apply blueprint."""
    return [(rule.endpoint, rule, sorted(rule.methods - {"HEAD", "OPTIONS"}))
            for rule in app.url_map.iter_rules() if rule.endpoint.startswith("apply.")]


def url_for_rule(app, rule, application, document):
    values = {"application_id": application.id, "document_id": document.id,
              "competition_id": application.competition_id, **OTHER_ARGUMENTS}
    unknown = set(rule.arguments) - set(values)
    assert not unknown, f"{rule.rule}: add a test value for {unknown}"
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def send(client, method, url):
    data = {"doc-identity-file": (io.BytesIO(MINIMAL_PDF), "x.pdf"),
            "replace-1-file": (io.BytesIO(MINIMAL_PDF), "x.pdf"), "consent": "y", "last_name": "Хакер"}
    if method == "POST":
        return client.post(url, data=data, content_type="multipart/form-data")
    return client.open(url, method=method)


@pytest.fixture
def victim(complete):
    """Someone else's complete draft, with documents."""
    return complete


def test_the_blueprint_has_the_routes_these_tests_walk(app):
    endpoints = {endpoint for endpoint, _rule, _methods in apply_routes(app)}
    assert {"apply.step", "apply.document", "apply.add_document", "apply.replace_document",
            "apply.delete_document", "apply.review", "apply.submit_application"} <= endpoints


def test_every_route_with_an_application_id_answers_404_to_another_applicant(app, client, victim, other):
    login(client, other.email)
    make_application(victim.competition, other)  # the intruder has an application of their own
    document = victim.documents[0]
    walked = 0
    for endpoint, rule, methods in apply_routes(app):
        if "application_id" not in rule.arguments:
            continue
        url = url_for_rule(app, rule, victim, document)
        for method in methods:
            response = send(client, method, url)
            assert response.status_code == 404, (method, url, response.status_code)
            walked += 1
    assert walked >= 8
    victim = reload(victim)
    assert victim.status is ApplicationStatus.DRAFT and victim.last_name == "Нұрланова"
    assert len(victim.documents) == 3


def test_an_id_that_does_not_exist_answers_the_same_404(app, client, victim, other):
    login(client, other.email)
    missing = {"application_id": victim.id + 1000, "document_id": victim.documents[0].id + 1000}
    for endpoint, rule, methods in apply_routes(app):
        if "application_id" not in rule.arguments:
            continue
        with app.test_request_context():
            url = url_for(endpoint, **{name: {**missing, **OTHER_ARGUMENTS}.get(name, victim.competition_id)
                                       for name in rule.arguments})
        for method in methods:
            assert send(client, method, url).status_code == 404, (method, url)


def test_a_document_of_another_application_under_ones_own_id_is_not_found(app, client, victim, other):
    own = make_application(victim.competition, other)
    login(client, other.email)
    stolen = victim.documents[0].id
    assert client.get(f"/applications/{own.id}/documents/{stolen}").status_code == 404
    assert client.post(f"/applications/{own.id}/documents/{stolen}/delete").status_code == 404
    assert len(reload(victim).documents) == 3


def test_a_visitor_is_sent_to_log_in_by_every_route(app, client, victim):
    document = victim.documents[0]
    for endpoint, rule, methods in apply_routes(app):
        url = url_for_rule(app, rule, victim, document)
        for method in methods:
            response = send(client, method, url)
            assert response.status_code == 302, (method, url)
            assert response.headers["Location"].startswith("/login?next="), (method, url)


def test_staff_can_download_a_document_and_the_download_is_logged(client, victim, staff):
    login(client, staff.email)
    document = victim.documents[0]
    response = client.get(f"/applications/{victim.id}/documents/{document.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    entry = db.session.execute(db.select(AuditEntry).where(
        AuditEntry.event == "application.document_downloaded")).scalar_one()
    assert (entry.actor_id, entry.data["document"]) == (staff.id, document.id)


def test_staff_cannot_edit_an_application(app, client, victim, staff):
    login(client, staff.email)
    document = victim.documents[0]
    for endpoint, rule, methods in apply_routes(app):
        if "application_id" not in rule.arguments or endpoint == "apply.document":
            continue
        url = url_for_rule(app, rule, victim, document)
        for method in methods:
            assert send(client, method, url).status_code == 404, (method, url)
    victim = reload(victim)
    assert (victim.last_name, len(victim.documents), victim.status) == ("Нұрланова", 3, ApplicationStatus.DRAFT)


def test_the_owner_reaches_every_route(app, client, victim):
    login(client, victim.applicant.email)
    document = victim.documents[0]
    for endpoint, rule, methods in apply_routes(app):
        if "application_id" not in rule.arguments or "GET" not in methods:
            continue
        url = url_for_rule(app, rule, victim, document)
        assert client.get(url).status_code == 200, url
