"""The pages: the grantee writes, saves and submits the report (what does not add up is said beside
the fields and the draft is kept), deletes a photo, opens their files; nobody else's grant opens;
staff list the reports of a call with due dates and the overdue ones, review one and accept it,
return it or complete the grant; the grant pages show the report's section."""
import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.auth.models import Role
from app.contracts.models import GrantStatus
from app.extensions import db
from app.final_reports import drafting, review
from app.final_reports.models import FinalReport, ReportStatus
from tests import files
from tests.conftest import login
from tests.final_reports import grantee_of, make_report, report_values, reviewer, upload, xlsx
from tests.payments import make_grant, make_signed_grant, make_staff
from tests.screening import counting_queries


def form(**changes):
    """The report's form as a browser sends it."""
    data = {name: ("y" if value is True else str(value)) for name, value in report_values(**changes).items()
            if value is not False}
    data["photos"] = [(io.BytesIO(files.picture("jpeg")), "one.jpg"), (io.BytesIO(files.picture("png")), "two.png")]
    data["target_list"] = (io.BytesIO(xlsx()), "Список участников.xlsx")
    return data


def post(client, grant, data, action="save"):
    return client.post(f"/my/grants/{grant.id}/final-report", data={**data, "action": action},
                       content_type="multipart/form-data")


@pytest.fixture
def grant(app_ctx):
    return make_signed_grant()


@pytest.fixture
def as_grantee(client, grant):
    login(client, grantee_of(grant).email)
    return client


def test_the_grantee_writes_the_report_on_its_page_and_submits_it(as_grantee, grant):
    page = as_grantee.get(f"/my/grants/{grant.id}/final-report").get_data(as_text=True)
    assert 'name="beneficiaries"' in page and 'inputmode="numeric"' in page and "59 years and over" in page
    assert 'accept="image/jpeg,image/png' in page and "multiple" in page
    assert post(as_grantee, grant, form()).status_code == 302
    report = drafting.report_of(grant)
    assert report.status is ReportStatus.DRAFT and len(report.photos) == 2 and report.target_list_kind == "xlsx"
    page = as_grantee.get(f"/my/grants/{grant.id}/final-report").get_data(as_text=True)
    assert "The draft is saved." in page and "Айжан, 24 года" in page and "Список участников.xlsx" in page
    assert f"/my/grants/{grant.id}/final-report/photos/{report.photos[0].id}/thumbnail" in page

    data = form()
    del data["photos"], data["target_list"]
    assert post(as_grantee, grant, data, "submit").status_code == 302
    db.session.expire_all()
    assert drafting.report_of(grant).status is ReportStatus.SUBMITTED
    assert db.session.get(type(grant), grant.id).status is GrantStatus.REPORTING
    page = as_grantee.get(f"/my/grants/{grant.id}/final-report").get_data(as_text=True)
    assert "The final report is submitted" in page and 'name="work_done"' not in page  # read only now
    assert "Купили две швейные машины" in page


def test_counts_that_do_not_add_up_are_said_beside_the_fields_and_the_draft_is_kept(as_grantee, grant):
    response = post(as_grantee, grant, form(female=60, age_13_16=0), "submit")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Women and men add up to 110, but the project reached 120 people" in page
    assert "The age groups add up to 110, but the project reached 120 people" in page
    assert "not submitted yet" in page and 'value="60"' in page
    report = drafting.report_of(grant)
    assert report.status is ReportStatus.DRAFT and report.female == 60 and len(report.photos) == 2


@pytest.mark.parametrize("name, value", [
    ("work_done", "Текст\x00"), ("beneficiaries", "1" + "0" * 25), ("female", "-5"), ("male", "много"),
    ("story_quote_by", "\x07"), ("media_links", "javascript:alert(1)"), ("work_done", "я" * 20_000),
])
def test_hostile_input_is_refused_without_a_500_and_nothing_is_saved(as_grantee, grant, name, value):
    response = post(as_grantee, grant, {**form(), name: value})
    assert response.status_code == 422, (name, value)
    assert db.session.execute(sa.select(FinalReport)).first() is None


def test_a_file_that_is_not_a_picture_is_refused_as_a_photo(as_grantee, grant):
    data = form()
    data["photos"] = [(io.BytesIO(files.pdf()), "scan.jpg")]
    response = post(as_grantee, grant, data)
    assert response.status_code == 422
    assert "scan.jpg: This file is not of an accepted type" in response.get_data(as_text=True)
    assert drafting.report_of(grant) is None


