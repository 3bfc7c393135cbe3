#!/usr/bin/env python3
"""Check a published draw record ("grants-draw/1") without trusting the system that made it.

    python3 verify_draw.py RECORD.json [--head HEX] [--commitment HEX]

Python's standard library only. From the record alone it checks, in this order:
  1. the list: entries {"ticket", "stratum"} sorted by ticket, each ticket once, each in a stratum
     that has a quota (a whole number of at least 1; a stratum may have no entries at all);
  2. the commitment: SHA-256 of the canonical JSON of {"algorithm", "entries", "quotas"};
     canonical JSON = sorted keys, no spaces, UTF-8; with --commitment, also that it is the one
     you noted (or downloaded with the frozen list) before the draw;
  3. the seed from the sources:
     sha256-rank/1: SHA-256 of commitment + "\\n" + the sources joined by "\\n";
     rfc3797/1: the RFC 3797 key string (each source's numbers sorted, each followed by ".",
     then "/" after each source);
  4. every score: sha256-rank/1: SHA-256 of seed + ":" + ticket; rfc3797/1: the step (from 1)
     at which RFC 3797 selects the entry from the list in ticket order (MD5 of the key with the
     2-byte step number before and after it, modulo the number left);
  5. per stratum (by code): the entries ordered by (score, ticket), ranks from 1, the first
     `quota` "winner" and the rest "reserve", compared one by one with "results" (one result per
     entry); a stratum with fewer entries than grants leaves the rest unawarded;
  6. the log chain: entry n has seq n, prev = the hash before it (64 zeros for the first), and
     hash = SHA-256 of prev + canonical JSON of {"seq", "at", "event", "data"}; with --head, that
     the hash you noted on the day is in the chain (a rewritten or cut log loses it);
  7. that the log binds the record: draw.prepared entries, then list.frozen with the record's
     algorithm, commitment, number of entries and quotas; rule.announced with its rule; then
     (observers registered, refused changes of the list) sources.entered, later than the freeze,
     with the record's sources; then seed.computed with its seed, each stratum's winners revealed
     in order and its tally (stratum.drawn); then results.published; after it only replacements:
     winner.removed of a holder, then reserve.promoted of the next on that stratum's reserve
     list (those passed over named, in order) or reserve.exhausted.
Prints OK and what it checked (exit 0), or MISMATCH and the first disagreement (exit 1). A file
it cannot read as a record: ERROR (exit 2).
"""
import argparse
import hashlib
import json
import re
import sys
from datetime import datetime

KEYS = ("format", "draw_id", "competition", "algorithm", "entries", "quotas", "commitment",
        "source_rule", "sources", "seed", "results", "log")
GENESIS = "0" * 64
# Events that may come between the steps that bind the record: they change no result.
ASIDES = {"committed": ("observer.registered", "eligible_set.change_refused"),
          "sources": ("observer.registered", "eligible_set.change_refused"),
          "drawn": ("eligible_set.change_refused",),
          "published": ("eligible_set.change_refused",)}
WHERE = {"prepared": "before list.frozen",
         "committed": "between list.frozen and sources.entered",
         "sources": "between sources.entered and seed.computed",
         "drawn": "between the run and results.published",
         "published": "after results.published, where only replacements from the reserve lists come"}


class Mismatch(Exception):
    pass


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256(data):
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode("utf-8")).hexdigest()


def same(place, recorded, recomputed):
    if recorded != recomputed:
        raise Mismatch(f"{place}: record says {recorded!r}, recomputed {recomputed!r}")


def rfc3797_key(sources):
    key = ""
    for number, source in enumerate(sources, start=1):
        if not re.fullmatch(r" *[0-9]+(?: +[0-9]+)* *", source):
            raise Mismatch(f"source {number}: {source!r} is not whole numbers separated by spaces")
        key += "".join(f"{n}." for n in sorted(int(word) for word in source.split())) + "/"
    return key


def rfc3797_steps(key, count):
    """steps[i] = the step (from 1) at which RFC 3797 selects item i of the pool."""
    steps, remaining = [0] * count, list(range(count))
    for step in range(count):
        counter = step.to_bytes(2, "big")
        digest = hashlib.md5(counter + key.encode("ascii") + counter).digest()
        steps[remaining.pop(int.from_bytes(digest, "big") % len(remaining))] = step + 1
    return steps


