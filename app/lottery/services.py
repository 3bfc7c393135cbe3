"""What the draw does, step by step: prepare the list from a closed screening, commit it, register
the observers, enter the sources, run (exactly once), publish, and replace a winner from the
reserve list. Each step takes the draw (or the competition) and the acting user, locks the draw
row, writes an entry in the draw's public hash chain and one in the audit log; the caller commits.

The steps can run one after another in one transaction (a demo stage does that):
`prepare` -> `commit` -> `register_observer`... -> `enter_sources` -> `run` -> `publish`."""
from collections import Counter
from dataclasses import dataclass, field
from datetime import timezone

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from app.applications.models import Application, ApplicationStatus
from app.applications.status import move
from app.audit.chain import GENESIS, entry_hash
from app.audit.services import record as audit
from app.competitions.services import reference_date
from app.dbtypes import utcnow
from app.errors import Refused
from app.extensions import db
from app.kz.iin import Sex, age_on
from app.lottery import engine
from app.lottery.engine import DrawError
from app.lottery.models import DRAW_TRANSITIONS, Draw, DrawLogEntry, DrawObserver, DrawState, ReplacementReason
from app.mail.services import queue_mail

SOURCE_RULE_MAX = 2000
SOURCE_MAX = 500
SOURCES_MAX = 20
OBSERVER_NAME_MAX = 200
OBSERVER_ORGANISATION_MAX = 255

# The age buckets of the Operator's statistics (DESIGN.md, Annex 8): (first age, last age or None).
AGE_BUCKETS = ((13, 16), (17, 22), (23, 27), (28, 32), (33, 45), (46, 58), (59, None))
SEX_TITLES = {Sex.FEMALE: _l("Women"), Sex.MALE: _l("Men")}

# Log events (the public chain) that later steps read back.
WINNER_REMOVED = "winner.removed"
RESERVE_PROMOTED = "reserve.promoted"


class DrawRefused(Refused):
    """A step that the rules do not allow now; `message` says why, for the person who tried."""


class EligibleSetFrozen(DrawRefused):
    """The competition's list is committed: no application may join or leave the eligible set."""


# --- reading ------------------------------------------------------------------------------

def draw_of(competition):
    """The competition's draw, or None before it is prepared."""
    return db.session.execute(sa.select(Draw).where(Draw.competition_id == competition.id)).scalar_one_or_none()


def public_draws():
    """The draws the public can see (committed or later), the latest first."""
    return db.session.execute(
        sa.select(Draw).where(Draw.state != DrawState.PREPARED).order_by(Draw.committed_at.desc())
    ).scalars().all()


def is_public(draw):
    return draw.state is not DrawState.PREPARED


def screening_closed(competition):
    return competition.screening_closed_at is not None


def eligible_entries(competition):
    """The eligible applications of the call as draw entries, sorted by ticket: no names."""
    rows = db.session.execute(
        sa.select(Application.number, Application.region_code)
        .where(Application.competition_id == competition.id, Application.status == ApplicationStatus.ELIGIBLE)
        .order_by(Application.number)
    ).all()
    return [{"ticket": number, "stratum": region} for number, region in rows]


def competition_quotas(competition):
    return {stratum.region_code: stratum.quota for stratum in competition.strata}


def list_problems(entries, quotas):
    """What stops this list from being committed, as messages; empty when it can be."""
    problems = []
    if not quotas:
        problems.append(_l("The competition has no strata: add them with their quotas first."))
    if not entries:
        problems.append(_l("There are no eligible applications: there is nobody to draw."))
    counts = Counter(entry["stratum"] for entry in entries)
    for code in sorted(quotas):
        if not counts[code]:
            problems.append(_l(
                "Stratum %(stratum)s has a quota of %(quota)s grants but no eligible applications. "
                "Remove the stratum or change the strata before committing the list.",
                stratum=code, quota=quotas[code]))
    for code in sorted(set(counts) - set(quotas)):
        problems.append(_l(
            "%(count)s eligible applications are registered in %(stratum)s, which is not a stratum "
            "of the competition.", count=counts[code], stratum=code))
    return problems


