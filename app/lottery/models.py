"""A competition's draw, its public hash-chained log and the observers present (DESIGN.md section 4).

The list, the quotas and the commitment are frozen at commit; the sources, the seed and the
results are written once, when the draw runs. Later changes (replacements from the reserve list)
are log entries only, so the published record always re-runs to the same results."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.dbtypes import enum_type, utcnow
from app.enums import TitledEnum
from app.extensions import db
from app.lottery.engine import DEFAULT_ALGORITHM


class DrawState(TitledEnum):
    # the list and quotas are a draft: they follow the screening results
    PREPARED = "prepared", _l("Prepared")
    # the list, quotas, algorithm and rule are frozen and public
    COMMITTED = "committed", _l("List committed")
    # the sources are in, the seed and results are computed
    DRAWN = "drawn", _l("Drawn")
    # the results are official and the applicants notified
    PUBLISHED = "published", _l("Published")


# Every allowed change of state (app.lottery.lifecycle.commit / run / publish); nothing goes back.
DRAW_TRANSITIONS = {
    DrawState.PREPARED: {DrawState.COMMITTED},
    DrawState.COMMITTED: {DrawState.DRAWN},
    DrawState.DRAWN: {DrawState.PUBLISHED},
    DrawState.PUBLISHED: set(),
}


class ReplacementReason(TitledEnum):
    """Why a winner leaves and the next on the reserve list takes the grant."""

    WITHDREW = "withdrew", _l("The winner withdrew")
    DISQUALIFIED = "disqualified", _l("The winner was disqualified")
    MISSED_DEADLINE = "missed_deadline", _l("The winner missed the contract signing deadline")


class Draw(db.Model):
    """The draw of one competition. One per competition: a draw runs once."""

    __tablename__ = "draws"
    __table_args__ = (
        sa.CheckConstraint("(state = 'prepared') = (commitment IS NULL)", name="commitment_from_commit"),
        sa.CheckConstraint("(state IN ('prepared', 'committed')) = (seed IS NULL)", name="seed_from_run"),
        sa.CheckConstraint("(seed IS NULL) = (results IS NULL)", name="results_with_seed"),
        sa.CheckConstraint("seed IS NULL OR sources IS NOT NULL", name="seed_from_sources"),
    )

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(db.Integer, db.ForeignKey("competitions.id"), nullable=False, unique=True)
    state = db.Column(enum_type(DrawState), nullable=False, default=DrawState.PREPARED)
    algorithm = db.Column(db.String(16), nullable=False, default=DEFAULT_ALGORITHM)
    # The two long lists (100,000 entries at the largest) are read together, and only when used.
    entries = db.deferred(db.Column(sa.JSON, nullable=False), group="lists")  # [{"ticket", "stratum"}] by ticket
    quotas = db.Column(sa.JSON, nullable=False)  # {stratum code: grants}
    source_rule = db.Column(db.Text, nullable=False, default="")  # how the sources will be taken
    commitment = db.Column(db.String(64), nullable=True)
    sources = db.Column(sa.JSON, nullable=True)  # [str], entered once
    seed = db.Column(db.Text, nullable=True)  # hex (sha256-rank/1) or the RFC 3797 key string
    # [{"ticket", "stratum", "rank", "outcome", "score"}]
    results = db.deferred(db.Column(sa.JSON, nullable=True), group="lists")
    # Bumped by every change of the row: a second concurrent run fails instead of overwriting.
    version = db.Column(db.Integer, nullable=False, default=1)

    prepared_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    prepared_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    committed_at = db.Column(db.DateTime, nullable=True)
    committed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    sources_entered_at = db.Column(db.DateTime, nullable=True)
    sources_entered_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    drawn_at = db.Column(db.DateTime, nullable=True)
    drawn_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    published_at = db.Column(db.DateTime, nullable=True)
    published_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    competition = db.relationship("Competition")
    log = db.relationship("DrawLogEntry", back_populates="draw", cascade="all, delete-orphan",
                          order_by="DrawLogEntry.seq")
    observers = db.relationship("DrawObserver", back_populates="draw", cascade="all, delete-orphan",
                                order_by="DrawObserver.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def log_head(self):
        """The hash of the last log entry: it fixes the whole log before it."""
        return self.log[-1].hash if self.log else None

    def __repr__(self):
        return f"<Draw {self.id} {self.state.value}>"


class DrawLogEntry(db.Model):
    """One step of the draw in its public hash chain: hash = SHA-256(prev + canonical JSON of
    seq, at, event, data); the first prev is 64 zeros. Rows are only ever appended."""

    __tablename__ = "draw_log_entries"
    __table_args__ = (sa.UniqueConstraint("draw_id", "seq"),)

    id = db.Column(db.Integer, primary_key=True)
    draw_id = db.Column(db.Integer, db.ForeignKey("draws.id", ondelete="CASCADE"), nullable=False)
    seq = db.Column(db.Integer, nullable=False)  # from 1 in each draw
    # The ISO-8601 UTC text exactly as it was hashed.
    at = db.Column(db.String(32), nullable=False)
    event = db.Column(db.String(64), nullable=False)
    data = db.Column(sa.JSON, nullable=False)
    prev = db.Column(db.String(64), nullable=False)
    hash = db.Column(db.String(64), nullable=False)

    draw = db.relationship("Draw", back_populates="log")

    def as_chain_entry(self):
        return {"seq": self.seq, "at": self.at, "event": self.event, "data": self.data,
                "prev": self.prev, "hash": self.hash}


class DrawObserver(db.Model):
    """Someone from outside the project office who watched the draw: named on the public page and
    in the protocol, where they sign."""

    __tablename__ = "draw_observers"

    id = db.Column(db.Integer, primary_key=True)
    draw_id = db.Column(db.Integer, db.ForeignKey("draws.id", ondelete="CASCADE"), nullable=False, index=True)
    name = db.Column(db.String(200), nullable=False)
    organisation = db.Column(db.String(255), nullable=False)
    registered_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    registered_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    draw = db.relationship("Draw", back_populates="observers")


class DrawProtocol(db.Model):
    """The protocol PDF of a draw in one language as it stood after log entry `seq`, whose hash it
    prints: built once (at publication, after each replacement, or when first asked for), served
    as stored, never rebuilt. Each version is kept: the protocol is a proof, and the SHA-256 someone
    noted of an earlier one must stay checkable."""

    __tablename__ = "draw_protocols"
    __table_args__ = (sa.UniqueConstraint("draw_id", "lang", "seq"),)

    id = db.Column(db.Integer, primary_key=True)
    draw_id = db.Column(db.Integer, db.ForeignKey("draws.id", ondelete="CASCADE"), nullable=False)
    lang = db.Column(db.String(2), nullable=False)
    seq = db.Column(db.Integer, nullable=False)
    head = db.Column(db.String(64), nullable=False)  # the log head the protocol prints
    sha256 = db.Column(db.String(64), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    pdf = db.deferred(db.Column(db.LargeBinary, nullable=False))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class DrawRendering(db.Model):
    """A public part of a draw made once and shared by every worker and host: the live part of its
    page per language, its record. `version` names what it was made from (the log head, the call,
    the code); a different version is made again in place of it. Nothing here is a source of truth."""

    __tablename__ = "draw_renderings"
    __table_args__ = (sa.UniqueConstraint("draw_id", "name"),)

    id = db.Column(db.Integer, primary_key=True)
    draw_id = db.Column(db.Integer, db.ForeignKey("draws.id", ondelete="CASCADE"), nullable=False)
    name = db.Column(db.String(32), nullable=False)  # e.g. "live-kk", "record"
    version = db.Column(db.String(64), nullable=False)
    body = db.deferred(db.Column(db.LargeBinary, nullable=False))
    made_at = db.Column(db.DateTime, nullable=False, default=utcnow)
