"""The staff dashboard of a call: one chart per step of the cycle, each with its table. The figures
the report to the Operator also gives come from app.reporting.facts (one CallFacts per page); the
series only the dashboard draws (per day, per month, by status) are read here, each in one grouped
query, so the page makes as many queries for 5 grants as for 500.
`charts(competition)` gives them all in the order of the cycle; `chart(competition, key)` one."""
from collections import Counter, defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.almaty import utc_to_almaty
from app.applications.models import Application
from app.contracts.models import Grant
from app.dbtypes import utcnow
from app.extensions import db
from app.final_reports.models import FinalReport, ReportStatus
from app.i18n import current_language
from app.kz.regions import district_name, region_name
from app.lottery import reading
from app.mentoring.models import Meeting, MeetingStatus
from app.monitoring.models import Visit
from app.monitoring.plan import VISITED_STATUSES
from app.reporting.charts import BAR, DOUGHNUT, HBAR, LINE, Chart, label, sum_row
from app.reporting.facts import CallFacts


def _today():
    return utc_to_almaty(utcnow()).date()


def _region(code, language):
    return region_name(code, language) if code else _("Region not given")


# --- applications ---------------------------------------------------------------------------

def applications_per_day(facts):
    """Applications submitted each day of the window (Almaty days) and the total so far; days still
    to come are left empty. The deadline's day is marked."""
    competition = facts.competition
    moments = db.session.execute(
        sa.select(Application.submitted_at)
        .where(Application.competition_id == competition.id, Application.submitted_at.is_not(None))).scalars()
    per_day = Counter(utc_to_almaty(moment).date() for moment in moments)
    deadline = utc_to_almaty(competition.closes_at)
    first = min([utc_to_almaty(competition.opens_at).date(), *per_day])
    last, today = max([deadline.date(), *per_day]), _today()
    rows, so_far, day = [], 0, first
    while day <= last:
        so_far += per_day[day]
        rows.append((day, per_day[day], so_far) if day <= today else (day, None, None))
        day += timedelta(days=1)
    return Chart(
        "applications", _l("Applications per day against the deadline"), LINE,
        (_l("Day"), _l("Applications that day"), _l("Applications in all")), rows, series=(2,),
        total=(_("In all"), so_far, None), marker=deadline.date(), marker_title=_l("Deadline"),
        note=_("Deadline: %(deadline)s (Almaty time).", deadline=f"{label(deadline.date())} {deadline:%H:%M}"))


def applications_by_region(facts):
    """Per region (the strata first): applications received, eligible and rejected."""
    language = current_language()
    rows = [(_region(region.region_code, language), region.received, region.eligible, region.rejected)
            for region in facts.regions]
    return Chart("regions", _l("Applications by region"), HBAR,
                 (_l("Region"), _l("Received"), _l("Eligible"), _l("Rejected")), rows,
                 total=sum_row(_("In all"), rows, (1, 2, 3)))


def applications_by_district(facts):
    """Per district of each region: applications received, eligible and rejected."""
    language = current_language()
    rows = [(f"{_region(region.region_code, language)}: {district_name(district.district_code, language)}",
             district.received, district.eligible, district.rejected)
            for region in facts.regions for district in region.districts]
    return Chart("districts", _l("Applications by district"), HBAR,
                 (_l("District"), _l("Received"), _l("Eligible"), _l("Rejected")), rows, series=(1,),
                 total=sum_row(_("In all"), rows, (1, 2, 3)),
                 note=_("Applications whose district is not given are counted in their region only."))


# --- screening ------------------------------------------------------------------------------

def screening_outcomes(facts):
    """The applications received by what screening made of them."""
    screening = facts.screening
    rows = [(_("Eligible"), screening.eligible), (_("Rejected"), screening.rejected),
            (_("Awaiting a decision, a correction or an appeal"), screening.pending),
            (_("Withdrawn before a decision"), screening.withdrawn)]
    return Chart("screening", _l("Screening outcomes"), DOUGHNUT, (_l("Outcome"), _l("Applications")), rows,
                 total=(_("Received"), screening.received))


def rejection_reasons(facts):
    rows = [(str(code.title), count) for code, count in facts.screening.by_reason.items()]
    return Chart("reasons", _l("Rejection reasons"), HBAR, (_l("Reason"), _l("Rejected applications")), rows,
                 note=_("An application rejected for several reasons counts under each."))


# --- the draw -------------------------------------------------------------------------------

def draw_results(facts):
    """Per stratum: its grants, the winners holding one now (promoted reserves included), the
    reserve list still waiting and the grants unawarded; nothing before the draw has run."""
    draw = reading.draw_of(facts.competition)
    if draw is None or draw.results is None:
        rows = []
    else:
        waiting = {outcome.code: sum(1 for r in outcome.reserve if r["ticket"] not in outcome.promoted
                                     and r["ticket"] not in outcome.passed_over)
                   for outcome in reading.outcomes(draw)}
        language = current_language()
        rows = [(_region(region.region_code, language), region.quota, region.winners,
                 waiting.get(region.region_code, 0), max(0, region.quota - region.winners))
                for region in facts.regions if region.quota]
    return Chart("draw", _l("Draw results by region"), HBAR,
                 (_l("Region"), _l("Grants"), _l("Winners"), _l("Reserve list"), _l("Unawarded")), rows,
                 series=(2, 3), total=sum_row(_("In all"), rows, (1, 2, 3, 4)),
                 note=_("Winners are those holding a grant now: reserves promoted after the draw count, "
                        "winners who left do not."))


# --- money ----------------------------------------------------------------------------------