@dataclass
class StratumSummary:
    code: str
    quota: int
    entries: int

    @property
    def unawarded(self):
        return max(0, self.quota - self.entries)


def strata_summary(draw):
    """Per stratum (by code): its quota, how many entries it has and how many grants stay unawarded."""
    counts = Counter(entry["stratum"] for entry in draw.entries)
    return [StratumSummary(code, draw.quotas[code], counts[code]) for code in sorted(draw.quotas)]


@dataclass
class StratumOutcome:
    """One stratum after the draw, replacements included."""

    code: str
    quota: int
    winners: list = field(default_factory=list)  # results drawn as winners, by rank
    reserve: list = field(default_factory=list)  # results on the reserve list, by rank
    removed: dict = field(default_factory=dict)  # ticket -> log data of its removal
    promoted: dict = field(default_factory=dict)  # ticket -> log data of its promotion

    @property
    def current_winners(self):
        """Tickets holding a grant now: the winners drawn and the promoted, less the removed."""
        holders = [r["ticket"] for r in self.winners]
        holders += [r["ticket"] for r in self.reserve if r["ticket"] in self.promoted]
        return [ticket for ticket in holders if ticket not in self.removed]

    @property
    def unawarded(self):
        return self.quota - len(self.current_winners)


def outcomes(draw):
    """Each stratum's winners and reserve list, with the replacements read back from the log."""
    if draw.results is None:
        return []
    by_code = {code: StratumOutcome(code, quota) for code, quota in sorted(draw.quotas.items())}
    for result in draw.results:
        stratum = by_code[result["stratum"]]
        (stratum.winners if result["outcome"] == engine.WINNER else stratum.reserve).append(result)
    for entry in draw.log:
        if entry.event == WINNER_REMOVED:
            by_code[entry.data["stratum"]].removed[entry.data["ticket"]] = entry.data
        elif entry.event == RESERVE_PROMOTED:
            by_code[entry.data["stratum"]].promoted[entry.data["ticket"]] = entry.data
    return list(by_code.values())


def reserve_position(draw, result):
    """The place of a reserve result on its stratum's reserve list, from 1."""
    return result["rank"] - draw.quotas[result["stratum"]]


def record(draw):
    """The published record ("grants-draw/1") of a drawn draw: what `tools/verify_draw.py` checks."""
    if draw.results is None:
        raise DrawRefused(_l("The draw has not been run yet: there is no record to publish."))
    competition = draw.competition
    return engine.build_record(
        draw.id,
        {"id": competition.id, "code": competition.code,
         "title": {"kk": competition.title_kk, "ru": competition.title_ru, "en": competition.title_en}},
        draw.algorithm, draw.entries, draw.quotas, draw.source_rule, draw.sources,
        [entry.as_chain_entry() for entry in draw.log],
    )


def frozen_list(draw):
    """What the commitment covers, and the rule: enough to recompute the commitment before the draw."""
    return {"format": engine.RECORD_FORMAT, "draw_id": draw.id, "algorithm": draw.algorithm,
            "entries": draw.entries, "quotas": draw.quotas, "commitment": draw.commitment,
            "source_rule": draw.source_rule}


def age_bucket(age):
    """The label of the Annex 8 bucket an age falls in, e.g. "23-27" or "59+"; None below 13."""
    for first, last in AGE_BUCKETS:
        if age >= first and (last is None or age <= last):
            return f"{first}-{last}" if last is not None else f"{first}+"
    return None


@dataclass
class BalanceRow:
    label: object  # a (lazy) string, or a code that the template turns into a name
    winners: int = 0
    others: int = 0


@dataclass
class StratumBalance:
    code: str
    winners: int
    others: int
    sex: list
    age: list
    districts: list  # of BalanceRow with district codes as labels


