"""The draw engine against DESIGN.md section 4: every formula is recomputed here with hashlib."""
import hashlib
import json

import pytest
from flask_babel import LazyString

from app.lottery import engine
from app.lottery.engine import RESERVE, RFC3797, SHA256_RANK, WINNER, DrawError, Entry
from tests.lottery import draw_log
from tests.lottery.test_rfc3797 import RFC_KEY, RFC_SELECTED, RFC_SOURCES

ENTRIES = [Entry("ZP26-0007", "MAN"), Entry("ZP26-0001", "ALA"), Entry("ZP26-0003", "ALA"),
           Entry("ZP26-0002", "MAN"), Entry("ZP26-0005", "ALA"), Entry("ZP26-0004", "ALA"),
           Entry("ZP26-0006", "AST")]
QUOTAS = {"MAN": 1, "ALA": 2, "AST": 3}
SOURCES = ["14 3 27", "2026-06-01 close 8123.45"]
RFC_OK_SOURCES = ["14 3 27", "8123"]


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def expected_commitment(algorithm, entries, quotas):
    listed = sorted(({"ticket": t, "stratum": s} for t, s in entries), key=lambda e: e["ticket"])
    body = json.dumps({"algorithm": algorithm, "entries": listed, "quotas": quotas},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("algorithm", [SHA256_RANK, RFC3797])
def test_commitment_is_sha256_of_canonical_json_with_entries_by_ticket(algorithm):
    assert engine.commitment(algorithm, ENTRIES, QUOTAS) == expected_commitment(algorithm, ENTRIES, QUOTAS)


def test_commitment_keeps_non_ascii_codes_as_utf8():
    entries, quotas = [("ZP26-0001", "Ақтау")], {"Ақтау": 1}
    assert engine.commitment(SHA256_RANK, entries, quotas) == expected_commitment(SHA256_RANK, entries, quotas)


@pytest.mark.parametrize(
    "change",
    [
        lambda a, e, q: (RFC3797, e, q),
        lambda a, e, q: (a, [*e[:-1], Entry("ZP26-0008", "AST")], q),
        lambda a, e, q: (a, [Entry("ZP26-0007", "AST"), *e[1:]], q),
        lambda a, e, q: (a, e, {**q, "AST": 4}),
    ],
    ids=["algorithm", "ticket", "stratum", "quota"],
)
def test_commitment_changes_with_anything_committed(change):
    assert engine.commitment(*change(SHA256_RANK, ENTRIES, QUOTAS)) != engine.commitment(SHA256_RANK, ENTRIES, QUOTAS)


def test_commitment_does_not_depend_on_the_order_entries_come_in():
    assert engine.commitment(SHA256_RANK, ENTRIES[::-1], QUOTAS) == engine.commitment(SHA256_RANK, ENTRIES, QUOTAS)


def test_sha256_seed_hashes_commitment_and_sources_on_separate_lines():
    commitment = engine.commitment(SHA256_RANK, ENTRIES, QUOTAS)
    assert engine.seed_for(SHA256_RANK, commitment, SOURCES) == sha256(commitment + "\n" + "\n".join(SOURCES))


def test_rfc3797_seed_is_the_rfc_key_string():
    assert engine.seed_for(RFC3797, "c" * 64, RFC_SOURCES) == RFC_KEY


def test_sha256_scores_ranks_and_outcomes():
    draw = engine.run_draw(SHA256_RANK, ENTRIES, QUOTAS, SOURCES)
    assert draw.commitment == expected_commitment(SHA256_RANK, ENTRIES, QUOTAS)
    assert draw.seed == sha256(draw.commitment + "\n" + "\n".join(SOURCES))
    expected = []
    for code in sorted(QUOTAS):
        ranked = sorted((sha256(f"{draw.seed}:{t}"), t) for t, s in ENTRIES if s == code)
        expected += [(t, code, rank, WINNER if rank <= QUOTAS[code] else RESERVE, score)
                     for rank, (score, t) in enumerate(ranked, start=1)]
    assert [tuple(result) for result in draw.results] == expected


def test_equal_scores_are_ordered_by_ticket(monkeypatch):
    monkeypatch.setattr(engine, "_scores", lambda algorithm, seed, entries: ["0" * 64] * len(entries))
    draw = engine.run_draw(SHA256_RANK, ENTRIES, QUOTAS, SOURCES)
    assert [r.ticket for r in draw.results if r.stratum == "ALA"] == ["ZP26-0001", "ZP26-0003", "ZP26-0004", "ZP26-0005"]


@pytest.mark.parametrize("algorithm, sources", [(SHA256_RANK, SOURCES), (RFC3797, RFC_OK_SOURCES)])
@pytest.mark.parametrize(
    "size, quota, winners, reserves, unawarded",
    [
        (1, 1, 1, 0, 0),
        (5, 2, 2, 3, 0),
        (5, 5, 5, 0, 0),
        (3, 5, 3, 0, 2),  # fewer entries than grants: all win, two grants stay unawarded
        (1, 20, 1, 0, 19),
    ],
)
def test_quota_splits_winners_and_reserve(algorithm, sources, size, quota, winners, reserves, unawarded):
    entries = [(f"T{n:03d}", "S") for n in range(size)] + [("X001", "OTHER"), ("X002", "OTHER")]
    draw = engine.run_draw(algorithm, entries, {"S": quota, "OTHER": 1}, sources)
    stratum = [r for r in draw.results if r.stratum == "S"]
    assert [r.rank for r in stratum] == list(range(1, size + 1))
    assert [r.outcome for r in stratum] == [WINNER] * winners + [RESERVE] * reserves
    assert draw.unawarded == {"OTHER": 0, "S": unawarded}


@pytest.mark.parametrize("algorithm, sources", [(SHA256_RANK, SOURCES), (RFC3797, RFC_OK_SOURCES)])
def test_a_stratum_without_entries_is_drawn_with_its_whole_quota_unawarded(algorithm, sources):
    draw = engine.run_draw(algorithm, ENTRIES, {**QUOTAS, "KAR": 2}, sources)
    assert draw.unawarded["KAR"] == 2
    assert not [r for r in draw.results if r.stratum == "KAR"]
    assert [(r.stratum, r.outcome) for r in draw.results].count(("ALA", WINNER)) == 2  # the others as usual
    assert ("stratum.drawn", {"stratum": "KAR", "winners": 0, "reserve": 0, "unawarded": 2}) in engine.run_events(draw)


def test_results_list_strata_by_code_then_rank():
    draw = engine.run_draw(SHA256_RANK, ENTRIES, QUOTAS, SOURCES)
    assert [(r.stratum, r.rank) for r in draw.results] == [
        ("ALA", 1), ("ALA", 2), ("ALA", 3), ("ALA", 4), ("AST", 1), ("MAN", 1), ("MAN", 2)]


def test_rfc3797_reproduces_the_rfc_example_as_a_draw():
    entries = [(f"V{n:02d}", "NOMCOM") for n in range(1, 26)]  # ticket order = the RFC's numbering
    draw = engine.run_draw(RFC3797, entries, {"NOMCOM": 10}, RFC_SOURCES)
    assert draw.seed == RFC_KEY
    assert [r.ticket for r in draw.results[:16]] == [f"V{n:02d}" for n in RFC_SELECTED]
    assert [r.score for r in draw.results] == list(range(1, 26))
    assert [r.outcome for r in draw.results] == [WINNER] * 10 + [RESERVE] * 15


def test_rfc3797_selects_over_the_whole_list_and_each_stratum_keeps_selection_order():
    draw = engine.run_draw(RFC3797, ENTRIES, QUOTAS, RFC_OK_SOURCES)
    order = engine.rfc3797.selection_order(engine.rfc3797.key_string(RFC_OK_SOURCES), len(ENTRIES))
    by_ticket = sorted(t for t, _ in ENTRIES)
    step_of = {by_ticket[position - 1]: step for step, position in enumerate(order, start=1)}
    assert {r.ticket: r.score for r in draw.results} == step_of
    for code in QUOTAS:
        scores = [r.score for r in draw.results if r.stratum == code]
        assert scores == sorted(scores)


def test_rfc3797_draws_65535_entries_and_refuses_65536():
    entries = [(f"ZP{n:05d}", f"S{n % 20:02d}") for n in range(65535)]
    quotas = {f"S{n:02d}": 10 for n in range(20)}
    draw = engine.run_draw(RFC3797, entries, quotas, RFC_OK_SOURCES)
    assert sorted(r.score for r in draw.results) == list(range(1, 65536))
    with pytest.raises(DrawError, match="at most 65535 entries; this list has 65536"):
        engine.run_draw(RFC3797, [*entries, ("ZP65535", "S00")], quotas, RFC_OK_SOURCES)


def test_entries_may_be_pairs_or_record_dicts():
    as_dicts = [{"ticket": t, "stratum": s} for t, s in ENTRIES]
    assert engine.run_draw(SHA256_RANK, as_dicts, QUOTAS, SOURCES) == engine.run_draw(SHA256_RANK, ENTRIES, QUOTAS, SOURCES)


@pytest.mark.parametrize(
    "algorithm, entries, quotas, sources, message",
    [
        ("sha256-rank/2", ENTRIES, QUOTAS, SOURCES, 'Unknown draw algorithm "sha256-rank/2"'),
        ("", ENTRIES, QUOTAS, SOURCES, 'Unknown draw algorithm ""'),
        (SHA256_RANK, [], QUOTAS, SOURCES, "The list of entries is empty"),
        (SHA256_RANK, [*ENTRIES, ("ZP26-0003", "AST")], QUOTAS, SOURCES, "Ticket ZP26-0003 appears more than once."),
        (SHA256_RANK, [*ENTRIES, ("ZP26-0009", "KAR")], QUOTAS, SOURCES,
         "Ticket ZP26-0009 is in stratum KAR, which has no quota."),
        (SHA256_RANK, ENTRIES, {**QUOTAS, "ALA": 0}, SOURCES, "The quota of stratum ALA must be a whole number"),
        (SHA256_RANK, ENTRIES, {**QUOTAS, "ALA": -1}, SOURCES, "The quota of stratum ALA must be a whole number"),
        (SHA256_RANK, ENTRIES, {**QUOTAS, "ALA": 2.0}, SOURCES, "The quota of stratum ALA must be a whole number"),
        (SHA256_RANK, ENTRIES, {**QUOTAS, "ALA": "2"}, SOURCES, "The quota of stratum ALA must be a whole number"),
        (SHA256_RANK, ENTRIES, {**QUOTAS, "ALA": True}, SOURCES, "The quota of stratum ALA must be a whole number"),
        (SHA256_RANK, [("", "ALA")], {"ALA": 1}, SOURCES, "Every entry needs a ticket number and a stratum code."),
        (SHA256_RANK, [("ZP26-0001", None)], {"ALA": 1}, SOURCES, "Every entry needs a ticket number"),
        (SHA256_RANK, ["ZP26-0001"], {"ALA": 1}, SOURCES, "Every entry needs a ticket number"),
        (SHA256_RANK, ENTRIES, QUOTAS, [], "Enter at least one random source."),
        (SHA256_RANK, ENTRIES, QUOTAS, "14 3 27", "Enter at least one random source."),
        (SHA256_RANK, ENTRIES, QUOTAS, ["14 3 27", ""], "Random source 2 is empty."),
        (SHA256_RANK, ENTRIES, QUOTAS, ["  "], "Random source 1 is empty."),
        (SHA256_RANK, ENTRIES, QUOTAS, ["14\n3"], "Random source 1 must fit on one line."),
        (RFC3797, ENTRIES, QUOTAS, ["14 3 27", "8123.45"], "Random source 2 must be non-negative whole numbers"),
        (RFC3797, ENTRIES, QUOTAS, ["-14 3"], "Random source 1 must be non-negative whole numbers"),
        (RFC3797, ENTRIES, QUOTAS, [""], "Random source 1 is empty."),
    ],
)
def test_draw_errors(algorithm, entries, quotas, sources, message):
    with pytest.raises(DrawError) as caught:
        engine.run_draw(algorithm, entries, quotas, sources)
    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value.args[0], LazyString)  # translated when shown


