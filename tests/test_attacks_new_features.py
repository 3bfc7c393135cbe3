"""An attacker's pass over the features after the draw (contracts, payments, mentoring, monitoring,
final reports, surveys, office log, reporting, administration) on the demo call after its whole cycle,
its real ids in every URL: a user without the permission, or an applicant, opens no staff route
(403, never 200, never 500); a grantee, a mentor or a monitor asking for somebody else's objects gets
404; every form of these features, sent with a NUL byte, with 10^25 or with 10,000 characters in every
field, answers a page or a redirect, never 500; a session cookie copied before log-out opens nothing.

tests/auth/test_permissions.py checks the permission table over the whole URL map on a few rows made
for it; this module attacks the loaded demo. The demo takes a while to load, so it is loaded once, into
an installation of the module's own (SQLite of its own, or the PostgreSQL database of
TEST_DATABASE_URL, emptied afterwards): the suite's `app` empties its database after every test."""
import os
from urllib.parse import urlsplit

import lxml.html
import pytest
import sqlalchemy as sa
from flask import url_for
from flask_migrate import upgrade

from app import create_app
from app.auth.models import Role, User
from app.auth.permissions import ROLE_PERMISSIONS
from app.contracts.models import Grant, GrantStatus
from app.demo.services import DEMO_PASSWORD, demo_email, load_demo
from app.extensions import db, limiter
from app.final_reports.models import FinalReport, ReportPhoto
from app.mentoring.models import Meeting, MentorAssignment, MentorCandidate
from app.monitoring.models import MonitoringGroup, PlannedVisit, Visit, VisitPhoto
from app.payments.models import PaymentRequest, PaymentStatus
from tests.conftest import FreshContextClient, empty_all_tables

FEATURES = ("contracts", "payments", "mentoring", "monitoring", "final_reports", "surveys", "office_log",
            "reporting", "admin", "backup")