def balance(draw):
    """Winners against the not selected (the reserve list), by sex, age bucket and district, per
    stratum, as drawn (before any replacement). Shown for impact evaluation; never used to select."""
    if draw.results is None:
        return []
    applications = {
        application.number: application
        for application in db.session.execute(
            sa.select(Application).where(Application.competition_id == draw.competition_id,
                                         Application.number.in_([r["ticket"] for r in draw.results]))
        ).scalars()
    }
    on_date = reference_date(draw.competition)
    tables = []
    for code in sorted(draw.quotas):
        results = [r for r in draw.results if r["stratum"] == code]
        sex = {key: BalanceRow(title) for key, title in SEX_TITLES.items()}
        ages = {age_bucket(first): BalanceRow(age_bucket(first)) for first, _last in AGE_BUCKETS}
        districts = {}
        for result in results:
            application = applications.get(result["ticket"])
            if application is None:
                continue
            column = "winners" if result["outcome"] == engine.WINNER else "others"
            rows = []
            if application.sex in sex:
                rows.append(sex[application.sex])
            if application.birth_date is not None and on_date >= application.birth_date:
                bucket = age_bucket(age_on(application.birth_date, on_date))
                if bucket in ages:
                    rows.append(ages[bucket])
            if application.district_code:
                rows.append(districts.setdefault(application.district_code, BalanceRow(application.district_code)))
            for row in rows:
                setattr(row, column, getattr(row, column) + 1)
        winners = sum(1 for r in results if r["outcome"] == engine.WINNER)
        tables.append(StratumBalance(
            code=code, winners=winners, others=len(results) - winners, sex=list(sex.values()),
            age=[row for row in ages.values() if row.winners or row.others],
            districts=[districts[key] for key in sorted(districts)],
        ))
    return tables


# --- the eligible set, frozen at commit -----------------------------------------------------

def eligible_set_frozen(competition):
    """Whether the competition's draw list is committed (asked without logging anything)."""
    draw = draw_of(competition)
    return draw is not None and draw.state is not DrawState.PREPARED


def assert_eligible_set_open(competition, actor=None, attempt=None):
    """Raises EligibleSetFrozen once the competition's draw list is committed.

    Screening, appeals and withdrawals call it before they change whether an application is
    eligible (or its stratum). The refusal is written to the draw log and the audit log in the
    current transaction: call it before changing anything, and commit after catching it, so the
    refusal stays on record while nothing else has changed. `attempt` describes what was tried
    (e.g. {"application": 17, "change": "rejected"}); only ticket numbers go into the public log."""
    if not eligible_set_frozen(competition):
        return
    draw = _locked(draw_of(competition))
    attempt = dict(attempt or {})
    public = {key: attempt[key] for key in ("ticket", "change") if key in attempt}
    _log(draw, "eligible_set.change_refused", public)
    audit(actor, "draw.eligible_set_change_refused", {"draw": draw.id, "competition": competition.id, **attempt})
    raise EligibleSetFrozen(_l("The draw list of this competition is committed: no application can "
                               "become eligible or stop being eligible any more."))


# --- the lifecycle --------------------------------------------------------------------------

def prepare(competition, actor, algorithm=engine.DEFAULT_ALGORITHM, source_rule=""):
    """Makes (or refreshes) the competition's draft draw from the closed screening: the eligible
    applications as entries, the strata's quotas, the algorithm and the announced rule.

    The draft may still have problems (see `list_problems`): they are shown, and `commit` refuses
    until the manager fixes them."""
    if not screening_closed(competition):
        raise DrawRefused(_l("Screening of this competition is not closed yet: the eligible list can "
                             "still change. Close screening and appeals first."))
    if algorithm not in engine.ALGORITHMS:
        raise DrawRefused(_l("Choose an algorithm from the list."), field="algorithm")
    source_rule = _checked_rule(source_rule)
    draw = draw_of(competition)
    if draw is None:
        draw = Draw(competition=competition, entries=[], quotas={})
        db.session.add(draw)
        db.session.flush()
    else:
        draw = _locked(draw)
        if draw.state is not DrawState.PREPARED:
            raise DrawRefused(_l("The list of this draw is already committed: it cannot be prepared again."))
    draw.entries = eligible_entries(competition)
    draw.quotas = competition_quotas(competition)
    draw.algorithm = algorithm
    draw.source_rule = source_rule
    draw.prepared_at = utcnow()
    draw.prepared_by_id = _id(actor)
    _flush(draw)
    summary = {"entries": len(draw.entries), "quotas": draw.quotas, "algorithm": algorithm}
    _log(draw, "draw.prepared", summary)
    problems = [str(problem) for problem in list_problems(draw.entries, draw.quotas)]
    audit(actor, "draw.prepared", {"draw": draw.id, "competition": competition.id, **summary, "problems": problems})
    return draw


