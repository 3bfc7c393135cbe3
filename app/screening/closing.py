"""Closing technical screening, and its results.

Screening of a call closes once applications are closed, no application is undecided and no
rejected applicant can still appeal; from then on the eligible set is what the draw uses.
`screening_summary` gives the counts and lists that the protocol and the public page show, and
`results_version` names them as they stand."""
import hashlib
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.applications.models import Application, ApplicationStatus
from app.audit.services import record
from app.competitions.models import Competition
from app.dbtypes import utcnow
from app.errors import Refused
from app.extensions import db
from app.screening.appeals import last_appeal_day, period_end
from app.screening.models import Appeal, DecisionOutcome, ReasonCode, ScreeningDecision

S = ApplicationStatus
# Waiting for a screener's (or an appeal) decision.
UNDECIDED = (S.SUBMITTED, S.CORRECTION_REQUESTED, S.APPEALED)
# Passed screening: eligible, and what eligible applications become in the draw.
PASSED = (S.ELIGIBLE, S.WINNER, S.RESERVE, S.NOT_SELECTED)
del S


class ClosingRefused(Refused):
    """Screening cannot be closed now; `problems` says why, one message each (lazy)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(self.problems[0])

    @property
    def messages(self):
        return self.problems

    def __str__(self):
        return " ".join(str(problem) for problem in self.problems)


def is_closed(competition):
    return competition.screening_closed_at is not None


def closing_problems(competition, now=None):
    """What stops screening of `competition` from closing now, as messages; empty when it can."""
    now = now or utcnow()
    if is_closed(competition):
        return [_l("Screening of this competition was closed on %(date)s (Almaty time).",
                   date=format_datetime(competition.screening_closed_at, "d MMMM y, HH:mm"))]
    problems = []
    if now < competition.closes_at:
        problems.append(_l("Applications are open until %(date)s (Almaty time): screening can close only "
                           "after that.", date=format_datetime(competition.closes_at, "d MMMM y, HH:mm")))
    undecided = db.session.execute(
        sa.select(sa.func.count(Application.id))
        .where(Application.competition_id == competition.id, Application.status.in_(UNDECIDED))
    ).scalar_one()
    if undecided:
        problems.append(ngettext(
            "%(num)d application is still undecided (submitted, correction requested or appealed).",
            "%(num)d applications are still undecided (submitted, correction requested or appealed).",
            undecided))
    running = [end for end in open_appeal_periods(competition) if end > now]
    if running:
        problems.append(ngettext(
            "%(num)d rejected applicant can still appeal; the last appeal period ends on %(date)s (Almaty time).",
            "%(num)d rejected applicants can still appeal; the last appeal period ends on %(date)s (Almaty time).",
            len(running), date=format_date(last_appeal_day(max(running)), "d MMMM y")))
    return problems


def open_appeal_periods(competition):
    """The end (naive UTC) of the appeal period of every rejected application not yet appealed:
    one statement, its rejection's time read beside each application."""
    rejected_at = (
        sa.select(sa.func.max(ScreeningDecision.decided_at))
        .where(ScreeningDecision.application_id == Application.id,
               ScreeningDecision.outcome == DecisionOutcome.REJECTED, ScreeningDecision.on_appeal.is_(False))
        .correlate(Application).scalar_subquery()
    )
    times = db.session.execute(
        sa.select(rejected_at).select_from(Application)
        .outerjoin(Appeal, Appeal.application_id == Application.id)
        .where(Application.competition_id == competition.id, Application.status == ApplicationStatus.REJECTED,
               Appeal.id.is_(None))
    ).scalars()
    ends = [period_end(at, competition.appeal_days) for at in times]
    return [end for end in ends if end is not None]