HOSTILE = {"NUL": "Шебер\x00", "10^25": str(10**25), "10,000 characters": "я" * 10_000}
NOT_SENT = {"csrf_token"}
EVERY_KIND_OF_FORM = {  # at least these forms are among those found on the pages and attacked
    "/mentors/apply", "/admin/users/invite", "/admin/organisation", "/manage/payments/suppliers/new",
    "/manage/office-log/consultations/new", "/manage/office-log/events/new", "/manage/monitoring/groups/new",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The completed demo in an installation of its own, and the ids the attacks need."""
    instance = tmp_path_factory.mktemp("attacks")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance}/attacks.sqlite3"
    app = create_app({
        "INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
        "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "MAIL_BACKEND": "file", "SERVER_NAME": "localhost", "BABEL_DEFAULT_LOCALE": "en",
        "RATELIMIT_ENABLED": False,
        "PROPAGATE_EXCEPTIONS": False,  # an error is answered as in production: a 500 page (its traceback logged)
    })
    app.test_client_class = FreshContextClient
    limiter.enabled = False
    with app.app_context():
        upgrade()
        empty_all_tables()
        load_demo("completed")
        db.session.commit()
        app.ids = demo_ids()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        empty_all_tables()


def first(query):
    return db.session.execute(query.limit(1)).scalars().first()


def demo_ids():
    """Two grantees with everything (a contract, payments, a final report with photos, meetings),
    mentored by different mentors and visited by different monitoring groups; the staff accounts."""
    reported = db.session.execute(
        sa.select(Grant).join(FinalReport, FinalReport.grant_id == Grant.id)
        .where(sa.exists().where(ReportPhoto.report_id == FinalReport.id))
        .where(sa.exists().where(Meeting.grant_id == Grant.id))
        .where(sa.exists().where(PaymentRequest.grant_id == Grant.id))
        .order_by(Grant.id)).scalars().all()
    mentor_of = {a.grant_id: a.candidate_id for a in db.session.execute(sa.select(MentorAssignment)).scalars()}
    group_of = {p.grant_id: p.group_id for p in db.session.execute(sa.select(PlannedVisit)).scalars()}
    mine = reported[0]
    theirs = next(grant for grant in reported
                  if mentor_of[grant.id] != mentor_of[mine.id] and group_of.get(grant.id) != group_of.get(mine.id))

    def of(grant):
        report = db.session.execute(sa.select(FinalReport).filter_by(grant_id=grant.id)).scalar_one()
        return {"grant": grant.id, "email": grant.application.applicant.email,
                "payment": first(sa.select(PaymentRequest.id).filter_by(grant_id=grant.id).order_by(PaymentRequest.id)),
                "meeting": first(sa.select(Meeting.id).filter_by(grant_id=grant.id).order_by(Meeting.id)),
                "photo": report.photos[0].id,
                "mentor": db.session.get(MentorCandidate, mentor_of[grant.id]).user.email,
                "group": group_of.get(grant.id)}

    visit = first(sa.select(Visit).where(sa.exists().where(VisitPhoto.visit_id == Visit.id))
                  .where(Visit.group_id != group_of.get(mine.id)).order_by(Visit.id))
    monitor_group = db.session.get(MonitoringGroup, group_of[mine.id])
    under_way = first(sa.select(Grant).where(Grant.status == GrantStatus.ACTIVE).order_by(Grant.id))
    return {"mine": of(mine), "theirs": of(theirs), "visit": visit.id, "visit_grant": visit.grant_id,
            "visit_photo": visit.photos[0].id, "monitor": monitor_group.members[0].email,
            "staff": {role: demo_email(role) for role in Role if role is not Role.APPLICANT},
            "competition": mine.competition_id, "payments": {
                status: first(sa.select(PaymentRequest.id).filter_by(status=status).order_by(PaymentRequest.id))
                for status in PaymentStatus}, "under_way": under_way.id,
            "under_way_email": under_way.application.applicant.email}


def logged_in(app, email):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "/login" not in response.headers["Location"], email
    return client


def feature_routes(app):
    """(endpoint, rule) of every route of the new features' blueprints."""
    def feature(endpoint):
        blueprint = app.blueprints.get(endpoint.split(".")[0])
        return blueprint is not None and blueprint.import_name.split(".")[:2] in (["app", name] for name in FEATURES)

    return [(rule.endpoint, rule) for rule in app.url_map.iter_rules() if feature(rule.endpoint)]


def url_values(app):
    """A real demo id (or value) for every variable of the new features' URLs."""
    with app.app_context():
        ids, mine = app.ids, app.ids["mine"]
        visit = db.session.get(Visit, ids["visit"])
        assignment = db.session.execute(sa.select(MentorAssignment).filter_by(grant_id=mine["grant"])).scalar_one()
        activity = db.session.execute(sa.text("SELECT id, task_id FROM report_activities ORDER BY id")).first()
        return {"competition_id": ids["competition"], "grant_id": mine["grant"], "request_id": mine["payment"],
                "supplier_id": db.session.get(PaymentRequest, mine["payment"]).supplier_id,
                "meeting_id": mine["meeting"], "photo_id": mine["photo"], "visit_id": visit.id,
                "visit_photo_id": ids["visit_photo"], "group_id": visit.group_id,
                "candidate_id": assignment.candidate_id, "task_id": activity.task_id, "activity_id": activity.id,
                "consultation_id": db.session.scalar(sa.text("SELECT min(id) FROM office_consultations")),
                "event_id": db.session.scalar(sa.text("SELECT min(id) FROM office_events")),
                "user_id": db.session.execute(sa.select(User.id).filter_by(email=ids["staff"][Role.STAFF])).scalar(),
                "lang": "ru", "fmt": "docx", "chart": "applications", "dataset": "grants", "file_format": "csv",
                "token": "x", "grant_number": db.session.get(Grant, mine["grant"]).number}


def test_no_staff_route_of_the_new_features_opens_without_its_permission(demo):
    """403 to every demo role without the route's permission and to a grantee; anonymous visitors log in."""
    values = url_values(demo)
    users = {role: logged_in(demo, email) for role, email in demo.ids["staff"].items()}
    users[Role.APPLICANT] = logged_in(demo, demo.ids["mine"]["email"])  # a grantee: an applicant who won
    checked = 0
    with demo.test_request_context():
        urls = [(rule, url_for(endpoint, **{name: values[name] for name in rule.arguments}))
                for endpoint, rule in feature_routes(demo)
                if hasattr(demo.view_functions[endpoint], "required_permission")]
    assert len(urls) > 80
    for rule, url in urls:
        permission = demo.view_functions[rule.endpoint].required_permission
        for role, client in users.items():
            if permission in ROLE_PERMISSIONS[role]:
                continue
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                status = client.open(url, method=method).status_code
                assert status == 403, (role.value, method, url, status)
                checked += 1
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):  # nobody logged in: to the log-in page
            response = demo.test_client().open(url, method=method)
            assert response.status_code == 302 and "/login" in response.headers["Location"], (method, url)
    assert checked > 300


