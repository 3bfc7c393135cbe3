"""Exports of a call: every table read back as CSV and XLSX with Russian and Kazakh headers, the
rows they hold, the evaluation table without names, IIN or application numbers, who may download
the applications with names (and that every download is in the audit log), and hostile addresses."""
import csv
import io
import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import load_workbook

from app.applications.models import Application
from app.audit.models import AuditEntry
from app.auth.models import Role
from app.contracts.models import Grant
from app.extensions import db
from app.mentoring.models import Meeting
from app.monitoring.models import Visit
from app.office_log.models import Consultation
from app.payments.models import PaymentRequest
from app.reporting.exports import APPLICATIONS, DATASETS
from app.reporting.exports_evaluation import pseudonym
from app.reporting.facts import CallFacts
from app.screening.closing import PASSED
from app.screening.models import ScreeningDecision
from tests import factories
from tests.conftest import login
from tests.reporting import make_cycle
from tests.reporting.test_dashboard import make_drawn_call


@pytest.fixture
def cycle(app_ctx):
    return make_cycle(grants=5)


def log_in(client, role):
    user = factories.make_user(f"exports-{role.value}@example.kz", roles=(role,))
    login(client, user.email)
    return user


@pytest.fixture
def as_staff(client, app_ctx):
    log_in(client, Role.STAFF)
    return client


def url(call, table, fmt="csv", lang=None):
    return f"/manage/reporting/calls/{call.id}/exports/{table}.{fmt}" + (f"?lang={lang}" if lang else "")


def read(response, fmt):
    """(header, rows) of a downloaded table, every value as text."""
    assert response.status_code == 200, response.status_code
    if fmt == "csv":
        assert response.mimetype == "text/csv"
        header, *rows = csv.reader(io.StringIO(response.data.decode("utf-8-sig")))
        return header, rows
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, *rows = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    return header, rows


def count(model, call, *joins):
    query = sa.select(sa.func.count()).select_from(model)
    for join in joins:
        query = query.join(join)
    owner = joins[-1] if joins else model
    return db.session.execute(query.where(owner.competition_id == call.id)).scalar_one()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_table_reads_back_with_headers_in_the_language_chosen(app, cycle, as_staff, fmt, lang):
    expected_rows = {
        "applications": count(Application, cycle) - 1,  # the draft is not exported
        "decisions": count(ScreeningDecision, cycle, Application),
        "draw": 0,  # no draw in this call
        "grants": count(Grant, cycle),
        "payments": count(PaymentRequest, cycle, Grant),
        "meetings": count(Meeting, cycle, Grant),
        "visits": count(Visit, cycle, Grant),
        "consultations": count(Consultation, cycle),
        "evaluation": sum(1 for a in db.session.execute(sa.select(Application)).scalars() if a.status in PASSED),
    }
    tables = {APPLICATIONS.key: APPLICATIONS, **DATASETS}
    assert set(expected_rows) == set(tables)
    for key, dataset in tables.items():
        header, rows = read(as_staff.get(url(cycle, key, fmt, lang)), fmt)
        with app.test_request_context(), force_locale(lang):
            assert header == [str(title) for title in dataset.columns], key
        assert len(rows) == expected_rows[key], key
        assert all(len(row) == len(header) for row in rows), key
    header, rows = read(as_staff.get(url(cycle, "grants", fmt, lang)), fmt)
    assert header[0] == {"ru": "Номер гранта", "kk": "Грант нөмірі"}[lang]
    assert [row[0] for row in rows] == sorted(g.number for g in db.session.execute(sa.select(Grant)).scalars())
    status = header.index({"ru": "Статус", "kk": "Мәртебесі"}[lang])
    first = db.session.execute(sa.select(Grant).order_by(Grant.number).limit(1)).scalar_one()
    with app.test_request_context():
        with force_locale("en"):
            english = str(first.status.title)
        with force_locale(lang):
            assert rows[0][status] == str(first.status.title) != english


def test_the_grants_table_adds_up_to_the_facts(app, cycle, as_staff):
    header, rows = read(as_staff.get(url(cycle, "grants", lang="en")), "csv")
    facts = CallFacts(cycle).grants
    paid = header.index("Paid, tenge")
    assert sum(int(row[paid]) for row in rows) == facts.paid
    amount, status = header.index("Amount, tenge"), header.index("Status")
    assert sum(int(row[amount]) for row in rows if row[status] != "Terminated") == facts.amount


