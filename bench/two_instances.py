"""Two app instances behave as one: two gunicorn instances on two ports share one PostgreSQL
database, one documents folder and one SECRET_KEY, and nginx (from Debian) in front sends each
request to the next instance in turn.

First every request alternates between the two instances directly (the form's page from one, its
post to the other): an applicant's log-in, draft, upload and download, the manager's draw run step
by step (prepare, commit, observer, sources, run, publish), the same record from both, and a
log-out on one ending the session on the other. Then another applicant does the same through
nginx, and both instances' logs show they served it. Last, it tells whether the rate limits
(Flask-Limiter, RATELIMIT_STORAGE_URI) count across instances: the instances keep them in Redis
when one answers at 127.0.0.1:6379 (under a key prefix of the run's own, deleted afterwards), else
in memory (each process counts its own).

Run: .venv/bin/python bench/two_instances.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_two
(the database is made afresh; tests/test_two_instances.py runs the same check)."""
import argparse
import json
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from itertools import cycle
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from app.auth.models import Role  # noqa: E402
from app.auth.services import create_user  # noqa: E402
from app.competitions import services as competitions  # noqa: E402
from app.config import Config  # noqa: E402
from app.dbtypes import utcnow  # noqa: E402
from app.demo import services as demo  # noqa: E402
from app.extensions import db  # noqa: E402
from app.kz.regions import get_region  # noqa: E402
from bench import files  # noqa: E402
from bench.browser import HttpFailure, Visitor  # noqa: E402
from bench.databases import bench_app, create_database  # noqa: E402
from bench.serving import app_environment, free_port, gunicorn  # noqa: E402

OPEN_CALL = "ZP26"
REDIS = "redis://127.0.0.1:6379/15"  # a database of the benchmark's own
PASSWORD = "two-instances-2026"
PEOPLE = {  # e-mail: what step 1 says (valid IINs)
    "direct@bench.zhasproject.kz": {"iin": "990512450010", "last_name": "Сейітова", "first_name": "Дана",
                                    "patronymic": "", "phone": "+77015550101"},
    "proxy@bench.zhasproject.kz": {"iin": "000101650014", "last_name": "Ким", "first_name": "Алина",
                                   "patronymic": "", "phone": "+77015550102"},
}
NGINX = """daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_max_body_size 12m;
  client_body_temp_path {folder}/body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  upstream app {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://app;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"""


def prepare():
    """The screened demo call (for the draw), a call open now (for the applicants) and their
    accounts; returns (open call id, screened call id)."""
    screened = demo.load_demo("screened").competition
    now = utcnow()
    call = competitions.create_competition({**demo.CALL, "code": OPEN_CALL, "opens_at": now - timedelta(days=1),
                                            "closes_at": now + timedelta(days=10)}, None)
    competitions.add_stratum(call, "ALA", 5, [district.code for district in get_region("ALA").districts], None)
    for email in PEOPLE:
        create_user(email, PASSWORD, [Role.APPLICANT], locale="ru", confirmed=True)
    db.session.commit()
    return call.id, screened.id


def applicant_story(visitor, email, call_id):
    """Log in, start, save step 1, read it back, upload a PDF and download it: [(what, ok, detail)]."""
    found = []
    visitor.log_in(email, PASSWORD)
    found.append(("log-in, then a page of the account", visitor.get("/my/applications").status_code == 200, ""))
    started = visitor.submit(f"/calls/{call_id}/apply", {})
    application_id = int(started.headers["Location"].split("/applications/")[1].split("/")[0])
    step_1 = f"/applications/{application_id}/step/1"
    visitor.submit(step_1, PEOPLE[email])
    page = visitor.get(step_1).text
    found.append(("draft saved, then read", PEOPLE[email]["iin"] in page, step_1))
    documents = f"/applications/{application_id}/step/6"
    sent = files.pdf("Identity card", [email])
    visitor.submit(documents, {}, action="/documents/new/identity",
                   files={"doc-identity-file": ("udostoverenie.pdf", sent, "application/pdf")})
    link = re.search(rf'href="(/applications/{application_id}/documents/\d+)"', visitor.get(documents).text)
    received = visitor.get(link.group(1)).content if link else b""
    found.append(("upload, then download", received == sent, f"{len(sent)} bytes"))
    return found


def draw_story(visitor, call_id):
    """The manager runs the draw step by step; the record is then read: [(what, ok, detail)]."""
    visitor.log_in(f"manager@{demo.DEMO_EMAIL_DOMAIN}", demo.DEMO_PASSWORD)
    prepared = visitor.submit(f"/manage/draws/prepare/{call_id}", {
        "algorithm": "sha256-rank/1", "source_rule": "Two observers each roll two dice; their numbers, in order."})
    page = prepared.headers["Location"]
    draw_id = int(page.rstrip("/").rsplit("/", 1)[1])
    steps = [("/commit", {}), ("/observers", {"name": "Марина Ким", "organisation": "ОФ «Молодёжная инициатива»"}),
             ("/sources", {"sources": "4 6\n2 2"}), ("/run", {}), ("/publish", {})]
    for action, values in steps:
        visitor.submit(page, values, action=f"/manage/draws/{draw_id}{action}")
    records = [visitor.get(f"/draws/{draw_id}.json").content for _ in range(2)]
    with tempfile.NamedTemporaryFile(suffix=".json") as record:
        record.write(records[0])
        record.flush()
        verdict = subprocess.run([sys.executable, str(ROOT / "tools" / "verify_draw.py"), record.name],
                                 capture_output=True, text=True)
    entries = len(json.loads(records[0])["entries"])
    return [("draw prepared, committed, observed, sourced, run and published step by step", True, f"draw {draw_id}"),
            ("the same record from both", records[0] == records[1], f"{entries} entries"),
            ("the record verifies (tools/verify_draw.py)", verdict.returncode == 0,
             (verdict.stdout or verdict.stderr).strip().partition("\n")[0])]