def test_commitment_checks_the_list_but_not_the_sources():
    with pytest.raises(DrawError, match="appears more than once"):
        engine.commitment(SHA256_RANK, [*ENTRIES, ENTRIES[0]], QUOTAS)


AT = "2026-06-01T10:00:00.000000Z"


def stored(algorithm=SHA256_RANK):
    """What the database holds after a published draw: build_record's arguments."""
    record = engine.rehearsal_record(algorithm, ENTRIES, QUOTAS, "Two dice thrown by observers; the index close.",
                                     SOURCES if algorithm == SHA256_RANK else RFC_OK_SOURCES, AT, draw_id=12,
                                     competition={"id": 3, "title": "ZHAS 2026"})
    return {key: record[key] for key in ("draw_id", "competition", "algorithm", "entries", "quotas", "source_rule",
                                         "sources", "commitment", "seed", "results", "log")}


def test_build_record_has_exactly_the_published_keys_in_order():
    record = engine.build_record(**stored())
    draw = engine.run_draw(SHA256_RANK, ENTRIES, QUOTAS, SOURCES)
    assert list(record) == ["format", "draw_id", "competition", "algorithm", "entries", "quotas", "commitment",
                            "source_rule", "sources", "seed", "results", "log"]
    assert record["format"] == "grants-draw/1"
    assert record["entries"] == [{"ticket": t, "stratum": s} for t, s in sorted(ENTRIES)]
    assert (record["commitment"], record["seed"]) == (draw.commitment, draw.seed)
    assert record["results"] == [
        {"ticket": r.ticket, "stratum": r.stratum, "rank": r.rank, "outcome": r.outcome, "score": r.score}
        for r in draw.results]
    assert [entry["event"] for entry in record["log"]] == [
        "list.frozen", "rule.announced", "sources.entered", *(event for event, _data in engine.run_events(draw)),
        "results.published"]
    assert json.loads(json.dumps(record)) == record


