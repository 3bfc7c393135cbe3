"""Every computed figure of a call, in one place. The dashboard, the public pages and the report
to the Operator ("Annex 8") read their numbers from here and from nowhere else, so that they agree
with one another and with the database (tests/reporting/test_facts.py recomputes them from the rows).

`CallFacts(competition, period=None)` computes the figures of one call in groups, each group the
first time it is read, in one or a few aggregate queries whatever the number of rows:

- `screening` -> Screening: received (submitted applications, withdrawn ones too), eligible,
  rejected, withdrawn (before any decision), pending, `by_reason` {ReasonCode: applications}
- `regions` -> [RegionCounts]: per region (the strata first) and district: received, eligible,
  rejected, winners, and the stratum's quota
- `winners` -> Winners: count, `by_region`, `neet_confirmed` and `neet_share`. A winner's NEET
  status is confirmed when the application declares all three (not working, not studying, not in
  training), a NEET evidence document is on file, and a screener confirmed the "documents" check
- `grants` -> Grants: awarded (not terminated), contracts signed (countersigned), completed,
  terminated, the amount of the awarded grants, and from the payments ledger the money approved
  (approved or paid) and paid
- `mentoring` -> Mentoring: the pool, grants with a mentor, meetings (not disputed)
- `monitoring` -> Monitoring: groups, visits planned, visits done, grants visited
- `final_reports` -> FinalReports: submitted (at least once), accepted
- `office` -> Office: consultations {Channel: n} and events {EventKind: Participants} (app.office_log.queries)
- `satisfaction` -> [Satisfaction] of every survey stage (app.surveys.results)
- `statistics` -> Statistics of the applicants, the winners and the people the grantees'
  projects reached (accepted final reports): People by gender, social status and age bucket
- `stories` -> [Story]: the success stories of accepted final reports whose grantee consented
- `appeals` -> {AppealStatus: n}; `reserve_by_region` -> {region: applications still on its reserve
  list}; `paid_by_region` -> {region: money paid}: for the public pages (app.reporting.public)

`value(key)` gives one figure by its stable key (`FACTS`), a FactValue that writes itself in
Kazakh, Russian or English (`text(language)`); a row of the report's plan names its fact by key.

The period (Almaty days, both included; None: open-ended) limits what happens on a day: mentor
meetings, monitoring visits, payments, consultations and events. Applications, screening, the
draw, grants and final reports count for the whole call."""
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

import sqlalchemy as sa

from app.almaty import almaty_to_utc
from app.applications.models import Application, ApplicationDocument, ApplicationStatus
from app.competitions.models import DocumentType
from app.competitions.services import reference_date
from app.contracts.models import Contract, Grant, GrantStatus
from app.extensions import db
from app.final_reports.models import FinalReport, ReportStatus, age_column
from app.kz.age_buckets import AGE_BUCKETS
from app.kz.iin import Sex, age_on
from app.mentoring.models import CandidateStatus, Meeting, MeetingStatus, MentorAssignment, MentorCandidate
from app.monitoring.models import Visit
from app.monitoring.plan import coverage
from app.office_log import queries as office_log
from app.payments.models import PaymentRequest, PaymentStatus
from app.reporting.fact_values import FACTS, FactValue  # noqa: F401  (re-exported: the keys and their values)
from app.reporting.figures import (DistrictCounts, FinalReports, Grants, Mentoring, Monitoring, Office, People,
                                   RegionCounts, Screening, Statistics, Story, Winners, people_of)
from app.reporting.models import Partner
from app.screening.closing import PASSED
from app.screening.models import Appeal, AppealStatus, CheckReview, DecisionOutcome, ReasonCode, ScreeningDecision
from app.surveys import results as surveys


@dataclass(frozen=True)
class Period:
    """Almaty days, `start` and `end` both included; None: open-ended."""

    start: date | None = None
    end: date | None = None

    def days(self, column):
        """Conditions keeping a date column inside the period."""
        found = []
        if self.start is not None:
            found.append(column >= self.start)
        if self.end is not None:
            found.append(column <= self.end)
        return found

    def moments(self, column):
        """Conditions keeping a UTC datetime column inside the period's Almaty days."""
        found = []
        if self.start is not None:
            found.append(column >= almaty_to_utc(datetime.combine(self.start, time.min)))
        if self.end is not None:
            found.append(column < almaty_to_utc(datetime.combine(self.end + timedelta(days=1), time.min)))
        return found