def commit(draw, actor):
    """Freezes the list, the quotas, the algorithm and the rule, and publishes their commitment.
    From now on the eligible set of the competition cannot change."""
    draw = _locked(draw)
    _check_move(draw, DrawState.COMMITTED)
    competition = draw.competition
    if not screening_closed(competition):
        raise DrawRefused(_l("Screening of this competition is not closed: the list cannot be committed."))
    if eligible_entries(competition) != draw.entries or competition_quotas(competition) != draw.quotas:
        raise DrawRefused(_l("The eligible applications or the quotas have changed since the draw was "
                             "prepared. Prepare it again and check the list before committing."))
    problems = list_problems(draw.entries, draw.quotas)
    if problems:
        raise DrawRefused(problems[0])
    if not draw.source_rule:
        raise DrawRefused(_l("Announce the rule for the random sources before committing."), field="source_rule")
    try:
        draw.commitment = engine.commitment(draw.algorithm, draw.entries, draw.quotas)
    except DrawError as error:
        raise DrawRefused(error.args[0]) from None
    draw.state = DrawState.COMMITTED
    draw.committed_at = utcnow()
    draw.committed_by_id = _id(actor)
    _flush(draw)
    _log(draw, "list.frozen", {"algorithm": draw.algorithm, "commitment": draw.commitment,
                               "entries": len(draw.entries), "quotas": draw.quotas})
    _log(draw, "rule.announced", {"rule": draw.source_rule})
    audit(actor, "draw.committed", {"draw": draw.id, "competition": competition.id,
                                    "commitment": draw.commitment, "entries": len(draw.entries)})
    return draw


def register_observer(draw, name, organisation, actor):
    """Names someone from outside the office who watches the draw (before it runs)."""
    draw = _locked(draw)
    if draw.state is not DrawState.COMMITTED:
        raise DrawRefused(_l("Observers are registered after the list is committed and before the draw runs."))
    name, organisation = (name or "").strip(), (organisation or "").strip()
    if not name:
        raise DrawRefused(_l("Enter the observer's name."), field="name")
    if not organisation:
        raise DrawRefused(_l("Enter the organisation the observer represents."), field="organisation")
    if len(name) > OBSERVER_NAME_MAX or len(organisation) > OBSERVER_ORGANISATION_MAX:
        raise DrawRefused(_l("The name or the organisation is too long."), field="name")
    observer = DrawObserver(name=name, organisation=organisation, registered_by_id=_id(actor))
    draw.observers.append(observer)
    db.session.flush()
    _log(draw, "observer.registered", {"name": name, "organisation": organisation})
    audit(actor, "draw.observer_registered", {"draw": draw.id, "observer": observer.id, "name": name,
                                              "organisation": organisation})
    return observer


def enter_sources(draw, sources, actor):
    """Records the random sources, taken as the announced rule says. They cannot be changed:
    a second set of sources would let someone pick the result."""
    draw = _locked(draw)
    if draw.state is not DrawState.COMMITTED:
        raise DrawRefused(_l("Sources are entered after the list is committed and before the draw runs."))
    if draw.sources is not None:
        raise DrawRefused(_l("The sources of this draw have already been entered; they cannot be changed."))
    sources = [source.strip() if isinstance(source, str) else source for source in sources or ()]
    if len(sources) > SOURCES_MAX:
        raise DrawRefused(_l("Enter at most %(max)s sources.", max=SOURCES_MAX), field="sources")
    if any(isinstance(source, str) and len(source) > SOURCE_MAX for source in sources):
        raise DrawRefused(_l("A source can have at most %(max)s characters.", max=SOURCE_MAX), field="sources")
    try:
        engine.seed_for(draw.algorithm, draw.commitment, sources)
    except DrawError as error:
        raise DrawRefused(error.args[0], field="sources") from None
    draw.sources = sources
    draw.sources_entered_at = utcnow()
    draw.sources_entered_by_id = _id(actor)
    _flush(draw)
    _log(draw, "sources.entered", {"sources": sources})
    audit(actor, "draw.sources_entered", {"draw": draw.id, "sources": sources})
    return draw


