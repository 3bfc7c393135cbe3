"""Forged variants of a real draw's record, each rejected with its reason: by tools/verify_draw.py
(exit code 1 and the first mismatch) or, for a `draws` row edited in the database, by the export
itself (exit code 1 and what disagrees). The draw: three strata, one without eligible
applications, published, then a winner replaced with a withdrawn reserve passed over."""
import json

import pytest
import sqlalchemy as sa

from app.applications.models import Application, ApplicationStatus
from app.audit.chain import entry_hash, sha256_hex
from app.extensions import db
from app.lottery import engine, lifecycle, reading, replacement
from app.lottery.engine import SHA256_RANK
from app.lottery.models import Draw
from tests.lottery.test_lifecycle import RULE, add_applications, closed_competition
from tests.lottery.test_verifier import verify

SOURCES = ["17", "42", "8"]


@pytest.fixture
def draw(manager):
    competition = closed_competition(strata=(("ALA", 3, ()), ("AST", 1, ()), ("MAN", 2, ())))
    add_applications(competition, "ALA", 7)
    add_applications(competition, "MAN", 3)  # AST: nobody, its grant stays unawarded
    draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    lifecycle.commit(draw, manager)
    lifecycle.register_observer(draw, "Dana Observer", "Youth NGO", manager)
    lifecycle.enter_sources(draw, SOURCES, manager)
    lifecycle.run(draw, manager)
    lifecycle.publish(draw, manager)
    db.session.commit()
    ala = next(s for s in reading.outcomes(draw) if s.code == "ALA")
    db.session.execute(sa.update(Application).where(Application.number == ala.reserve[0]["ticket"])
                       .values(status=ApplicationStatus.WITHDRAWN))
    replacement.replace_winner(draw, ala.winners[0]["ticket"], "withdrew", manager)
    db.session.commit()
    return draw


@pytest.fixture
def record(runner, draw):
    exported = runner.invoke(args=["draw", "export", str(draw.id)])
    assert exported.exit_code == 0, exported.output
    return json.loads(exported.output)


# --- what a forger does ---------------------------------------------------------------------

def rechain(log):
    """The log with its hashes recomputed after an edit: the chain holds again."""
    prev = "0" * 64
    for entry in log:
        entry["prev"] = prev
        entry["hash"] = prev = entry_hash(prev, entry["seq"], entry["at"], entry["event"], entry["data"])
    return log


def renumber(log):
    for seq, entry in enumerate(log, start=1):
        entry["seq"] = seq
    return rechain(log)


def redraw(record, entries=None, quotas=None, sources=None):
    """The commitment, seed and results recomputed for another list or other sources; the log is
    left as it was."""
    entries = entries if entries is not None else record["entries"]
    quotas = quotas if quotas is not None else record["quotas"]
    sources = sources if sources is not None else record["sources"]
    drawn = engine.run_draw(record["algorithm"], entries, quotas, sources)
    record.update(entries=sorted(entries, key=lambda entry: entry["ticket"]), quotas=quotas, sources=sources, commitment=drawn.commitment, seed=drawn.seed,
                  results=[result._asdict() for result in drawn.results])


def index_of(record, event, last=False):
    found = [n for n, entry in enumerate(record["log"]) if entry["event"] == event]
    return found[-1] if last else found[0]


def result(record, stratum, rank):
    return next(r for r in record["results"] if (r["stratum"], r["rank"]) == (stratum, rank))


# --- the variants: each forges the record and says what the verifier must answer ------------

def drop_an_entry(record, noted):
    del record["entries"][3]
    return [], "MISMATCH commitment: record says"


def change_a_source(record, noted):
    record["sources"][1] = "43"
    return [], "MISMATCH seed: record says"


def change_a_score(record, noted):
    winner = result(record, "MAN", 1)
    winner["score"] = "0" + winner["score"][1:] if winner["score"][0] != "0" else "1" + winner["score"][1:]
    return [], f"MISMATCH result for ticket {winner['ticket']}: score: record says"


