"""The draw, step by step: prepare the list from a closed screening, commit it, register the
observers, enter the sources, run (exactly once) and publish. Each step takes the draw (or the
competition) and the acting user, locks the draw row, writes an entry in the draw's public hash
chain and one in the audit log; the caller commits.

The steps can run one after another in one transaction (a demo stage does that):
`prepare` -> `commit` -> `register_observer`... -> `enter_sources` -> `run` -> `publish`.

The commit freezes the competition's eligible set. This module enforces that through the signals
of the features below (connected when it is imported): it refuses, on record, screening's changes
of eligibility (`screening.signals.eligibility_changing`) and closes withdrawal
(`applications.signals.withdrawal_closed`)."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.applications.models import Application, ApplicationStatus
from app.applications.signals import withdrawal_closed
from app.applications.status import move_all
from app.audit.services import record as audit
from app.auth.models import User
from app.dbtypes import utcnow
from app.extensions import db
from app.lottery import engine, published
from app.lottery.engine import DrawError
from app.lottery.models import Draw, DrawObserver, DrawState
from app.lottery.reading import (competition_quotas, draw_of, eligible_entries, list_problems, reserve_position,
                                 screening_closed)
from app.lottery.signals import draw_published
from app.lottery.steps import DrawRefused, actor_id, check_move, flush, locked, log, on_the_list
from app.mail.services import queue_mails
from app.screening.signals import EligibilityChangeRefused, eligibility_changing

SOURCE_RULE_MAX = 2000
SOURCE_MAX = 500
SOURCES_MAX = 20
OBSERVER_NAME_MAX = 200
OBSERVER_ORGANISATION_MAX = 255
RESULT_MAILS = {engine.WINNER: "lottery/mail/draw_winner", engine.RESERVE: "lottery/mail/draw_reserve"}
PREPARED_AT_ONCE = _l("Someone else prepared this draw at the same moment. Check the list they prepared on the "
                      "draw's page before preparing it again.")


class EligibleSetFrozen(DrawRefused, EligibilityChangeRefused):
    """The competition's list is committed: no application may join or leave the eligible set."""


# --- the eligible set, frozen at commit -----------------------------------------------------

def eligible_set_frozen(competition):
    """Whether the competition's draw list is committed (asked without logging anything)."""
    draw = draw_of(competition)
    return draw is not None and draw.state is not DrawState.PREPARED


def assert_eligible_set_open(competition, actor=None, attempt=None):
    """Raises EligibleSetFrozen once the competition's draw list is committed.

    Screening's changes of eligibility (appeals upheld) reach it through `eligibility_changing`
    before they change whether an application is eligible (or its stratum); withdrawals ask
    `eligible_set_frozen` through `withdrawal_closed`. The refusal carries its record, written to
    the draw log and the audit log when it is settled (`app.errors.settle`, after the rollback),
    so the attempt stays on record while nothing else of it does. `attempt` describes what was
    tried (e.g. {"application": 17, "change": "rejected"}); only ticket numbers go into the public
    log."""
    if not eligible_set_frozen(competition):
        return
    competition_id, draw_id = competition.id, draw_of(competition).id
    attempt = dict(attempt or {})
    public = {key: attempt[key] for key in ("ticket", "change") if key in attempt}

    def write_record():
        log(locked(db.session.get(Draw, draw_id)), engine.CHANGE_REFUSED, public)
        audit(actor, "draw.eligible_set_change_refused", {"draw": draw_id, "competition": competition_id, **attempt})

    raise EligibleSetFrozen(_l("The draw list of this competition is committed: no application can "
                               "become eligible or stop being eligible any more."), record=write_record)


@eligibility_changing.connect
def _refuse_eligibility_change_after_commit(application, actor=None, attempt=None, **_kwargs):
    assert_eligible_set_open(application.competition, actor, attempt)


@withdrawal_closed.connect
def _close_withdrawal_at_commit(application, **_kwargs):
    return eligible_set_frozen(application.competition)


# --- the steps ------------------------------------------------------------------------------

