"""The last evening before the deadline: N applicants, their accounts made beforehand in bulk, log
in and fill and submit complete applications with about 3 MB of documents each (a phone photo of
the identity card, two scanned certificates as PDFs), `--concurrency` at a time, through the real
HTTP path (pages, CSRF tokens, uploads) against gunicorn. Then the database is checked: exactly N
submitted, one per applicant, no number twice, every snapshot's hash holding, every document's
SHA-256 matching its file on disk, and each PDF stored as it was sent.

Run: .venv/bin/python bench/deadline_rush.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_rush \
         --applicants 300 --recreate
The database gets the open demo call (`flask demo load`) the first time. Needs bench/requirements.txt."""
import argparse
import hashlib
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from app import storage  # noqa: E402
from app.applications.models import Application, ApplicationStatus  # noqa: E402
from app.audit.chain import canonical_json, sha256_hex  # noqa: E402
from app.auth.models import Role, User, UserRole  # noqa: E402
from app.auth.services import hash_password  # noqa: E402
from app.competitions.models import Competition  # noqa: E402
from app.competitions.services import reference_date  # noqa: E402
from app.dbtypes import utcnow  # noqa: E402
from app.demo import services as demo  # noqa: E402
from app.demo.applications import _ordinary  # noqa: E402
from app.extensions import db  # noqa: E402
from bench import files  # noqa: E402
from bench.browser import HttpFailure, Visitor  # noqa: E402
from bench.databases import bench_app, create_database  # noqa: E402
from bench.serving import app_environment, gunicorn, instance_for  # noqa: E402

EMAIL = "rush{:06d}@bench.zhasproject.kz"
PASSWORD = "rush-password-2026"


def prepare(count, seed=2029):
    """The open call (the demo's, loaded if the database has none) and `count` new confirmed
    applicant accounts inserted at once; returns the call's id and what each person will type."""
    if db.session.scalar(sa.select(Competition.id).where(Competition.code == demo.DEMO_CODE)) is None:
        demo.load_demo("open")
        db.session.commit()
    competition = db.session.scalar(sa.select(Competition).where(Competition.code == demo.DEMO_CODE))
    first = db.session.scalar(sa.select(sa.func.count(User.id)).where(User.email.like("rush%"))) + 1
    rng, serials = random.Random(seed + first), random.Random(seed + first + 1)
    taken = set(db.session.scalars(sa.select(Application.iin).where(Application.iin.is_not(None))))
    on = reference_date(competition)
    people = [(EMAIL.format(n), _ordinary(rng, serials, n, on, "ALA" if rng.random() < 0.6 else "MAN", None, taken))
              for n in range(first, first + count)]
    password_hash = hash_password(PASSWORD)  # once: hashing is slow on purpose
    ids = db.session.scalars(sa.insert(User).returning(User.id, sort_by_parameter_order=True), [
        {"email": email, "password_hash": password_hash, "phone": profile.phone, "locale": profile.locale,
         "active": True, "session_version": 1, "email_confirmed_at": utcnow(), "created_at": utcnow()}
        for email, profile in people]).all()
    db.session.execute(sa.insert(UserRole), [{"user_id": user_id, "role": Role.APPLICANT} for user_id in ids])
    db.session.commit()
    return competition.id, people


def typed(profile):
    """What the person types on steps 1 to 5."""
    project = profile.project
    budget = {}
    for n, (item, quantity, price, supplier) in enumerate(profile.budget):
        budget |= {f"lines-{n}-item": item, f"lines-{n}-quantity": str(quantity),
                   f"lines-{n}-unit_price": str(price), f"lines-{n}-supplier": supplier}
    return {
        1: {"iin": profile.iin, "last_name": profile.last_name, "first_name": profile.first_name,
            "patronymic": profile.patronymic or "", "phone": profile.phone},
        2: {"region_code": profile.region_code, "district_code": profile.district_code, "address": profile.address},
        3: {"not_working": "y", "not_studying": "y", "not_in_training": "y", "situation": profile.situation,
            "social_categories": list(profile.social_categories)},
        4: {"project_title": project.title, "problem": project.problem, "goal": project.goal,
            "target_group": project.target_group, "activities": project.activities,
            "beneficiaries_count": str(profile.beneficiaries)},
        5: budget,
    }


class Documents:
    """About 3 MB for each applicant: the same photo and scans, each file made distinct by its
    applicant's number (the photo's comment, the PDFs' text)."""

    def __init__(self):
        self.photo, self.scan = files.phone_photo(), files.scan()

    def of(self, email, profile):
        """[(document type, file name, bytes, content type)]"""
        lines = [f"IIN {profile.iin}", email]
        return [
            ("identity", "IMG_2041.jpg", files.with_comment(self.photo, email), "image/jpeg"),
            ("registration_proof", "adresnaya_spravka.pdf", files.pdf("Address certificate", lines, self.scan),
             "application/pdf"),
            ("neet_evidence", "spravka_czn.pdf", files.pdf("Employment centre certificate", lines, self.scan),
             "application/pdf"),
        ]