def test_a_grantee_a_mentor_or_a_monitor_gets_404_for_somebody_elses_objects(demo):
    mine, theirs = demo.ids["mine"], demo.ids["theirs"]
    g, p, m, photo = theirs["grant"], theirs["payment"], theirs["meeting"], theirs["photo"]
    own = mine["grant"]
    grantee = logged_in(demo, mine["email"])
    for method, url in [
        ("GET", f"/my/grants/{g}"), ("GET", f"/my/grants/{g}/contract.pdf"),
        ("POST", f"/my/grants/{g}/contract/signature"),
        ("GET", f"/my/grants/{g}/payments"), ("GET", f"/my/grants/{g}/payments/new"),
        ("POST", f"/my/grants/{g}/payments/new"),
        ("GET", f"/my/grants/{g}/payments/{p}/edit"), ("POST", f"/my/grants/{g}/payments/{p}/edit"),
        ("GET", f"/my/grants/{g}/payments/{p}/invoice"), ("GET", f"/my/grants/{own}/payments/{p}/invoice"),
        ("GET", f"/my/grants/{own}/payments/{p}/edit"),
        ("GET", f"/my/grants/{g}/final-report"), ("POST", f"/my/grants/{g}/final-report"),
        ("GET", f"/my/grants/{g}/final-report/photos/{photo}"),
        ("GET", f"/my/grants/{own}/final-report/photos/{photo}"),
        ("GET", f"/my/grants/{own}/final-report/photos/{photo}/thumbnail"),
        ("GET", f"/my/grants/{g}/final-report/target-list"),
        ("GET", f"/my/grants/{g}/meetings/{m}"), ("GET", f"/my/grants/{own}/meetings/{m}"),
        ("POST", f"/my/grants/{g}/meetings/{m}/confirm"), ("POST", f"/my/grants/{own}/meetings/{m}/dispute"),
    ]:
        status = grantee.open(url, method=method).status_code
        assert status == 404, (method, url, status)
    assert grantee.get(f"/my/grants/{own}").status_code == 200  # the grantee's own grant opens

    mentor = logged_in(demo, mine["mentor"])
    for method, url in [("GET", f"/manage/mentees/{g}"), ("GET", f"/manage/mentees/{g}/meetings/new"),
                        ("POST", f"/manage/mentees/{g}/meetings/new")]:
        status = mentor.open(url, method=method).status_code
        assert status == 404, ("mentor", method, url, status)
    assert mentor.get(f"/manage/mentees/{own}").status_code == 200

    monitor = logged_in(demo, demo.ids["monitor"])
    visit, visit_photo = demo.ids["visit"], demo.ids["visit_photo"]
    for method, url in [("GET", f"/manage/visits/{visit}"), ("POST", f"/manage/visits/{visit}/photos"),
                        ("GET", f"/manage/visits/{visit}/photos/{visit_photo}"),
                        ("GET", f"/manage/visits/{visit}/photos/{visit_photo}/thumbnail"),
                        ("GET", f"/manage/visits/grants/{demo.ids['visit_grant']}/new")]:
        status = monitor.open(url, method=method).status_code
        assert status == 404, ("monitor", method, url, status)


def test_a_session_cookie_copied_before_log_out_opens_nothing_afterwards(demo):
    mine = demo.ids["mine"]
    pages = {mine["email"]: f"/my/grants/{mine['grant']}/payments",
             demo.ids["staff"][Role.FINANCE]: "/manage/payments/finance",
             mine["mentor"]: f"/manage/mentees/{mine['grant']}"}
    for email, page in pages.items():
        client = logged_in(demo, email)
        assert client.get(page).status_code == 200, page
        copied = client.get_cookie("session").value
        assert client.post("/logout").status_code == 302
        thief = demo.test_client()
        thief.set_cookie("session", copied)
        response = thief.get(page)
        assert response.status_code == 302 and "/login" in response.headers["Location"], (email, page)


def forms_on(html, base_url):
    """(method, action path, {name: value}, [field names]) of each form in the page's main part."""
    document = lxml.html.fromstring(html)
    found = []
    for form in document.xpath("//main//form"):
        action = form.get("action") or base_url
        fields, names = {}, []
        for element in form.xpath(".//input|.//select|.//textarea|.//button"):
            name, kind = element.get("name"), (element.get("type") or "").lower()
            if not name or name in NOT_SENT or kind == "file":
                continue
            if element.tag == "button" or kind == "submit":
                fields.setdefault(name, element.get("value") or "")  # the first button's choice
            else:
                names.append(name)
        found.append(((form.get("method") or "get").upper(), action, fields, names))
    return found