def test_a_photo_is_deleted_by_its_button_and_the_typed_text_is_saved_with_it(as_grantee, grant):
    make_report(grant, submit=False, photos=2)
    photo_id = drafting.report_of(grant).photos[0].id
    data = {**form(work_done="Обновлённый текст."), "delete_photo": str(photo_id)}
    del data["photos"]
    response = post(as_grantee, grant, data)
    assert response.status_code == 302 and response.headers["Location"].endswith("#report-photos")
    db.session.expire_all()
    report = drafting.report_of(grant)
    assert [photo.id for photo in report.photos] != [photo_id] and len(report.photos) == 1
    assert report.work_done == "Обновлённый текст."


def test_the_grantee_opens_their_photos_and_list(as_grantee, grant):
    make_report(grant, submit=False)
    drafting.save_draft(grant, report_values(), [], upload(xlsx(), "list.xlsx"), grantee_of(grant))
    db.session.commit()
    photo = drafting.report_of(grant).photos[0]
    base = f"/my/grants/{grant.id}/final-report"
    assert as_grantee.get(f"{base}/photos/{photo.id}").mimetype == "image/jpeg"
    assert as_grantee.get(f"{base}/photos/{photo.id}/thumbnail").mimetype == "image/jpeg"
    listing = as_grantee.get(f"{base}/target-list")
    assert listing.mimetype.endswith("spreadsheetml.sheet") and "attachment" in listing.headers["Content-Disposition"]


def test_another_grantees_report_and_files_answer_404(client, grant):
    make_report(grant)
    other = make_signed_grant(number="ZP25-G-0002")
    photo = drafting.report_of(grant).photos[0]
    login(client, grantee_of(other).email)
    for url in (f"/my/grants/{grant.id}/final-report", f"/my/grants/{grant.id}/final-report/photos/{photo.id}",
                f"/my/grants/{grant.id}/final-report/target-list",
                f"/my/grants/{other.id}/final-report/photos/{photo.id}",
                f"/my/grants/{other.id}/final-report/photos/{photo.id}/thumbnail"):
        assert client.get(url).status_code == 404, url
    assert post(client, grant, form()).status_code == 404


def test_a_grant_not_yet_signed_shows_why_and_takes_nothing(client, app_ctx):
    grant = make_grant(status=GrantStatus.CONTRACTING)
    login(client, grantee_of(grant).email)
    page = client.get(f"/my/grants/{grant.id}/final-report").get_data(as_text=True)
    assert "once both sides have signed the contract" in page and 'name="work_done"' not in page
    assert post(client, grant, form()).status_code == 302
    assert drafting.report_of(grant) is None


def test_the_grantees_grant_page_links_to_the_report(client, grant):
    login(client, grantee_of(grant).email)
    page = client.get(f"/my/grants/{grant.id}").get_data(as_text=True)
    assert "Write the final report" in page and f"/my/grants/{grant.id}/final-report" in page


def test_the_staff_grant_page_shows_the_reports_status(client, grant):
    login(client, make_staff(Role.MANAGER, email="boss@example.kz").email)
    page = client.get(f"/manage/grants/{grant.id}").get_data(as_text=True)
    assert 'data-report-status="none"' in page and f"/manage/final-reports/{grant.id}" in page


@pytest.fixture
def as_staff(client, app_ctx):
    login(client, reviewer().email)
    return client


def test_staff_list_the_reports_of_a_call_with_due_dates_and_the_overdue_ones(as_staff):
    late = make_signed_grant(number="ZP25-G-0001", signed_days_ago=200)
    on_time = make_report(make_signed_grant(number="ZP25-G-0002", signed_days_ago=200)).grant
    fresh = make_signed_grant(number="ZP25-G-0003", signed_days_ago=10)
    make_grant(number="ZP25-G-0004", status=GrantStatus.CONTRACTING)
    page = as_staff.get("/manage/final-reports").get_data(as_text=True)
    assert page.count("data-overdue") == 1 and "Overdue: 1" in page
    for grant in (late, on_time, fresh):
        assert f'data-grant="{grant.number}"' in page
    assert 'data-grant="ZP25-G-0004"' not in page  # its contract is not signed: it owes nothing yet
    waiting = as_staff.get("/manage/final-reports?status=submitted").get_data(as_text=True)
    assert f'data-grant="{on_time.number}"' in waiting and f'data-grant="{late.number}"' not in waiting
    assert 'data-grant="ZP25-G-0003"' in as_staff.get("/manage/final-reports?status=none&competition="
                                                      f"{fresh.competition_id}").get_data(as_text=True)
    assert as_staff.get("/manage/final-reports?status=nonsense&competition=x").status_code == 200