def prepare(competition, actor, algorithm=engine.DEFAULT_ALGORITHM, source_rule="", seen_version=None):
    """Makes (or refreshes) the competition's draft draw from the closed screening: the eligible
    applications as entries, the strata's quotas, the algorithm and the announced rule.

    `seen_version` is the version of the draft the manager was looking at (0: there was none);
    when given, a draft that is not that one any more (two clicks, two staff, two workers) refuses
    instead of being prepared twice. The draft may still have problems (see
    `reading.list_problems`): they are shown, and `commit` refuses until the manager fixes them."""
    if not screening_closed(competition):
        raise DrawRefused(_l("Screening of this competition is not closed yet: the eligible list can "
                             "still change. Close screening and appeals first."))
    if algorithm not in engine.ALGORITHMS:
        raise DrawRefused(_l("Choose an algorithm from the list."), field="algorithm")
    source_rule = _checked_rule(source_rule)
    draw = draw_of(competition)
    if draw is None:
        draw = Draw(competition=competition, entries=[], quotas={})
        try:
            # A competition has one draw: another transaction creating it at the same moment makes
            # this insert wait for it, then fail.
            with db.session.begin_nested():
                db.session.add(draw)
        except sa.exc.IntegrityError:
            raise DrawRefused(PREPARED_AT_ONCE) from None
    else:
        draw = locked(draw)
        if draw.state is not DrawState.PREPARED:
            raise DrawRefused(_l("The list of this draw is already committed: it cannot be prepared again."))
        if seen_version is not None and draw.version != seen_version:
            raise DrawRefused(PREPARED_AT_ONCE)
    draw.entries = eligible_entries(competition)
    draw.quotas = competition_quotas(competition)
    draw.algorithm = algorithm
    draw.source_rule = source_rule
    draw.prepared_at = utcnow()
    draw.prepared_by_id = actor_id(actor)
    flush(draw)
    summary = {"entries": len(draw.entries), "quotas": draw.quotas, "algorithm": algorithm}
    log(draw, engine.PREPARED, summary)
    problems = [str(problem) for problem in list_problems(draw.entries, draw.quotas)]
    audit(actor, "draw.prepared", {"draw": draw.id, "competition": competition.id, **summary, "problems": problems})
    return draw


def commit(draw, actor):
    """Freezes the list, the quotas, the algorithm and the rule, and publishes their commitment.
    From now on the eligible set of the competition cannot change."""
    draw = locked(draw)
    check_move(draw, DrawState.COMMITTED)
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
    draw.committed_by_id = actor_id(actor)
    flush(draw)
    log(draw, engine.FROZEN, engine.frozen_data(draw.algorithm, draw.commitment, draw.entries, draw.quotas))
    log(draw, engine.RULE_ANNOUNCED, {"rule": draw.source_rule})
    audit(actor, "draw.committed", {"draw": draw.id, "competition": competition.id,
                                    "commitment": draw.commitment, "entries": len(draw.entries)})
    return draw


def register_observer(draw, name, organisation, actor):
    """Names someone from outside the office who watches the draw (before it runs)."""
    draw = locked(draw)
    if draw.state is not DrawState.COMMITTED:
        raise DrawRefused(_l("Observers are registered after the list is committed and before the draw runs."))
    name, organisation = (name or "").strip(), (organisation or "").strip()
    if not name:
        raise DrawRefused(_l("Enter the observer's name."), field="name")
    if not organisation:
        raise DrawRefused(_l("Enter the organisation the observer represents."), field="organisation")
    if len(name) > OBSERVER_NAME_MAX or len(organisation) > OBSERVER_ORGANISATION_MAX:
        raise DrawRefused(_l("The name or the organisation is too long."), field="name")
    observer = DrawObserver(name=name, organisation=organisation, registered_by_id=actor_id(actor))
    draw.observers.append(observer)
    db.session.flush()
    log(draw, engine.OBSERVER_REGISTERED, {"name": name, "organisation": organisation})
    audit(actor, "draw.observer_registered", {"draw": draw.id, "observer": observer.id, "name": name,
                                              "organisation": organisation})
    return observer