@dataclass(frozen=True)
class _Applicant:
    """What the figures need of a submitted application: no name, no IIN."""

    status: ApplicationStatus
    region_code: str | None
    district_code: str | None
    sex: Sex | None
    age: int | None
    categories: tuple
    not_working: bool
    neet_confirmed: bool
    outcome: str  # eligible, rejected, withdrawn, pending
    reasons: tuple


class CallFacts:
    def __init__(self, competition, period=None):
        self.competition = competition
        self.period = period or Period()

    def value(self, key):
        """The figure of `key` (a key of FACTS) as a FactValue; KeyError for an unknown key."""
        return FACTS[key].compute(self)

    # --- applications, screening, draw: one query -----------------------------------------------

    @cached_property
    def _applicants(self):
        latest = (sa.select(ScreeningDecision.application_id, sa.func.max(ScreeningDecision.id).label("id"))
                  .group_by(ScreeningDecision.application_id).subquery())
        neet_document = sa.exists().where(ApplicationDocument.application_id == Application.id,
                                          ApplicationDocument.doc_type == DocumentType.NEET_EVIDENCE)
        documents_confirmed = sa.exists().where(CheckReview.application_id == Application.id,
                                                CheckReview.code == "documents", CheckReview.passes.is_(True))
        rows = db.session.execute(
            sa.select(Application.status, Application.region_code, Application.district_code, Application.sex,
                      Application.birth_date, Application.social_categories, Application.not_working,
                      Application.not_studying, Application.not_in_training, ScreeningDecision.outcome,
                      ScreeningDecision.reasons, neet_document.label("neet_document"),
                      documents_confirmed.label("documents_confirmed"))
            .outerjoin(latest, latest.c.application_id == Application.id)
            .outerjoin(ScreeningDecision, ScreeningDecision.id == latest.c.id)
            .where(Application.competition_id == self.competition.id, Application.number.is_not(None))).all()
        on = reference_date(self.competition)
        return [_Applicant(
            status=row.status, region_code=row.region_code, district_code=row.district_code, sex=row.sex,
            age=age_on(row.birth_date, on) if row.birth_date and row.birth_date <= on else None,
            categories=tuple(row.social_categories or ()), not_working=bool(row.not_working),
            neet_confirmed=bool(row.not_working and row.not_studying and row.not_in_training
                                and row.neet_document and row.documents_confirmed),
            outcome=_outcome(row.status, row.outcome),
            reasons=tuple(row.reasons or ()) if row.outcome is DecisionOutcome.REJECTED else ())
            for row in rows]

    @cached_property
    def screening(self):
        outcomes = Counter(applicant.outcome for applicant in self._applicants)
        reasons = Counter(reason for applicant in self._applicants if applicant.outcome == "rejected"
                          for reason in applicant.reasons)
        return Screening(received=len(self._applicants), eligible=outcomes["eligible"],
                         rejected=outcomes["rejected"], withdrawn=outcomes["withdrawn"],
                         pending=outcomes["pending"],
                         by_reason={code: reasons[code.value] for code in ReasonCode if reasons[code.value]})

    @cached_property
    def regions(self):
        quotas = {stratum.region_code: stratum.quota for stratum in self.competition.strata}
        found = {code: RegionCounts(None, region_code=code, quota=quota) for code, quota in quotas.items()}
        districts = defaultdict(dict)
        for applicant in self._applicants:
            region = found.setdefault(applicant.region_code, RegionCounts(None, region_code=applicant.region_code))
            counted = [region]
            if applicant.district_code:
                counted.append(districts[applicant.region_code].setdefault(
                    applicant.district_code, DistrictCounts(applicant.district_code)))
            for counts in counted:
                counts.received += 1
                counts.eligible += applicant.outcome == "eligible"
                counts.rejected += applicant.outcome == "rejected"
                counts.winners += applicant.status is ApplicationStatus.WINNER
        for code, region in found.items():
            region.districts = [districts[code][key] for key in sorted(districts[code])]
        others = sorted((code for code in found if code not in quotas), key=lambda code: code or "")
        return [found[code] for code in (*quotas, *others)]

    @cached_property
    def winners(self):
        winners = [applicant for applicant in self._applicants if applicant.status is ApplicationStatus.WINNER]
        return Winners(count=len(winners), neet_confirmed=sum(winner.neet_confirmed for winner in winners),
                       by_region=tuple((region.region_code, region.winners) for region in self.regions
                                       if region.winners or region.quota))

    # --- grants and money -------------------------------------------------------------------------

    @cached_property
    def grants(self):
        of_call = Grant.competition_id == self.competition.id
        by_status = {status: (count, int(amount or 0)) for status, count, amount in db.session.execute(
            sa.select(Grant.status, sa.func.count(Grant.id), sa.func.sum(Grant.amount)).where(of_call)
            .group_by(Grant.status))}
        signed = db.session.execute(
            sa.select(sa.func.count(sa.distinct(Contract.grant_id))).join(Grant, Grant.id == Contract.grant_id)
            .where(of_call, Contract.superseded_at.is_(None), Contract.countersigned_at.is_not(None))).scalar_one()
        approved_in = sa.and_(PaymentRequest.status.in_((PaymentStatus.APPROVED, PaymentStatus.PAID)),
                              *self.period.moments(PaymentRequest.approved_at))
        paid_in = sa.and_(PaymentRequest.status == PaymentStatus.PAID, *self.period.moments(PaymentRequest.paid_at))
        approved, paid = db.session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(sa.case((approved_in, PaymentRequest.total), else_=0)), 0),
                      sa.func.coalesce(sa.func.sum(sa.case((paid_in, PaymentRequest.total), else_=0)), 0))
            .join(Grant, Grant.id == PaymentRequest.grant_id).where(of_call)).one()
        awarded = [numbers for status, numbers in by_status.items() if status is not GrantStatus.TERMINATED]
        return Grants(awarded=sum(count for count, _amount in awarded), contracts_signed=signed,
                      completed=by_status.get(GrantStatus.COMPLETED, (0, 0))[0],
                      terminated=by_status.get(GrantStatus.TERMINATED, (0, 0))[0],
                      amount=sum(amount for _count, amount in awarded), approved=int(approved), paid=int(paid))

    # --- appeals, the reserve lists, money per region (the public pages) ---------------------------

    @cached_property
    def appeals(self):
        """{AppealStatus: appeals of the call's rejected applicants}, every status."""
        found = dict(db.session.execute(
            sa.select(Appeal.status, sa.func.count(Appeal.id))
            .join(Application, Application.id == Appeal.application_id).where(Application.competition_id == self.competition.id).group_by(Appeal.status)).all())
        return {status: found.get(status, 0) for status in AppealStatus}

    @cached_property
    def reserve_by_region(self):
        """{region code: applications still waiting on its reserve list}."""
        return Counter(applicant.region_code for applicant in self._applicants
                       if applicant.status is ApplicationStatus.RESERVE)

    @cached_property
    def paid_by_region(self):
        """{region code of the grantee's application: money paid}, in the period."""
        return {region: int(paid) for region, paid in db.session.execute(
            sa.select(Application.region_code, sa.func.sum(PaymentRequest.total))
            .join(Grant, Grant.id == PaymentRequest.grant_id).join(Application, Application.id == Grant.application_id)
            .where(Grant.competition_id == self.competition.id, PaymentRequest.status == PaymentStatus.PAID,
                   *self.period.moments(PaymentRequest.paid_at)).group_by(Application.region_code))}

    # --- mentoring, monitoring, final reports -----------------------------------------------------

    def _grants_of_call(self):
        return sa.select(Grant.id).where(Grant.competition_id == self.competition.id)

    @cached_property
    def mentoring(self):
        grants = self._grants_of_call()
        pool = (sa.select(sa.func.count(MentorCandidate.id))
                .where(MentorCandidate.competition_id == self.competition.id,
                       MentorCandidate.status == CandidateStatus.SELECTED).scalar_subquery())
        assigned = (sa.select(sa.func.count(MentorAssignment.id))
                    .where(MentorAssignment.grant_id.in_(grants)).scalar_subquery())
        meetings = (sa.select(sa.func.count(Meeting.id))
                    .where(Meeting.grant_id.in_(grants), Meeting.status != MeetingStatus.DISPUTED,
                           *self.period.days(Meeting.held_on)).scalar_subquery())
        return Mentoring(*db.session.execute(sa.select(pool, assigned, meetings)).one())

    @cached_property
    def monitoring(self):
        """The grants to visit, planned and visited as app.monitoring.plan.coverage counts them
        (the whole call); the visits made and the groups that made them, in the period."""
        to_visit, planned, visited = coverage().get(self.competition.id, (0, 0, 0))
        done, groups = db.session.execute(
            sa.select(sa.func.count(Visit.id), sa.func.count(sa.distinct(Visit.group_id)))
            .where(Visit.grant_id.in_(self._grants_of_call()), *self.period.days(Visit.visited_on))).one()
        return Monitoring(to_visit=to_visit, planned=planned, grants_visited=visited, done=done, groups=groups)

    @cached_property
    def _reports(self):
        """[status, submitted_at set, beneficiaries, female, male, *ages] summed per status."""
        columns = [FinalReport.beneficiaries, FinalReport.female, FinalReport.male,
                   *(getattr(FinalReport, age_column(bucket)) for bucket in AGE_BUCKETS)]
        return db.session.execute(
            sa.select(FinalReport.status, sa.func.count(FinalReport.submitted_at),
                      *(sa.func.coalesce(sa.func.sum(column), 0) for column in columns))
            .where(FinalReport.grant_id.in_(self._grants_of_call())).group_by(FinalReport.status)).all()

    @cached_property
    def final_reports(self):
        return FinalReports(submitted=sum(row[1] for row in self._reports),
                            accepted=sum(row[1] for row in self._reports if row[0] is ReportStatus.ACCEPTED))

    @cached_property
    def stories(self):
        rows = db.session.execute(
            sa.select(FinalReport, Application.project_title, Application.region_code)
            .join(Grant, Grant.id == FinalReport.grant_id).join(Application, Application.id == Grant.application_id)
            .where(Grant.competition_id == self.competition.id, FinalReport.status == ReportStatus.ACCEPTED,
                   FinalReport.consent_to_publish.is_(True))
            .order_by(Grant.number)).all()
        return [Story(title or "", region, report.story_situation, report.story_action, report.story_result,
                      report.story_quote, report.story_quote_by)
                for report, title, region in rows
                if report.story_situation or report.story_action or report.story_result]

    # --- the office log and the surveys -----------------------------------------------------------

    @cached_property
    def office(self):
        days = {"start": self.period.start, "end": self.period.end}
        return Office(consultations=office_log.consultations_by_channel(self.competition, **days),
                      events=office_log.events_by_kind(self.competition, **days))

    @cached_property
    def satisfaction(self):
        return surveys.by_stage(self.competition)

    @cached_property
    def partner_count(self):
        """The partners the report lists (app.reporting.models.Partner)."""
        return db.session.execute(sa.select(sa.func.count(Partner.id))
                                  .where(Partner.competition_id == self.competition.id)).scalar_one()

    # --- statistics of participants -----------------------------------------------------------------

    @cached_property
    def statistics(self):
        winners = [applicant for applicant in self._applicants if applicant.status is ApplicationStatus.WINNER]
        return Statistics(applicants=people_of(self._applicants), winners=people_of(winners),
                          beneficiaries=self._beneficiaries())

    def _beneficiaries(self):
        accepted = next((row for row in self._reports if row[0] is ReportStatus.ACCEPTED), None)
        if accepted is None:
            return People()
        total, female, male, *ages = (int(number) for number in accepted[2:])
        return People(total=total, female=female, male=male,
                      ages={bucket.key: count for bucket, count in zip(AGE_BUCKETS, ages)})


def _outcome(status, latest):
    """What screening made of an application: eligible, rejected, withdrawn (before a decision) or
    pending. An application withdrawn later keeps the outcome of its last decision."""
    if status in PASSED:
        return "eligible"
    if status is ApplicationStatus.REJECTED:
        return "rejected"
    if status is ApplicationStatus.WITHDRAWN:
        return {DecisionOutcome.ELIGIBLE: "eligible", DecisionOutcome.REJECTED: "rejected"}.get(latest, "withdrawn")
    return "pending"