def test_the_applications_table_names_people_and_only_screeners_may_download_it(app, cycle, client):
    log_in(client, Role.FINANCE)
    assert client.get(url(cycle, "applications")).status_code == 403
    assert client.get(url(cycle, "grants")).status_code == 200
    page = client.get(f"/manage/reporting/calls/{cycle.id}/exports/").get_data(as_text=True)
    assert 'data-dataset="applications"' not in page and 'data-dataset="evaluation"' in page
    client.post("/logout")
    staff = log_in(client, Role.STAFF)
    page = client.get(f"/manage/reporting/calls/{cycle.id}/exports/").get_data(as_text=True)
    assert 'data-dataset="applications"' in page and "every download is recorded" in page
    header, rows = read(client.get(url(cycle, "applications", "xlsx", "ru")), "xlsx")
    assert "ИИН" in header or "IIN" in header
    iins = {a.number: a.iin for a in db.session.execute(sa.select(Application)).scalars() if a.number}
    numbers = [row[0] for row in rows]
    assert numbers == sorted(iins)
    assert client.get(url(cycle, "applications", lang="en")).status_code == 200
    entries = db.session.execute(sa.select(AuditEntry).where(AuditEntry.event == "reporting.exported")
                                 .order_by(AuditEntry.seq)).scalars().all()
    assert [(e.actor_id, e.data["table"], e.data["format"], e.data["language"]) for e in entries][-2:] == [
        (staff.id, "applications", "xlsx", "ru"), (staff.id, "applications", "csv", "en")]
    assert entries[-1].data["rows"] == len(rows) and entries[-1].data["competition"] == cycle.id


def test_every_download_is_audited(cycle, as_staff):
    for key in ("grants", "evaluation", "consultations"):
        as_staff.get(url(cycle, key, "xlsx", "kk"))
    entries = db.session.execute(sa.select(AuditEntry).where(AuditEntry.event == "reporting.exported")).scalars().all()
    assert sorted(e.data["table"] for e in entries) == ["consultations", "evaluation", "grants"]
    assert {e.data["language"] for e in entries} == {"kk"}


# --- the evaluation table ---------------------------------------------------------------------

def test_the_evaluation_table_gives_each_eligible_applicant_the_draw_outcome_without_identifying_them(
        app, app_ctx, as_staff):
    call, applications = make_drawn_call()
    header, rows = read(as_staff.get(url(call, "evaluation", lang="en")), "csv")
    assert header == ["Pseudonym", "Stratum", "Draw outcome", "Grant awarded", "Sex", "Age group", "District"]
    with app.app_context():
        expected = {pseudonym(a.id): name for name, a in applications.items()}
    by_name = {expected[row[0]]: row for row in rows}
    assert set(by_name) == {"A1", "A2", "A3", "A4", "M1", "M2"}
    assert {name: (row[1], row[2], row[3]) for name, row in by_name.items()} == {
        "A1": ("Almaty city", "Winner", "Yes"), "A2": ("Almaty city", "Winner", "No"),
        "A3": ("Almaty city", "Reserve list", "Yes"), "A4": ("Almaty city", "Reserve list", "No"),
        "M1": ("Mangystau Region", "Winner", "Yes"), "M2": ("Mangystau Region", "Reserve list", "No")}
    assert by_name["A1"][4:] == ["Male", "28–32 years", "Almaly District"]
    assert rows == sorted(rows)  # ordered by pseudonym: nothing of the submission order shows
    again = read(as_staff.get(url(call, "evaluation", "xlsx", "en")), "xlsx")[1]
    assert sorted(again) == sorted(rows)


def test_the_evaluation_table_holds_no_name_iin_phone_or_application_number(cycle, as_staff):
    data = as_staff.get(url(cycle, "evaluation", lang="ru")).get_data(as_text=True)
    applications = db.session.execute(sa.select(Application).where(Application.number.is_not(None))).scalars().all()
    for application in applications:
        for value in (application.iin, application.number, application.phone, application.last_name,
                      application.first_name):
            if value:
                assert value not in data
    assert not re.search(r"\b\d{12}\b", data)


def test_before_the_draw_every_eligible_applicant_is_not_drawn(app, cycle, as_staff):
    header, rows = read(as_staff.get(url(cycle, "evaluation", lang="en")), "csv")
    assert rows and {row[2] for row in rows} == {"Not drawn"}


# --- hostile addresses ------------------------------------------------------------------------

@pytest.mark.parametrize("path, status", [
    ("/manage/reporting/calls/{id}/exports/grants.csv?lang=xx", 400),
    ("/manage/reporting/calls/{id}/exports/grants.csv?lang=%00", 400),
    ("/manage/reporting/calls/{id}/exports/grants.csv?lang=" + "r" * 5000, 400),
    ("/manage/reporting/calls/{id}/exports/?lang=de", 400),
    ("/manage/reporting/calls/{id}/exports/grants.pdf", 404),
    ("/manage/reporting/calls/{id}/exports/nothing.csv", 404),
    ("/manage/reporting/calls/{id}/exports/%00.xlsx", 404),
    ("/manage/reporting/calls/999999/exports/grants.csv", 404),
    ("/manage/reporting/calls/10000000000000000000000000/exports/grants.csv", 404),
    ("/manage/reporting/calls/10000000000000000000000000/exports/applications.csv", 404),
    ("/manage/reporting/calls/10000000000000000000000000/exports/", 404),
])
def test_hostile_addresses_are_answered_never_with_500(cycle, as_staff, path, status):
    assert as_staff.get(path.format(id=cycle.id)).status_code == status
