"""The draw as pure functions, exactly as DESIGN.md section 4 defines it: the commitment to the
frozen list, the seed from the announced random sources, the order inside each stratum, the data
of the public log entries that bind a record to its draw, and the published record
("grants-draw/1") that `tools/verify_draw.py` checks. No database, no Flask app.
"""
from dataclasses import dataclass
from typing import NamedTuple

from flask_babel import lazy_gettext as _l

from app.audit.chain import GENESIS, canonical_json, entry_hash, first_broken, sha256_hex
from app.lottery import rfc3797

RECORD_FORMAT = "grants-draw/1"
SHA256_RANK = "sha256-rank/1"
RFC3797 = "rfc3797/1"
ALGORITHMS = (SHA256_RANK, RFC3797)
DEFAULT_ALGORITHM = SHA256_RANK
WINNER = "winner"
RESERVE = "reserve"
LOG_KEYS = ("seq", "at", "event", "data", "prev", "hash")

# The events of a draw's public log. tools/verify_draw.py reads them back: the frozen list's
# commitment, the sources, the seed, each winner revealed, the publication and every replacement
# must agree with the record.
PREPARED = "draw.prepared"
FROZEN = "list.frozen"
RULE_ANNOUNCED = "rule.announced"
OBSERVER_REGISTERED = "observer.registered"
CHANGE_REFUSED = "eligible_set.change_refused"
SOURCES_ENTERED = "sources.entered"
SEED_COMPUTED = "seed.computed"
WINNER_REVEALED = "winner.revealed"
STRATUM_DRAWN = "stratum.drawn"
PUBLISHED = "results.published"
WINNER_REMOVED = "winner.removed"
RESERVE_PROMOTED = "reserve.promoted"
RESERVE_EXHAUSTED = "reserve.exhausted"


class DrawError(ValueError):
    """The list, the quotas or the sources cannot make a draw; the message says why."""


class Entry(NamedTuple):
    ticket: str  # the public application number
    stratum: str  # the stratum code


class Result(NamedTuple):
    ticket: str
    stratum: str
    rank: int  # from 1 inside the stratum
    outcome: str  # WINNER or RESERVE
    score: str | int  # hex SHA-256 (sha256-rank/1) or the RFC 3797 selection step (rfc3797/1)


@dataclass(frozen=True)
class DrawResult:
    commitment: str
    seed: str
    results: list  # of Result: strata by code, then rank
    unawarded: dict  # stratum code -> grants of its quota that nobody receives (0 when all do)


def commitment(algorithm, entries, quotas):
    """SHA-256 hex of the canonical JSON of the algorithm, the entries (by ticket) and the quotas."""
    return _commitment(algorithm, _checked_list(algorithm, entries, quotas), quotas)


def seed_for(algorithm, commitment, sources):
    """The seed the sources give: sha256-rank/1 hashes them after the commitment; rfc3797/1 uses
    the RFC's key string (the RFC does not mix in the commitment)."""
    _check_algorithm(algorithm)
    _check_sources(sources)
    if algorithm == RFC3797:
        try:
            return rfc3797.key_string(sources)
        except ValueError as exc:
            raise DrawError(exc.args[0]) from None
    return sha256_hex((commitment + "\n" + "\n".join(sources)).encode("utf-8"))


def run_draw(algorithm, entries, quotas, sources):
    """Draws every stratum: within it, entries in score order, the first `quota` win and the rest
    are its reserve list, in order. A stratum with fewer entries than its quota: all of them win;
    a stratum with none: its whole quota stays unawarded (DrawResult.unawarded says how many).

    `entries` are `Entry`s, (ticket, stratum) pairs or {"ticket", "stratum"} dicts."""
    return _draw(algorithm, _checked_list(algorithm, entries, quotas), quotas, sources)


def frozen_data(algorithm, commitment, entries, quotas):
    """The data of the log entry that publishes the commitment (FROZEN)."""
    return {"algorithm": algorithm, "commitment": commitment, "entries": len(entries), "quotas": dict(quotas)}