def checked_quotas(quotas):
    for code, quota in quotas.items():
        if not isinstance(quota, int) or isinstance(quota, bool) or quota < 1:
            raise Mismatch(f"quotas: stratum {code} has {quota!r} grants, not a whole number of at least 1")
    if not quotas:
        raise Mismatch("quotas: there are none")
    return quotas


def checked_entries(entries, quotas):
    for number, entry in enumerate(entries, start=1):
        if not (isinstance(entry, dict) and sorted(entry) == ["stratum", "ticket"]
                and all(isinstance(entry[key], str) and entry[key] for key in entry)):
            raise Mismatch(f"entry {number}: {entry!r} is not {{\"ticket\", \"stratum\"}}")
    for before, entry in zip(entries, entries[1:]):
        if before["ticket"] == entry["ticket"]:
            raise Mismatch(f"entries: ticket {entry['ticket']} appears twice")
        if before["ticket"] > entry["ticket"]:
            raise Mismatch(f"entries: not sorted by ticket: {entry['ticket']} comes after {before['ticket']}")
    for entry in entries:
        if entry["stratum"] not in quotas:
            raise Mismatch(f"entries: ticket {entry['ticket']} is in stratum {entry['stratum']}, which has no quota")
    if not entries:
        raise Mismatch("entries: the list is empty")
    return entries


def checked_sources(sources):
    for number, source in enumerate(sources, start=1):
        if not isinstance(source, str) or not source.strip():
            raise Mismatch(f"source {number}: {source!r} is empty")
        # The seed joins the sources with new lines: one inside a source would let two lists of
        # sources give the same seed.
        if "\n" in source or "\r" in source:
            raise Mismatch(f"source {number}: {source!r} has a line break")
    if not sources:
        raise Mismatch("sources: there are none")
    return sources


def expected_results(algorithm, entries, quotas, seed):
    if algorithm == "sha256-rank/1":
        scores = [sha256(seed + ":" + e["ticket"]) for e in entries]
    else:
        if len(entries) > 65535:
            raise Mismatch(f"entries: RFC 3797 draws from at most 65535, the record has {len(entries)}")
        scores = rfc3797_steps(seed, len(entries))
    by_stratum = {code: [] for code in quotas}
    for entry, score in zip(entries, scores):
        by_stratum[entry["stratum"]].append((score, entry["ticket"]))
    expected = []
    for code in sorted(by_stratum):
        for rank, (score, ticket) in enumerate(sorted(by_stratum[code]), start=1):
            outcome = "winner" if rank <= quotas[code] else "reserve"
            expected.append({"ticket": ticket, "stratum": code, "rank": rank, "outcome": outcome,
                             "score": score})
    return expected


def run_events(quotas, results):
    """What the run logs after seed.computed: per stratum (by code) each winner by rank, then its tally."""
    events = []
    for code in sorted(quotas):
        drawn = [r for r in results if r["stratum"] == code]
        winners = [r for r in drawn if r["outcome"] == "winner"]
        events += [("winner.revealed", {"stratum": code, "rank": r["rank"], "ticket": r["ticket"]}) for r in winners]
        events.append(("stratum.drawn", {"stratum": code, "winners": len(winners),
                                         "reserve": len(drawn) - len(winners),
                                         "unawarded": quotas[code] - len(winners)}))
    return events


