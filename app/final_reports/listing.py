"""Where the final reports of a call stand: each grant's report (or none yet), its due date and
whether it is overdue, for the staff list and the grant pages."""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.almaty import utc_to_almaty
from app.contracts.contracts import current_contract, in_force_by_grant
from app.contracts.models import Grant, GrantStatus
from app.dbtypes import utcnow
from app.extensions import db
from app.final_reports.models import FinalReport, ReportStatus

# The grants that owe a final report: their contract is signed, and they are not terminated.
REPORTING_GRANTS = (GrantStatus.ACTIVE, GrantStatus.REPORTING, GrantStatus.COMPLETED)
# A report in one of these is with the project office (or done): it is never overdue.
HANDED_IN = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def almaty_today():
    return utc_to_almaty(utcnow()).date()


def due_date(grant):
    """The day the grant's final report is due, as its contract says (the call's date, else 180
    days after the contract in force was issued); None before a contract is issued."""
    return _due(grant, current_contract(grant))


def _due(grant, contract):
    return grant.competition.report_due_on(contract.issued_at) if contract is not None else None


@dataclass(frozen=True)
class ReportRow:
    grant: Grant
    report: FinalReport | None
    due: date | None

    @property
    def status(self):
        return self.report.status if self.report is not None else None

    def overdue(self, today):
        """Past its due date and not handed in (none yet, a draft, or returned and not sent again)."""
        return self.due is not None and today > self.due and self.status not in HANDED_IN


def row_of(grant):
    return ReportRow(grant=grant, report=_reports_by_grant([grant.id]).get(grant.id), due=due_date(grant))


def rows(competition_id=None, status=None):
    """The grants that owe a report (of one call, when given), in number order, with their reports;
    `status` keeps those whose report is in it ("none": no report yet)."""
    query = (sa.select(Grant).where(Grant.status.in_(REPORTING_GRANTS)).order_by(Grant.number)
             .options(joinedload(Grant.application).lazyload("*"), selectinload(Grant.competition)))
    if competition_id is not None:
        query = query.where(Grant.competition_id == competition_id)
    grants = db.session.execute(query).scalars().all()
    ids = [grant.id for grant in grants]
    reports, contracts = _reports_by_grant(ids), in_force_by_grant(ids)
    found = [ReportRow(grant=grant, report=reports.get(grant.id), due=_due(grant, contracts.get(grant.id)))
             for grant in grants]
    if status == "none":
        return [row for row in found if row.report is None]
    if status is not None:
        return [row for row in found if row.status is status]
    return found


def _reports_by_grant(grant_ids):
    if not grant_ids:
        return {}
    reports = db.session.execute(sa.select(FinalReport).where(FinalReport.grant_id.in_(grant_ids))).scalars()
    return {report.grant_id: report for report in reports}