def run_events(drawn):
    """The log entries of a run, as (event, data), in order: the seed, then for each stratum (by
    code) its winners by rank and its tally, unawarded grants included."""
    events = [(SEED_COMPUTED, {"seed": drawn.seed})]
    for code, unawarded in drawn.unawarded.items():
        results = [result for result in drawn.results if result.stratum == code]
        winners = [result for result in results if result.outcome == WINNER]
        events += [(WINNER_REVEALED, {"stratum": code, "rank": result.rank, "ticket": result.ticket})
                   for result in winners]
        events.append((STRATUM_DRAWN, {"stratum": code, "winners": len(winners),
                                       "reserve": len(results) - len(winners), "unawarded": unawarded}))
    return events


def published_data(results):
    """The data of the publication's log entry; `results` are the stored result dicts."""
    winners = sum(1 for result in results if result["outcome"] == WINNER)
    return {"winners": winners, "reserve": len(results) - winners}


def build_record(draw_id, competition, algorithm, entries, quotas, source_rule, sources, commitment, seed,
                 results, log):
    """The published record of a draw, format "grants-draw/1", from the values stored when each
    step happened: the list, the quotas and the commitment at commit, the sources, the seed and the
    results at the run, and the hash-chained log (dicts with LOG_KEYS).

    Nothing is recomputed into the record. Each stored value must equal its recomputation and what
    the log published at its step; the first that does not raises a DrawError that names it."""
    checked = _checked_list(algorithm, entries, quotas)
    if [_as_entry(entry) for entry in entries] != checked:
        raise DrawError(_l("The stored list is not in ticket order."))
    drawn = _draw(algorithm, checked, quotas, sources)
    if commitment != drawn.commitment:
        raise DrawError(_l("The stored commitment %(stored)s is not the commitment of the stored list, quotas "
                           "and algorithm (%(computed)s).", stored=commitment, computed=drawn.commitment))
    if seed != drawn.seed:
        raise DrawError(_l("The stored seed is not the seed that the commitment and the stored sources give."))
    expected = [result._asdict() for result in drawn.results]
    for number, (stored, computed) in enumerate(zip(results, expected), start=1):
        if dict(stored) != computed:
            raise DrawError(_l("Stored result %(number)s (ticket %(ticket)s) is not what the list and the sources "
                               "give.", number=number, ticket=computed["ticket"]))
    if len(results) != len(expected):
        raise DrawError(_l("%(stored)s results are stored; the list gives %(computed)s.",
                           stored=len(results), computed=len(expected)))
    log = [{key: entry[key] for key in LOG_KEYS} for entry in log]
    broken = first_broken(log)
    if broken is not None:
        raise DrawError(_l("The draw log is broken at entry %(seq)s.", seq=broken))
    if _logged(log, FROZEN, "commitment") != [commitment]:
        raise DrawError(_l("The stored commitment is not the one the log published when the list was frozen."))
    if _logged(log, SOURCES_ENTERED, "sources") != [list(sources)]:
        raise DrawError(_l("The stored sources are not those the log recorded when they were entered."))
    if _logged(log, SEED_COMPUTED, "seed") != [seed]:
        raise DrawError(_l("The stored seed is not the one the log recorded when the draw ran."))
    return {
        "format": RECORD_FORMAT,
        "draw_id": draw_id,
        "competition": competition,
        "algorithm": algorithm,
        "entries": _entry_dicts(checked),
        "quotas": dict(quotas),
        "commitment": commitment,
        "source_rule": source_rule,
        "sources": list(sources),
        "seed": seed,
        "results": [dict(result) for result in results],
        "log": log,
    }


def rehearsal_record(algorithm, entries, quotas, source_rule, sources, at, draw_id=None, competition=None):
    """The record of a draw run outside the system (`flask draw simulate`, training, tests), with
    the log a real draw writes: list frozen, rule announced, sources entered, the run and the
    publication, every entry at `at` (ISO-8601 UTC text)."""
    checked = _checked_list(algorithm, entries, quotas)
    drawn = _draw(algorithm, checked, quotas, sources)
    results = [result._asdict() for result in drawn.results]
    events = [(FROZEN, frozen_data(algorithm, drawn.commitment, checked, quotas)),
              (RULE_ANNOUNCED, {"rule": source_rule}),
              (SOURCES_ENTERED, {"sources": list(sources)}),
              *run_events(drawn),
              (PUBLISHED, published_data(results))]
    log, prev = [], GENESIS
    for seq, (event, data) in enumerate(events, start=1):
        log.append({"seq": seq, "at": at, "event": event, "data": data, "prev": prev,
                    "hash": entry_hash(prev, seq, at, event, data)})
        prev = log[-1]["hash"]
    return build_record(draw_id, competition, algorithm, _entry_dicts(checked), quotas, source_rule, sources,
                        drawn.commitment, drawn.seed, results, log)