def test_the_calls_report_date_is_the_due_date(as_staff):
    grant = make_signed_grant(signed_days_ago=10)
    grant.competition.report_due_date = date.today() - timedelta(days=1)
    db.session.commit()
    page = as_staff.get(f"/manage/final-reports/{grant.id}").get_data(as_text=True)
    assert "data-overdue" in page


def test_staff_review_everything_and_accept(as_staff):
    report = make_report(work_done="<script>alert(1)</script> Провели занятия.")
    grant = report.grant
    page = as_staff.get(f"/manage/final-reports/{grant.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Провели занятия." in page and "<script>alert(1)" not in page
    assert 'data-bucket="59_plus">3<' in page and 'data-total>120<' in page
    assert f"/manage/final-reports/{grant.id}/photos/{report.photos[0].id}/thumbnail" in page
    assert 'href="https://instagram.com/p/zhas-sewing" rel="nofollow noopener noreferrer"' in page
    assert 'data-consent="true"' in page and "Айжан, 24 года" in page
    assert as_staff.get(f"/manage/final-reports/{grant.id}/photos/{report.photos[0].id}").status_code == 200
    response = as_staff.post(f"/manage/final-reports/{grant.id}/accept", follow_redirects=True)
    assert "The final report is accepted and the grant is completed." in response.get_data(as_text=True)
    again = as_staff.post(f"/manage/final-reports/{grant.id}/accept")
    assert again.status_code == 422 and "already accepted" in again.get_data(as_text=True)


def test_staff_return_a_report_with_comments(as_staff):
    grant = make_report().grant
    empty = as_staff.post(f"/manage/final-reports/{grant.id}/return", data={"comments": " "})
    assert empty.status_code == 422 and "Write what the grantee should correct." in empty.get_data(as_text=True)
    response = as_staff.post(f"/manage/final-reports/{grant.id}/return", data={"comments": "Нет фото занятий."})
    assert response.status_code == 302
    assert drafting.report_of(grant).status is ReportStatus.RETURNED
    assert "Нет фото занятий." in as_staff.get(f"/manage/grants/{grant.id}").get_data(as_text=True)


def test_staff_see_a_draft_as_not_submitted_and_cannot_decide_it(as_staff):
    grant = make_report(submit=False, work_done="Черновик грантополучателя").grant
    page = as_staff.get(f"/manage/final-reports/{grant.id}").get_data(as_text=True)
    assert "has not submitted the final report yet" in page and "Черновик грантополучателя" not in page
    assert as_staff.post(f"/manage/final-reports/{grant.id}/accept").status_code == 422
    no_report = make_signed_grant(number="ZP25-G-0009")
    assert as_staff.post(f"/manage/final-reports/{no_report.id}/accept").status_code == 404


def test_staff_complete_a_grant_by_its_button(as_staff):
    report = make_report()
    review.accept(report, reviewer())
    report.grant.status = GrantStatus.REPORTING  # as if a request had been open at the acceptance
    db.session.commit()
    response = as_staff.post(f"/manage/final-reports/{report.grant_id}/complete", follow_redirects=True)
    assert "The grant is completed." in response.get_data(as_text=True)


def test_finance_may_not_review(client, app_ctx):
    grant = make_report().grant
    login(client, make_staff(Role.FINANCE).email)
    assert client.get("/manage/final-reports").status_code == 403
    assert client.post(f"/manage/final-reports/{grant.id}/accept").status_code == 403


def test_the_staff_lists_of_grants_and_reports_take_as_many_queries_for_five_grants_as_for_one(client, app_ctx):
    make_report()
    login(client, make_staff(Role.MANAGER, email="lists@example.kz").email)

    def queries(url):
        with counting_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    one = [queries(url) for url in ("/manage/grants", "/manage/final-reports")]
    for n in range(2, 6):
        make_signed_grant(number=f"ZP25-G-000{n}", email=f"grantee{n}@example.kz")
    page = client.get("/manage/final-reports").text
    assert all(f"ZP25-G-000{n}" in page for n in range(1, 6))
    assert [queries(url) for url in ("/manage/grants", "/manage/final-reports")] == one