def swap_outcomes(record, noted):
    winner, reserve = result(record, "ALA", 1), result(record, "ALA", 4)
    winner["outcome"], reserve["outcome"] = reserve["outcome"], winner["outcome"]
    return [], (f"MISMATCH result for ticket {winner['ticket']}: outcome: record says 'reserve', "
                "recomputed 'winner'")


def rechain_an_edited_log(record, noted):
    revealed = record["log"][index_of(record, "winner.revealed")]
    honest = dict(revealed["data"])
    revealed["data"] = {**honest, "ticket": result(record, "ALA", 4)["ticket"]}
    rechain(record["log"])
    return [], (f"MISMATCH log entry {revealed['seq']}: the log says winner.revealed {revealed['data']}, "
                f"the results give winner.revealed {honest}")


def empty_log(record, noted):
    record["log"] = []
    return [], "MISMATCH log: it is empty: nothing binds this record to the draw's public log"


def drop_the_last_entry(record, noted):
    record["log"].pop()  # the promotion of the next reserve
    removal = record["log"][-1]
    return [], (f"MISMATCH log: it ends at entry {removal['seq']}, which removed winner {removal['data']['ticket']} "
                "without saying who takes the grant: it was cut short")


def cut_before_publication(record, noted):
    del record["log"][index_of(record, "results.published"):]
    return [], (f"MISMATCH log: it ends at entry {record['log'][-1]['seq']} (stratum.drawn) without "
                "results.published: it was cut short, or the results were never published")


def new_sources_recomputed_with_the_log_untouched(record, noted):
    logged = list(record["sources"])
    redraw(record, sources=["3", "1", "4"])
    entered = record["log"][index_of(record, "sources.entered")]
    return [], (f"MISMATCH log entry {entered['seq']} (sources.entered): sources: log says {logged!r}, "
                "record says ['3', '1', '4']")


def new_list_recomputed_with_the_log_untouched(record, noted):
    logged = record["commitment"]
    redraw(record, entries=record["entries"][1:])
    return [], (f"MISMATCH log entry 2 (list.frozen): commitment: log says {logged!r}, "
                f"record says {record['commitment']!r}")


def forged_commitment(record, noted):
    record["commitment"] = sha256_hex(b"another list")
    return [], f"MISMATCH commitment: record says '{sha256_hex(b'another list')}', recomputed"


def duplicate_entry(record, noted):
    record["entries"].insert(4, dict(record["entries"][3]))
    return [], f"MISMATCH entries: ticket {record['entries'][3]['ticket']} appears twice"


def unsorted_entries(record, noted):
    entries = record["entries"]
    entries[0], entries[1] = entries[1], entries[0]
    return [], f"MISMATCH entries: not sorted by ticket: {entries[1]['ticket']} comes after {entries[0]['ticket']}"


def entry_in_a_stratum_without_quota(record, noted):
    redraw(record, entries=[*record["entries"], {"ticket": "ZP25-9999", "stratum": "KAR"}],
           quotas={**record["quotas"], "KAR": 1})
    record["quotas"].pop("KAR")
    return [], "MISMATCH entries: ticket ZP25-9999 is in stratum KAR, which has no quota"


def quota_of_nothing(record, noted):
    record["quotas"]["AST"] = 0
    return [], "MISMATCH quotas: stratum AST has 0 grants, not a whole number of at least 1"


def replacement_skips_the_next_reserve(record, noted):
    promoted = record["log"][index_of(record, "reserve.promoted")]
    skipped, taken = result(record, "ALA", 5), result(record, "ALA", 6)
    promoted["data"] = {**promoted["data"], "ticket": taken["ticket"], "rank": 6}
    rechain(record["log"])
    return [], (f"MISMATCH log entry {promoted['seq']} (reserve.promoted): promotes {taken['ticket']} (rank 6), "
                f"but the next reserve in order in ALA is {skipped['ticket']} (rank 5)")


