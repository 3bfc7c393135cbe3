"""Log-in throttling kept in the database: 10 failures per account and 30 per address in 15 minutes,
whether or not the account exists, in total across processes (two real gunicorn servers below)."""
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import PROJECT_ROOT, create_app
from app.auth.models import LoginAttempt
from app.extensions import db
from tests.factories import PASSWORD
from tests.mail.test_outbox import free_port

EMAIL = "aigerim@example.kz"
TOO_MANY = "Too many failed attempts"


def attempt(client, email=EMAIL, password="wrong", address="127.0.0.1"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def statuses(client, n, **kwargs):
    return [attempt(client, **kwargs).status_code for _ in range(n)]


def attempts_stored():
    return db.session.execute(sa.select(sa.func.count(LoginAttempt.id))).scalar()


def test_the_eleventh_failure_in_15_minutes_is_refused_even_with_the_right_password(client, make_user):
    make_user(EMAIL)
    assert statuses(client, 10) == [200] * 10
    refused = attempt(client, password=PASSWORD)
    assert refused.status_code == 429
    assert TOO_MANY in refused.get_data(as_text=True)
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert "Log out" not in client.get("/").get_data(as_text=True)
    assert attempts_stored() == 10  # a refused attempt is not counted: the wait does not grow


def test_an_unknown_account_is_throttled_exactly_like_a_real_one(client, make_user):
    make_user(EMAIL)
    known = [attempt(client) for _ in range(11)]
    unknown = [attempt(client, email="nobody@example.kz") for _ in range(11)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [200] * 10 + [429]
    page = lambda response, email: re.sub(r"\d", "0", response.get_data(as_text=True).replace(email, "X"))
    assert page(known[-1], EMAIL) == page(unknown[-1], "nobody@example.kz")


def test_a_successful_log_in_forgets_the_accounts_failures(app, client, make_user):
    make_user(EMAIL)
    assert statuses(client, 9) == [200] * 9
    assert attempt(client, password=PASSWORD).status_code == 302
    client.post("/logout")
    assert statuses(client, 11) == [200] * 10 + [429]


def test_the_account_may_try_again_once_its_failures_are_15_minutes_old(client, make_user):
    make_user(EMAIL)
    statuses(client, 11)
    db.session.execute(sa.update(LoginAttempt).values(attempted_at=LoginAttempt.attempted_at - timedelta(minutes=15)))
    db.session.commit()
    assert attempt(client, password=PASSWORD).status_code == 302
    assert attempts_stored() == 0  # old attempts are pruned


def test_an_address_may_fail_30_times_over_any_accounts(client, make_user):
    make_user(EMAIL)
    for n in range(30):
        assert attempt(client, email=f"guess{n}@example.kz", address="10.0.0.7").status_code == 200
    assert attempt(client, password=PASSWORD, address="10.0.0.7").status_code == 429
    assert attempt(client, password=PASSWORD, address="10.0.0.8").status_code == 302


def test_an_address_behind_the_trusted_proxy_is_the_forwarded_one(app, app_ctx):
    proxied = create_app({**{key: app.config[key] for key in (
        "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PASSWORD_HASH_METHOD", "WTF_CSRF_ENABLED", "SERVER_NAME")},
        "INSTANCE_PATH": app.instance_path, "TRUSTED_PROXIES": 1})
    client = proxied.test_client()
    client.post("/login", data={"email": EMAIL, "password": "wrong"}, headers={"X-Forwarded-For": "203.0.113.9"})
    with proxied.app_context():
        assert db.session.execute(sa.select(LoginAttempt.address)).scalars().all() == ["203.0.113.9"]
        db.session.remove()
        db.engine.dispose()


def test_the_stored_attempts_do_not_keep_the_addresses_typed(client, make_user):
    attempt(client, email="secret.person@example.kz")
    [key] = db.session.execute(sa.select(LoginAttempt.account_key)).scalars().all()
    assert "secret" not in key and len(key) == 64


def test_a_wrong_current_password_on_the_account_page_counts_as_a_failure(client, make_user):
    make_user(EMAIL)
    assert attempt(client, password=PASSWORD).status_code == 302
    wrong = {"current_password": "wrong", "password": "a brand new one", "password_again": "a brand new one"}
    assert [client.post("/account", data=wrong).status_code for _ in range(11)] == [200] * 10 + [429]


# Two real servers on one database, as two hosts (the first with two workers) would be.

WORKER_APP = ("app:create_app({{'SECRET_KEY': {secret!r}, 'SQLALCHEMY_DATABASE_URI': {url!r}, "
              "'INSTANCE_PATH': {instance!r}, 'WTF_CSRF_ENABLED': False, 'BABEL_DEFAULT_LOCALE': 'en', "
              "'PASSWORD_HASH_METHOD': 'pbkdf2:sha256:1000'}})")


def _wait_until_up(url, process, deadline):
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in time")


@pytest.fixture
def servers(app, tmp_path):
    """Two gunicorn servers (2 workers and 1) on free ports, serving the test database; each
    writes the pid of the worker that answered every request to its access log."""
    spec = WORKER_APP.format(secret=app.config["SECRET_KEY"], url=app.config["SQLALCHEMY_DATABASE_URI"],
                             instance=app.instance_path)
    started = []
    try:
        for workers in (2, 1):
            port, log = free_port(), tmp_path / f"access-{len(started)}.log"
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
                 "--timeout", "30", "--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s", spec],
                cwd=PROJECT_ROOT, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            started.append((process, f"http://127.0.0.1:{port}", log))
        deadline = time.monotonic() + 60
        for process, url, _log in started:
            _wait_until_up(url, process, deadline)
        yield started
    finally:
        for process, _url, _log in started:
            process.terminate()
        for process, _url, _log in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def post_login(url, email, password="wrong"):
    data = urllib.parse.urlencode({"email": email, "password": password}).encode()
    request = urllib.request.Request(url + "/login", data=data)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def worker_pids(servers):
    return {line.split()[0] for _process, _url, log in servers for line in log.read_text().splitlines()}


def test_the_limit_holds_in_total_across_processes_and_hosts(servers, make_user):
    make_user(EMAIL)
    urls = [url for _process, url, _log in servers]
    # One after another, alternating between the two servers: the eleventh failure is refused.
    sequential = [post_login(urls[n % 2], EMAIL) for n in range(12)]
    assert sequential == [200] * 10 + [429, 429]
    assert post_login(urls[0], EMAIL, PASSWORD) == 429
    # Twenty-four at once, spread over every worker: still at most ten are let through.
    with ThreadPoolExecutor(max_workers=8) as pool:
        burst = list(pool.map(lambda n: post_login(urls[n % 2], "burst@example.kz"), range(24)))
    assert set(burst) <= {200, 429}
    assert 1 <= burst.count(200) <= 10
    assert post_login(urls[1], "burst@example.kz") == 429
    assert len(worker_pids(servers)) >= 2
    assert attempts_stored() == 10 + burst.count(200)
