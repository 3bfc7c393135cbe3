"""tools/verify_draw.py, run as an observer would: a record from the engine checks OK and says
what it checked; any tampering is named; a file that is not a record is refused with exit code 2,
never a traceback. The forged variants of a real draw's record are in test_forged_records."""
import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.lottery import engine
from app.lottery.engine import RFC3797, SHA256_RANK
from tests.lottery.test_rfc3797 import RFC_SOURCES

VERIFIER = Path(__file__).resolve().parents[2] / "tools" / "verify_draw.py"
ENTRIES = [(f"ZP26-{n:04d}", code) for n, code in enumerate(["ALA", "MAN", "AST"] * 6 + ["ALA"] * 4, start=1)]
QUOTAS = {"ALA": 3, "AST": 2, "MAN": 9, "KAR": 2}  # MAN: 6 entries for 9 grants; KAR: none for 2
SOURCES = {SHA256_RANK: ["14 3 27", "Ақтау beacon round 7711: 9f3a"], RFC3797: ["14 3 27", "0812 5"]}
AT = "2026-06-01T10:00:00.000000Z"


def make_record(algorithm):
    return engine.rehearsal_record(algorithm, ENTRIES, QUOTAS, "two observers' dice and a beacon round",
                                   SOURCES[algorithm], AT, draw_id=41, competition={"id": 2, "title": "ZHAS 2026"})


def run_verifier(path, *options):
    done = subprocess.run([sys.executable, str(VERIFIER), str(path), *options], capture_output=True, text=True,
                          encoding="utf-8", timeout=60)
    assert "Traceback" not in done.stderr
    return done


def verify(tmp_path, record, *options):
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return run_verifier(path, *options)


@pytest.mark.parametrize("algorithm", [SHA256_RANK, RFC3797])
def test_a_record_from_the_engine_verifies_and_says_what_was_checked(tmp_path, algorithm):
    record = make_record(algorithm)
    done = verify(tmp_path, record)
    assert done.returncode == 0, done.stdout
    lines = done.stdout.splitlines()
    assert lines[0] == "OK"
    report = "\n".join(lines[1:])
    for text in (f"algorithm:  {algorithm}", "entries:    22 in 4 strata",
                 "winners:    11 (ALA 3, AST 2, KAR 0, MAN 6)", "unawarded grants: KAR 2, MAN 3", f"commitment: {record['commitment']} = list.frozen (log entry 1)",
                 f"chain head: {record['log'][-1]['hash']}", "published at entry"):
        assert text in report, (text, report)


def test_rfc_example_record_verifies(tmp_path):
    entries = [(f"V{n:02d}", "NOMCOM") for n in range(1, 26)]
    record = engine.rehearsal_record(RFC3797, entries, {"NOMCOM": 10}, "RFC 3797", RFC_SOURCES, AT, draw_id=1,
                                     competition="RFC 3797 section 6")
    assert verify(tmp_path, record).stdout.startswith("OK\n")