def replacement_hides_who_was_passed_over(record, noted):
    promoted = record["log"][index_of(record, "reserve.promoted")]
    first, second = result(record, "ALA", 4), result(record, "ALA", 5)
    assert promoted["data"]["passed_over"] == [first["ticket"]]
    promoted["data"] = {**promoted["data"], "passed_over": []}
    rechain(record["log"])
    return [], (f"MISMATCH log entry {promoted['seq']} (reserve.promoted): promotes {second['ticket']} (rank 5), "
                f"but the next reserve in order in ALA is {first['ticket']} (rank 4)")


def log_without_publication(record, noted):
    del record["log"][index_of(record, "results.published")]
    renumber(record["log"])
    removal = record["log"][index_of(record, "winner.removed")]
    return [], (f"MISMATCH log entry {removal['seq']}: 'winner.removed' cannot come here "
                "(between the run and results.published)")


def logged_seed_differs(record, noted):
    seed = record["log"][index_of(record, "seed.computed")]
    seed["data"] = {"seed": "f" * 64}
    rechain(record["log"])
    return [], f"MISMATCH log entry {seed['seq']} (seed.computed): seed: log says '{'f' * 64}', record says"


def sources_entered_before_the_freeze(record, noted):
    frozen, entered = record["log"][1], record["log"][index_of(record, "sources.entered")]
    entered["at"] = "2020-01-01T00:00:00.000000Z"
    rechain(record["log"])
    return [], (f"MISMATCH log entry {entered['seq']} (sources.entered): entered at 2020-01-01T00:00:00.000000Z, "
                f"before the list was frozen at {frozen['at']} (entry 2)")


def unawarded_grants_hidden(record, noted):
    drawn = next(entry for entry in record["log"] if entry["event"] == "stratum.drawn"
                 and entry["data"]["stratum"] == "AST")
    honest = dict(drawn["data"])
    drawn["data"] = {**honest, "unawarded": 0}
    rechain(record["log"])
    return [], (f"MISMATCH log entry {drawn['seq']}: the log says stratum.drawn {drawn['data']}, the results give "
                f"stratum.drawn {honest}")


def rewritten_log_against_the_noted_head(record, noted):
    observer = record["log"][index_of(record, "observer.registered")]
    observer["data"] = {"name": "Someone else", "organisation": "Youth NGO"}
    rechain(record["log"])  # consistent again: only the head noted on the day tells
    return ["--head", noted["head"]], (f"MISMATCH chain head: no entry of the log has the hash you noted "
                                       f"({noted['head']}): the log was rewritten or cut short since")


def replacements_cut_off_against_the_noted_head(record, noted):
    del record["log"][index_of(record, "winner.removed"):]  # ends with the publication: fine alone
    return ["--head", noted["head"]], "MISMATCH chain head: no entry of the log has the hash you noted"


def another_draw_against_the_noted_commitment(record, noted):
    fake = engine.rehearsal_record(record["algorithm"], record["entries"][1:], record["quotas"], record["source_rule"],
                                   record["sources"], record["log"][0]["at"], draw_id=record["draw_id"],
                                   competition=record["competition"])
    record.clear()
    record.update(fake)  # a whole draw made again, consistent in itself
    return ["--commitment", noted["commitment"]], (
        f"MISMATCH commitment: the record's is {fake['commitment']}, but the one you noted before the draw is "
        f"{noted['commitment']}: this is not the list that was committed")


FORGERIES = [
    drop_an_entry, change_a_source, change_a_score, swap_outcomes, rechain_an_edited_log, empty_log,
    drop_the_last_entry, cut_before_publication, new_sources_recomputed_with_the_log_untouched,
    new_list_recomputed_with_the_log_untouched, forged_commitment, duplicate_entry, unsorted_entries,
    entry_in_a_stratum_without_quota, quota_of_nothing, replacement_skips_the_next_reserve,
    replacement_hides_who_was_passed_over, log_without_publication, logged_seed_differs,
    sources_entered_before_the_freeze, unawarded_grants_hidden, rewritten_log_against_the_noted_head,
    replacements_cut_off_against_the_noted_head, another_draw_against_the_noted_commitment,
]


