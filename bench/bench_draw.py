"""How long a large draw takes: the engine (rehearsal_record) and the observer's verifier (a separate
process on the record file, start-up included). Run: .venv/bin/python bench/bench_draw.py"""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: the app package lives at the root

from app.lottery import engine  # noqa: E402

CASES = [
    # algorithm, entries, strata, sources
    (engine.SHA256_RANK, 100_000, 20, ["14 3 27 41 8", "beacon round 7711: 9f3a0c"]),
    (engine.RFC3797, 65_535, 20, ["14 3 27 41 8", "7711"]),
]


def timed(function):
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def bench(algorithm, size, strata, sources, folder):
    entries = [(f"ZP26-{n:06d}", f"S{n % strata:02d}") for n in range(1, size + 1)]
    quotas = {f"S{n:02d}": 25 for n in range(strata)}
    record, engine_seconds = timed(lambda: engine.rehearsal_record(
        algorithm, entries, quotas, "bench", sources, "2026-06-01T10:00:00.000000Z", draw_id=1, competition="bench"))
    path = Path(folder) / f"{algorithm.replace('/', '-')}.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    verifier = [sys.executable, str(ROOT / "tools" / "verify_draw.py"), str(path)]
    done, verifier_seconds = timed(lambda: subprocess.run(verifier, capture_output=True, text=True))
    return engine_seconds, verifier_seconds, (done.stdout or done.stderr).strip().partition("\n")[0], path.stat().st_size


def main():
    print(f"{'algorithm':<15}{'entries':>9}{'strata':>8}{'engine':>10}{'verifier':>10}{'record':>10}  verdict")
    with tempfile.TemporaryDirectory() as folder:
        for algorithm, size, strata, sources in CASES:
            engine_seconds, verifier_seconds, verdict, size_bytes = bench(algorithm, size, strata, sources, folder)
            print(f"{algorithm:<15}{size:>9,}{strata:>8}{engine_seconds:>9.2f}s{verifier_seconds:>9.2f}s"
                  f"{size_bytes / 1e6:>8.1f}MB  {verdict}")


if __name__ == "__main__":
    main()