def test_help_says_how_to_use_it():
    done = subprocess.run([sys.executable, str(VERIFIER), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "verify_draw.py RECORD.json [--head HEX] [--commitment HEX]" in done.stdout
    assert "--head HEX" in done.stdout and "--commitment HEX" in done.stdout


@pytest.mark.parametrize("option", ["--head", "--commitment"])
def test_a_noted_value_that_is_not_a_hash_exits_2(tmp_path, option):
    done = verify(tmp_path, make_record(SHA256_RANK), option, "not-a-hash")
    assert done.returncode == 2 and "is not 64 hexadecimal digits" in done.stderr


def first_result(record, stratum="ALA", rank=1):
    return next(r for r in record["results"] if (r["stratum"], r["rank"]) == (stratum, rank))


def flip_last_character(text):
    return text[:-1] + ("1" if text[-1] != "1" else "2")


def tamper_entry_ticket(record):
    record["entries"][4]["ticket"] = record["entries"][4]["ticket"] + "a"  # still in ticket order


def tamper_entry_duplicate(record):
    record["entries"][4]["ticket"] = record["entries"][3]["ticket"]


def tamper_result_ticket(record):
    first_result(record)["ticket"] = first_result(record)["ticket"][:-1] + "A"


def tamper_source(record):
    record["sources"][1] = record["sources"][1].replace("7", "8").replace("5", "6")


def tamper_score(record):
    result = first_result(record, "AST", 2)
    result["score"] = result["score"] + 1 if isinstance(result["score"], int) else flip_last_character(result["score"])


def tamper_outcome(record):
    first_result(record, "ALA", 4)["outcome"] = "winner"


def tamper_rank(record):
    first_result(record, "MAN", 2)["rank"] = 3


def tamper_order(record):
    results = record["results"]
    results[0], results[1] = results[1], results[0]


def tamper_quota(record):
    record["quotas"]["ALA"] = 4


def tamper_log_data(record):
    record["log"][2]["data"]["sources"] = ["1 2 3"]


def tamper_log_dropped(record):
    del record["log"][1]


def dropped_last_result(record):
    record["results"].pop()


def ticket_of(record, stratum, rank):
    return first_result(record, stratum, rank)["ticket"]


@pytest.mark.parametrize("algorithm", [SHA256_RANK, RFC3797])
@pytest.mark.parametrize(
    "tamper, says",
    [
        (tamper_entry_ticket, lambda r: "MISMATCH commitment: record says"),
        (tamper_entry_duplicate, lambda r: f"MISMATCH entries: ticket {r['entries'][3]['ticket']} appears twice"),
        (tamper_quota, lambda r: "MISMATCH commitment: record says"),
        (tamper_source, lambda r: "MISMATCH seed: record says"),
        (tamper_result_ticket, lambda r: "MISMATCH result 1 (stratum ALA, rank 1) ticket: record says"),
        (tamper_order, lambda r: "MISMATCH result 1 (stratum ALA, rank 1) ticket: record says"),
        (tamper_score, lambda r: f"MISMATCH result for ticket {ticket_of(r, 'AST', 2)}: score: record says"),
        (tamper_outcome, lambda r: f"MISMATCH result for ticket {ticket_of(r, 'ALA', 4)}: outcome: "
                                   "record says 'winner', recomputed 'reserve'"),
        (tamper_rank, lambda r: f"MISMATCH result for ticket {ticket_of(r, 'MAN', 2)}: rank: "
                                "record says 3, recomputed 2"),
        (dropped_last_result, lambda r: "MISMATCH number of results: record says 21, recomputed 22"),
        (tamper_log_data, lambda r: "MISMATCH log entry 3: hash: record says"),
        (tamper_log_dropped, lambda r: "MISMATCH log entry 2: seq: record says 3, recomputed 2"),
    ],
)
def test_tampering_is_named(tmp_path, algorithm, tamper, says):
    record = make_record(algorithm)
    expected = says(record)
    tamper(record)
    done = verify(tmp_path, record)
    assert done.returncode == 1
    assert done.stdout.startswith(expected), done.stdout


def test_a_source_rfc3797_cannot_read_is_named(tmp_path):
    record = make_record(RFC3797)
    record["sources"][1] = "0812,5"
    done = verify(tmp_path, record)
    assert (done.returncode, done.stdout) == (1, "MISMATCH source 2: '0812,5' is not whole numbers separated by spaces\n")


@pytest.mark.parametrize(
    "content, says",
    [
        ("{not json", "ERROR cannot read"),
        ("", "ERROR cannot read"),
        ("[1, 2]", "ERROR not a draw record: missing format, draw_id"),
        ('{"format": "grants-draw/1"}', "ERROR not a draw record: missing draw_id, competition"),
    ],
)
def test_a_file_that_is_not_a_record_exits_2(tmp_path, content, says):
    path = tmp_path / "record.json"
    path.write_text(content, encoding="utf-8")
    done = run_verifier(path)
    assert done.returncode == 2
    assert done.stderr.startswith(says), done.stderr


@pytest.mark.parametrize(
    "change, says",
    [
        (lambda r: r.update(format="grants-draw/2"), "ERROR this verifier checks format grants-draw/1"),
        (lambda r: r.update(algorithm="md5-rank/1"), "ERROR this verifier checks format grants-draw/1"),
        (lambda r: r.update(entries=42), "ERROR the record is malformed"),
        (lambda r: r["results"][0].pop("outcome"), "ERROR the record is malformed"),
        (lambda r: r["log"][0].pop("hash"), "ERROR the record is malformed"),
        (lambda r: r.update(sources=None), "ERROR the record is malformed"),
    ],
)
def test_a_malformed_record_exits_2(tmp_path, change, says):
    record = make_record(SHA256_RANK)
    change(record)
    done = verify(tmp_path, record)
    assert done.returncode == 2
    assert done.stderr.startswith(says), done.stderr


def test_a_missing_file_exits_2(tmp_path):
    done = run_verifier(tmp_path / "nowhere.json")
    assert done.returncode == 2 and done.stderr.startswith("ERROR cannot read")


def test_verifier_imports_only_the_standard_library():
    tree = ast.parse(VERIFIER.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported and imported <= sys.stdlib_module_names
