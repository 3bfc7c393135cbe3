"""The hash-chained audit log: appending, verifying, naming the first broken entry."""
import pytest
import sqlalchemy as sa

from app.audit import services
from app.audit.chain import GENESIS, canonical_json, entry_hash, first_broken, sha256_hex
from app.audit.models import HASH_VERSION, AuditEntry
from app.auth.models import Role
from app.extensions import db


def test_canonical_json_is_sorted_compact_utf8():
    assert canonical_json({"b": 1, "a": "Ақтау"}) == '{"a":"Ақтау","b":1}'.encode()


def test_entry_hash_follows_the_design_formula():
    import hashlib
    body = b'{"at":"2026-01-01T00:00:00.000000Z","data":{},"event":"x","seq":1}'
    assert entry_hash(GENESIS, 1, "2026-01-01T00:00:00.000000Z", "x", {}) == hashlib.sha256(GENESIS.encode() + body).hexdigest()


def test_entries_chain_from_genesis_and_verify(make_user):
    manager = make_user("m@example.kz", roles=(Role.MANAGER,))
    first = services.record(manager, "competition.created", {"competition": 1})
    second = services.record(None, "user.created", {"user": 2})
    db.session.commit()
    assert (first.seq, first.prev) == (1, GENESIS)
    assert (second.seq, second.prev) == (2, first.hash)
    assert first.data == {"actor": manager.id, "competition": 1} and first.actor_id == manager.id
    assert second.data["actor"] is None
    assert services.verify() is None


def test_every_column_but_prev_and_hash_is_hashed(app_ctx):
    entry = services.record(None, "test.event", {"n": 1})
    assert set(entry.hashed_fields()) == set(AuditEntry.__table__.columns.keys()) - {"prev", "hash"}
    assert entry.hash_version == HASH_VERSION == 2
    assert entry.hash == sha256_hex(entry.prev.encode() + canonical_json(entry.hashed_fields()))


def test_an_edited_actor_is_named_by_verify(make_user):
    manager = make_user("m@example.kz", roles=(Role.MANAGER,))
    other = make_user("other@example.kz", roles=(Role.MANAGER,))
    for n in range(3):
        services.record(manager, "test.event", {"n": n})
    db.session.commit()
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 2).values(actor_id=other.id))
    db.session.commit()
    assert services.verify() == 2


def test_an_entry_moved_back_to_hash_version_1_is_named_by_verify(app_ctx):
    services.record(None, "test.event")
    db.session.commit()
    db.session.execute(sa.update(AuditEntry).values(hash_version=1))
    db.session.commit()
    assert services.verify() == 1


def test_an_unknown_hash_version_is_refused_by_the_database(app_ctx):
    services.record(None, "test.event")
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.update(AuditEntry).values(hash_version=3))
        db.session.commit()
    db.session.rollback()


def legacy_entries(actors):
    """Entries as the log wrote them before hash version 2 (DESIGN.md's formula, the actor in data)."""
    prev = GENESIS
    for seq, actor in enumerate(actors, start=1):
        at, data = f"2026-11-01T10:00:{seq:02d}.000000Z", {"actor": actor, "n": seq}
        entry = AuditEntry(seq=seq, at=at, actor_id=actor, event="test.legacy", data=data, prev=prev,
                           hash=entry_hash(prev, seq, at, "test.legacy", data), hash_version=1)
        db.session.add(entry)
        prev = entry.hash
    db.session.flush()


def test_entries_from_before_hash_version_2_still_verify_and_the_log_goes_on_from_them(make_user):
    manager = make_user("m@example.kz", roles=(Role.MANAGER,))
    legacy_entries([manager.id, None, manager.id])
    appended = services.record(manager, "test.event")
    db.session.commit()
    assert (appended.seq, appended.hash_version) == (4, 2)
    assert services.verify() is None


def test_an_edited_actor_of_an_entry_from_before_hash_version_2_is_named_by_verify(make_user):
    manager = make_user("m@example.kz", roles=(Role.MANAGER,))
    other = make_user("other@example.kz", roles=(Role.MANAGER,))
    legacy_entries([manager.id, manager.id, None])
    services.record(manager, "test.event")
    db.session.commit()
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 2).values(actor_id=other.id))
    db.session.commit()
    assert services.verify() == 2


def test_verify_of_an_empty_log_is_ok(app_ctx):
    assert services.verify() is None


@pytest.mark.parametrize("column, value", [
    ("event", "competition.deleted"),
    ("data", {"actor": None, "n": 99}),
    ("at", "2020-01-01T00:00:00.000000Z"),
    ("prev", "f" * 64),
    ("hash", "0" * 64),
])
def test_a_changed_entry_is_named_by_verify(app_ctx, column, value):
    for n in range(5):
        services.record(None, "test.event", {"n": n})
    db.session.commit()
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 3).values({column: value}))
    db.session.commit()
    assert services.verify() == 3


def test_a_removed_entry_is_named_by_verify(app_ctx):
    for n in range(4):
        services.record(None, "test.event", {"n": n})
    db.session.commit()
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.seq == 2))
    db.session.commit()
    assert services.verify() == 3


def test_first_broken_on_plain_dicts():
    entries, prev = [], GENESIS
    for seq in (1, 2):
        h = entry_hash(prev, seq, "t", "e", {})
        entries.append({"seq": seq, "at": "t", "event": "e", "data": {}, "prev": prev, "hash": h})
        prev = h
    assert first_broken(entries) is None
    entries[1]["data"] = {"x": 1}
    assert first_broken(entries) == 2


def test_entries_vanish_with_a_rolled_back_transaction(app_ctx):
    services.record(None, "test.event")
    db.session.rollback()
    assert db.session.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar() == 0


def test_cli_verify_prints_ok_or_the_broken_entry(runner, app_ctx):
    services.record(None, "test.event")
    services.record(None, "test.event")
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    head = db.session.get(AuditEntry, 2)
    assert result.exit_code == 0
    assert result.output.strip() == f"OK: 2 entries, head: entry 2 of {head.at}, hash {head.hash}"
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 2).values(event="changed"))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN at entry 2" in result.output


def test_concurrent_appends_keep_one_unbroken_chain(app, app_ctx):
    """Several requests at once (two workers, a page loading documents in parallel) each append;
    the chain stays whole on SQLite and PostgreSQL alike."""
    import threading

    errors = []

    def worker(n):
        with app.app_context():
            try:
                for i in range(10):
                    services.record(None, "test.concurrent", {"worker": n, "i": i})
                    db.session.commit()
            except Exception as error:  # reported below, with the worker's failure
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.session.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar() == 40
    assert services.verify() is None