def test_the_real_record_verifies_against_what_an_observer_noted(tmp_path, draw, record):
    done = verify(tmp_path, record, "--head", draw.log_head, "--commitment", draw.commitment)
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("OK\n")
    for text in ("winners:    5 (ALA 3, AST 0, MAN 2); unawarded grants: AST 1",
                 f"commitment: {draw.commitment} = list.frozen (log entry 2); = the one you noted",
                 "1 replacement from the reserve lists, each the next in order",
                 f"chain head: {draw.log_head} (entry {len(draw.log)}); the head you noted is entry {len(draw.log)}"):
        assert text in done.stdout, text


def test_a_head_noted_before_the_replacements_still_verifies(tmp_path, draw, record):
    published = record["log"][index_of(record, "results.published")]
    done = verify(tmp_path, record, "--head", published["hash"].upper())
    assert done.returncode == 0, done.stdout
    assert f"the head you noted is entry {published['seq']}, 2 entries were added after it" in done.stdout


def test_a_log_cut_after_the_publication_needs_the_noted_head_to_be_caught(tmp_path, record):
    del record["log"][index_of(record, "winner.removed"):]
    assert verify(tmp_path, record).returncode == 0


@pytest.mark.parametrize("forge", FORGERIES, ids=[forge.__name__ for forge in FORGERIES])
def test_a_forged_record_is_rejected_with_its_reason(tmp_path, draw, record, forge):
    options, reason = forge(record, {"head": draw.log_head, "commitment": draw.commitment})
    done = verify(tmp_path, record, *options)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith(reason), done.stdout


def test_there_are_at_least_fifteen_forgeries():
    assert len(FORGERIES) >= 15


# --- the `draws` row edited in the database, then exported ----------------------------------

def edit_row_drop_an_entry(draw):
    return {"entries": draw.entries[1:]}, "The stored commitment"


def edit_row_change_a_source(draw):
    return {"sources": [*draw.sources[:-1], "9"]}, \
        "The stored seed is not the seed that the commitment and the stored sources give."


def edit_row_swap_outcomes(draw):
    results = [dict(r) for r in draw.results]
    results[0]["outcome"], results[3]["outcome"] = results[3]["outcome"], results[0]["outcome"]
    return {"results": results}, f"Stored result 1 (ticket {results[0]['ticket']}) is not what the list"


def edit_row_new_sources_recomputed(draw):
    drawn = engine.run_draw(draw.algorithm, draw.entries, draw.quotas, ["3", "1", "4"])
    return ({"sources": ["3", "1", "4"], "seed": drawn.seed, "results": [r._asdict() for r in drawn.results]},
            "The stored sources are not those the log recorded when they were entered.")


def edit_row_new_list_recomputed(draw):
    entries = draw.entries[1:]
    drawn = engine.run_draw(draw.algorithm, entries, draw.quotas, draw.sources)
    return ({"entries": entries, "commitment": drawn.commitment, "seed": drawn.seed,
             "results": [r._asdict() for r in drawn.results]},
            "The stored commitment is not the one the log published when the list was frozen.")


ROW_EDITS = [edit_row_drop_an_entry, edit_row_change_a_source, edit_row_swap_outcomes,
             edit_row_new_sources_recomputed, edit_row_new_list_recomputed]


@pytest.mark.parametrize("edit", ROW_EDITS, ids=[edit.__name__ for edit in ROW_EDITS])
def test_a_draws_row_edited_in_the_database_is_not_exported(runner, draw, edit):
    values, reason = edit(draw)
    db.session.execute(sa.update(Draw).where(Draw.id == draw.id).values(**values))
    db.session.commit()
    exported = runner.invoke(args=["draw", "export", str(draw.id)])
    assert exported.exit_code == 1
    assert (f"Draw {draw.id}: The record of draw {draw.id} cannot be exported, its stored data disagree: "
            f"{reason}") in exported.output
    assert "Traceback" not in exported.output and '"format"' not in exported.output
