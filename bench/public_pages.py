"""The public pages under load: gunicorn serving the app on a benchmark database (bench/populate.py)
and, with the same settings, the bare "hello" Flask app (bench/hello.py: the framework's ceiling);
wrk runs alternate between the two, page by page, with 50 connections for a fixed time.

Run: .venv/bin/python bench/public_pages.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_10k

For each page it prints the first answer's time (nothing cached yet) and size, requests/s and p95
latency, the hello app's requests/s, their ratio (medians of rounds of hello then page), and errors; then the peak
resident memory (VmHWM) of each worker of both. The requests carry a browser's Accept-Encoding and
no cookie (an observer who just opened the page), except two rows: the draw page and its poll for a
visitor with a session cookie (who chose a language), which the whole app answers."""
import argparse
import http.client
import sys
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.serving import BROWSER_HEADERS, app_environment, fetch, gunicorn, instance_for, wrk  # noqa: E402


def pages(database_url):
    """[(name, path)] of the public pages of the database's (first) call and its draw."""
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        draw = connection.execute(sa.text(
            "SELECT d.id, d.competition_id, d.state, count(l.id) AS seq FROM draws d "
            "LEFT JOIN draw_log_entries l ON l.draw_id = d.id GROUP BY d.id ORDER BY d.id LIMIT 1")).one()
        entries = connection.execute(sa.text("SELECT json_array_length(entries::json) FROM draws WHERE id = :id"),
                                     {"id": draw.id}).scalar_one()
    engine.dispose()
    poll = f"/draws/{draw.id}/live.json?seq={draw.seq}"
    found = [("home", "/"), ("call", f"/calls/{draw.competition_id}"),
             ("screening results", f"/calls/{draw.competition_id}/screening-results"),
             ("draw page", f"/draws/{draw.id}"), ("live.json, a page's poll", poll),
             ("live.json, first", f"/draws/{draw.id}/live.json"), ("frozen list", f"/draws/{draw.id}/list.json")]
    if draw.state == "published":
        found.append(("record .json", f"/draws/{draw.id}.json"))
    if draw.state in ("drawn", "published"):
        found.append(("protocol PDF (ru)", f"/draws/{draw.id}/protocol-ru.pdf"))
    with_cookie = [(f"{name}, with a session cookie", path, True) for name, path in found
                   if path in (f"/draws/{draw.id}", poll)]
    return ([(name, path, False) for name, path in found] + with_cookie,
            f"draw {draw.id}: {draw.state}, {entries:,} entries, {draw.seq} log entries")


def session_cookie(base_url):
    """The cookie of a visitor who chose a language (/lang/kk): such a visitor's requests go
    through the whole app, not the answers kept in front of it for requests without cookies."""
    connection = http.client.HTTPConnection(urlsplit(base_url).netloc, timeout=60)
    connection.request("GET", "/lang/kk")
    cookie = connection.getresponse().getheader("Set-Cookie", "").partition(";")[0]
    connection.close()
    return cookie


def measured(server, path, args, headers=BROWSER_HEADERS):
    """A wrk run on `server`, then a wait until it has answered what wrk left in its queue (the
    sync workers answer the requests of closed connections too), so the next run starts even."""
    load = wrk(server.url + path, args.seconds, args.connections, headers=headers)
    fetch(server.url + "/favicon.ico")
    return load


def main():
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--instance", type=Path, help="default /tmp/grants-bench/<database>")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=5, help="of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each page, each after a run of hello")
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()

    paths, about = pages(args.database_url)
    environment = app_environment(args.database_url, args.instance or instance_for(args.database_url))
    app = gunicorn("wsgi:app", args.workers, environment)
    hello = gunicorn("bench.hello:app", args.workers)
    print(f"{about}; gunicorn --workers {args.workers} (sync); wrk {args.connections} connections, "
          f"{args.rounds} rounds of {args.seconds} s of hello then {args.seconds} s of the page (the median is given)")
    rows, failed = [], []
    try:
        firsts = {}
        cookie = {**BROWSER_HEADERS, "Cookie": session_cookie(app.url)}
        for name, path, with_cookie in paths:  # each page's first answer, before any load
            status, body, seconds = fetch(app.url + path, cookie if with_cookie else BROWSER_HEADERS)
            firsts[name] = seconds, len(body)
            if status != 200:
                failed.append((name, path, status))
                print(f"  {path} answered {status}: not measured", flush=True)
        for name, path, with_cookie in paths:
            if any(path == failed_path for _name, failed_path, _status in failed):
                continue
            # Rounds of hello then page: the machine's other work weighs on both alike.
            rounds = [(measured(hello, "/", args), measured(app, path, args, cookie if with_cookie else BROWSER_HEADERS))
                      for _ in range(args.rounds)]
            ceiling, load = (sorted(runs, key=lambda run: run.per_second)[(len(runs) - 1) // 2] for runs in zip(*rounds))
            rows.append((name, path, *firsts[name], load, ceiling))
            runs = ", ".join(f"{page.per_second:,.0f}/s (hello {ceiling_run.per_second:,.0f}/s)"
                             for ceiling_run, page in rounds)
            print(f"  {path}: {runs}", flush=True)
        app_memory, hello_memory = app.peak_rss_mb(), hello.peak_rss_mb()
        if failed:
            print(f"The app's log:\n{app.log.read_text()[-3000:]}")
    finally:
        app.stop()
        hello.stop()

    print()
    print("| page | first answer | size | requests/s | p95 | hello requests/s | ratio | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, path, first, size, load, ceiling in rows:
        errors = load.errors + load.bad_status
        print(f"| {name} `{path}` | {first * 1000:,.0f} ms | {size / 1024:,.0f} KB | {load.per_second:,.1f} | "
              f"{load.p95_ms:,.0f} ms | {ceiling.per_second:,.0f} | {load.per_second / ceiling.per_second:.2f} | "
              f"{errors} |")
    for name, path, status in failed:
        print(f"| {name} `{path}` | **{status}** | | | | | | |")
    print()
    print("Peak RSS per worker (VmHWM): app " + ", ".join(f"{mb:.0f} MB" for mb in app_memory.values())
          + "; hello " + ", ".join(f"{mb:.0f} MB" for mb in hello_memory.values()))


if __name__ == "__main__":
    main()
