"""A draw runs once, even when several workers press "run" at the same moment: the draw row is
locked FOR UPDATE and the second worker finds it drawn. Likewise "prepare": one draw, one log
entry, a clear refusal for the others. Only PostgreSQL holds row locks across connections, so
these tests run there (TEST_DATABASE_URL=postgresql+psycopg://...)."""
import threading
import time

import pytest
import sqlalchemy as sa

from app.applications.models import Application, ApplicationEvent, ApplicationStatus
from app.audit.models import AuditEntry
from app.auth.models import Role, User
from app.extensions import db
from app.lottery import lifecycle, reading, replacement
from app.lottery.engine import SHA256_RANK
from app.lottery.models import Draw, DrawLogEntry, DrawState
from app.lottery.steps import DrawRefused
from tests.conftest import login
from tests.factories import make_user
from tests.lottery.test_lifecycle import (RULE, SOURCES, add_applications, closed_competition, committed_draw,
                                          published_draw)

WORKERS = 6


@pytest.fixture
def postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://USER@HOST/DB "
                        "(row locks across connections cannot be tested on SQLite)")


def at_once(app, workers, step, hold=0.0):
    """Runs `step(draw, actor)` in `workers` threads released together, each with its own app
    context, session and connection; a worker that got through keeps its transaction (and its
    locks) open `hold` seconds before committing. Returns what each worker reported."""
    start = threading.Barrier(workers)
    reports = []

    def worker(draw_id, actor_id):
        with app.app_context():
            try:
                draw, actor = db.session.get(Draw, draw_id), db.session.get(User, actor_id)
                start.wait(timeout=30)
                step(draw, actor)
                time.sleep(hold)
                db.session.commit()
                reports.append("done")
            except DrawRefused as refusal:
                db.session.rollback()
                reports.append(str(refusal))
            except Exception as error:  # noqa: BLE001 - every failure is reported to the test
                db.session.rollback()
                reports.append(repr(error))
            finally:
                db.session.remove()

    return worker, reports


