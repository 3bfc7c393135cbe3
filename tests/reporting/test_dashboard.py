"""The staff dashboard: each chart's table against the rows the test made and against the facts the
report to the Operator gives (app.reporting.facts), each table as CSV, the page (charts drawn from
JSON by a served script, no inline script), who may open it, the number of queries whatever the
number of grants, and hostile addresses answered 404/400, never 500."""
import csv
import io
import json
import re
from collections import Counter
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.almaty import utc_to_almaty
from app.applications.models import Application, ApplicationStatus
from app.auth.models import Role
from app.contracts.models import Grant, GrantStatus
from app.extensions import db
from app.final_reports.models import FinalReport, ReportStatus
from app.lottery import engine
from app.lottery.models import Draw, DrawLogEntry, DrawState
from app.mentoring.models import Meeting, MeetingStatus
from app.monitoring.models import MonitoringGroup, Visit, VisitRating
from app.payments.models import PaymentRequest, PaymentStatus
from app.reporting import dashboard
from app.reporting.facts import CallFacts
from tests import factories
from tests.conftest import login
from tests.reporting import make_cycle
from tests.screening import counting_queries

S = ApplicationStatus
VISITED = (GrantStatus.ACTIVE, GrantStatus.REPORTING, GrantStatus.COMPLETED)  # the grants the monitoring plan covers


@pytest.fixture
def cycle(app_ctx):
    return make_cycle(grants=5)


@pytest.fixture
def as_manager(client, app_ctx):
    manager = factories.make_user("dash-manager@example.kz", roles=(Role.MANAGER,))
    login(client, manager.email)
    return client


def charts_of(app, call, language="en"):
    with app.test_request_context(), force_locale(language):
        return {chart.key: chart for chart in dashboard.charts(call)}


def column(chart, title):
    """{row label: value} of the column titled `title`."""
    index = [str(c) for c in chart.columns].index(title)
    return {row[0]: row[index] for row in chart.rows}


def of_call(call, model=Application):
    return db.session.execute(sa.select(model).where(model.competition_id == call.id)).scalars().all()


# --- each chart's table -----------------------------------------------------------------------

def test_applications_per_day_count_each_submission_on_its_almaty_day_up_to_the_deadline(app, cycle):
    chart = charts_of(app, cycle)["applications"]
    submitted = [a for a in of_call(cycle) if a.submitted_at is not None]
    per_day = Counter(utc_to_almaty(a.submitted_at).date() for a in submitted)
    that_day = column(chart, "Applications that day")
    assert that_day == {day: per_day[day] for day in that_day}
    assert sum(that_day.values()) == len(submitted) > 0
    assert chart.rows[0][0] == date(2025, 10, 9) and chart.rows[-1][0] == date(2025, 10, 22)
    assert [row[2] for row in chart.rows][-1] == chart.total[1] == CallFacts(cycle).screening.received
    config = chart.config()
    assert config["marker"] == {"index": len(chart.rows) - 1, "label": "Deadline"}
    assert config["datasets"] == [{"label": "Applications in all", "data": [row[2] for row in chart.rows]}]
    assert "22.10.2025 18:00" in chart.note


def test_days_still_to_come_are_empty(app, app_ctx):
    call = factories.make_open_competition(code="OP25")
    applicant = factories.make_user("early@example.kz")
    factories.make_application(call, applicant, documents=False, number="OP25-0001", status=S.SUBMITTED,
                               submitted_at=call.opens_at)
    rows = charts_of(app, call)["applications"].rows
    assert rows[0][1:] == (1, 1)
    assert rows[-1][1:] == (None, None)
    assert sum(1 for row in rows if row[1] is not None) == 4  # opened three days ago: four days so far


def test_regions_and_districts_count_the_applications_received_as_the_facts_do(app, cycle):
    charts = charts_of(app, cycle)
    received = Counter(a.region_code for a in of_call(cycle) if a.number)
    regions = charts["regions"]
    assert column(regions, "Received") == {"Almaty city": received["ALA"], "Mangystau Region": received["MAN"],
                                           "Astana city": received["AST"]}
    facts = CallFacts(cycle)
    assert [row[1:] for row in regions.rows] == [(r.received, r.eligible, r.rejected) for r in facts.regions]
    assert regions.total[1:] == (facts.screening.received, facts.screening.eligible, facts.screening.rejected)
    by_district = Counter(a.district_code for a in of_call(cycle) if a.number and a.district_code)
    districts = column(charts["districts"], "Received")
    assert districts["Almaty city: Almaly District"] == by_district["ALA-ALMALY"]
    assert sum(districts.values()) == sum(by_district.values())


