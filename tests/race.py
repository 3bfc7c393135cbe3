"""Two workers racing for one grant's row lock, for the PostgreSQL race tests: both read what the
lock guards before either commits, unless the lock makes the second wait for the first."""
import os
import threading

import pytest

from app.errors import Refused
from app.extensions import db

postgresql_only = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                                     reason="the row lock is tested on PostgreSQL (TEST_DATABASE_URL)")


def race(app, monkeypatch, read, act, args, done):
    """`act(arg)` for each of the two `args` on two threads, each in its own request and session;
    `read` (module, name) is the read under the lock, made to wait until the other thread has read
    too (under the lock it never comes). Returns the sorted outcomes: `done` where `act` committed,
    "refused" where it was refused."""
    module, name = read
    both_read = threading.Barrier(2, timeout=2)
    read_once = getattr(module, name)

    def read_then_wait(*args):
        found = read_once(*args)
        try:
            both_read.wait()
        except threading.BrokenBarrierError:
            pass
        return found

    monkeypatch.setattr(module, name, read_then_wait)
    outcomes = {}

    def run(arg):
        with app.test_request_context():
            try:
                act(arg)
                db.session.commit()
                outcomes[arg] = done
            except Refused:
                db.session.rollback()
                outcomes[arg] = "refused"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(arg,)) for arg in args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes.values())