def run_threads(worker, args, count):
    threads = [threading.Thread(target=worker, args=args) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def count(query):
    return db.session.execute(sa.select(sa.func.count()).select_from(query)).scalar()


def test_workers_pressing_run_at_once_make_exactly_one_draw(app, postgresql):
    with app.app_context():
        manager = make_user("manager@example.kz", roles=(Role.MANAGER,))
        draw = committed_draw(manager, ala=5, man=3)
        lifecycle.enter_sources(draw, SOURCES[draw.algorithm], manager)
        db.session.commit()
        draw_id, manager_id = draw.id, manager.id
        db.session.remove()

    worker, reports = at_once(app, WORKERS, lambda draw, actor: lifecycle.run(draw, actor), hold=0.3)
    run_threads(worker, (draw_id, manager_id), WORKERS)

    # The others waited on the row lock, then found the draw run: no stale-write error.
    assert sorted(reports) == ["This draw has already been run. A draw runs only once."] * (WORKERS - 1) + ["done"]
    with app.app_context():
        draw = db.session.get(Draw, draw_id)
        assert draw.state is DrawState.DRAWN
        assert count(sa.select(DrawLogEntry).where(DrawLogEntry.event == "seed.computed").subquery()) == 1
        assert [entry.seq for entry in draw.log] == list(range(1, len(draw.log) + 1))
        # Every application moved once.
        moved = count(sa.select(ApplicationEvent).where(
            ApplicationEvent.status.in_([ApplicationStatus.WINNER, ApplicationStatus.RESERVE])).subquery())
        assert moved == 8
        db.session.remove()


def test_two_staff_clicking_run_on_two_workers_get_one_draw_and_one_refusal(app, postgresql):
    with app.app_context():
        manager = make_user("manager@example.kz", roles=(Role.MANAGER,))
        other = make_user("other@example.kz", roles=(Role.ADMIN,))
        draw = committed_draw(manager, ala=4, man=2)
        lifecycle.enter_sources(draw, SOURCES[draw.algorithm], manager)
        db.session.commit()
        draw_id, emails = draw.id, (manager.email, other.email)
        db.session.remove()

    start = threading.Barrier(2)
    statuses = []

    def click(email):
        client = app.test_client()
        login(client, email)
        start.wait(timeout=30)
        response = client.post(f"/manage/draws/{draw_id}/run")
        statuses.append((response.status_code, "already been run" in response.get_data(as_text=True)))

    threads = [threading.Thread(target=click, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(statuses) == [(200, True), (302, False)]
    with app.app_context():
        assert count(sa.select(DrawLogEntry).where(DrawLogEntry.event == "seed.computed").subquery()) == 1
        db.session.remove()


def test_sources_entered_at_once_by_two_workers_are_taken_once(app, postgresql):
    with app.app_context():
        manager = make_user("manager@example.kz", roles=(Role.MANAGER,))
        draw_id, manager_id = committed_draw(manager).id, manager.id
        db.session.remove()

    sources = iter([["1"], ["2"], ["3"], ["4"]])
    lock = threading.Lock()

    def enter(draw, actor):
        with lock:
            mine = next(sources)
        lifecycle.enter_sources(draw, mine, actor)

    worker, reports = at_once(app, 4, enter, hold=0.2)
    run_threads(worker, (draw_id, manager_id), 4)
    refusal = "The sources of this draw have already been entered; they cannot be changed."
    assert sorted(reports) == [refusal] * 3 + ["done"]
    with app.app_context():
        assert count(sa.select(DrawLogEntry).where(DrawLogEntry.event == "sources.entered").subquery()) == 1
        db.session.remove()


def test_two_staff_replacing_the_same_winner_promote_one_reserve(app, postgresql):
    with app.app_context():
        manager = make_user("manager@example.kz", roles=(Role.MANAGER,))
        draw = published_draw(manager, ala=7, man=3)
        leaving = reading.outcomes(draw)[0].winners[0]["ticket"]
        draw_id, manager_id = draw.id, manager.id
        db.session.remove()

    worker, reports = at_once(app, 3, lambda draw, actor: replacement.replace_winner(draw, leaving, "withdrew", actor),
                              hold=0.2)
    run_threads(worker, (draw_id, manager_id), 3)
    assert sorted(reports) == [f"{leaving} does not hold a grant in this draw."] * 2 + ["done"]
    with app.app_context():
        assert count(sa.select(DrawLogEntry).where(DrawLogEntry.event == "reserve.promoted").subquery()) == 1
        winners = count(sa.select(Application).where(Application.status == ApplicationStatus.WINNER).subquery())
        assert winners == 5  # ALA 3 + MAN 2: one left, one promoted
        db.session.remove()


def test_managers_pressing_prepare_at_once_make_one_draw_and_the_others_are_told(app, postgresql, monkeypatch):
    with app.app_context():
        manager = make_user("manager@example.kz", roles=(Role.MANAGER,))
        competition = closed_competition()
        add_applications(competition, "ALA", 3)
        add_applications(competition, "MAN", 2)
        competition_id, email = competition.id, manager.email
        db.session.remove()

    # The first one through keeps its transaction open a moment, as a slow request would.
    problems = lifecycle.list_problems
    monkeypatch.setattr(lifecycle, "list_problems", lambda *args: (time.sleep(0.3), problems(*args))[1])
    clients = [app.test_client() for _ in range(WORKERS)]
    for client in clients:
        login(client, email)
    start = threading.Barrier(WORKERS)
    answers = []

    def click(client):
        start.wait(timeout=30)
        try:
            # What the prepare page sends when there was no draft yet: an empty version.
            response = client.post(f"/manage/draws/prepare/{competition_id}",
                                   data={"algorithm": SHA256_RANK, "source_rule": RULE, "version": ""})
            answers.append((response.status_code,
                            "Someone else prepared this draw at the same moment." in response.get_data(as_text=True)))
        except Exception as error:  # noqa: BLE001 - every failure is reported to the test
            answers.append(repr(error))

    threads = [threading.Thread(target=click, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(answers, key=str) == [(200, True)] * (WORKERS - 1) + [(302, False)]
    with app.app_context():
        assert count(sa.select(Draw).subquery()) == 1
        assert count(sa.select(DrawLogEntry).where(DrawLogEntry.event == "draw.prepared").subquery()) == 1
        assert count(sa.select(AuditEntry).where(AuditEntry.event == "draw.prepared").subquery()) == 1
        db.session.remove()
