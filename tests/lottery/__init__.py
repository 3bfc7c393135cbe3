"""Helpers shared by the draw tests."""
from app.audit.chain import GENESIS, entry_hash


def draw_log(*events):
    """A valid hash chain of (event, data) pairs, one second apart, as the draw page would log it."""
    log, prev = [], GENESIS
    for seq, (event, data) in enumerate(events, start=1):
        at = f"2026-06-01T10:00:{seq:02d}.000000Z"
        entry = {"seq": seq, "at": at, "event": event, "data": data, "prev": prev,
                 "hash": entry_hash(prev, seq, at, event, data)}
        log.append(entry)
        prev = entry["hash"]
    return log
