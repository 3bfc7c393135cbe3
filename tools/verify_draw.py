#!/usr/bin/env python3
"""Check a published draw record ("grants-draw/1") without trusting the system that made it.

    python3 verify_draw.py RECORD.json

Python's standard library only. From the record alone it recomputes, in this order:
  1. the commitment: SHA-256 of the canonical JSON of {"algorithm", "entries" sorted by ticket,
     "quotas"}; canonical JSON = sorted keys, no spaces, UTF-8;
  2. the seed from the sources:
     sha256-rank/1: SHA-256 of commitment + "\\n" + the sources joined by "\\n";
     rfc3797/1: the RFC 3797 key string (each source's numbers sorted, each followed by ".",
     then "/" after each source);
  3. every score: sha256-rank/1: SHA-256 of seed + ":" + ticket; rfc3797/1: the step (from 1)
     at which RFC 3797 selects the entry from the list in ticket order (MD5 of the key with the
     2-byte step number before and after it, modulo the number left);
  4. per stratum (by code): the entries ordered by (score, ticket), ranks from 1, the first
     `quota` "winner" and the rest "reserve", compared one by one with "results";
  5. the log chain: entry n has seq n, prev = the hash before it (64 zeros for the first), and
     hash = SHA-256 of prev + canonical JSON of {"seq", "at", "event", "data"}.
Prints OK (exit 0), or the first mismatch (exit 1). A file it cannot read as a record: exit 2.
"""
import hashlib
import json
import re
import sys

KEYS = ("format", "draw_id", "competition", "algorithm", "entries", "quotas", "commitment",
        "source_rule", "sources", "seed", "results", "log")


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


def verify(record):
    algorithm, quotas, sources = record["algorithm"], record["quotas"], record["sources"]
    entries = sorted(({"ticket": e["ticket"], "stratum": e["stratum"]} for e in record["entries"]),
                     key=lambda e: e["ticket"])
    for before, entry in zip(entries, entries[1:]):
        if before["ticket"] == entry["ticket"]:
            raise Mismatch(f"entries: ticket {entry['ticket']} appears twice")
    commitment = sha256(canonical({"algorithm": algorithm, "entries": entries, "quotas": quotas}))
    same("commitment", record["commitment"], commitment)

    if algorithm == "sha256-rank/1":
        seed = sha256(commitment + "\n" + "\n".join(sources))
        same("seed", record["seed"], seed)
        scores = [sha256(seed + ":" + e["ticket"]) for e in entries]
    else:
        seed = rfc3797_key(sources)
        same("seed", record["seed"], seed)
        if len(entries) > 65535:
            raise Mismatch(f"entries: RFC 3797 draws from at most 65535, the record has {len(entries)}")
        scores = rfc3797_steps(seed, len(entries))

    by_stratum = {code: [] for code in quotas}
    for entry, score in zip(entries, scores):
        by_stratum.setdefault(entry["stratum"], []).append((score, entry["ticket"]))
    expected = []
    for code in sorted(by_stratum):
        for rank, (score, ticket) in enumerate(sorted(by_stratum[code]), start=1):
            outcome = "winner" if rank <= quotas.get(code, 0) else "reserve"
            expected.append({"ticket": ticket, "stratum": code, "rank": rank, "outcome": outcome,
                             "score": score})
    for number, (recorded, recomputed) in enumerate(zip(record["results"], expected), start=1):
        same(f"result {number} (stratum {recomputed['stratum']}, rank {recomputed['rank']}) ticket",
             recorded["ticket"], recomputed["ticket"])
        for field in ("stratum", "rank", "outcome", "score"):
            same(f"result for ticket {recomputed['ticket']}: {field}", recorded[field], recomputed[field])
    same("number of results", len(record["results"]), len(expected))

    prev = "0" * 64
    for number, entry in enumerate(record["log"], start=1):
        same(f"log entry {number}: seq", entry["seq"], number)
        same(f"log entry {number}: prev", entry["prev"], prev)
        body = canonical({key: entry[key] for key in ("seq", "at", "event", "data")})
        same(f"log entry {number}: hash", entry["hash"], sha256(prev.encode("utf-8") + body))
        prev = entry["hash"]


def main(argv):
    sys.stdout.reconfigure(errors="backslashreplace")
    if len(argv) != 2:
        print("usage: python3 verify_draw.py RECORD.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            record = json.load(f)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        print(f"ERROR cannot read {argv[1]} as JSON: {exc}", file=sys.stderr)
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
        verify(record)
    except Mismatch as exc:
        print(f"MISMATCH {exc}")
        return 1
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        print(f"ERROR the record is malformed ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
