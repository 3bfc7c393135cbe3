"""The audit log: one append-only, hash-chained record of every staff action."""
