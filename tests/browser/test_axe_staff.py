"""axe-core in Chromium finds no serious or critical violation on the pages of the features after the
draw, on the demo call after its whole cycle (`demo load --stage completed`): the office's pages at
an office laptop's width (1366 px), the grantee's, the mentor's and the monitor's at a phone's
(390 px). The demo is loaded once: every page is visited in this one test."""
import pytest
import sqlalchemy as sa

from app.auth.models import Role, User
from app.competitions.models import Competition
from app.contracts.models import Grant, GrantStatus
from app.demo.services import DEMO_CODE, DEMO_PASSWORD, demo_email
from app.extensions import db
from app.final_reports.models import FinalReport, ReportStatus
from app.mentoring.models import Meeting, MentorAssignment, MentorCandidate
from app.monitoring.models import MonitoringGroup, Visit
from app.office_log.models import Consultation, InfoEvent
from app.payments.models import PaymentRequest, PaymentStatus, Supplier
from app.reporting.models import PlanActivity, PlanTask
from tests.browser.fixtures import OFFICE_SCREEN, PHONE, axe_violations, log_in

pytestmark = pytest.mark.browser


def first(query):
    return db.session.execute(query.limit(1)).scalars().first()


def demo_pages(demo_stages):
    """{(who, password, screen): [paths]} on the completed demo call."""
    demo_stages.load("completed")
    call = first(sa.select(Competition).where(Competition.code == DEMO_CODE))
    c = call.id
    grant = first(sa.select(Grant).join(FinalReport, FinalReport.grant_id == Grant.id)
                  .where(FinalReport.status == ReportStatus.ACCEPTED).order_by(Grant.id))
    under_way = first(sa.select(Grant).where(Grant.status == GrantStatus.ACTIVE).order_by(Grant.id))
    payment = first(sa.select(PaymentRequest).where(PaymentRequest.grant_id == grant.id).order_by(PaymentRequest.id))
    returned = [f"/manage/payments/requests/{id_}/edit" for id_ in db.session.execute(  # the form, when one is
        sa.select(PaymentRequest.id).filter_by(status=PaymentStatus.RETURNED).limit(1)).scalars()]  # returned
    supplier = first(sa.select(Supplier).order_by(Supplier.id))
    meeting = first(sa.select(Meeting).where(Meeting.grant_id == grant.id).order_by(Meeting.id))
    assignment = first(sa.select(MentorAssignment).where(MentorAssignment.grant_id == grant.id))
    mentor = db.session.get(MentorCandidate, assignment.candidate_id).user
    visit = first(sa.select(Visit).order_by(Visit.id))
    group = db.session.get(MonitoringGroup, visit.group_id)
    task = first(sa.select(PlanTask).where(PlanTask.competition_id == c).order_by(PlanTask.id))
    activity = first(sa.select(PlanActivity).where(PlanActivity.task_id == task.id).order_by(PlanActivity.id))
    staff_user = first(sa.select(User).where(User.email == demo_email(Role.STAFF)))
    ids = {"c": c, "g": grant.id, "u": under_way.id, "p": payment.id, "s": supplier.id, "m": meeting.id,
           "cand": assignment.candidate_id, "v": visit.id, "vg": visit.grant_id, "grp": group.id, "t": task.id,
           "a": activity.id,
           "cons": first(sa.select(Consultation.id).order_by(Consultation.id)),
           "ev": first(sa.select(InfoEvent.id).order_by(InfoEvent.id)), "user": staff_user.id}
    pages = {
        (demo_email(Role.MANAGER), "desk"): [
            "/manage/grants", "/manage/grants/{g}", "/manage/grants/{u}",
            "/manage/payments/grants", "/manage/payments/grants/{g}", "/manage/payments/grants/{u}/requests/new",
            "/manage/payments/requests/{p}", *returned, "/manage/payments/suppliers",
            "/manage/payments/suppliers/{s}", "/manage/payments/suppliers/new",
            "/manage/final-reports", "/manage/final-reports/{g}",
            "/manage/mentors/", "/manage/mentors/calls/{c}/assignments", "/manage/mentors/calls/{c}/candidates",
            "/manage/mentors/calls/{c}/meetings", "/manage/mentors/candidates/{cand}",
            "/manage/mentors/grants/{g}/mentor",
            "/manage/monitoring", "/manage/monitoring/calls/{c}", "/manage/monitoring/groups/{grp}",
            "/manage/monitoring/groups/new", "/manage/visits", "/manage/visits/{v}",
            "/manage/office-log/consultations", "/manage/office-log/consultations/new",
            "/manage/office-log/consultations/{cons}", "/manage/office-log/events",
            "/manage/office-log/events/new", "/manage/office-log/events/{ev}",
            "/manage/reporting/", "/manage/reporting/calls/{c}", "/manage/reporting/calls/{c}/exports/",
            "/manage/report-to-operator/", "/manage/report-to-operator/{c}", "/manage/report-to-operator/{c}/header",
            "/manage/report-to-operator/{c}/effects", "/manage/report-to-operator/{c}/partners",
            "/manage/report-to-operator/{c}/tasks/new", "/manage/report-to-operator/tasks/{t}",
            "/manage/report-to-operator/activities/{a}",
            "/manage/surveys/", "/manage/surveys/calls/{c}",
        ],
        (demo_email(Role.FINANCE), "desk"): ["/manage/payments/finance"],
        (demo_email(Role.ADMIN), "desk"): ["/admin/", "/admin/audit", "/admin/organisation", "/admin/users",
                                           "/admin/users/{user}", "/admin/users/invite"],
        (grant.application.applicant.email, "phone"): [
            "/my/grants", "/my/grants/{g}", "/my/grants/{g}/payments", "/my/grants/{g}/final-report",
            "/my/grants/{g}/meetings/{m}"],
        (under_way.application.applicant.email, "phone"): [
            "/my/grants/{u}", "/my/grants/{u}/payments/new", "/my/grants/{u}/final-report"],
        (mentor.email, "phone"): ["/manage/mentees", "/manage/mentees/{g}", "/manage/mentees/{g}/meetings/new"],
        (group.members[0].email, "phone"): ["/manage/visits", "/manage/visits/{v}",
                                            "/manage/visits/grants/{vg}/new"],
        (None, "phone"): ["/mentors/apply"],
    }
    return {key: [path.format(**ids) for path in paths] for key, paths in pages.items()}


def test_the_new_features_pages_have_no_serious_axe_violations(app, live_server, browser, demo_stages):
    with app.app_context():
        pages = demo_pages(demo_stages)
        db.session.remove()
    app.config["SERVER_NAME"] = None
    screens = {"desk": OFFICE_SCREEN, "phone": PHONE}
    found, visited = {}, 0
    try:
        for (email, screen), paths in pages.items():
            context = browser.new_context(**screens[screen], bypass_csp=True)
            page = context.new_page()
            if email:
                log_in(page, live_server, email, DEMO_PASSWORD)
            for path in paths:
                response = page.goto(live_server + path)
                shown = page.url.removeprefix(live_server)  # an index of one call opens the call's page
                assert response.status == 200 and shown in (path, *paths), (email, path, shown)
                page.wait_for_load_state("load")
                visited += 1
                violations = axe_violations(page)
                if violations:
                    found[f"{screen} {email or 'public'} {path}"] = violations
            context.close()
    finally:
        app.config["SERVER_NAME"] = "localhost"
    assert visited == sum(len(paths) for paths in pages.values())
    assert not found, "\n".join(f"{where}: {rule} ({impact}) {help_} {targets}"
                                for where, violations in found.items()
                                for rule, impact, help_, targets in violations)
