"""`flask draw export` and `flask draw simulate`, and the observer's check end to end: a record
exported from a draw in the database passes tools/verify_draw.py; an edited one fails at that place."""
import json

import pytest

from app.extensions import db
from app.lottery import engine, lifecycle, reading, replacement
from app.lottery.engine import RFC3797, SHA256_RANK
from tests.lottery.test_lifecycle import RULE, add_applications, closed_competition, committed_draw, published_draw
from tests.lottery.test_verifier import run_verifier


def export(runner, draw_id):
    return runner.invoke(args=["draw", "export", str(draw_id)])


# --- export and verify ----------------------------------------------------------------------

@pytest.mark.parametrize("algorithm", [SHA256_RANK, RFC3797])
def test_an_exported_draw_passes_the_verifier(runner, manager, tmp_path, algorithm):
    draw = published_draw(manager, algorithm=algorithm, ala=6, man=3)
    replacement.replace_winner(draw, reading.outcomes(draw)[0].winners[0]["ticket"], "withdrew", manager)
    db.session.commit()

    result = export(runner, draw.id)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record == json.loads(json.dumps(reading.record(draw)))
    path = tmp_path / "record.json"
    path.write_text(result.output, encoding="utf-8")
    done = run_verifier(path, "--head", draw.log_head, "--commitment", draw.commitment)
    assert done.returncode == 0 and done.stdout.startswith("OK\n"), done.stdout
    assert "1 replacement from the reserve lists, each the next in order" in done.stdout


def edit_ticket(record):
    entry = record["entries"][2]
    entry["ticket"] = entry["ticket"] + "a"  # still in ticket order
    return "commitment"


def edit_source(record):
    record["sources"][1] = record["sources"][1] + "3"
    return "seed"


def edit_log(record):
    record["log"][3]["data"] = {"name": "Someone else", "organisation": "NGO"}
    return "log entry 4: hash"


def edit_outcome(record):
    last = record["results"][-1]
    last["outcome"] = "winner"
    return f"result for ticket {last['ticket']}: outcome"


@pytest.mark.parametrize("edit", [edit_ticket, edit_source, edit_log, edit_outcome])
def test_an_edited_export_fails_where_it_was_edited(runner, manager, tmp_path, edit):
    draw = committed_draw(manager)
    lifecycle.register_observer(draw, "Dana", "Youth NGO", manager)
    lifecycle.enter_sources(draw, ["17", "42"], manager)
    lifecycle.run(draw, manager)
    lifecycle.publish(draw, manager)
    db.session.commit()
    record = json.loads(export(runner, draw.id).output)
    place = edit(record)
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    done = run_verifier(path)
    assert done.returncode == 1
    assert done.stdout.startswith(f"MISMATCH {place}"), done.stdout


def test_export_says_when_there_is_no_record(runner, manager):
    result = export(runner, 404)
    assert result.exit_code == 1 and "There is no draw 404." in result.output
    draw = committed_draw(manager)
    result = export(runner, draw.id)
    assert result.exit_code == 1
    assert "The draw has not been run yet" in result.output
    assert "Traceback" not in result.output
    lifecycle.enter_sources(draw, ["17"], manager)
    lifecycle.run(draw, manager)
    db.session.commit()
    result = export(runner, draw.id)
    assert result.exit_code == 1
    assert "The results of this draw are not published yet: the record is published with them." in result.output


# --- simulate -------------------------------------------------------------------------------

LIST = "# ZHAS rehearsal\nZP23-0003,ALA\nZP23-0001,ALA\n\nZP23-0002 , MAN\nZP23-0004,ALA\n"


def simulate(runner, tmp_path, text=LIST, quotas=("ALA=2", "MAN=1"), algorithm=None, sources=("14 3", "27")):
    path = tmp_path / "list.txt"
    path.write_text(text, encoding="utf-8")
    args = ["draw", "simulate", "--tickets-file", str(path)]
    for quota in quotas:
        args += ["--quota", quota]
    if algorithm:
        args += ["--algorithm", algorithm]
    for source in sources:
        args += ["--source", source]
    return runner.invoke(args=args)


