"""The demo call's whole cycle (`flask demo load --stage completed`): the call, its screening, draw,
contracts and first payments happened `STORY_DAYS` ago (the stages before, run on the clock of
that day, `app.dbtypes.clock_at`); a month later the office paid the rest of each grant; since
then the mentors have met their grantees, the monitoring groups have visited the projects, the
grantees have sent their final reports, the surveys have been answered and the office has kept
its log of consultations and events, and the manager has written the plan of the report to the
Operator. Through the features' own services, like every stage."""
from dataclasses import dataclass
from datetime import timedelta

import json

import sqlalchemy as sa

from app.contracts.models import Grant, GrantStatus
from app.dbtypes import clock_at
from app.demo.applications import url_context
from app.demo.final_reports import FinalReportsDemo, load_final_reports
from app.demo.implementing import Office, pay_in_full, requests_of
from app.demo.mentoring import MentoringDemo, load_mentoring
from app.demo.monitoring import MonitoredDemo, load_monitoring
from app.demo.office_log import OfficeLogDemo, load_office_log
from app.demo.surveys import SurveysDemo, load_surveys
from app.demo.data import HERE
from app.extensions import db
from app.payments.models import PaymentRequest, PaymentStatus
from app.reporting import plan

REPORT_PLAN = json.loads((HERE / "report_plan.json").read_text(encoding="utf-8"))
STORY_DAYS = 125  # from the call's draw and contracts to today
SETTLED_AFTER_DAYS = 30  # when the office paid what each grant had left


@dataclass(frozen=True)
class CompletedDemo:
    mentoring: MentoringDemo
    monitoring: MonitoredDemo
    final_reports: FinalReportsDemo
    surveys: SurveysDemo
    office_log: OfficeLogDemo
    paid: int  # tenge paid to suppliers in all

    def lines(self):
        return [f"Grants paid to suppliers in all: {self.paid:,} KZT.",
                *(part.line() for part in (self.mentoring, self.monitoring, self.final_reports, self.surveys,
                                           self.office_log)),
                "The report to the Operator has the standard plan, its texts and the partners."]


def complete_demo_call(competition, accounts, password, email_domain, now):
    """Takes the implemented `competition` (its contracts signed STORY_DAYS before `now`) to today.
    `accounts` maps a Role to the demo's user of that role. In the current transaction; the caller
    commits."""
    staff, manager = accounts["staff"], accounts["manager"]
    with clock_at(now - timedelta(days=STORY_DAYS - SETTLED_AFTER_DAYS)), url_context():
        _pay_the_rest(competition, Office(staff, accounts["finance"]))
    completed = CompletedDemo(
        mentoring=load_mentoring(competition, staff, password, email_domain, now),
        monitoring=load_monitoring(competition, now, password, email_domain),
        final_reports=load_final_reports(competition, now),
        surveys=load_surveys(competition, now),
        office_log=load_office_log(competition, [staff, manager], now),
        paid=db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(PaymentRequest.total), 0)).join(Grant).where(
            Grant.competition_id == competition.id, PaymentRequest.status == PaymentStatus.PAID)),
    )
    _report_plan(competition, manager)
    return completed


def _report_plan(competition, manager):
    """The manager's plan of the report to the Operator: the standard one, the header's texts, the partners."""
    plan.fill_standard_plan(competition, manager)
    plan.save_header(competition, REPORT_PLAN["header"], manager)
    plan.save_partners(competition, REPORT_PLAN["partners"], manager)


def _pay_the_rest(competition, office):
    """Every grant under way spends what it has left: the requests waiting are approved and paid,
    the budget's other suppliers invoice and are paid, and the premises' rent takes the rest."""
    grants = db.session.execute(sa.select(Grant).where(Grant.competition_id == competition.id,
                                                       Grant.status == GrantStatus.ACTIVE)
                                .order_by(Grant.number)).scalars().all()
    for grant in grants:
        for payment in requests_of(grant):
            office.settle(payment)
        pay_in_full(grant, office)
