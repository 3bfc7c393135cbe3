"""What an installation holds besides its rows, read the same way when a backup is made and after it
is restored: the documents its rows refer to, and the heads of its hash chains."""
import hashlib
from itertools import groupby
from operator import attrgetter

import sqlalchemy as sa

from app.audit.chain import first_broken
from app.audit.models import AuditEntry
from app.lottery.models import DrawLogEntry

# A column naming a stored file (app.storage) ends so; the file's SHA-256 is beside it:
# `stored_name` / `sha256`, `cv_stored_name` / `cv_sha256`, ...
_NAME_SUFFIX, _HASH_SUFFIX = "stored_name", "sha256"
_CHUNK = 1024 * 1024


def referenced_documents(connection, tables):
    """{stored name: the SHA-256 its row records} of every document a row of `tables` names."""
    documents = {}
    for table in tables:
        for column in table.columns:
            if not column.name.endswith(_NAME_SUFFIX):
                continue
            recorded = table.c[column.name[:-len(_NAME_SUFFIX)] + _HASH_SUFFIX]
            rows = connection.execute(sa.select(column, recorded).where(column.is_not(None)))
            documents.update((name, sha256) for name, sha256 in rows)
    return documents


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def chain_heads(connection):
    """{"audit_log": {"seq", "head"}, "draw_logs": {draw id (text): {"seq", "head"}}}: each chain's
    last entry, whose hash fixes every entry before it."""
    audit = AuditEntry.__table__
    last = connection.execute(sa.select(audit.c.seq, audit.c.hash).order_by(audit.c.seq.desc()).limit(1)).first()
    draw_log = DrawLogEntry.__table__
    newest = (sa.select(draw_log.c.draw_id, sa.func.max(draw_log.c.seq).label("seq"))
              .group_by(draw_log.c.draw_id).subquery())
    draws = connection.execute(
        sa.select(draw_log.c.draw_id, draw_log.c.seq, draw_log.c.hash)
        .join(newest, (newest.c.draw_id == draw_log.c.draw_id) & (newest.c.seq == draw_log.c.seq))
        .order_by(draw_log.c.draw_id))
    return {
        "audit_log": {"seq": last.seq if last else 0, "head": last.hash if last else None},
        "draw_logs": {str(draw_id): {"seq": seq, "head": head} for draw_id, seq, head in draws},
    }


def broken_draw_logs(session):
    """{draw id: the seq of the first entry that breaks its chain} of every draw log that does."""
    entries = session.execute(sa.select(DrawLogEntry).order_by(DrawLogEntry.draw_id, DrawLogEntry.seq)).scalars()
    broken = {}
    for draw_id, log in groupby(entries, key=attrgetter("draw_id")):
        seq = first_broken([entry.as_chain_entry() for entry in log])
        if seq is not None:
            broken[draw_id] = seq
    return broken