def rechained(log):
    """The log with every hash recomputed, as a forger would."""
    return draw_log(*((entry["event"], entry["data"]) for entry in log))


def forge_unsorted(values):
    values["entries"] = values["entries"][::-1]


def forge_commitment(values):
    values["commitment"] = "0" * 64


def forge_entry(values):
    values["entries"] = values["entries"][1:]


def forge_seed(values):
    values["seed"] = "f" * 64


def forge_source(values):
    values["sources"] = [*values["sources"][:-1], "another source"]


def forge_result(values):
    results = [dict(result) for result in values["results"]]
    results[0]["outcome"], results[-1]["outcome"] = results[-1]["outcome"], results[0]["outcome"]
    values["results"] = results


def forge_result_dropped(values):
    values["results"] = values["results"][:-1]


def forge_log_broken(values):
    values["log"][1]["data"] = {"rule": "another rule"}


def forge_log_commitment(values):
    """A new list with its commitment, seed and results, and the log left as it was."""
    entries = [entry for entry in values["entries"] if entry["ticket"] != "ZP26-0006"]
    quotas = {code: quota for code, quota in values["quotas"].items() if code != "AST"}
    draw = engine.run_draw(SHA256_RANK, entries, quotas, values["sources"])
    values.update(entries=entries, quotas=quotas, commitment=draw.commitment, seed=draw.seed,
                  results=[result._asdict() for result in draw.results])


