"""The audit log table: rows are only ever appended."""
import sqlalchemy as sa

from app.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    seq = db.Column(db.Integer, primary_key=True, autoincrement=False)
    # The ISO-8601 UTC text exactly as it was hashed, so the chain can be recomputed byte for byte.
    at = db.Column(db.String(32), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    event = db.Column(db.String(64), nullable=False, index=True)
    data = db.Column(sa.JSON, nullable=False)
    prev = db.Column(db.String(64), nullable=False)
    hash = db.Column(db.String(64), nullable=False, unique=True)

    actor = db.relationship("User", lazy="joined")

    def as_chain_entry(self):
        return {"seq": self.seq, "at": self.at, "event": self.event, "data": self.data,
                "prev": self.prev, "hash": self.hash}