def payment_pages(first_of_status):
    """The page of a request in each status the demo has, and the form of one returned for correction."""
    pages = [f"/manage/payments/requests/{id_}" for id_ in first_of_status.values() if id_ is not None]
    returned = first_of_status[PaymentStatus.RETURNED]
    return pages + ([f"/manage/payments/requests/{returned}/edit"] if returned else [])


def pages_with_forms(demo):
    """[(email, [pages])]: the pages that hold the new features' forms, each for somebody allowed to
    send them; the grant pages (lower the amount, terminate) last, since what they accept changes the
    grant for the pages after."""
    values, staff, mine = url_values(demo), demo.ids["staff"], demo.ids["mine"]
    g, c, other = values["grant_id"], values["competition_id"], demo.ids["theirs"]["grant"]
    under_way, task = demo.ids["under_way"], values["task_id"]
    return [
        (demo.ids["under_way_email"], [f"/my/grants/{under_way}", f"/my/grants/{under_way}/payments/new",
                                       f"/my/grants/{under_way}/final-report"]),
        (mine["email"], [f"/my/grants/{g}/meetings/{values['meeting_id']}"]),
        (mine["mentor"], [f"/manage/mentees/{g}/meetings/new"]),
        (demo.ids["monitor"], [f"/manage/visits/grants/{g}/new"]),
        (None, ["/mentors/apply"]),
        (staff[Role.FINANCE], ["/manage/payments/finance"]),
        (staff[Role.ADMIN], ["/admin/organisation", f"/admin/users/{values['user_id']}", "/admin/users/invite",
                             "/admin/audit"]),
        (staff[Role.MANAGER], [
            f"/manage/payments/grants/{under_way}/requests/new", *payment_pages(demo.ids["payments"]),
            "/manage/payments/suppliers/new", f"/manage/payments/suppliers/{values['supplier_id']}",
            f"/manage/final-reports/{other}", "/manage/final-reports",
            f"/manage/mentors/calls/{c}/assignments", f"/manage/mentors/candidates/{values['candidate_id']}",
            f"/manage/mentors/grants/{g}/mentor", f"/manage/monitoring/calls/{c}",
            f"/manage/monitoring/groups/{values['group_id']}", "/manage/monitoring/groups/new",
            f"/manage/visits/{values['visit_id']}",
            "/manage/office-log/consultations", "/manage/office-log/consultations/new",
            f"/manage/office-log/consultations/{values['consultation_id']}", "/manage/office-log/events",
            "/manage/office-log/events/new", f"/manage/office-log/events/{values['event_id']}",
            f"/manage/reporting/calls/{c}", f"/manage/report-to-operator/{c}/header",
            f"/manage/report-to-operator/{c}/effects", f"/manage/report-to-operator/{c}/partners",
            f"/manage/report-to-operator/{c}/tasks/new", f"/manage/report-to-operator/tasks/{task}",
            f"/manage/report-to-operator/tasks/{task}/activities/new",
            f"/manage/report-to-operator/activities/{values['activity_id']}", f"/manage/report-to-operator/{c}",
            f"/manage/surveys/calls/{c}", "/manage/grants", f"/manage/grants/{g}", f"/manage/grants/{under_way}",
        ]),
    ]


def test_every_form_of_the_new_features_takes_hostile_values_without_a_500(demo):
    """Each form with fields is sent once per hostile value, in every field at once (its first button's
    choice kept); the forms without fields (delete, accept, pay) take no value to attack."""
    failures, sent = [], set()
    for email, paths in pages_with_forms(demo):
        client = logged_in(demo, email) if email else demo.test_client()
        for path in paths:
            page = client.get(path)
            assert page.status_code == 200, (email, path, page.status_code)
            for method, action, fields, names in forms_on(page.get_data(as_text=True), path):
                if not names or action == "/logout" or action.startswith("/lang/"):
                    continue
                for label, value in HOSTILE.items():
                    data = {**fields, **{name: value for name in names}}
                    response = (client.get(action, query_string=data) if method == "GET"
                                else client.post(action, data=data))
                    sent.add((method, urlsplit(action).path))
                    if response.status_code >= 500:
                        failures.append((label, email, path, method, action, response.status_code))
    assert not failures, "\n".join(map(str, failures))
    posted = {path for method, path in sent if method == "POST"}
    assert len(sent) > 30 and EVERY_KIND_OF_FORM <= posted, sorted(sent)