def log_out_story(visitor):
    """Log out; a copy of the session's cookies taken before must be refused by every instance."""
    copy = Visitor(visitor.base_url)
    copy.session.cookies.update(visitor.session.cookies)
    visitor.submit("/my/applications", {}, action="/logout")
    after = [copy.get("/my/applications", expect=(200, 302)).status_code for _ in range(2)]
    return [("log-out ends the session everywhere, a copy of its cookie too", after == [302, 302], "")]


def redis_client():
    """A client of REDIS; None when it does not answer."""
    client = redis.Redis.from_url(REDIS, **Config.RATELIMIT_STORAGE_OPTIONS)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


def rate_limit_story(base_urls, storage_uri):
    """POSTs to /register, to each instance in turn, past the limit of one client (5 per minute):
    (the limits counted across instances, what that says)."""
    visitors = [Visitor(url) for url in base_urls]
    answers = [visitors[n % len(visitors)].submit("/register", {}, action="/register", expect=(200, 429)).status_code
               for n in range(6)]
    shared = answers[-1] == 429
    return shared, ("the sixth register POST within a minute was refused: the limits count across instances"
                    if shared else "six register POSTs within a minute were all answered: each instance counts its "
                    "own") + f" (RATELIMIT_STORAGE_URI is {storage_uri})"


def start_nginx(a, b, folder):
    port = free_port()
    config = Path(folder) / "nginx.conf"
    config.write_text(NGINX.format(folder=folder, a=a.port, b=b.port, port=port))
    process = subprocess.Popen(["nginx", "-c", str(config), "-p", str(folder)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            Visitor(url).get("/favicon.ico", expect=(200, 404))
            return process, url
        except HttpFailure:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"nginx did not answer: {(Path(folder) / 'error.log').read_text()[-2000:]}")


def check(database_url, instance, use_nginx=True):
    """[(what, ok, detail)] of the whole check, and the rate limits' verdict (in Redis, shared, text)."""
    create_database(database_url, recreate=True)
    shutil.rmtree(instance, ignore_errors=True)
    app = bench_app(database_url, instance)
    with app.app_context():
        upgrade()
        call_id, screened_id = prepare()
    client = redis_client()
    storage_uri = REDIS if client else "memory://"
    key_prefix = f"two-instances-{secrets.token_hex(8)}"
    environment = app_environment(database_url, instance, SECRET_KEY=secrets.token_hex(32), TRUSTED_PROXIES=1,
                                  RATELIMIT_STORAGE_URI=storage_uri, RATELIMIT_KEY_PREFIX=key_prefix)
    logs = Path(tempfile.mkdtemp(prefix="two-instances-"))
    servers = [gunicorn("wsgi:app", 1, environment, log_folder=logs, options=("--access-logfile", "-"))
               for _ in range(2)]
    a, b = servers
    results = []
    proxy = None
    try:
        direct = cycle([a.url, b.url])
        applicant = Visitor(direct)
        results += [(f"{what} (alternating instances)", ok, detail)
                    for what, ok, detail in applicant_story(applicant, "direct@bench.zhasproject.kz", call_id)]
        results += draw_story(Visitor(direct), screened_id)
        results += log_out_story(applicant)
        if use_nginx:
            proxy, proxy_url = start_nginx(a, b, logs)
            served = [server.log.read_text().count('"GET ') + server.log.read_text().count('"POST ') for server in servers]
            through = Visitor(proxy_url)
            results += [(f"{what} (through nginx)", ok, detail)
                        for what, ok, detail in applicant_story(through, "proxy@bench.zhasproject.kz", call_id)]
            results += [(f"{what} (through nginx)", ok, detail) for what, ok, detail in log_out_story(through)]
            grown = [server.log.read_text().count('"GET ') + server.log.read_text().count('"POST ') - before
                     for server, before in zip(servers, served)]
            results.append(("nginx sent requests to both instances", all(grown), f"{grown[0]} and {grown[1]} requests"))
        limits = (client is not None, *rate_limit_story([a.url, b.url], storage_uri))
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait()
        for server in servers:
            server.stop()
        shutil.rmtree(logs, ignore_errors=True)
        if client is not None:
            for key in client.scan_iter(f"*{key_prefix}*"):
                client.delete(key)
    return results, limits


def main():
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="made afresh: its data are dropped")
    parser.add_argument("--instance", type=Path, default=Path("/tmp/grants-bench/two-instances"),
                        help="the shared documents folder's instance (emptied first)")
    parser.add_argument("--no-nginx", action="store_true", help="only alternate between the two ports")
    args = parser.parse_args()
    results, (in_redis, shared, limits) = check(args.database_url, args.instance,
                                                not args.no_nginx and shutil.which("nginx"))
    for what, ok, detail in results:
        print(f"{'OK  ' if ok else 'FAIL'} {what}" + (f": {detail}" if detail else ""))
    print(f"rate limits: {limits}")
    if not all(ok for _what, ok, _detail in results) or shared != in_redis:
        sys.exit(1)


if __name__ == "__main__":
    main()