def enter_sources(draw, sources, actor):
    """Records the random sources, taken as the announced rule says. They cannot be changed:
    a second set of sources would let someone pick the result."""
    draw = locked(draw)
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
    draw.sources_entered_by_id = actor_id(actor)
    flush(draw)
    log(draw, engine.SOURCES_ENTERED, {"sources": sources})
    audit(actor, "draw.sources_entered", {"draw": draw.id, "sources": sources})
    return draw


def run(draw, actor):
    """Runs the draw, once: computes the seed and the results, logs each winner, and moves the
    applications to winner or reserve. A second run (another click, another worker) is refused."""
    draw = locked(draw)
    if draw.state in (DrawState.DRAWN, DrawState.PUBLISHED):
        raise DrawRefused(_l("This draw has already been run. A draw runs only once."))
    check_move(draw, DrawState.DRAWN)
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
    draw.drawn_by_id = actor_id(actor)
    flush(draw)

    for event, data in engine.run_events(drawn):
        log(draw, event, data)

    status = {engine.WINNER: ApplicationStatus.WINNER, engine.RESERVE: ApplicationStatus.RESERVE}
    eligible = _eligible_ids(draw)
    moves, not_eligible = {}, []
    for result in drawn.results:
        if result.ticket in eligible:
            moves[eligible[result.ticket]] = status[result.outcome]
        else:
            # The list was frozen with it; the draw stands, the application keeps its status.
            not_eligible.append(result.ticket)
    move_all(moves, ApplicationStatus.ELIGIBLE, actor)
    audit(actor, "draw.run", {"draw": draw.id, "seed": drawn.seed, "not_eligible_at_run": not_eligible})
    return draw


def publish(draw, actor):
    """Makes the results official, stores the protocols as they stand now and tells every applicant
    on the list, in their language."""
    draw = locked(draw)
    check_move(draw, DrawState.PUBLISHED)
    draw.state = DrawState.PUBLISHED
    draw.published_at = utcnow()
    draw.published_by_id = actor_id(actor)
    flush(draw)
    log(draw, engine.PUBLISHED, engine.published_data(draw.results))
    audit(actor, "draw.published", {"draw": draw.id})
    draw_published.send(draw, actor=actor)
    published.store_protocols(draw)

    url = published.public_url(draw)
    applicants = _applicants_to_tell(draw)
    mails = []
    for result in draw.results:
        if result["ticket"] not in applicants:
            continue
        email, locale = applicants[result["ticket"]]
        mails.append((email, RESULT_MAILS[result["outcome"]], locale, {
            "call": draw.competition, "number": result["ticket"], "stratum": result["stratum"],
            "position": reserve_position(draw, result), "url": url}))
    queue_mails(mails)
    return draw


def _eligible_ids(draw):
    """Ticket -> id of the applications on the draw's list that are still eligible, locked until
    the transaction ends: one statement, whatever the length of the list."""
    rows = on_the_list(draw, sa.select(Application.number, Application.id).with_for_update(),
                       (ApplicationStatus.ELIGIBLE,))
    return {ticket: row.id for ticket, row in rows.items()}


def _applicants_to_tell(draw):
    """Ticket -> (address, language) of the applicant of every winner and reserve on the list."""
    rows = on_the_list(draw, sa.select(Application.number, User.email, User.locale)
                       .join(User, User.id == Application.applicant_id),
                       (ApplicationStatus.WINNER, ApplicationStatus.RESERVE))
    return {ticket: (row.email, row.locale) for ticket, row in rows.items()}


def _checked_rule(source_rule):
    source_rule = (source_rule or "").strip()
    if not source_rule:
        raise DrawRefused(_l("Describe how the random sources will be taken, for example: the numbers "
                             "drawn by the observers at the live event."), field="source_rule")
    if len(source_rule) > SOURCE_RULE_MAX:
        raise DrawRefused(_l("The rule can have at most %(max)s characters.", max=SOURCE_RULE_MAX),
                          field="source_rule")
    return source_rule