def forge_log_sources(values):
    """New sources with their seed and results, and the log left as it was."""
    sources = ["99", "100"]
    draw = engine.run_draw(SHA256_RANK, values["entries"], values["quotas"], sources)
    values.update(sources=sources, seed=draw.seed, results=[result._asdict() for result in draw.results])


def forge_log_seed(values):
    log = [dict(entry) for entry in values["log"]]
    seed = next(entry for entry in log if entry["event"] == "seed.computed")
    seed["data"] = {"seed": "f" * 64}
    values["log"] = rechained(log)


@pytest.mark.parametrize("forge, message", [
    (forge_unsorted, "The stored list is not in ticket order."),
    (forge_commitment, "The stored commitment 0000000000000000000000000000000000000000000000000000000000000000 is "
                       "not the commitment of the stored list"),
    (forge_entry, "The stored commitment"),
    (forge_seed, "The stored seed is not the seed that the commitment and the stored sources give."),
    (forge_source, "The stored seed is not the seed that the commitment and the stored sources give."),
    (forge_result, "Stored result 1 (ticket ZP26-0003) is not what the list and the sources give."),
    (forge_result_dropped, "6 results are stored; the list gives 7."),
    (forge_log_broken, "The draw log is broken at entry 2."),
    (forge_log_commitment, "The stored commitment is not the one the log published when the list was frozen."),
    (forge_log_sources, "The stored sources are not those the log recorded when they were entered."),
    (forge_log_seed, "The stored seed is not the one the log recorded when the draw ran."),
])
def test_build_record_refuses_stored_values_that_disagree(forge, message):
    values = stored()
    forge(values)
    with pytest.raises(DrawError) as caught:
        engine.build_record(**values)
    assert str(caught.value).startswith(message)
