"""The hash-chained audit log: appending, verifying, naming the first broken entry."""
import pytest
import sqlalchemy as sa

from app.audit import services
from app.audit.chain import GENESIS, canonical_json, entry_hash, first_broken
from app.audit.models import AuditEntry
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
    assert (result.exit_code, result.output.strip()) == (0, "OK")
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
