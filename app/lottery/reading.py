"""Looking up draws and what they show: a competition's draw, the public draws, the list a draw
would take from the screening and what stops it, each stratum's entries and outcome (replacements
read back from the log), the winners revealed last, where one application number stands, the
published record and the frozen list. Nothing here changes anything."""
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.applications.models import Application, ApplicationStatus
from app.applications.numbers import MAX_QUERY, NumberIndex, match_number, numbers_meant
from app.extensions import db
from app.lottery import engine
from app.lottery.engine import RESERVE_EXHAUSTED, RESERVE_PROMOTED, WINNER_REMOVED, DrawError
from app.lottery.models import Draw, DrawState
from app.lottery.steps import DrawRefused


def draw_of(competition):
    """The competition's draw, or None before it is prepared."""
    return db.session.execute(sa.select(Draw).where(Draw.competition_id == competition.id)).scalar_one_or_none()


def public_draws():
    """The draws the public can see (committed or later), the latest first."""
    return db.session.execute(
        sa.select(Draw).where(Draw.state != DrawState.PREPARED).order_by(Draw.committed_at.desc())
        .options(sa.orm.joinedload(Draw.competition))
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
    # A stratum with fewer eligible applications than grants, even none, is no problem: the draw
    # runs and its grants left over stay unawarded (DESIGN.md section 4).
    counts = Counter(entry["stratum"] for entry in entries)
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
    passed_over: set = field(default_factory=set)  # reserves skipped by a replacement: they left the list

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
        if entry.event in (RESERVE_PROMOTED, RESERVE_EXHAUSTED):
            by_code[entry.data["stratum"]].passed_over.update(entry.data["passed_over"])
    return list(by_code.values())


# How many winners the top of the public draw page shows, the newest first.
NEWEST_WINNERS = 5
# How much of the long lists the public page shows: a call of 100,000 applications would make a
# page no phone opens. "Find my number", the frozen list (JSON) and the record have them whole.
SHOWN_ENTRIES = 1000
SHOWN_RESERVE = 50  # places per stratum


def newest_winners(draw, count=NEWEST_WINNERS):
    """The winners revealed last (log data: stratum, rank, ticket), the newest first."""
    revealed = [entry.data for entry in draw.log if entry.event == engine.WINNER_REVEALED]
    return revealed[::-1][:count]


@dataclass
class NumberAnswer:
    """Where one application number stands in a draw. `outcome`: winner (`place` = rank in the
    stratum), reserve (`place` = position on its reserve list), promoted (from reserve position
    `place`), removed (a winner of rank `place` who left), left (a reserve who left the list),
    listed (on the list, not drawn yet), not_drawn (an application of the call that is not on the
    list) or not_found."""

    query: str
    outcome: str
    ticket: str = None
    stratum: str = None
    place: int = None


@dataclass(frozen=True)
class DrawNumbers:
    """What "find my number" needs of a draw, read once from its list, results and log (the views
    keep it per version of the log, app.lottery.published): a look-up per question, not a pass
    over the whole draw. Ticket numbers only."""

    competition_id: int
    code: str
    tickets: NumberIndex
    places: dict  # ticket -> (stratum, outcome, rank); outcome and rank None before the draw runs
    quotas: dict
    drawn: bool
    removed: frozenset  # tickets that left the grants (winners, or promoted reserves)
    promoted: frozenset
    passed_over: frozenset  # reserves a replacement skipped: they left the list


def draw_numbers(draw):
    results = {result["ticket"]: (result["outcome"], result["rank"]) for result in draw.results or ()}
    strata = outcomes(draw)
    return DrawNumbers(
        competition_id=draw.competition_id, code=draw.competition.code,
        tickets=NumberIndex((entry["ticket"] for entry in draw.entries), draw.competition.code),
        places={entry["ticket"]: (entry["stratum"], *results.get(entry["ticket"], (None, None)))
                for entry in draw.entries},
        quotas=dict(draw.quotas), drawn=draw.results is not None,
        removed=frozenset(ticket for stratum in strata for ticket in stratum.removed),
        promoted=frozenset(ticket for stratum in strata for ticket in stratum.promoted),
        passed_over=frozenset(ticket for stratum in strata for ticket in stratum.passed_over),
    )


def find_number(numbers, query):
    """The answer for the number an observer typed, from a draw's DrawNumbers; a number not on
    the list is looked for among the call's applications by its index (one row at most)."""
    query = (query or "").strip()[:MAX_QUERY]
    ticket = numbers.tickets.match(query)
    if ticket is None:
        meant = numbers_meant(query, numbers.code)
        found = db.session.execute(sa.select(Application.number).where(
            Application.competition_id == numbers.competition_id, Application.number.in_(meant))
        ).scalars().all() if meant else []
        other = match_number(query, found, numbers.code)
        return NumberAnswer(query, "not_drawn", other) if other else NumberAnswer(query, "not_found")
    stratum, outcome, rank = numbers.places[ticket]
    if not numbers.drawn:
        return NumberAnswer(query, "listed", ticket, stratum)
    if outcome == engine.WINNER:
        return NumberAnswer(query, "removed" if ticket in numbers.removed else "winner", ticket, stratum, rank)
    if ticket in numbers.promoted:
        outcome = "removed" if ticket in numbers.removed else "promoted"
    else:
        outcome = "left" if ticket in numbers.passed_over else "reserve"
    position = reserve_position(numbers, {"stratum": stratum, "rank": rank})
    return NumberAnswer(query, outcome, ticket, stratum, position)


def reserve_position(draw, result):
    """The place of a reserve result on its stratum's reserve list, from 1 (`draw`: a Draw or its
    DrawNumbers, whose quotas it reads)."""
    return result["rank"] - draw.quotas[result["stratum"]]


def record(draw):
    """The published record ("grants-draw/1") of a published draw, what `tools/verify_draw.py`
    checks: the values stored at each step, never recomputed. A stored value that disagrees with
    its recomputation or with the log refuses the export, naming it."""
    if draw.results is None:
        raise DrawRefused(_l("The draw has not been run yet: there is no record to publish."))
    if draw.state is not DrawState.PUBLISHED:
        raise DrawRefused(_l("The results of this draw are not published yet: the record is published with them."))
    competition = draw.competition
    try:
        return engine.build_record(
            draw.id,
            {"id": competition.id, "code": competition.code,
             "title": {"kk": competition.title_kk, "ru": competition.title_ru, "en": competition.title_en}},
            draw.algorithm, draw.entries, draw.quotas, draw.source_rule, draw.sources, draw.commitment, draw.seed,
            draw.results, [entry.as_chain_entry() for entry in draw.log],
        )
    except DrawError as error:
        raise DrawRefused(_l("The record of draw %(id)s cannot be exported, its stored data disagree: %(reason)s",
                             id=draw.id, reason=error.args[0])) from None


def frozen_list(draw):
    """What the commitment covers, and the rule: enough to recompute the commitment before the draw."""
    return {"format": engine.RECORD_FORMAT, "draw_id": draw.id, "algorithm": draw.algorithm,
            "entries": draw.entries, "quotas": draw.quotas, "commitment": draw.commitment,
            "source_rule": draw.source_rule}