def close_screening(competition, actor, now=None):
    """Closes screening of `competition` for `actor`; ClosingRefused lists what stops it."""
    now = now or utcnow()
    competition = db.session.execute(
        sa.select(Competition).where(Competition.id == competition.id)
        .with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    problems = closing_problems(competition, now)
    if problems:
        raise ClosingRefused(problems)
    competition.screening_closed_at = now
    summary = screening_summary(competition)
    record(actor, "screening.closed", {
        "competition": competition.id, "eligible": len(summary.eligible), "rejected": len(summary.rejected),
        "eligible_numbers": [row.number for row in summary.eligible],
    })
    db.session.flush()
    return competition


# --- the results ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ScreenedApplication:
    number: str
    masked_name: str  # "Айгерим Н.": for the protocol only, never for a public page
    region_code: str
    reasons: tuple = ()  # ReasonCode, for a rejected application
    on_appeal: bool = False  # the last decision was taken on appeal


@dataclass
class RegionCount:
    region_code: str
    eligible: int = 0
    rejected: int = 0

    @property
    def screened(self):
        return self.eligible + self.rejected


@dataclass
class ScreeningSummary:
    regions: list = field(default_factory=list)  # RegionCount, strata first
    reasons: list = field(default_factory=list)  # (ReasonCode, count), in the order of the codes
    eligible: list = field(default_factory=list)  # ScreenedApplication, by number
    rejected: list = field(default_factory=list)

    @property
    def screened(self):
        return len(self.eligible) + len(self.rejected)


def masked_name(first_name, last_name):
    """The first name and the initial of the last name: `Айгерим Н.`."""
    first = (first_name or "").strip()
    last = (last_name or "").strip()
    return " ".join(filter(None, (first, f"{last[0]}." if last else "")))


def screened_condition(competition):
    """The SQL condition on applications that selects those screening decided in `competition`:
    rejected, or eligible and what that became in the draw, or withdrawn after screening closed (it
    found them eligible; the draw's page tells the rest). A withdrawal before then is not screened."""
    closed_at = competition.screening_closed_at
    # A winner replaced before 30 November 2026 was withdrawn without its time, after the draw.
    withdrawn_after = (sa.or_(Application.withdrawn_at.is_(None), Application.withdrawn_at >= closed_at)
                       if closed_at else sa.false())
    return sa.and_(Application.competition_id == competition.id, sa.or_(
        Application.status.in_(PASSED + (ApplicationStatus.REJECTED,)),
        sa.and_(Application.status == ApplicationStatus.WITHDRAWN, withdrawn_after),
    ))


def screening_summary(competition):
    """Counts by region and by reason, and the eligible and rejected applications: two queries."""
    screened = screened_condition(competition)
    applications = db.session.execute(
        sa.select(Application.id, Application.number, Application.first_name, Application.last_name,
                  Application.region_code, Application.status)
        .where(screened)
        .order_by(Application.serial, Application.id)
    ).all()
    latest = _latest_decisions(screened)

    summary = ScreeningSummary()
    regions = {stratum.region_code: RegionCount(stratum.region_code) for stratum in competition.strata}
    reasons = Counter()
    for row in applications:
        decision = latest.get(row.id)
        passed = row.status is not ApplicationStatus.REJECTED
        region = regions.setdefault(row.region_code, RegionCount(row.region_code))
        codes = () if passed or decision is None else tuple(ReasonCode(value) for value in decision.reasons)
        entry = ScreenedApplication(
            number=row.number, masked_name=masked_name(row.first_name, row.last_name),
            region_code=row.region_code, reasons=codes, on_appeal=bool(decision and decision.on_appeal),
        )
        if passed:
            region.eligible += 1
            summary.eligible.append(entry)
        else:
            region.rejected += 1
            summary.rejected.append(entry)
            reasons.update(codes)
    strata = [stratum.region_code for stratum in competition.strata]
    summary.regions = [regions[code] for code in strata] + [
        regions[code] for code in sorted(regions) if code not in strata]
    summary.reasons = [(code, reasons[code]) for code in ReasonCode if reasons[code]]
    return summary


def _latest_decisions(screened):
    """application id -> its latest decision that decided (eligible or rejected), as a row of its
    reasons and whether it was taken on appeal, for the applications `screened` selects."""
    decisions = db.session.execute(
        sa.select(ScreeningDecision.application_id, ScreeningDecision.reasons, ScreeningDecision.on_appeal)
        .join(Application, Application.id == ScreeningDecision.application_id)
        .where(screened, ScreeningDecision.outcome.in_((DecisionOutcome.ELIGIBLE, DecisionOutcome.REJECTED)))
        .order_by(ScreeningDecision.decided_at, ScreeningDecision.id)
    ).all()
    return {decision.application_id: decision for decision in decisions}


def results_version(competition_id):
    """SHA-256 naming the call's results as they stand, read in one statement: the call's closing
    and last change, and its applications' count, status changes (each raises the application's
    state_version) and last change. None when there is no such call."""
    row = db.session.execute(
        sa.select(Competition.screening_closed_at, Competition.updated_at, sa.func.count(Application.id),
                  sa.func.sum(Application.state_version), sa.func.max(Application.updated_at))
        .outerjoin(Application, Application.competition_id == Competition.id)
        .where(Competition.id == competition_id).group_by(Competition.id)
    ).first()
    return None if row is None else hashlib.sha256("|".join(map(str, row)).encode()).hexdigest()