def test_screening_outcomes_and_reasons_are_the_facts(app, cycle):
    charts = charts_of(app, cycle)
    screening = CallFacts(cycle).screening
    assert column(charts["screening"], "Applications") == {
        "Eligible": screening.eligible, "Rejected": screening.rejected,
        "Awaiting a decision, a correction or an appeal": screening.pending,
        "Withdrawn before a decision": screening.withdrawn}
    assert charts["screening"].total == ("Received", screening.received)
    assert column(charts["reasons"], "Rejected applications") == {
        str(code.title): count for code, count in screening.by_reason.items()}


def test_money_is_the_ledgers_added_up(app, cycle):
    chart = charts_of(app, cycle)["money"]
    grants = [g for g in of_call(cycle, Grant) if g.status is not GrantStatus.TERMINATED]
    payments = db.session.execute(sa.select(PaymentRequest).join(Grant).where(
        Grant.competition_id == cycle.id)).scalars().all()
    paid = sum(p.total for p in payments if p.status is PaymentStatus.PAID)
    approved = sum(p.total for p in payments if p.status is PaymentStatus.APPROVED)
    amount = sum(g.amount for g in grants)
    assert column(chart, "Tenge") == {"Paid": paid, "Approved, awaiting payment": approved,
                                      "Not approved yet": amount - paid - approved}
    assert chart.total == ("Amount of the grants awarded", amount)
    facts = CallFacts(cycle).grants
    assert (facts.paid, facts.approved, facts.amount) == (paid, paid + approved, amount)


def test_meetings_per_month_count_the_meetings_not_disputed(app, cycle):
    chart = charts_of(app, cycle)["meetings"]
    meetings = db.session.execute(
        sa.select(Meeting).join(Grant).where(Grant.competition_id == cycle.id)).scalars().all()
    held = Counter((m.held_on.year, m.held_on.month) for m in meetings if m.status is not MeetingStatus.DISPUTED)
    assert [row[1] for row in chart.rows] == [held[month] for month in sorted(held)]
    first = min(held)
    assert chart.rows[0][0] == f"{date(*first, 1):%B %Y}"
    assert chart.total[1] == CallFacts(cycle).mentoring.meetings == sum(held.values())
    assert chart.total[3] == sum(1 for m in meetings if m.status is MeetingStatus.DISPUTED) > 0


def test_monitoring_coverage_and_follow_ups(app, cycle):
    grant = next(g for g in of_call(cycle, Grant) if g.status in VISITED)
    group_id = db.session.execute(sa.select(MonitoringGroup.id).limit(1)).scalar_one()
    db.session.add_all([
        Visit(grant_id=grant.id, group_id=group_id, visited_on=date(2025, 12, 1), findings="Нет оборудования",
              rating=VisitRating.POOR, needs_follow_up=True),
        Visit(grant_id=grant.id, group_id=group_id, visited_on=date(2025, 12, 2), findings="Исправлено",
              rating=VisitRating.GOOD, needs_follow_up=True, resolved_at=datetime(2025, 12, 3),
              resolution="Купили"),
    ])
    db.session.commit()
    visits = db.session.execute(sa.select(Visit).join(Grant).where(
        Grant.competition_id == cycle.id, Grant.status.in_(VISITED), Visit.needs_follow_up)).scalars().all()
    flagged = {v.grant_id for v in visits}
    still_open = {v.grant_id for v in visits if v.resolved_at is None}
    assert grant.id in still_open
    monitoring = CallFacts(cycle).monitoring
    assert column(charts_of(app, cycle)["monitoring"], "Number") == {
        "Grants to visit": monitoring.to_visit, "Planned": monitoring.planned, "Visited": monitoring.grants_visited,
        "Flagged for follow-up": len(flagged), "Follow-up still open": len(still_open)}
    assert monitoring.to_visit == sum(1 for g in of_call(cycle, Grant) if g.status in VISITED)


def test_final_reports_by_status_of_the_grants_under_way(app, cycle):
    chart = charts_of(app, cycle)["reports"]
    grants = [g for g in of_call(cycle, Grant) if g.status in VISITED]
    reports = {r.grant_id: r.status for r in db.session.execute(sa.select(FinalReport)).scalars()}
    statuses = Counter(reports.get(g.id) for g in grants)
    assert column(chart, "Grants") == {
        "Not started": statuses[None] + statuses[ReportStatus.DRAFT], "Submitted, awaiting review":
        statuses[ReportStatus.SUBMITTED], "Returned with comments": statuses[ReportStatus.RETURNED],
        "Accepted": statuses[ReportStatus.ACCEPTED]}
    assert column(chart, "Grants")["Accepted"] == CallFacts(cycle).final_reports.accepted
    assert chart.total[1] == len(grants)