def run(draw, actor):
    """Runs the draw, once: computes the seed and the results, logs each winner, and moves the
    applications to winner or reserve. A second run (another click, another worker) is refused."""
    draw = _locked(draw)
    if draw.state in (DrawState.DRAWN, DrawState.PUBLISHED):
        raise DrawRefused(_l("This draw has already been run. A draw runs only once."))
    _check_move(draw, DrawState.DRAWN)
    if draw.sources is None:
        raise DrawRefused(_l("Enter the random sources before running the draw."))
    try:
        drawn = engine.run_draw(draw.algorithm, draw.entries, draw.quotas, draw.sources)
    except DrawError as error:
        raise DrawRefused(error.args[0]) from None
    draw.seed = drawn.seed
    draw.results = [result._asdict() for result in drawn.results]
    draw.state = DrawState.DRAWN
    draw.drawn_at = utcnow()
    draw.drawn_by_id = _id(actor)
    _flush(draw)

    _log(draw, "seed.computed", {"seed": drawn.seed})
    for code in sorted(draw.quotas):
        results = [r for r in drawn.results if r.stratum == code]
        for result in results:
            if result.outcome == engine.WINNER:
                _log(draw, "winner.revealed", {"stratum": code, "rank": result.rank, "ticket": result.ticket})
        _log(draw, "stratum.drawn", {
            "stratum": code, "winners": sum(r.outcome == engine.WINNER for r in results),
            "reserve": sum(r.outcome == engine.RESERVE for r in results), "unawarded": drawn.unawarded[code],
        })

    status = {engine.WINNER: ApplicationStatus.WINNER, engine.RESERVE: ApplicationStatus.RESERVE}
    applications = _applications_by_ticket(draw)
    not_eligible = []
    for result in drawn.results:
        application = applications.get(result.ticket)
        if application is None or application.status is not ApplicationStatus.ELIGIBLE:
            # The list was frozen with it; the draw stands, the application keeps its status.
            not_eligible.append(result.ticket)
            continue
        move(application, status[result.outcome], actor)
    db.session.flush()
    audit(actor, "draw.run", {"draw": draw.id, "seed": drawn.seed, "not_eligible_at_run": not_eligible})
    return draw


def publish(draw, actor):
    """Makes the results official and tells every applicant on the list, in their language."""
    draw = _locked(draw)
    _check_move(draw, DrawState.PUBLISHED)
    draw.state = DrawState.PUBLISHED
    draw.published_at = utcnow()
    draw.published_by_id = _id(actor)
    _flush(draw)
    winners = sum(1 for r in draw.results if r["outcome"] == engine.WINNER)
    _log(draw, "results.published", {"winners": winners, "reserve": len(draw.results) - winners})
    audit(actor, "draw.published", {"draw": draw.id})

    url = url_for("lottery.draw", draw_id=draw.id, _external=True)
    applications = _applications_by_ticket(draw)
    for result in draw.results:
        application = applications.get(result["ticket"])
        if application is None or application.status not in (ApplicationStatus.WINNER, ApplicationStatus.RESERVE):
            continue
        applicant = application.applicant
        template = "draw_winner" if result["outcome"] == engine.WINNER else "draw_reserve"
        queue_mail(applicant.email, template, applicant.locale, call=draw.competition, number=result["ticket"],
                   stratum=result["stratum"], position=reserve_position(draw, result), url=url)
    return draw