@pytest.mark.parametrize("algorithm", [SHA256_RANK, RFC3797])
def test_simulate_prints_the_record_the_engine_makes(runner, tmp_path, algorithm):
    result = simulate(runner, tmp_path, algorithm=algorithm)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    entries = [("ZP23-0003", "ALA"), ("ZP23-0001", "ALA"), ("ZP23-0002", "MAN"), ("ZP23-0004", "ALA")]
    expected = engine.rehearsal_record(algorithm, entries, {"ALA": 2, "MAN": 1},
                                       "simulation: sources given on the command line", ["14 3", "27"],
                                       record["log"][0]["at"])
    assert record == expected  # the log as a real draw writes it, at the time of the rehearsal
    path = tmp_path / "record.json"
    path.write_text(result.output, encoding="utf-8")
    assert run_verifier(path).stdout.startswith("OK\n")


def test_simulate_draws_a_stratum_without_entries_and_leaves_its_grants_unawarded(runner, tmp_path):
    result = simulate(runner, tmp_path, quotas=("ALA=2", "MAN=1", "AST=4"))
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert {"event": "stratum.drawn", "data": {"stratum": "AST", "winners": 0, "reserve": 0, "unawarded": 4}} in [
        {"event": entry["event"], "data": entry["data"]} for entry in record["log"]]
    path = tmp_path / "record.json"
    path.write_text(result.output, encoding="utf-8")
    assert "unawarded grants: AST 4" in run_verifier(path).stdout


def test_simulate_needs_no_database(runner, tmp_path, monkeypatch):
    def no_database(*args, **kwargs):
        raise AssertionError("simulate touched the database")

    monkeypatch.setattr(db.session, "execute", no_database)
    assert simulate(runner, tmp_path).exit_code == 0


@pytest.mark.parametrize("text, quotas, algorithm, sources, message", [
    ("ZP23-0001,ALA\nZP23-0002\n", ("ALA=1",), None, ("1",),
     "line 2: 'ZP23-0002' is not 'ticket,stratum'"),
    ("ZP23-0001,ALA,extra\n", ("ALA=1",), None, ("1",), "line 1: 'ZP23-0001,ALA,extra' is not 'ticket,stratum'"),
    ("ZP23-0001,\n", ("ALA=1",), None, ("1",), "line 1"),
    ("# nothing\n\n", ("ALA=1",), None, ("1",), "has no 'ticket,stratum' lines"),
    (LIST, ("ALA:2", "MAN=1"), None, ("1",), "'ALA:2' is not STRATUM=N"),
    (LIST, ("ALA=two", "MAN=1"), None, ("1",), "'ALA=two' is not STRATUM=N"),
    (LIST, ("ALA=0", "MAN=1"), None, ("1",), "'ALA=0' is not STRATUM=N"),
    (LIST, ("ALA=2", "ALA=3", "MAN=1"), None, ("1",), "stratum ALA is given twice"),
    (LIST, ("ALA=2",), None, ("1",), "Ticket ZP23-0002 is in stratum MAN, which has no quota."),
    ("ZP23-0001,ALA\nZP23-0001,ALA\n", ("ALA=1",), None, ("1",), "Ticket ZP23-0001 appears more than once."),
    (LIST, ("ALA=2", "MAN=1"), RFC3797, ("14 3", "twenty"), "Random source 2 must be non-negative whole numbers"),
    (LIST, ("ALA=2", "MAN=1"), SHA256_RANK, ("14", " "), "Random source 2 is empty."),
])
def test_simulate_refuses_bad_input_with_a_clear_message(runner, tmp_path, text, quotas, algorithm, sources, message):
    result = simulate(runner, tmp_path, text=text, quotas=quotas, algorithm=algorithm, sources=sources)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_simulate_refuses_a_missing_file_and_an_unknown_algorithm(runner, tmp_path):
    result = runner.invoke(args=["draw", "simulate", "--tickets-file", str(tmp_path / "none.txt"),
                                 "--quota", "ALA=1", "--source", "1"])
    assert result.exit_code == 2 and "cannot read" in result.output
    result = simulate(runner, tmp_path, algorithm="dice/1")
    assert result.exit_code == 2 and "dice/1" in result.output


def test_prepare_and_commit_leave_what_simulate_would_draw(runner, manager, tmp_path):
    """A rehearsal on the frozen list gives the very results of the real draw."""
    competition = closed_competition()
    add_applications(competition, "ALA", 4)
    add_applications(competition, "MAN", 3)
    draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    lifecycle.commit(draw, manager)
    lifecycle.enter_sources(draw, ["5 6"], manager)
    lifecycle.run(draw, manager)
    db.session.commit()
    text = "".join(f"{e['ticket']},{e['stratum']}\n" for e in draw.entries)
    result = simulate(runner, tmp_path, text=text, quotas=("ALA=3", "MAN=2"), sources=("5 6",))
    assert json.loads(result.output)["results"] == draw.results