def test_consultations_and_satisfaction_are_the_facts(app, cycle):
    charts = charts_of(app, cycle)
    facts = CallFacts(cycle)
    assert column(charts["consultations"], "Consultations") == {
        str(channel.title): count for channel, count in facts.office.consultations.items()}
    assert charts["consultations"].total[1] == facts.office.consultation_count
    rows = {row[0]: row[1:] for row in charts["satisfaction"].rows}
    for stage in facts.satisfaction:
        assert rows[str(stage.stage.title)][:2] == (stage.invited, stage.answered)
        if stage.answered:
            assert rows[str(stage.stage.title)][3] == round(100 * stage.satisfied_share, 1)
    assert charts["satisfaction"].config()["percent"] is True


def make_drawn_call():
    """ALA (2 grants): A1, A2 win, A3 and A4 in reserve; A2 left and A3 was promoted. MAN (1 grant):
    M1 wins, M2 in reserve. Grants for A1, A3 and M1."""
    call = factories.make_competition(code="DR25", strata=(("ALA", 2, ()), ("MAN", 1, ())))
    plan = [("A1", "ALA", S.WINNER, engine.WINNER, 1), ("A2", "ALA", S.WITHDRAWN, engine.WINNER, 2),
            ("A3", "ALA", S.WINNER, engine.RESERVE, 3), ("A4", "ALA", S.RESERVE, engine.RESERVE, 4),
            ("M1", "MAN", S.WINNER, engine.WINNER, 1), ("M2", "MAN", S.RESERVE, engine.RESERVE, 2)]
    applications = {}
    for n, (name, region, status, _outcome, _rank) in enumerate(plan):
        applicant = factories.make_user(f"drawn-{name.lower()}@example.kz")
        applications[name] = factories.make_application(
            call, applicant, documents=False, number=f"DR25-{name}", status=status, region_code=region,
            district_code="ALA-ALMALY" if region == "ALA" else "MAN-AKTAU", submitted_at=datetime(2025, 10, 10, n),
            sex="female" if n % 2 else "male", birth=date(1995 + n, 3, 1))
    results = [{"ticket": f"DR25-{name}", "stratum": region, "rank": rank, "outcome": outcome, "score": "ab" * 32}
               for name, region, _status, outcome, rank in plan]
    draw = Draw(competition_id=call.id, state=DrawState.PUBLISHED, entries=[
        {"ticket": r["ticket"], "stratum": r["stratum"]} for r in sorted(results, key=lambda r: r["ticket"])],
        quotas={"ALA": 2, "MAN": 1}, commitment="0" * 64, sources=["1"], seed="1" * 64, results=results)
    db.session.add(draw)
    db.session.flush()
    for seq, (event, data) in enumerate(((engine.WINNER_REMOVED, {"stratum": "ALA", "ticket": "DR25-A2"}),
                                         (engine.RESERVE_PROMOTED, {"stratum": "ALA", "ticket": "DR25-A3",
                                                                    "passed_over": []})), start=1):
        db.session.add(DrawLogEntry(draw_id=draw.id, seq=seq, at="2025-11-01T00:00:00Z", event=event, data=data,
                                    prev="0" * 64, hash=f"{seq:064d}"))
    for n, name in enumerate(("A1", "A3", "M1"), start=1):
        db.session.add(Grant(application_id=applications[name].id, competition_id=call.id, number=f"DR25-G-{n:04d}",
                             amount=1_000_000))
    db.session.commit()
    return call, applications


def test_draw_results_count_the_winners_holding_a_grant_and_the_reserve_left(app, app_ctx):
    call, _applications = make_drawn_call()
    chart = charts_of(app, call)["draw"]
    assert [row[1:] for row in chart.rows] == [(2, 2, 1, 0), (1, 1, 1, 0)]
    assert chart.total[1:] == (3, 3, 2, 0)
    assert [row[2] for row in chart.rows] == [count for _code, count in CallFacts(call).winners.by_region]


def test_a_call_with_nothing_yet_shows_empty_charts_and_no_500(app, app_ctx, as_manager):
    call = factories.make_open_competition(code="EM25")
    charts = charts_of(app, call)
    assert charts["draw"].rows == [] and charts["draw"].empty
    assert charts["money"].empty and charts["meetings"].rows == []
    page = as_manager.get(f"/manage/reporting/calls/{call.id}")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count("data-empty") >= 8


# --- each chart as CSV ------------------------------------------------------------------------

def read_csv(data):
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_each_chart_downloads_its_table_as_csv(app, cycle, as_manager):
    charts = charts_of(app, cycle)
    for key, chart in charts.items():
        response = as_manager.get(f"/manage/reporting/calls/{cycle.id}/charts/{key}.csv")
        assert response.status_code == 200, key
        assert response.mimetype == "text/csv"
        assert f"RP25_{key}.csv" in response.headers["Content-Disposition"]
        assert response.headers["Cache-Control"] == "private, no-store"
        header, *lines = read_csv(response.data)
        assert header == [str(title) for title in chart.columns]
        expected = [["" if v is None else v.isoformat() if isinstance(v, date) else str(v) for v in row]
                    for row in chart.lines()]
        assert lines == expected, key


