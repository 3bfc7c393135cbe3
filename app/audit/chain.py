"""Hash chains as DESIGN.md section 4 defines them, shared by the audit log and the draw log."""
import hashlib
import json

GENESIS = "0" * 64


def canonical_json(obj):
    """The canonical form that every hash in the system is computed over (UTF-8 bytes)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def entry_hash(prev, seq, at, event, data):
    body = canonical_json({"seq": seq, "at": at, "event": event, "data": data})
    return sha256_hex(prev.encode("utf-8") + body)


def first_broken(entries):
    """The `seq` of the first entry (dicts with seq, at, event, data, prev, hash) that breaks the
    chain, or None when every link holds."""
    prev = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if (
            entry["seq"] != expected_seq
            or entry["prev"] != prev
            or entry["hash"] != entry_hash(prev, entry["seq"], entry["at"], entry["event"], entry["data"])
        ):
            return entry["seq"]
        prev = entry["hash"]
    return None