def apply(base_url, call_id, email, profile, documents, address):
    """One applicant's evening: log in, start, steps 1-5, three uploads, submit. Returns
    (application id, seconds, the visitor's timings, {file name: SHA-256 sent})."""
    start = time.perf_counter()
    visitor = Visitor(base_url, address=address, language=profile.locale)
    visitor.log_in(email, PASSWORD)
    started = visitor.submit(f"/calls/{call_id}/apply", {}, name="start")
    application_id = int(started.headers["Location"].split("/applications/")[1].split("/")[0])
    steps = f"/applications/{application_id}/step/"
    for step, values in typed(profile).items():
        visitor.submit(f"{steps}{step}", values, name=f"step {step}")
    sent = {}
    for doc_type, name, data, content_type in documents.of(email, profile):
        visitor.submit(f"{steps}6", {}, action=f"/documents/new/{doc_type}", name="upload",
                       files={f"doc-{doc_type}-file": (name, data, content_type)})
        sent[(doc_type, name)] = hashlib.sha256(data).hexdigest()
    visitor.submit(f"/applications/{application_id}/review", {"consent": "y"}, action="/submit", name="submit")
    return application_id, time.perf_counter() - start, visitor.timings, sent


def verify(people, sent):
    """What the database holds for the rush's applicants: [problem], empty when all is well."""
    emails = [email for email, _profile in people]
    rows = db.session.execute(sa.select(Application, User.email).join(User, User.id == Application.applicant_id)
                              .where(User.email.in_(emails))).all()
    problems = []
    submitted = [application for application, _email in rows if application.status is ApplicationStatus.SUBMITTED]
    if len(submitted) != len(people):
        problems.append(f"{len(submitted)} submitted applications, not {len(people)}")
    if len(rows) != len(people) or len({email for _a, email in rows}) != len(rows):
        problems.append(f"{len(rows)} applications of {len({email for _a, email in rows})} applicants")
    if len({a.number for a in submitted}) != len(submitted) or any(a.number is None for a in submitted):
        problems.append("application numbers missing or given twice")
    for application, email in rows:
        if application.snapshot_sha256 != sha256_hex(canonical_json(application.snapshot or {})):
            problems.append(f"{application.number}: the snapshot's hash does not hold")
        snapshot = sorted((d["type"], d["sha256"], d["size"]) for d in (application.snapshot or {}).get("documents", []))
        stored = sorted((d.doc_type.value, d.sha256, d.size) for d in application.documents)
        if snapshot != stored or len(stored) != 3:
            problems.append(f"{application.number}: the snapshot's documents are not the stored ones")
        for document in application.documents:
            if files.sha256(storage.path_for(document.stored_name).read_bytes()) != document.sha256:
                problems.append(f"{application.number}: {document.stored_name} does not match its SHA-256")
            if document.kind == "pdf" and sent[email].get((document.doc_type.value, document.original_name)) != document.sha256:
                problems.append(f"{application.number}: {document.original_name} is not stored as it was sent")
    return problems


def percentile(values, share):
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1] if len(values) > 1 else values[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--applicants", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=50, help="applicants at work at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--recreate", action="store_true", help="drop the database and its documents first")
    args = parser.parse_args()
    instance = instance_for(args.database_url)
    create_database(args.database_url, args.recreate)
    if args.recreate:
        for stale in (instance / "uploads").glob("*"):
            stale.unlink()
    app = bench_app(args.database_url, instance)
    with app.app_context():
        upgrade()
        call_id, people = prepare(args.applicants)
    documents = Documents()
    server = gunicorn("wsgi:app", args.workers, app_environment(args.database_url, instance, TRUSTED_PROXIES=1))
    print(f"{args.applicants} applicants, {args.concurrency} at once, gunicorn --workers {args.workers}", flush=True)
    results, errors = {}, []

    def one(numbered):
        n, (email, profile) = numbered
        try:  # each applicant from an address of their own, as nginx in front passes it on
            results[email] = apply(server.url, call_id, email, profile, documents, f"10.{n // 65536}.{n // 256 % 256}.{n % 256}")
        except HttpFailure as failure:
            errors.append(f"{email}: {failure}")

    start = time.perf_counter()
    try:
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(one, enumerate(people)))
        seconds = time.perf_counter() - start
        memory = server.peak_rss_mb()
    finally:
        server.stop()
    with app.app_context():
        problems = verify(people, {email: result[3] for email, result in results.items()})

    timings = {}
    for _id, _seconds, visited, _sent in results.values():
        for name, values in visited.items():
            timings.setdefault(name, []).extend(values)
    whole = [result[1] for result in results.values()]
    print(f"{len(results)} submitted in {seconds:.1f} s: {len(results) / seconds:.2f} submissions/s, "
          f"{sum(len(v) for v in timings.values()) / seconds:.1f} requests/s; "
          f"{len(errors)} errors; an applicant's whole evening p50 {percentile(whole, 50):.1f} s, "
          f"p95 {percentile(whole, 95):.1f} s" if whole else "nothing submitted")
    print("| request | count | p50 | p95 |\n|---|---:|---:|---:|")
    for name, values in timings.items():
        print(f"| {name} | {len(values)} | {percentile(values, 50) * 1000:,.0f} ms | {percentile(values, 95) * 1000:,.0f} ms |")
    print("Peak RSS per worker (VmHWM): " + ", ".join(f"{mb:.0f} MB" for mb in memory.values()))
    for error in errors[:10]:
        print("error:", error)
    print("database check:", "OK: exactly one submitted application per applicant, numbers unique, snapshots and "
          "document hashes hold, PDFs stored as sent" if not problems else "; ".join(problems[:20]))
    if errors or problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
