"""What the HTTP benchmarks share: gunicorn serving the app on a benchmark database (or the bare
"hello" app, bench/hello.py) on a free port, wrk runs read through bench/wrk_report.lua (requests/s
and p95), and the peak memory of each gunicorn worker."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
# What a phone or desktop browser sends: the app compresses its pages for it.
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br", "Accept-Language": "ru"}


def instance_for(database_url):
    """Where a benchmark database keeps its documents and secret key (bench/populate.py)."""
    return Path("/tmp/grants-bench") / database_url.rpartition("/")[2].partition("?")[0]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_environment(database_url, instance, **settings):
    """The environment of an app process on the benchmark database `database_url` with its
    instance folder (documents and secret key); `settings` are more settings (see app/config.py)."""
    return {"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance),
            **{name: str(value) for name, value in settings.items()}}


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def workers(self):
        """The worker processes' ids (the children of the gunicorn master)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def peak_rss_mb(self):
        """{worker pid: its peak resident memory (VmHWM) in MB}."""
        found = {}
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    found[pid] = int(line.split()[1]) / 1024
        return found

    def stop(self):
        """Stops gunicorn and deletes its log."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.unlink(missing_ok=True)


def gunicorn(app_spec, workers=2, environment=None, port=None, log_folder=None, options=()):
    """Starts gunicorn on `app_spec` ("wsgi:app") with `workers` sync workers and waits until it
    answers; `environment` is added to this process's own."""
    port = port or free_port()
    log = Path(log_folder or "/tmp") / f"bench-gunicorn-{port}.log"
    command = [str(GUNICORN), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT),
               "--timeout", "120", "--log-level", "warning", *options, app_spec]
    with log.open("w") as out:
        process = subprocess.Popen(command, env={**os.environ, **(environment or {})}, stdout=out,
                                   stderr=subprocess.STDOUT)
    server = Server(process, port, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn {app_spec} stopped:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(server.url + "/favicon.ico", timeout=5).close()
            return server
        except urllib.error.HTTPError:
            return server  # it answers
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"gunicorn {app_spec} did not answer on port {port}:\n{log.read_text()[-3000:]}")


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # connection errors and timeouts
    bad_status: int  # answers other than 2xx or 3xx

    @property
    def per_second(self):
        return self.requests / self.seconds if self.seconds else 0.0


def wrk(url, seconds=10, connections=50, threads=2, headers=BROWSER_HEADERS):
    """One wrk run against `url`."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s",
               "-s", str(WRK_SCRIPT), *(part for name, value in headers.items() for part in ("-H", f"{name}: {value}")),
               url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    errors = report["connect"] + report["read"] + report["write"] + report["timeout"]
    return Load(report["requests"], report["seconds"], report["p50_ms"], report["p95_ms"], report["p99_ms"],
                report["max_ms"], errors, report["status"])


def fetch(url, headers=BROWSER_HEADERS):
    """(status, body bytes as sent, seconds) of one GET."""
    request = urllib.request.Request(url, headers=headers)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            body = response.read()
            return response.status, body, time.perf_counter() - start
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.perf_counter() - start
