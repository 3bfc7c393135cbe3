"""The audit log table: rows are only ever appended."""
from datetime import datetime

import sqlalchemy as sa

from app.audit.chain import canonical_json, entry_hash, sha256_hex
from app.extensions import db

# How an entry's hash is computed. 1: DESIGN.md's formula over seq, at, event and data, which the
# draw log keeps; it leaves actor_id out (record() copies the actor into data["actor"], which is
# how a version 1 entry binds it). 2: every column. Entries written before version 2 existed keep
# version 1: rehashing them would have blessed whatever had been changed until then.
HASH_VERSION = 2


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (sa.CheckConstraint("hash_version IN (1, 2)", name="known_hash_version"),)

    seq = db.Column(db.Integer, primary_key=True, autoincrement=False)
    # The ISO-8601 UTC text exactly as it was hashed, so the chain can be recomputed byte for byte.
    at = db.Column(db.String(32), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    event = db.Column(db.String(64), nullable=False, index=True)
    data = db.Column(sa.JSON, nullable=False)
    prev = db.Column(db.String(64), nullable=False)
    hash = db.Column(db.String(64), nullable=False, unique=True)
    hash_version = db.Column(db.SmallInteger, nullable=False, default=HASH_VERSION)

    actor = db.relationship("User", lazy="joined")

    @property
    def at_utc(self):
        """`at` as an aware datetime in UTC."""
        return datetime.fromisoformat(self.at.replace("Z", "+00:00"))

    def hashed_fields(self):
        """What hash version 2 covers besides `prev`: every other column but the hash itself."""
        return {"seq": self.seq, "at": self.at, "actor_id": self.actor_id, "event": self.event,
                "data": self.data, "hash_version": self.hash_version}

    def computed_hash(self):
        """The hash this entry must carry after `prev`, by its hash version (None for an unknown one)."""
        if self.hash_version == 1:
            return entry_hash(self.prev, self.seq, self.at, self.event, self.data)
        if self.hash_version == 2:
            return sha256_hex(self.prev.encode("utf-8") + canonical_json(self.hashed_fields()))
        return None

    def holds(self):
        """Whether the entry's hash is its content's (for version 1: and actor_id is data["actor"])."""
        if self.hash_version == 1 and (not isinstance(self.data, dict) or self.actor_id != self.data.get("actor")):
            return False
        return self.hash == self.computed_hash()
