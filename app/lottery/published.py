"""What the public gets of a draw, made once per change of its log and shared by every worker and
host: the log head that everything public is keyed by, the live part of the page per language,
the record, and the protocol PDFs (built at publication and after each replacement, every version
kept with its SHA-256).

Every change the public page shows writes a log entry, so the log head names the page's content;
with the call (its title) and the code that renders it, it makes the `version` a part is made for.
A worker keeps the head PUBLIC_CACHE_SECONDS (app.page_cache) and the parts per version: an
observer polling live.json costs no query most of the time, and never a rebuilt page."""
import functools
import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for

from app import PROJECT_ROOT
from app.competitions.models import Competition
from app.dbtypes import stored_once
from app.extensions import db
from app.i18n import current_language
from app.lottery import protocol
from app.lottery.models import Draw, DrawLogEntry, DrawProtocol, DrawRendering, DrawState
from app.page_cache import Body, memory

# How long a browser or a shared cache may keep a published draw's page, record and protocol
# without asking: only a replacement changes them, weeks after the draw, and a few minutes late is
# no harm. While the draw runs they revalidate on every poll (ETag).
PUBLISHED_CACHE = "public, max-age=600"
RUNNING_CACHE = "public, no-cache"


@dataclass(frozen=True)
class Head:
    """A draw as its public parts are keyed: its state and the last entry of its log."""

    draw_id: int
    state: DrawState
    seq: int
    hash: str
    version: str  # of everything public: the log head, the call, the code

    @property
    def is_public(self):
        return self.state is not DrawState.PREPARED

    @property
    def cache_control(self):
        return PUBLISHED_CACHE if self.state is DrawState.PUBLISHED else RUNNING_CACHE


def head(draw_id):
    """The draw's head, as this worker read it less than PUBLIC_CACHE_SECONDS ago; None when there
    is no such draw."""
    return memory().fresh(("draw-head", draw_id), lambda: _read_head(draw_id))


def _read_head(draw_id):
    entries = sa.orm.aliased(DrawLogEntry)
    last = sa.select(sa.func.max(entries.seq)).where(entries.draw_id == Draw.id).correlate(Draw).scalar_subquery()
    row = db.session.execute(
        sa.select(Draw.state, Competition.updated_at, DrawLogEntry.seq, DrawLogEntry.hash)
        .join(Competition, Competition.id == Draw.competition_id)
        .outerjoin(DrawLogEntry, sa.and_(DrawLogEntry.draw_id == Draw.id, DrawLogEntry.seq == last))
        .where(Draw.id == draw_id)
    ).first()
    if row is None:
        return None
    version = hashlib.sha256(f"{row.hash}|{row.updated_at.isoformat()}|{code_version()}".encode()).hexdigest()
    return Head(draw_id, row.state, row.seq or 0, row.hash, version)


@functools.cache
def code_version():
    """SHA-256 of the code that makes the public parts (the app's Python, the templates, the compiled
    translations, the names of regions and districts): a new release makes them again."""
    digest = hashlib.sha256()
    app_folder, templates = PROJECT_ROOT / "app", PROJECT_ROOT / "templates"
    for path in sorted([*app_folder.rglob("*.py"), *app_folder.rglob("*.mo"), app_folder / "kz" / "regions.json",
                        *templates.rglob("*.html")]):
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def kept(head, name, make):
    """What this worker keeps as `name` (a Body, or what the views look things up in) for the
    head's version, else made by make()."""
    return memory().versioned(("draw", head.draw_id, name), head.version, make)


def shared(head, name, mimetype, make):
    """The Body `name` of the draw for the head's version: from this worker's memory, else as stored
    for every worker, else from make() (bytes), stored."""
    return kept(head, name, lambda: Body(_stored(head, name, make), mimetype))


def _stored(head, name, make):
    row = db.session.execute(
        sa.select(DrawRendering).where(DrawRendering.draw_id == head.draw_id, DrawRendering.name == name)
    ).scalar_one_or_none()
    if row is not None and row.version == head.version:
        return row.body  # deferred: read only when it is the one wanted
    body = make()
    if row is None:
        db.session.add(DrawRendering(draw_id=head.draw_id, name=name, version=head.version, body=body))
    else:
        row.version, row.body = head.version, body
    _commit_quietly()
    return body


def _commit_quietly():
    """Commits what a public request stored; another worker storing the same at the same moment
    (or a database busy with a write) is no failure: what was made is served all the same."""
    try:
        db.session.commit()
    except (sa.exc.IntegrityError, sa.exc.OperationalError):
        db.session.rollback()


def live_part(head, render):
    """The live part of the page (templates/lottery/_live.html) in the current language, as text."""
    return shared(head, f"live-{current_language()}", "text/html", lambda: render().encode("utf-8")).data.decode()


# --- the protocol ---------------------------------------------------------------------------------

def public_url(draw):
    return url_for("lottery.draw", draw_id=draw.id, _external=True)


def store_protocols(draw):
    """Builds and stores the protocols of a drawn draw as its log stands now, in every language of
    the protocol (the caller commits). Done by the steps that change what the protocol says after
    the draw: the publication and each replacement."""
    for lang in protocol.LANGUAGES:
        _protocol_row(draw, lang)


def stored_protocol(head, lang):
    """The protocol of the draw in `lang` as a Body, the stored version for the head; built and
    stored when there is none yet (a draw run but not published, a log entry after the last
    replacement)."""

    def load():
        found = db.session.execute(_protocol_query(head.draw_id, lang, head.seq)).scalar_one_or_none()
        if found is None:
            found = _protocol_row(db.session.get(Draw, head.draw_id), lang)
        pdf = found.pdf
        _commit_quietly()
        return Body(pdf, "application/pdf")

    return kept(head, f"protocol-{lang}", load)


def _protocol_query(draw_id, lang, seq):
    return sa.select(DrawProtocol).where(
        DrawProtocol.draw_id == draw_id, DrawProtocol.lang == lang, DrawProtocol.seq == seq
    ).options(sa.orm.undefer(DrawProtocol.pdf))


def _protocol_row(draw, lang):
    """The stored protocol of `draw` in `lang` after its last log entry, built now if there is none."""
    query = _protocol_query(draw.id, lang, draw.log[-1].seq)
    found = db.session.execute(query).scalar_one_or_none()
    if found is not None:
        return found
    pdf = protocol.protocol_pdf(draw, lang, public_url(draw))
    return stored_once(DrawProtocol(draw_id=draw.id, lang=lang, seq=draw.log[-1].seq, head=draw.log_head,
                                    sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), pdf=pdf), query)
