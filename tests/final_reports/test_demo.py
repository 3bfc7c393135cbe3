"""The demo's final reports: written, submitted and reviewed through the services on grants with
signed contracts, with counts that add up, real JPEG photos, Excel target-group lists and success
stories in the project's language."""
import io

from openpyxl import load_workbook

from app import storage
from app.auth.models import Role
from app.contracts.models import Grant, GrantEventKind, GrantStatus
from app.demo.final_reports import _roles, _split, load_final_reports
from app.extensions import db
from app.final_reports import drafting
from app.final_reports.models import ReportStatus
from app.payments import decisions
from tests import files
from tests.final_reports import report_mails
from tests.payments import make_request, make_signed_grant, make_staff, make_supplier

TITLES = ["Швейная мастерская для молодых мам", "Шұбат өндіретін шағын цех", "Клуб английского языка для школьников",
          "Проект, которого нет в данных демо", "Мини-пекарня национальной выпечки", "Теплица: свежая зелень и овощи "
          "круглый год"]


def signed_grants_of_one_call(count):
    grants = [make_signed_grant(number=f"ZP23-G-{n:04d}") for n in range(1, count + 1)]
    for grant, title in zip(grants, TITLES):
        grant.competition_id = grant.application.competition_id = grants[0].competition_id
        grant.application.project_title = title
    db.session.commit()
    return grants


def test_the_demo_writes_and_reviews_a_report_for_every_grant_under_way(app_ctx):
    grants = signed_grants_of_one_call(6)
    staff = make_staff(Role.STAFF)
    open_payment = make_request(grants[1], make_supplier(), grants[1].application.applicant)
    decisions.approve(open_payment, staff)
    db.session.commit()
    demo = load_final_reports(grants[0].competition)
    db.session.commit()
    reports = [drafting.report_of(grant) for grant in grants]
    assert [report.status for report in reports] == [ReportStatus.ACCEPTED] * 3 + [
        ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.DRAFT]
    assert (demo.accepted, demo.awaiting, demo.returned, demo.drafts, demo.completed) == (3, 1, 1, 1, 2)
    assert "3 accepted (2 grants completed" in demo.line()
    assert [grant.status for grant in grants] == [GrantStatus.COMPLETED, GrantStatus.REPORTING, GrantStatus.COMPLETED,
                                                  GrantStatus.REPORTING, GrantStatus.REPORTING, GrantStatus.ACTIVE]
    for report in reports[:5]:
        assert report.female + report.male == report.beneficiaries > 0
        assert sum(count for _bucket, count in report.age_counts) == report.beneficiaries
        assert len(report.photos) == 3 and report.story_quote and report.media_links
        with storage.open_stored(report.photos[0].stored_name) as f:
            assert files.size_of(f.read()) == (800, 600)
        assert report.accepted_by_id in (None, staff.id)
    assert reports[1].story_situation.startswith("Ауылдағы түйе иелері")  # written in Kazakh
    sheet = load_workbook(io.BytesIO(storage.open_stored(reports[0].target_list_stored_name).read())).active
    assert [cell.value for cell in sheet[1]] == ["№", "Ф.И.О.", "Пол", "Возраст"] and sheet.max_row > 10
    assert reports[4].comments.startswith("Спасибо за отчёт.")
    assert len(reports[5].photos) == 1 and reports[5].beneficiaries == 0
    assert reports[0].submitted_at < reports[0].accepted_at
    events = reports[0].grant.events
    assert [event.kind for event in events][-3:] == [GrantEventKind.REPORT_SUBMITTED, GrantEventKind.REPORT_ACCEPTED,
                                                      GrantEventKind.COMPLETED]
    assert events[-3].at == reports[0].submitted_at and events[-1].at == reports[0].accepted_at
    assert report_mails(grants[4]) and report_mails(grants[0])


def test_grants_not_under_way_get_no_report(app_ctx):
    grant = make_signed_grant()
    grant.status = GrantStatus.TERMINATED
    grant.terminated_reason = "Отказ."
    make_staff(Role.MANAGER)
    db.session.commit()
    assert load_final_reports(grant.competition).line().startswith("Final reports: 0 accepted")
    assert drafting.report_of(db.session.get(Grant, grant.id)) is None


def test_most_reports_are_accepted_whatever_the_number_of_grants():
    assert _roles(1) == ["accepted"]
    assert _roles(2) == ["accepted", "draft"]
    assert _roles(4) == ["accepted", "accepted", "returned", "draft"]
    assert _roles(28).count("accepted") == 25


def test_shares_add_up_to_the_total():
    assert _split(121, [0, 18, 34, 26, 16, 5, 1]) == [0, 22, 41, 32, 19, 6, 1]
    assert sum(_split(7, [1, 1, 1])) == 7