def replace_winner(draw, ticket, reason, actor, comment=""):
    """A winner leaves (withdrew, disqualified, missed the contract deadline): the next on the
    same stratum's reserve list takes the grant. Only that person can be promoted; reserves whose
    application is no longer on the list (withdrawn) are passed over, and the log says so.

    Returns the promoted application, or None when the reserve list is exhausted."""
    draw = _locked(draw)
    if draw.state is not DrawState.PUBLISHED:
        raise DrawRefused(_l("Winners are replaced only after the results are published."))
    try:
        reason = ReplacementReason(reason)
    except ValueError:
        raise DrawRefused(_l("Choose the reason from the list."), field="reason") from None
    stratum = next((s for s in outcomes(draw) if ticket in s.current_winners), None)
    if stratum is None:
        raise DrawRefused(_l("%(ticket)s does not hold a grant in this draw.", ticket=ticket), field="ticket")
    applications = _applications_by_ticket(draw)
    leaving = applications.get(ticket)
    if leaving is not None and leaving.status is ApplicationStatus.WINNER:
        move(leaving, ApplicationStatus.WITHDRAWN, actor, (comment or "").strip() or None)
    _log(draw, WINNER_REMOVED, {"ticket": ticket, "stratum": stratum.code, "reason": reason.value})

    passed_over, promoted = [], None
    for result in stratum.reserve:
        if result["ticket"] in stratum.promoted:
            continue
        candidate = applications.get(result["ticket"])
        if candidate is not None and candidate.status is ApplicationStatus.RESERVE:
            promoted = (result, candidate)
            break
        passed_over.append(result["ticket"])
    if promoted is None:
        _log(draw, "reserve.exhausted", {"stratum": stratum.code, "passed_over": passed_over})
    else:
        result, candidate = promoted
        move(candidate, ApplicationStatus.WINNER, actor)
        _log(draw, RESERVE_PROMOTED, {"ticket": result["ticket"], "stratum": stratum.code, "rank": result["rank"],
                                      "replaces": ticket, "passed_over": passed_over})
        applicant = candidate.applicant
        queue_mail(applicant.email, "draw_promoted", applicant.locale, call=draw.competition,
                   number=result["ticket"], url=url_for("lottery.draw", draw_id=draw.id, _external=True))
    audit(actor, "draw.winner_replaced", {
        "draw": draw.id, "ticket": ticket, "reason": reason.value, "comment": comment,
        "promoted": promoted[0]["ticket"] if promoted else None, "passed_over": passed_over,
    })
    return promoted[1] if promoted else None


# --- helpers --------------------------------------------------------------------------------

def _id(user):
    return user.id if user is not None else None


def _locked(draw):
    """The draw row, locked until the transaction ends (PostgreSQL) and read afresh: two workers
    doing a step at once run it one after the other, and the second sees what the first did."""
    return db.session.execute(
        sa.select(Draw).where(Draw.id == draw.id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


def _check_move(draw, new_state):
    if new_state not in DRAW_TRANSITIONS[draw.state]:
        raise DrawRefused(_l("The draw is %(state)s: it cannot become %(new)s.",
                             state=draw.state.title, new=new_state.title))


def _flush(draw):
    """Writes the draw row; another transaction that changed it first (no row locks on SQLite)
    makes this step a refusal instead of an overwrite."""
    try:
        db.session.flush()
    except StaleDataError:
        raise DrawRefused(_l("Someone else changed this draw at the same moment. Reload the page.")) from None


def _log(draw, event, data):
    """Appends to the draw's public hash chain (the caller holds the draw row lock)."""
    head = db.session.execute(
        sa.select(DrawLogEntry.seq, DrawLogEntry.hash).where(DrawLogEntry.draw_id == draw.id)
        .order_by(DrawLogEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
    at = utcnow().replace(tzinfo=timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
    entry = DrawLogEntry(seq=seq, at=at, event=event, data=data, prev=prev,
                         hash=entry_hash(prev, seq, at, event, data))
    draw.log.append(entry)
    db.session.flush()
    return entry


def _checked_rule(source_rule):
    source_rule = (source_rule or "").strip()
    if not source_rule:
        raise DrawRefused(_l("Describe how the random sources will be taken, for example: the numbers "
                             "drawn by the observers at the live event."), field="source_rule")
    if len(source_rule) > SOURCE_RULE_MAX:
        raise DrawRefused(_l("The rule can have at most %(max)s characters.", max=SOURCE_RULE_MAX),
                          field="source_rule")
    return source_rule


def _applications_by_ticket(draw):
    tickets = [entry["ticket"] for entry in draw.entries]
    return {
        application.number: application
        for application in db.session.execute(
            sa.select(Application).where(Application.competition_id == draw.competition_id,
                                         Application.number.in_(tickets))
        ).scalars()
    }
