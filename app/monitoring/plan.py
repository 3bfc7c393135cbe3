"""The visit plan of a call: every grant under way (active, reporting or completed; not terminated)
gets a group and a day. Staff plan one grant at a time or let `propose` spread the grants not yet
covered over the groups: by region (a group that works in the grant's region, else one group of
no region per region while there are some) and over working days from a first day, a few visits
a day per group. Each change is audited; the caller commits."""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.almaty import utc_to_almaty
from app.audit.services import record
from app.competitions.models import Competition
from app.contracts.contracts import countersigned_by_grant
from app.contracts.grants import locked_grant
from app.contracts.models import Grant, GrantStatus
from app.errors import FieldErrors, Refused
from app.extensions import db
from app.monitoring.groups import all_groups
from app.monitoring.models import PlannedVisit, Visit

# The grants a monitoring group visits: the contract is in force, the project under way or done.
VISITED_STATUSES = (GrantStatus.ACTIVE, GrantStatus.REPORTING, GrantStatus.COMPLETED)
PER_DAY_MAX = 10
WEEKEND = (5, 6)  # Saturday, Sunday


@dataclass
class PlanRow:
    grant: Grant
    planned: PlannedVisit | None = None
    visits: int = 0
    last_visited_on: date | None = None
    follow_ups: int = 0  # visits whose follow-up is still open


@dataclass
class Plan:
    competition: Competition
    rows: list = field(default_factory=list)

    @property
    def uncovered(self):
        return [row for row in self.rows if row.planned is None]

    @property
    def visited(self):
        return [row for row in self.rows if row.visits]


def visited_grants(competition):
    """The grants of `competition` the plan must cover, by number, with their applications."""
    return db.session.execute(
        sa.select(Grant).where(Grant.competition_id == competition.id, Grant.status.in_(VISITED_STATUSES))
        .options(joinedload(Grant.application)).order_by(Grant.number)).scalars().all()


def plan_of(competition):
    """Every grant the plan covers with its planned visit, its visits and open follow-ups, in a
    few queries whatever the number of grants."""
    grants = visited_grants(competition)
    ids = [grant.id for grant in grants]
    planned = {entry.grant_id: entry for entry in db.session.execute(
        sa.select(PlannedVisit).where(PlannedVisit.grant_id.in_(ids))
        .options(joinedload(PlannedVisit.group))).scalars()}
    done = {row.grant_id: row for row in db.session.execute(
        sa.select(Visit.grant_id, sa.func.count(Visit.id).label("visits"),
                  sa.func.max(Visit.visited_on).label("last"),
                  sa.func.sum(sa.case((sa.and_(Visit.needs_follow_up, Visit.resolved_at.is_(None)), 1),
                                      else_=0)).label("open"))
        .where(Visit.grant_id.in_(ids)).group_by(Visit.grant_id))}
    rows = []
    for grant in grants:
        row = PlanRow(grant, planned.get(grant.id))
        if grant.id in done:
            counts = done[grant.id]
            row.visits, row.last_visited_on, row.follow_ups = counts.visits, counts.last, int(counts.open or 0)
        rows.append(row)
    return Plan(competition, rows)


def coverage():
    """{competition id: (grants to visit, planned, visited)}, in one query for every call."""
    rows = db.session.execute(
        sa.select(Grant.competition_id, sa.func.count(sa.distinct(Grant.id)),
                  sa.func.count(sa.distinct(PlannedVisit.id)), sa.func.count(sa.distinct(Visit.grant_id)))
        .outerjoin(PlannedVisit, PlannedVisit.grant_id == Grant.id).outerjoin(Visit, Visit.grant_id == Grant.id)
        .where(Grant.status.in_(VISITED_STATUSES)).group_by(Grant.competition_id))
    return {competition_id: (grants, planned, visited) for competition_id, grants, planned, visited in rows}


def contract_days(grant_ids):
    """{grant id: the Almaty day its contract in force took effect (the director countersigned)}."""
    return {grant_id: utc_to_almaty(at).date() for grant_id, at in countersigned_by_grant(grant_ids).items()}


def require_visited(grant):
    """Refuses a grant that is not (or no longer) under way: nobody visits it."""
    if grant.status not in VISITED_STATUSES:
        raise Refused(_l("Only a grant under way is visited: this grant is “%(status)s”.", status=grant.status.title))


def planned_visit(grant):
    return db.session.execute(sa.select(PlannedVisit).filter_by(grant_id=grant.id)).scalar_one_or_none()