def money(facts):
    """The amount of the grants awarded, split into what is paid, approved and awaiting payment,
    and what remains to approve (the grants' ledgers added up)."""
    grants = facts.grants
    rows = [(_("Paid"), grants.paid), (_("Approved, awaiting payment"), grants.approved - grants.paid),
            (_("Not approved yet"), max(0, grants.amount - grants.approved))]
    return Chart("money", _l("Grant money: paid and approved against the total"), DOUGHNUT,
                 (_l("Money"), _l("Tenge")), rows, total=(_("Amount of the grants awarded"), grants.amount),
                 note=_("%(grants)s grants awarded; terminated grants are left out of the amount.",
                        grants=grants.awarded))


# --- mentoring, monitoring, final reports ---------------------------------------------------

def meetings_per_month(facts):
    """Mentor meetings held each month (those the grantee disputes do not count), of them those
    the grantee confirmed; and the disputed ones."""
    months = defaultdict(Counter)
    for held_on, status, count in db.session.execute(
            sa.select(Meeting.held_on, Meeting.status, sa.func.count(Meeting.id)).join(Grant)
            .where(Grant.competition_id == facts.competition.id).group_by(Meeting.held_on, Meeting.status)):
        months[date(held_on.year, held_on.month, 1)][status] += count
    rows = [(format_date(month, "LLLL yyyy"), counts[MeetingStatus.CONFIRMED] + counts[MeetingStatus.LOGGED],
             counts[MeetingStatus.CONFIRMED], counts[MeetingStatus.DISPUTED])
            for month, counts in sorted(months.items())]
    return Chart("meetings", _l("Mentor meetings per month"), BAR,
                 (_l("Month"), _l("Meetings held"), _l("Confirmed by the grantee"), _l("Disputed")), rows,
                 series=(1,), total=sum_row(_("In all"), rows, (1, 2, 3)),
                 note=_("%(mentors)s mentors in the pool; %(grants)s grants have a mentor.",
                        mentors=facts.mentoring.pool, grants=facts.mentoring.grants_with_mentor))


def monitoring_coverage(facts):
    """The grants to visit, planned and visited (facts), and those a visit flagged for follow-up."""
    flagged, still_open = db.session.execute(
        sa.select(sa.func.count(sa.distinct(Visit.grant_id)),
                  sa.func.count(sa.distinct(sa.case((Visit.resolved_at.is_(None), Visit.grant_id)))))
        .join(Grant).where(Grant.competition_id == facts.competition.id, Grant.status.in_(VISITED_STATUSES),
                           Visit.needs_follow_up)).one()
    monitoring = facts.monitoring
    rows = [(_("Grants to visit"), monitoring.to_visit), (_("Planned"), monitoring.planned),
            (_("Visited"), monitoring.grants_visited), (_("Flagged for follow-up"), flagged),
            (_("Follow-up still open"), still_open)]
    return Chart("monitoring", _l("Monitoring coverage"), BAR, (_l("Grants"), _l("Number")), rows,
                 note=_("%(visits)s visits made by %(groups)s monitoring groups.", visits=monitoring.done,
                        groups=monitoring.groups))


REPORT_GROUPS = (
    (_l("Not started"), (None, ReportStatus.DRAFT)),
    (_l("Submitted, awaiting review"), (ReportStatus.SUBMITTED,)),
    (_l("Returned with comments"), (ReportStatus.RETURNED,)),
    (_l("Accepted"), (ReportStatus.ACCEPTED,)),
)


def final_reports(facts):
    """The final reports of the grants under way or done, by status; a draft counts as not started."""
    found = Counter(dict(db.session.execute(
        sa.select(FinalReport.status, sa.func.count(Grant.id))
        .outerjoin(FinalReport, FinalReport.grant_id == Grant.id)
        .where(Grant.competition_id == facts.competition.id, Grant.status.in_(VISITED_STATUSES))
        .group_by(FinalReport.status)).all()))
    rows = [(str(title), sum(found[status] for status in group)) for title, group in REPORT_GROUPS]
    return Chart("reports", _l("Final reports"), DOUGHNUT, (_l("Status"), _l("Grants")), rows,
                 total=sum_row(_("In all"), rows, (1,)))


# --- the office -----------------------------------------------------------------------------

def consultations(facts):
    rows = [(str(channel.title), count) for channel, count in facts.office.consultations.items()]
    return Chart("consultations", _l("Consultations by channel"), BAR, (_l("Channel"), _l("Consultations")), rows,
                 total=sum_row(_("In all"), rows, (1,)),
                 note=_("Consultations logged for this call; questions about the project in general are not counted."))


def satisfaction(facts):
    """Per stage of the surveys: invited, answered, the average score and the share satisfied (4-5)."""
    rows = [(str(stage.stage.title), stage.invited, stage.answered,
             None if stage.average is None else round(stage.average, 1),
             None if stage.satisfied_share is None else round(100 * stage.satisfied_share, 1))
            for stage in facts.satisfaction]
    return Chart("satisfaction", _l("Satisfaction per stage"), BAR,
                 (_l("Stage"), _l("Invited"), _l("Answered"), _l("Average score (1-5)"), _l("Satisfied (4-5), %")),
                 rows, series=(4,), percent=True)


BUILDERS = {
    "applications": applications_per_day, "regions": applications_by_region, "districts": applications_by_district,
    "screening": screening_outcomes, "reasons": rejection_reasons, "draw": draw_results, "money": money,
    "meetings": meetings_per_month, "monitoring": monitoring_coverage, "reports": final_reports,
    "consultations": consultations, "satisfaction": satisfaction,
}


def charts(competition):
    facts = CallFacts(competition)
    return [build(facts) for build in BUILDERS.values()]


def chart(competition, key):
    """The chart named `key`; KeyError when there is none."""
    return BUILDERS[key](CallFacts(competition))