def _logged(log, event, key):
    """The value of `key` in every log entry of `event`, in order."""
    return [entry["data"].get(key) for entry in log if entry["event"] == event and isinstance(entry["data"], dict)]


def _draw(algorithm, entries, quotas, sources):
    commit = _commitment(algorithm, entries, quotas)
    seed = seed_for(algorithm, commit, sources)
    by_stratum = {code: [] for code in quotas}
    for entry, score in zip(entries, _scores(algorithm, seed, entries)):
        by_stratum[entry.stratum].append((score, entry.ticket))
    results = []
    for code in sorted(by_stratum):
        quota = quotas[code]
        for rank, (score, ticket) in enumerate(sorted(by_stratum[code]), start=1):
            results.append(Result(ticket, code, rank, WINNER if rank <= quota else RESERVE, score))
    unawarded = {code: max(0, quotas[code] - len(members)) for code, members in sorted(by_stratum.items())}
    return DrawResult(commitment=commit, seed=seed, results=results, unawarded=unawarded)


def _commitment(algorithm, entries, quotas):
    body = {"algorithm": algorithm, "entries": _entry_dicts(entries), "quotas": dict(quotas)}
    return sha256_hex(canonical_json(body))


def _entry_dicts(entries):
    return [{"ticket": entry.ticket, "stratum": entry.stratum} for entry in entries]


def _scores(algorithm, seed, entries):
    """Each entry's score, in the order of `entries` (sorted by ticket)."""
    if algorithm == RFC3797:
        scores = [0] * len(entries)
        for step, position in enumerate(rfc3797.selection_order(seed, len(entries)), start=1):
            scores[position - 1] = step
        return scores
    return [sha256_hex(f"{seed}:{entry.ticket}".encode("utf-8")) for entry in entries]


def _check_algorithm(algorithm):
    if algorithm not in ALGORITHMS:
        raise DrawError(_l('Unknown draw algorithm "%(algorithm)s": use sha256-rank/1 or rfc3797/1.',
                           algorithm=algorithm))


def _checked_list(algorithm, entries, quotas):
    """The entries as `Entry`s sorted by ticket, after every check of the frozen list."""
    _check_algorithm(algorithm)
    entries = sorted(map(_as_entry, entries), key=lambda entry: entry.ticket)
    if not entries:
        raise DrawError(_l("The list of entries is empty: there is nobody to draw."))
    for previous, entry in zip(entries, entries[1:]):
        if previous.ticket == entry.ticket:
            raise DrawError(_l("Ticket %(ticket)s appears more than once.", ticket=entry.ticket))
    for code, quota in quotas.items():
        if not isinstance(quota, int) or isinstance(quota, bool) or quota < 1:
            raise DrawError(_l("The quota of stratum %(stratum)s must be a whole number of at least 1.",
                               stratum=code))
    for entry in entries:
        if entry.stratum not in quotas:
            raise DrawError(_l("Ticket %(ticket)s is in stratum %(stratum)s, which has no quota.",
                               ticket=entry.ticket, stratum=entry.stratum))
    if algorithm == RFC3797 and len(entries) > rfc3797.MAX_POOL:
        raise DrawError(_l("RFC 3797 draws from at most 65535 entries; this list has %(count)s.",
                           count=len(entries)))
    return entries


def _as_entry(item):
    if isinstance(item, dict):
        item = (item.get("ticket"), item.get("stratum"))
    ticket, stratum = item if isinstance(item, (tuple, list)) and len(item) == 2 else (None, None)
    if not (isinstance(ticket, str) and ticket and isinstance(stratum, str) and stratum):
        raise DrawError(_l("Every entry needs a ticket number and a stratum code."))
    return Entry(ticket, stratum)


def _check_sources(sources):
    if isinstance(sources, str) or not sources:
        raise DrawError(_l("Enter at least one random source."))
    for number, source in enumerate(sources, start=1):
        if not isinstance(source, str) or not source.strip():
            raise DrawError(_l("Random source %(number)s is empty.", number=number))
        # The seed joins the sources with new lines: one inside a source would make two lists
        # of sources give the same seed.
        if "\n" in source or "\r" in source:
            raise DrawError(_l("Random source %(number)s must fit on one line.", number=number))
