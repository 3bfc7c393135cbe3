"""A realistic database for the benchmarks: the demo's whole cycle (`flask demo load --stage
completed`: staff, the call ZP23 with its strata, its 76 applicants, screening, the draw, grants,
contracts, payments, mentors and meetings, monitoring visits, final reports, surveys, the office
log and the plan of the report to the Operator) with N submitted applications in all: the
applications beyond the demo's are added in bulk (bench/bulk.py) before the draw, which then runs
over all of them through the lottery's own services, so its record is real.

Run: .venv/bin/python bench/populate.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_10k \
         --applications 10000 [--recreate] [--draw-until drawn]
The documents go to the instance folder (--instance, default /tmp/grants-bench/<database>), which
the other benchmarks take too; it holds the SECRET_KEY the app instances share."""
import argparse
import shutil
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: the app package lives at the root

from flask_migrate import upgrade  # noqa: E402

from app.applications.models import Application, ApplicationStatus  # noqa: E402
from app.audit.services import record  # noqa: E402
from app.auth.models import Role  # noqa: E402
from app.auth.services import find_user, hash_password  # noqa: E402
from app.dbtypes import clock_at, utcnow  # noqa: E402
from app.demo import services as demo  # noqa: E402
from app.demo.completed import STORY_DAYS, complete_demo_call  # noqa: E402
from app.demo.applications import url_context  # noqa: E402
from app.demo.draw import OBSERVERS, SOURCE_RULE, SOURCES, draw_demo_call  # noqa: E402
from app.demo.implementing import implement_demo_call  # noqa: E402
from app.extensions import db  # noqa: E402
from app.lottery import lifecycle as lottery  # noqa: E402
from app.lottery.engine import SHA256_RANK  # noqa: E402
from app.screening.closing import close_screening  # noqa: E402
from bench import bulk  # noqa: E402
from bench.databases import bench_app, create_database  # noqa: E402
from bench.serving import instance_for  # noqa: E402

CONSULTATIONS_PER_APPLICATION = 0.25  # the demo logs 378 questions for its 76 applicants; fewer at scale


@contextmanager
def phase(name, timings):
    start = time.perf_counter()
    yield
    timings.append((name, time.perf_counter() - start))
    print(f"  {name}: {timings[-1][1]:.1f} s", flush=True)


def populate(count, timings, draw_until="published"):
    """The demo's cycle with `count` submitted applications in all; returns summary lines. With
    `draw_until` "committed" or "drawn", the story stops there: the draw is live, as observers
    follow it."""
    now = utcnow()
    with clock_at(now - timedelta(days=STORY_DAYS)):
        lines, competition, staff, submitted = _screened(count, timings)
        manager = staff[Role.MANAGER]
        if draw_until != "published":
            with phase(f"draw: prepare, commit{', run' if draw_until == 'drawn' else ''}", timings):
                draw = _live_draw(competition, manager, draw_until)
                db.session.commit()
            return lines + [f"Draw {draw.id} {draw.state.value}: its page is /draws/{draw.id}."]
        with phase("draw: prepare, commit, run, publish", timings):
            drawn = draw_demo_call(competition, manager)
            db.session.commit()
        with phase("contracts and payments", timings):
            implementing = implement_demo_call(competition, staff[Role.STAFF], manager, staff[Role.FINANCE])
            db.session.commit()
    with phase("mentors, visits, final reports, surveys, office log", timings):
        accounts = {role.value: user for role, user in staff.items()}
        completed = complete_demo_call(competition, accounts, demo.DEMO_PASSWORD, demo.DEMO_EMAIL_DOMAIN, now)
        db.session.commit()
    with phase("bulk consultations and survey answers", timings):
        consultations = bulk.add_consultations(competition, int(count * CONSULTATIONS_PER_APPLICATION),
                                               [staff[Role.STAFF], manager])
        answers = bulk.add_survey_answers(competition)
        db.session.commit()
    return lines + [drawn.line(), implementing.line(), *completed.lines(),
                    f"Added in bulk: {consultations:,} consultations, {answers:,} survey invitations of the bulk "
                    f"applicants (most answered)."]