def test_the_csv_is_in_the_language_of_the_page(app, cycle, as_manager):
    as_manager.get("/lang/ru")
    header, *lines = read_csv(as_manager.get(f"/manage/reporting/calls/{cycle.id}/charts/regions.csv").data)
    assert header[0] == "Регион"
    assert lines[0][0] == "город Алматы"


# --- the page ---------------------------------------------------------------------------------

def test_the_page_draws_every_chart_from_json_with_the_served_script_and_no_inline_script(app, cycle, as_manager):
    response = as_manager.get(f"/manage/reporting/calls/{cycle.id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", body, re.S)
    for attributes, content in scripts:
        assert 'type="application/json"' in attributes or ("src=" in attributes and not content.strip())
    assert re.search(r'src="/static/vendor/chartjs/chart\.umd\.min\.js\?v=[0-9a-f]{12}"', body)
    assert re.search(r'src="/static/js/dashboard\.js\?v=[0-9a-f]{12}"', body)
    assert "cdn" not in body.lower()
    charts = charts_of(app, cycle)
    for key, chart in charts.items():
        assert (f'data-table="{key}"' in body) is bool(chart.rows), key
        assert f'/manage/reporting/calls/{cycle.id}/charts/{key}.csv' in body
        if not chart.empty:
            found = re.search(rf'<script type="application/json" id="chart-{key}-data">(.*?)</script>', body, re.S)
            assert json.loads(found.group(1)) == chart.config(), key
    for path in ("/static/vendor/chartjs/chart.umd.min.js", "/static/js/dashboard.js",
                 "/static/vendor/chartjs/LICENSE.md"):
        assert as_manager.get(path).status_code == 200


def test_the_dashboard_opens_on_the_current_call_and_offers_the_others(app, cycle, as_manager):
    other = factories.make_competition(code="OT25", opens_at=datetime(2024, 10, 1), closes_at=datetime(2024, 10, 20))
    response = as_manager.get("/manage/reporting/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/reporting/calls/{cycle.id}")
    body = as_manager.get(response.headers["Location"]).get_data(as_text=True)
    assert f"/manage/reporting/calls/{other.id}" in body
    assert f"/manage/reporting/calls/{cycle.id}/exports/" in body
    assert f"/manage/report-to-operator/{cycle.id}" in body  # managers write the report to the Operator


def test_without_any_call_the_dashboard_says_so(as_manager):
    response = as_manager.get("/manage/reporting/")
    assert response.status_code == 200
    assert "There is no call yet" in response.get_data(as_text=True)


def test_staff_see_the_dashboard_in_their_menu_and_mentors_do_not(client, app_ctx):
    for role, shown in ((Role.FINANCE, True), (Role.STAFF, True), (Role.MENTOR, False)):
        user = factories.make_user(f"menu-{role.value}@example.kz", roles=(role,))
        login(client, user.email)
        body = client.get("/manage/").get_data(as_text=True) if shown else client.get("/").get_data(as_text=True)
        assert ('href="/manage/reporting/"' in body) is shown, role
        assert client.get("/manage/reporting/").status_code in ((200, 302) if shown else (403,))
        client.post("/logout")


# --- queries ----------------------------------------------------------------------------------

def test_the_page_makes_as_many_queries_for_50_grants_as_for_5(app, as_manager):
    small, large = make_cycle(grants=5, code="QS25"), make_cycle(grants=50, code="QL25")
    counts = []
    for call in (small, large):
        as_manager.get(f"/manage/reporting/calls/{call.id}")  # warm: the session's user, the menu
        with counting_queries() as statements:
            assert as_manager.get(f"/manage/reporting/calls/{call.id}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert counts[0] < 40


# --- hostile addresses ------------------------------------------------------------------------

@pytest.mark.parametrize("path, status", [
    ("/manage/reporting/calls/999999", 404),
    ("/manage/reporting/calls/10000000000000000000000000", 404),
    ("/manage/reporting/calls/-1", 404),
    ("/manage/reporting/calls/abc", 404),
    ("/manage/reporting/calls/{id}/charts/nope.csv", 404),
    ("/manage/reporting/calls/{id}/charts/%00.csv", 404),
    ("/manage/reporting/calls/10000000000000000000000000/charts/regions.csv", 404),
    ("/manage/reporting/calls/{id}?lang=%00", 200),
])
def test_hostile_addresses_are_answered_never_with_500(cycle, as_manager, path, status):
    assert as_manager.get(path.format(id=cycle.id)).status_code == status
