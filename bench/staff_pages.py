"""The staff pages at 1k, 10k and 100k applications: time and SQL statements of the screening
queue, an application's screening page, the dashboard and the report to the Operator (Annex 8,
DOCX and PDF), each asked through the Flask test client as the demo manager, on databases made by
bench/populate.py.

Run: .venv/bin/python bench/staff_pages.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_1k \
         --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_10k

Aim: the number of statements does not grow with the applications; the time grows no faster than
the rows a page shows (the queue shows 50) or linearly (the report). Each page is asked once cold
(the first request of the process on that database) and then `--repeat` times; the best of those
is the time given."""
import argparse
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.applications.models import Application, ApplicationStatus  # noqa: E402
from app.competitions.models import Competition  # noqa: E402
from app.demo.services import DEMO_CODE, DEMO_EMAIL_DOMAIN, DEMO_PASSWORD  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.databases import bench_app  # noqa: E402


def pages(competition_id, application_id, surname):
    """[(name, path)] of the pages measured."""
    queue = f"/manage/screening/{competition_id}/"
    return [
        ("screening: the calls", "/manage/screening/"),
        ("queue, first page", queue),
        ("queue, last page", queue + "?page=1000000"),
        ("queue, search a surname", queue + f"?search={surname}"),
        ("queue, a failing check", queue + "?check=any"),
        ("an application's screening page", f"/manage/screening/application/{application_id}"),
        ("screening results and closing", f"/manage/screening/calls/{competition_id}/results"),
        ("screening protocol, PDF (ru)", f"/manage/screening/calls/{competition_id}/protocol-ru.pdf"),
        ("dashboard", f"/manage/reporting/calls/{competition_id}"),
        ("Annex 8, DOCX (ru)", f"/manage/report-to-operator/{competition_id}/annex8-ru.docx"),
        ("Annex 8, PDF (ru)", f"/manage/report-to-operator/{competition_id}/annex8-ru.pdf"),
    ]


class StatementCounter:
    """Counts the SQL statements an engine runs while it is switched on."""

    def __init__(self, engine):
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args):
        self.count += 1


def measure(database_url, repeat, skip=()):
    """{page name: (cold seconds, best seconds, statements, status)} and the applications count."""
    app = bench_app(database_url, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    with app.app_context():
        competition = db.session.scalar(sa.select(Competition).where(Competition.code == DEMO_CODE))
        applications = db.session.scalar(sa.select(sa.func.count(Application.id)).where(
            Application.competition_id == competition.id, Application.number.is_not(None)))
        # A winner's page (an eligible one's before the draw): its checks, duplicates, timeline, documents.
        sample = db.session.execute(sa.select(Application.id, Application.last_name).where(
            Application.competition_id == competition.id,
            Application.status.in_((ApplicationStatus.WINNER, ApplicationStatus.ELIGIBLE)))
            .order_by(Application.status != ApplicationStatus.WINNER, Application.id).limit(1)).one()
        counter = StatementCounter(db.engine)
        measured = [(name, path) for name, path in pages(competition.id, sample.id, sample.last_name)
                    if not any(word in name for word in skip)]
    client = app.test_client()
    answer = client.post("/login", data={"email": f"manager@{DEMO_EMAIL_DOMAIN}", "password": DEMO_PASSWORD})
    if answer.status_code != 302:
        raise SystemExit(f"could not log in on {database_url}: {answer.status_code}")
    results = {}
    for name, path in measured:
        times = []
        for _ in range(repeat + 1):
            counter.count = 0
            start = time.perf_counter()
            response = client.get(path)
            response.get_data()
            times.append(time.perf_counter() - start)
        results[name] = (times[0], min(times[1:]), counter.count, response.status_code)
    return applications, results


def main():
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--database-url", action="append", required=True, help="once per database")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip", action="append", default=[], metavar="WORD",
                        help="leave out the pages whose name has WORD (e.g. protocol: made in 30 s at 100,000)")
    args = parser.parse_args()
    columns = []
    for url in args.database_url:
        print(f"measuring {url} ...", flush=True)
        columns.append(measure(url, args.repeat, args.skip))
    names = list(columns[0][1])
    header = " | ".join(f"{count:,} applications: time (cold), statements" for count, _results in columns)
    print(f"\n| page | {header} |")
    print("|---|" + "---:|" * len(columns))
    for name in names:
        cells = []
        for _count, results in columns:
            cold, best, statements, status = results[name]
            flag = "" if status == 200 else f" **{status}**"
            cells.append(f"{best * 1000:,.0f} ms ({cold * 1000:,.0f} ms), {statements}{flag}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