def _screened(count, timings):
    """The demo call screened, with the applications added in bulk: (lines, call, staff by role,
    the demo's submitted applications)."""
    with phase("demo call, applicants and screening", timings):
        story = demo.load_demo("screened", now=utcnow())
        db.session.commit()
    competition = story.competition
    staff = {role: find_user(demo.demo_email(role)) for role in demo.DEMO_ROLES}
    with phase("bulk applications with documents", timings):
        submitted = db.session.scalar(sa.select(sa.func.count(Application.id)).where(
            Application.competition_id == competition.id, Application.number.is_not(None)))
        # Screening is reopened for the applications added (a change made directly, as the demo
        # moves its history), then closed again through its service.
        competition.screening_closed_at = None
        added = bulk.add_applications(competition, max(0, count - submitted), staff[Role.STAFF],
                                      hash_password(demo.DEMO_PASSWORD))
        record(None, "bench.applications_added", {"competition": competition.id, **added.__dict__})
        db.session.commit()
    with phase("screening closed", timings):
        closed = _close_screening(competition, staff[Role.MANAGER])
    counts = dict(db.session.execute(sa.select(Application.status, sa.func.count()).where(
        Application.competition_id == competition.id).group_by(Application.status)).all())
    return [story.applicants.line(),
            f"Added in bulk: {added.applications:,} applications ({added.eligible:,} eligible), {added.documents:,} "
            f"documents ({added.document_bytes / 1e6:,.0f} MB) on disk, their applicants "
            f"{bulk.EMAIL.format(submitted + 1)} and on.",
            f"Screening {closed}: {counts.get(ApplicationStatus.ELIGIBLE, 0):,} eligible, "
            f"{counts.get(ApplicationStatus.REJECTED, 0):,} rejected."], competition, staff, submitted


def _close_screening(competition, manager):
    """Closes screening through its service."""
    close_screening(competition, manager)
    db.session.commit()
    return "closed"


def _live_draw(competition, manager, state):
    """The demo's draw (its rule, observers and sources) taken to `state`: committed, or drawn."""
    with url_context():
        draw = lottery.prepare(competition, manager, SHA256_RANK, SOURCE_RULE)
        lottery.commit(draw, manager)
        for name, organisation in OBSERVERS:
            lottery.register_observer(draw, name, organisation, manager)
        if state == "drawn":
            lottery.enter_sources(draw, list(SOURCES), manager)
            lottery.run(draw, manager)
    return draw


def main():
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgresql+psycopg://postgres@127.0.0.1:5432/bench_10k")
    parser.add_argument("--applications", type=int, required=True, help="submitted applications in all")
    parser.add_argument("--instance", type=Path, help="documents and secret key (default /tmp/grants-bench/<database>)")
    parser.add_argument("--recreate", action="store_true", help="drop the database and the documents first")
    parser.add_argument("--draw-until", choices=("committed", "drawn", "published"), default="published",
                        help="stop the story with the draw live (committed: waiting for its sources; drawn: run, "
                             "not yet published); default: the whole cycle")
    args = parser.parse_args()
    instance = args.instance or instance_for(args.database_url)
    if create_database(args.database_url, args.recreate) and (instance / "uploads").exists():
        shutil.rmtree(instance / "uploads")
    app = bench_app(args.database_url, instance)
    timings = []
    started = time.perf_counter()
    with app.app_context():
        if sa.inspect(db.engine).has_table("competitions") and db.session.scalar(
                sa.text("SELECT count(*) FROM competitions")):
            sys.exit(f"{args.database_url} already has a competition: give --recreate to start again.")
        with phase("schema (flask db upgrade)", timings):
            upgrade()
        print(f"Populating {args.database_url} with {args.applications:,} applications; documents in {instance}")
        lines = populate(args.applications, timings, args.draw_until)
        with phase("VACUUM ANALYZE (what autovacuum would do after such a load)", timings):
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(sa.text("VACUUM ANALYZE"))
    for line in lines:
        print(line)
    print(f"Done in {time.perf_counter() - started:.0f} s. Staff log in as manager@{demo.DEMO_EMAIL_DOMAIN} "
          f"(and staff@, finance@...), everyone with the password {demo.DEMO_PASSWORD}.")


if __name__ == "__main__":
    main()