def plan_grant(grant, group, planned_on, actor):
    """Gives `grant` to `group` (None: not chosen) for a visit on `planned_on`, or moves it."""
    grant = locked_grant(grant)  # two changes of one grant's plan take turns
    require_visited(grant)
    errors = FieldErrors()
    if group is None:
        errors.add("group_id", _l("Choose a group."))
    elif not group.members:
        errors.add("group_id", _l("This group has no members yet."))
    if planned_on is None:
        errors.add("planned_on", _l("Enter the day of the visit."))
    else:
        contract_day = contract_days([grant.id]).get(grant.id)
        if contract_day is not None and planned_on < contract_day:
            errors.add("planned_on", _l("The contract took effect on %(date)s: plan the visit on that day or later.",
                                        date=format_date(contract_day)))
    errors.raise_if_any()
    entry = planned_visit(grant) or PlannedVisit(grant_id=grant.id)
    before = {"group": entry.group_id, "planned_on": entry.planned_on.isoformat()} if entry.id else None
    entry.group, entry.planned_on, entry.planned_by_id = group, planned_on, actor.id if actor else None
    db.session.add(entry)
    db.session.flush()
    record(actor, "monitoring.planned", {"grant": grant.id, "group": group.id, "planned_on": planned_on.isoformat(),
                                         "before": before})
    return entry


def propose(competition, first_day, per_day, actor):
    """Plans every grant of `competition` not yet covered: each goes to a group of its region (see
    `_crews`) on the group's next working day from `first_day` (not before the grant's contract
    took effect) that has fewer than `per_day` visits planned. Returns the new planned visits."""
    db.session.execute(sa.select(Competition.id).where(Competition.id == competition.id).with_for_update())
    errors = FieldErrors()
    if first_day is None:
        errors.add("first_day", _l("Enter the first day of visits."))
    if per_day is None or not 1 <= per_day <= PER_DAY_MAX:
        errors.add("per_day", _l("Enter a number of visits a day from 1 to %(max)s.", max=PER_DAY_MAX))
    errors.raise_if_any()
    plan = plan_of(competition)
    todo = [row.grant for row in plan.uncovered]
    if not todo:
        raise Refused(_l("Every grant under way is already in the plan."))
    groups = [group for group in all_groups() if group.members]
    if not groups:
        raise Refused(_l("Make a monitoring group with members first."))
    load = Counter(row.planned.group_id for row in plan.rows if row.planned is not None)
    crews = _crews(todo, groups, load)
    booked = defaultdict(Counter)
    for group_id, day in db.session.execute(sa.select(PlannedVisit.group_id, PlannedVisit.planned_on)
                                            .where(PlannedVisit.planned_on >= first_day)):
        booked[group_id][day] += 1
    starts = contract_days(grant.id for grant in todo)
    entries = []
    for grant, group in crews:
        day = _free_day(max(first_day, starts.get(grant.id, first_day)), booked[group.id], per_day)
        entries.append(PlannedVisit(grant_id=grant.id, group=group, planned_on=day,
                                    planned_by_id=actor.id if actor else None))
    db.session.add_all(entries)
    db.session.flush()
    record(actor, "monitoring.plan_proposed", {
        "competition": competition.id, "first_day": first_day.isoformat(), "per_day": per_day,
        "planned": [[entry.grant_id, entry.group_id, entry.planned_on.isoformat()] for entry in entries]})
    return entries


def _crews(grants, groups, load):
    """(grant, group) for every grant: the groups that work in the grant's region share its grants;
    a region without one takes a group of no region for itself while there are some left (the
    largest regions first), else the least loaded group. Within a region, grants go by district to
    the least loaded group of its crew. `load` (planned visits per group id) is updated."""
    by_region = defaultdict(list)
    for grant in grants:
        by_region[grant.application.region_code].append(grant)
    free = [group for group in groups if group.region_code is None]

    def least_loaded(candidates):
        return min(candidates, key=lambda group: (load[group.id], group.name))

    pairs = []
    for region, region_grants in sorted(by_region.items(), key=lambda item: (-len(item[1]), item[0] or "")):
        crew = [group for group in groups if group.region_code == region]
        if not crew and free:
            crew = [least_loaded(free)]
            free.remove(crew[0])
        crew = crew or [least_loaded(groups)]
        for grant in sorted(region_grants, key=lambda grant: (grant.application.district_code or "", grant.number)):
            group = least_loaded(crew)
            load[group.id] += 1
            pairs.append((grant, group))
    return pairs


def next_working_day(day):
    """The working day after `day`."""
    return _free_day(day + timedelta(days=1), Counter(), 1)


def _free_day(day, booked, per_day):
    """The first working day from `day` with fewer than `per_day` visits in `booked`, which counts it."""
    while day.weekday() in WEEKEND or booked[day] >= per_day:
        day += timedelta(days=1)
    booked[day] += 1
    return day