def time_of(entry):
    try:
        return datetime.fromisoformat(entry["at"].replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise Mismatch(f"log entry {entry['seq']}: at {entry['at']!r} is not a time") from None


def logged(entry, key, recorded):
    if entry["data"].get(key) != recorded:
        raise Mismatch(f"log entry {entry['seq']} ({entry['event']}): {key}: log says "
                       f"{entry['data'].get(key)!r}, record says {recorded!r}")


class Replacements:
    """The reserve lists as drawn; each replacement must take the next reserve of its stratum."""

    def __init__(self, results):
        self.holders = {r["stratum"]: set() for r in results}
        self.reserve = {r["stratum"]: [] for r in results}
        for r in results:
            if r["outcome"] == "winner":
                self.holders[r["stratum"]].add(r["ticket"])
            else:
                self.reserve[r["stratum"]].append(r)
        self.taken = {code: 0 for code in self.reserve}
        self.pending = None  # the winner.removed entry whose successor is not named yet
        self.count = 0

    def removed(self, entry):
        stratum, ticket = entry["data"].get("stratum"), entry["data"].get("ticket")
        if ticket not in self.holders.get(stratum, ()):
            raise Mismatch(f"log entry {entry['seq']} (winner.removed): {ticket} does not hold a grant "
                           f"in stratum {stratum}")
        self.holders[stratum].remove(ticket)
        self.pending = entry

    def next_reserves(self, entry):
        """The rest of the reserve list of the stratum that the pending removal concerns."""
        data, removal = entry["data"], self.pending
        if removal is None:
            raise Mismatch(f"log entry {entry['seq']} ({entry['event']}): no winner was removed before it")
        stratum, leaving = removal["data"]["stratum"], removal["data"]["ticket"]
        if data.get("stratum") != stratum or data.get("replaces", leaving) != leaving:
            raise Mismatch(f"log entry {entry['seq']} ({entry['event']}): it does not follow the removal of "
                           f"{leaving} in stratum {stratum} (entry {removal['seq']})")
        passed = data.get("passed_over")
        queue = self.reserve[stratum][self.taken[stratum]:]
        if not isinstance(passed, list) or [r["ticket"] for r in queue[:len(passed)]] != passed:
            raise Mismatch(f"log entry {entry['seq']} ({entry['event']}): passes over {passed!r}, but the reserve "
                           f"list of {stratum} goes on with {[r['ticket'] for r in queue[:len(passed) + 1]]!r}")
        self.taken[stratum] += len(passed)
        self.pending = None
        self.count += 1
        return stratum, queue[len(passed):]

    def promoted(self, entry):
        stratum, queue = self.next_reserves(entry)
        data = entry["data"]
        if not queue:
            raise Mismatch(f"log entry {entry['seq']} (reserve.promoted): promotes {data.get('ticket')}, but the "
                           f"reserve list of {stratum} is exhausted")
        if (data.get("ticket"), data.get("rank")) != (queue[0]["ticket"], queue[0]["rank"]):
            raise Mismatch(f"log entry {entry['seq']} (reserve.promoted): promotes {data.get('ticket')} "
                           f"(rank {data.get('rank')}), but the next reserve in order in {stratum} is "
                           f"{queue[0]['ticket']} (rank {queue[0]['rank']})")
        self.taken[stratum] += 1
        self.holders[stratum].add(queue[0]["ticket"])

    def exhausted(self, entry):
        stratum, queue = self.next_reserves(entry)
        if queue:
            raise Mismatch(f"log entry {entry['seq']} (reserve.exhausted): the reserve list of {stratum} still has "
                           f"{queue[0]['ticket']} (rank {queue[0]['rank']})")


def check_binding(record, results):
    """Walks the log through the steps of DESIGN.md section 4 and checks that each binds the
    record. Returns the seq of the steps it found, for the report."""
    log, steps, phase, i = record["log"], {}, "prepared", 0
    if not log:
        raise Mismatch("log: it is empty: nothing binds this record to the draw's public log")
    replacements = Replacements(results)
    run = run_events(record["quotas"], results)
    while i < len(log):
        entry = log[i]
        event, data, seq = entry["event"], entry["data"], entry["seq"]
        if replacements.pending is not None and event not in ("reserve.promoted", "reserve.exhausted"):
            raise Mismatch(f"log entry {seq} ({event}): entry {replacements.pending['seq']} removed winner "
                           f"{replacements.pending['data']['ticket']}, and the next entry must say who takes the grant")
        if event in ASIDES.get(phase, ()) or (phase == "prepared" and event == "draw.prepared"):
            pass
        elif phase == "prepared" and event == "list.frozen":
            for key, recorded in (("commitment", record["commitment"]), ("algorithm", record["algorithm"]),
                                  ("entries", len(record["entries"])), ("quotas", record["quotas"])):
                logged(entry, key, recorded)
            phase, steps["list.frozen"] = "committed", entry
        elif phase == "committed" and event == "rule.announced" and "rule.announced" not in steps:
            logged(entry, "rule", record["source_rule"])
            steps["rule.announced"] = entry
        elif phase == "committed" and event == "sources.entered":
            if "rule.announced" not in steps:
                raise Mismatch(f"log entry {seq} (sources.entered): the rule for the sources was not announced "
                               "before them")
            logged(entry, "sources", record["sources"])
            frozen = steps["list.frozen"]
            if time_of(entry) < time_of(frozen):
                raise Mismatch(f"log entry {seq} (sources.entered): entered at {entry['at']}, before the list "
                               f"was frozen at {frozen['at']} (entry {frozen['seq']})")
            phase, steps["sources.entered"] = "sources", entry
        elif phase == "sources" and event == "seed.computed":
            logged(entry, "seed", record["seed"])
            for number, (expected_event, expected_data) in enumerate(run, start=i + 1):
                if number >= len(log):
                    raise Mismatch(f"log: it ends at entry {log[-1]['seq']} in the middle of the run: "
                                   f"{expected_event} {expected_data} is missing")
                found = log[number]
                if (found["event"], found["data"]) != (expected_event, expected_data):
                    raise Mismatch(f"log entry {found['seq']}: the log says {found['event']} {found['data']}, "
                                   f"the results give {expected_event} {expected_data}")
            i += len(run)
            phase, steps["seed.computed"] = "drawn", entry
        elif phase == "drawn" and event == "results.published":
            winners = sum(1 for r in results if r["outcome"] == "winner")
            expected = {"winners": winners, "reserve": len(results) - winners}
            if data != expected:
                raise Mismatch(f"log entry {seq} (results.published): the log says {data}, the results give {expected}")
            phase, steps["results.published"] = "published", entry
        elif phase == "published" and event == "winner.removed":
            replacements.removed(entry)
        elif phase == "published" and event == "reserve.promoted":
            replacements.promoted(entry)
        elif phase == "published" and event == "reserve.exhausted":
            replacements.exhausted(entry)
        else:
            raise Mismatch(f"log entry {seq}: {event!r} cannot come here ({WHERE[phase]})")
        i += 1
    last = log[-1]
    if phase != "published":
        raise Mismatch(f"log: it ends at entry {last['seq']} ({last['event']}) without results.published: "
                       "it was cut short, or the results were never published")
    if replacements.pending is not None:
        raise Mismatch(f"log: it ends at entry {last['seq']}, which removed winner "
                       f"{last['data']['ticket']} without saying who takes the grant: it was cut short")
    return steps, replacements.count


def verify(record, head=None, commitment=None):
    """Checks the record (and the head and commitment an observer noted, if given). Returns the
    report's lines; raises Mismatch at the first disagreement."""
    algorithm = record["algorithm"]
    quotas = checked_quotas(record["quotas"])
    entries = checked_entries(record["entries"], quotas)
    computed = sha256(canonical({"algorithm": algorithm, "entries": entries, "quotas": quotas}))
    same("commitment", record["commitment"], computed)
    if commitment is not None and commitment != computed:
        raise Mismatch(f"commitment: the record's is {computed}, but the one you noted before the draw is "
                       f"{commitment}: this is not the list that was committed")
    sources = checked_sources(record["sources"])
    seed = sha256(computed + "\n" + "\n".join(sources)) if algorithm == "sha256-rank/1" else rfc3797_key(sources)
    same("seed", record["seed"], seed)

    expected = expected_results(algorithm, entries, quotas, seed)
    for number, (recorded, recomputed) in enumerate(zip(record["results"], expected), start=1):
        same(f"result {number} (stratum {recomputed['stratum']}, rank {recomputed['rank']}) ticket",
             recorded["ticket"], recomputed["ticket"])
        for field in ("stratum", "rank", "outcome", "score"):
            same(f"result for ticket {recomputed['ticket']}: {field}", recorded[field], recomputed[field])
    same("number of results", len(record["results"]), len(expected))

    prev = GENESIS
    for number, entry in enumerate(record["log"], start=1):
        same(f"log entry {number}: seq", entry["seq"], number)
        same(f"log entry {number}: prev", entry["prev"], prev)
        body = canonical({key: entry[key] for key in ("seq", "at", "event", "data")})
        same(f"log entry {number}: hash", entry["hash"], sha256(prev.encode("utf-8") + body))
        prev = entry["hash"]
    noted = None
    if head is not None:
        noted = next((entry["seq"] for entry in record["log"] if entry["hash"] == head), None)
        if noted is None:
            raise Mismatch(f"chain head: no entry of the log has the hash you noted ({head}): the log was rewritten "
                           f"or cut short since (it ends at {prev})")
    steps, replaced = check_binding(record, expected)

    winners = {code: sum(1 for r in expected if r["stratum"] == code and r["outcome"] == "winner")
               for code in sorted(quotas)}
    unawarded = ", ".join(f"{code} {quotas[code] - n}" for code, n in winners.items() if n < quotas[code])
    count = len(record["log"])
    return [
        f"algorithm:  {algorithm}",
        f"entries:    {len(entries)} in {len(quotas)} strata: sorted by ticket, each once, each in a stratum "
        "with a quota; one result each",
        f"winners:    {sum(winners.values())} ("
        + ", ".join(f"{code} {n}" for code, n in winners.items()) + f"); unawarded grants: {unawarded or 'none'}",
        f"commitment: {computed} = list.frozen (log entry {steps['list.frozen']['seq']})"
        + ("; = the one you noted" if commitment is not None else ""),
        f"sources:    {len(sources)} = sources.entered (log entry {steps['sources.entered']['seq']}, after the freeze)",
        f"seed:       {seed} = seed.computed (log entry {steps['seed.computed']['seq']})",
        f"log:        {count} entries chained; every winner revealed as drawn; published at entry "
        f"{steps['results.published']['seq']}; "
        + (f"{replaced} replacement{'s' if replaced > 1 else ''} from the reserve lists, each the next in order"
           if replaced else "no replacements"),
        f"chain head: {prev} (entry {count})"
        + (f"; the head you noted is entry {noted}" + (f", {count - noted} entries were added after it"
                                                      if noted < count else "") if noted is not None else ""),
    ]


def hex64(text):
    value = text.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise argparse.ArgumentTypeError(f"{text!r} is not 64 hexadecimal digits")
    return value


def main(argv):
    sys.stdout.reconfigure(errors="backslashreplace")
    parser = argparse.ArgumentParser(
        prog="verify_draw.py", formatter_class=argparse.RawDescriptionHelpFormatter, description=__doc__,
        epilog="Exit code: 0 OK, 1 MISMATCH, 2 the file is not a draw record (or the options are wrong).")
    parser.add_argument("record", metavar="RECORD.json", help="the record downloaded from the draw's page")
    parser.add_argument("--head", type=hex64, metavar="HEX",
                        help="the log's chain head you wrote down from the draw page or the protocol")
    parser.add_argument("--commitment", type=hex64, metavar="HEX",
                        help="the commitment published before the draw (in the frozen list you downloaded)")
    args = parser.parse_args(argv[1:])
    try:
        with open(args.record, encoding="utf-8") as f:
            record = json.load(f)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        print(f"ERROR cannot read {args.record} as JSON: {exc}", file=sys.stderr)
        return 2
    missing = [key for key in KEYS if key not in record] if isinstance(record, dict) else list(KEYS)
    if missing:
        print(f"ERROR not a draw record: missing {', '.join(missing)}", file=sys.stderr)
        return 2
    if record["format"] != "grants-draw/1" or record["algorithm"] not in ("sha256-rank/1", "rfc3797/1"):
        print(f"ERROR this verifier checks format grants-draw/1 with algorithm sha256-rank/1 or "
              f"rfc3797/1, not {record['format']!r} with {record['algorithm']!r}", file=sys.stderr)
        return 2
    try:
        report = verify(record, args.head, args.commitment)
    except Mismatch as exc:
        print(f"MISMATCH {exc}")
        return 1
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        print(f"ERROR the record is malformed ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    print("OK")
    for line in report:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
