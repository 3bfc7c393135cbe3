"""The draw's lifecycle services on a real database: prepare, commit, observers, sources, run,
publish, replacement; every refusal; the log chain and the audit log. The helpers here build
calls with eligible applications for the other draw tests too."""
from datetime import date

import pytest
import sqlalchemy as sa

from app.applications.models import Application, ApplicationStatus
from app.audit.chain import first_broken
from app.audit.models import AuditEntry
from app.dbtypes import utcnow
from app.errors import settle
from app.extensions import db
from app.kz.age_buckets import bucket_of
from app.kz.regions import get_region
from app.lottery import balance, engine, lifecycle, reading, replacement
from app.lottery.engine import RFC3797, SHA256_RANK
from app.lottery.lifecycle import EligibleSetFrozen
from app.lottery.models import DrawState
from app.lottery.steps import DrawRefused
from app.mail.models import OutboxMessage
from tests.factories import make_application, make_competition, make_iin, make_user

# Distinct last names, so the privacy tests can look for every applicant's name.
LAST_NAMES = ["Нұрланова", "Жақсыбекова", "Әбілқасымов", "Серікбаев", "Қуанышева", "Оразалиев",
              "Төлегенова", "Ғабитов", "Үсенова", "Иманбаев", "Бекмұханов", "Сәрсенова"]
RULE = "Three observers each draw a number from 1 to 99 from a bag at the live event."
SOURCES = {SHA256_RANK: ["17", "42", "8"], RFC3797: ["17 42 8", "5"]}


def closed_competition(strata=(("ALA", 3, ()), ("MAN", 2, ())), **changes):
    competition = make_competition(strata=strata, **changes)
    competition.screening_closed_at = utcnow()
    db.session.commit()
    return competition


def add_applications(competition, region, count, status=ApplicationStatus.ELIGIBLE, locale="en"):
    """`count` submitted applications registered in `region`, numbered after those already there;
    sexes, ages and districts vary so that the balance table has something to show."""
    districts = [district.code for district in get_region(region).districts]
    made = []
    for _ in range(count):
        competition.last_application_number += 1
        n = competition.last_application_number
        sex = ("female", "male")[n % 2]
        birth = date(1990 + n % 15, 1 + n % 12, 1 + n % 28)
        user = make_user(f"applicant{n}.{competition.code.lower()}@example.kz", locale=locale)
        iin = make_iin(birth, sex, serial=n * 20)
        made.append(make_application(
            competition, user, documents=False, birth=birth, sex=sex, iin=iin,
            last_name=LAST_NAMES[n % len(LAST_NAMES)], region_code=region,
            district_code=districts[n % len(districts)], status=status,
            number=f"{competition.code}-{n:04d}", submitted_at=utcnow(), submitted_iin=iin))
    return made


def committed_draw(manager, competition=None, algorithm=SHA256_RANK, ala=5, man=3):
    if competition is None:
        competition = closed_competition()
        add_applications(competition, "ALA", ala)
        add_applications(competition, "MAN", man)
    draw = lifecycle.prepare(competition, manager, algorithm, RULE)
    lifecycle.commit(draw, manager)
    db.session.commit()
    return draw


def drawn_draw(manager, **kwargs):
    draw = committed_draw(manager, **kwargs)
    lifecycle.enter_sources(draw, SOURCES[draw.algorithm], manager)
    lifecycle.run(draw, manager)
    db.session.commit()
    return draw


def published_draw(manager, **kwargs):
    draw = drawn_draw(manager, **kwargs)
    lifecycle.publish(draw, manager)
    db.session.commit()
    return draw


def log_events(draw):
    db.session.refresh(draw)
    return [entry.event for entry in draw.log]


def audit_events():
    return [entry.event for entry in db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars()]


def statuses(competition):
    return dict(db.session.execute(
        sa.select(Application.number, Application.status).where(Application.competition_id == competition.id)).all())


# --- prepare --------------------------------------------------------------------------------

def test_prepare_takes_the_eligible_applications_and_the_quotas(manager):
    competition = closed_competition()
    add_applications(competition, "MAN", 2)
    add_applications(competition, "ALA", 1, status=ApplicationStatus.REJECTED)
    add_applications(competition, "ALA", 2)
    add_applications(competition, "ALA", 1, status=ApplicationStatus.SUBMITTED)

    draw = lifecycle.prepare(competition, manager, SHA256_RANK, f"  {RULE}  ")
    db.session.commit()

    assert draw.state is DrawState.PREPARED
    assert draw.entries == [{"ticket": "ZP25-0001", "stratum": "MAN"}, {"ticket": "ZP25-0002", "stratum": "MAN"},
                            {"ticket": "ZP25-0004", "stratum": "ALA"}, {"ticket": "ZP25-0005", "stratum": "ALA"}]
    assert draw.quotas == {"ALA": 3, "MAN": 2}
    assert draw.source_rule == RULE and draw.commitment is None
    assert log_events(draw) == ["draw.prepared"]
    assert audit_events()[-1] == "draw.prepared"


def test_prepare_again_refreshes_the_list(manager):
    competition = closed_competition()
    add_applications(competition, "ALA", 1)
    add_applications(competition, "MAN", 1)
    draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    add_applications(competition, "ALA", 1)
    again = lifecycle.prepare(competition, manager, RFC3797, "another rule")
    assert again.id == draw.id
    assert [e["ticket"] for e in again.entries] == ["ZP25-0001", "ZP25-0002", "ZP25-0003"]
    assert (again.algorithm, again.source_rule) == (RFC3797, "another rule")
    assert first_broken([entry.as_chain_entry() for entry in again.log]) is None


def test_prepare_is_refused_before_screening_is_closed(manager):
    competition = make_competition()
    add_applications(competition, "ALA", 1)
    with pytest.raises(DrawRefused, match="Screening of this competition is not closed"):
        lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    assert reading.draw_of(competition) is None


@pytest.mark.parametrize("algorithm, rule, field", [
    ("coin-toss/1", RULE, "algorithm"),
    (SHA256_RANK, "   ", "source_rule"),
])
def test_prepare_needs_a_known_algorithm_and_a_rule(manager, algorithm, rule, field):
    competition = closed_competition()
    with pytest.raises(DrawRefused) as refused:
        lifecycle.prepare(competition, manager, algorithm, rule)
    assert refused.value.field == field


def test_a_stratum_without_eligible_applications_is_drawn_with_its_whole_quota_unawarded(manager):
    competition = closed_competition()
    add_applications(competition, "ALA", 4)  # nobody from MAN

    draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    assert reading.list_problems(draw.entries, draw.quotas) == []
    lifecycle.commit(draw, manager)
    lifecycle.enter_sources(draw, SOURCES[SHA256_RANK], manager)
    lifecycle.run(draw, manager)
    lifecycle.publish(draw, manager)
    db.session.commit()

    assert draw.state is DrawState.PUBLISHED
    man = stratum(draw, "MAN")
    assert (man.winners, man.reserve, man.unawarded) == ([], [], 2)
    assert [s.unawarded for s in reading.strata_summary(draw)] == [0, 2]
    drawn = {e.data["stratum"]: e.data for e in draw.log if e.event == "stratum.drawn"}
    assert drawn["MAN"] == {"stratum": "MAN", "winners": 0, "reserve": 0, "unawarded": 2}
    assert reading.record(draw)["quotas"] == {"ALA": 3, "MAN": 2}


def test_applications_outside_every_stratum_are_reported(manager):
    competition = closed_competition(strata=(("ALA", 2, ()),))
    add_applications(competition, "ALA", 1)
    add_applications(competition, "MAN", 2)
    draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    assert [str(p) for p in reading.list_problems(draw.entries, draw.quotas)] == [
        "2 eligible applications are registered in MAN, which is not a stratum of the competition."]


# --- commit ---------------------------------------------------------------------------------

def test_commit_freezes_the_list_and_publishes_its_commitment(manager):
    draw = committed_draw(manager)
    assert draw.state is DrawState.COMMITTED
    assert draw.commitment == engine.commitment(SHA256_RANK, draw.entries, draw.quotas)
    assert log_events(draw) == ["draw.prepared", "list.frozen", "rule.announced"]
    frozen = draw.log[1].data
    assert frozen == {"algorithm": SHA256_RANK, "commitment": draw.commitment, "entries": 8,
                      "quotas": {"ALA": 3, "MAN": 2}}
    assert draw.log[2].data == {"rule": RULE}
    assert first_broken([entry.as_chain_entry() for entry in draw.log]) is None
    assert "draw.committed" in audit_events()


def test_committing_before_screening_is_closed_is_refused(manager):
    competition = closed_competition()
    add_applications(competition, "ALA", 3)
    add_applications(competition, "MAN", 2)
    draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    competition.screening_closed_at = None  # screening reopened, say for a late appeal
    with pytest.raises(DrawRefused, match="Screening of this competition is not closed"):
        lifecycle.commit(draw, manager)


def test_commit_refuses_a_list_that_changed_since_it_was_prepared(manager):
    competition = closed_competition()
    add_applications(competition, "ALA", 3)
    add_applications(competition, "MAN", 2)
    draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    add_applications(competition, "MAN", 1)
    with pytest.raises(DrawRefused, match="have changed since the draw was prepared"):
        lifecycle.commit(draw, manager)


def test_a_committed_list_cannot_be_prepared_or_committed_again(manager):
    draw = committed_draw(manager)
    with pytest.raises(DrawRefused, match="already committed"):
        lifecycle.prepare(draw.competition, manager, SHA256_RANK, RULE)
    with pytest.raises(DrawRefused, match="cannot become"):
        lifecycle.commit(draw, manager)


def test_the_eligible_set_cannot_change_after_commit(manager):
    competition = closed_competition()
    add_applications(competition, "ALA", 3)
    add_applications(competition, "MAN", 2)
    lifecycle.assert_eligible_set_open(competition, manager)  # no draw yet
    draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    lifecycle.assert_eligible_set_open(competition, manager)  # a draft follows the screening
    lifecycle.commit(draw, manager)
    db.session.commit()

    with pytest.raises(EligibleSetFrozen, match="is committed") as refused:
        lifecycle.assert_eligible_set_open(competition, manager, {"ticket": "ZP25-0003", "change": "rejected",
                                                                 "application": 3})
    settle(refused.value)  # the record alone is written after the rollback
    refusal = reading.draw_of(competition).log[-1]
    assert refusal.event == "eligible_set.change_refused"
    assert refusal.data == {"ticket": "ZP25-0003", "change": "rejected"}  # the application id stays private
    assert audit_events()[-1] == "draw.eligible_set_change_refused"


def test_an_eligible_applicant_can_withdraw_until_the_list_is_committed(manager):
    from app.applications.submission import SubmissionRefused, can_withdraw, withdraw

    competition = closed_competition()
    first, second = add_applications(competition, "ALA", 3)[:2]
    add_applications(competition, "MAN", 2)
    db.session.commit()
    assert can_withdraw(first, first.applicant)
    withdraw(first, first.applicant)
    draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    lifecycle.commit(draw, manager)
    db.session.commit()
    assert not can_withdraw(second, second.applicant)
    with pytest.raises(SubmissionRefused):
        withdraw(second, second.applicant)
    assert second.status is ApplicationStatus.ELIGIBLE


# --- observers and sources ------------------------------------------------------------------

def test_observers_are_registered_between_commit_and_run(manager):
    competition = closed_competition()
    add_applications(competition, "ALA", 3)
    add_applications(competition, "MAN", 2)
    draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    with pytest.raises(DrawRefused, match="after the list is committed"):
        lifecycle.register_observer(draw, "Айгүл Сапарова", "Маңғыстау облысы әкімдігі", manager)
    lifecycle.commit(draw, manager)
    lifecycle.register_observer(draw, " Айгүл Сапарова ", "Маңғыстау облысы әкімдігі", manager)
    with pytest.raises(DrawRefused) as refused:
        lifecycle.register_observer(draw, "Ержан", "  ", manager)
    assert refused.value.field == "organisation"
    assert [(o.name, o.organisation) for o in draw.observers] == [("Айгүл Сапарова", "Маңғыстау облысы әкімдігі")]
    assert draw.log[-1].data == {"name": "Айгүл Сапарова", "organisation": "Маңғыстау облысы әкімдігі"}


@pytest.mark.parametrize("algorithm, sources, message", [
    (SHA256_RANK, [], "Enter at least one random source."),
    (SHA256_RANK, ["17", "   "], "Random source 2 is empty."),
    (RFC3797, [], "Enter at least one random source."),
    (RFC3797, ["17 42", "twelve"], "Random source 2 must be non-negative whole numbers"),
    (RFC3797, ["17 -4"], "Random source 1 must be non-negative whole numbers"),
    (RFC3797, ["3.5"], "Random source 1 must be non-negative whole numbers"),
])
def test_sources_that_do_not_follow_the_rule_are_refused(manager, algorithm, sources, message):
    draw = committed_draw(manager, algorithm=algorithm)
    before = log_events(draw)
    with pytest.raises(DrawRefused, match=message) as refused:
        lifecycle.enter_sources(draw, sources, manager)
    assert refused.value.field == "sources"
    db.session.rollback()
    assert draw.sources is None and log_events(draw) == before


def test_sources_are_entered_once(manager):
    draw = committed_draw(manager)
    lifecycle.enter_sources(draw, [" 17 ", "42"], manager)
    assert draw.sources == ["17", "42"]
    assert draw.log[-1].data == {"sources": ["17", "42"]}
    with pytest.raises(DrawRefused, match="already been entered"):
        lifecycle.enter_sources(draw, ["99"], manager)


# --- run ------------------------------------------------------------------------------------

def test_run_needs_the_sources(manager):
    draw = committed_draw(manager)
    with pytest.raises(DrawRefused, match="Enter the random sources"):
        lifecycle.run(draw, manager)


@pytest.mark.parametrize("algorithm", [SHA256_RANK, RFC3797])
def test_run_draws_each_stratum_and_moves_the_applications(manager, algorithm):
    draw = drawn_draw(manager, algorithm=algorithm)
    expected = engine.run_draw(algorithm, draw.entries, draw.quotas, SOURCES[algorithm])
    assert draw.state is DrawState.DRAWN
    assert draw.seed == expected.seed
    assert draw.results == [result._asdict() for result in expected.results]

    winners = [r.ticket for r in expected.results if r.outcome == engine.WINNER]
    reserve = [r.ticket for r in expected.results if r.outcome == engine.RESERVE]
    assert len(winners) == 5 and len(reserve) == 3
    found = statuses(draw.competition)
    assert {found[t] for t in winners} == {ApplicationStatus.WINNER}
    assert {found[t] for t in reserve} == {ApplicationStatus.RESERVE}

    revealed = [(e.data["stratum"], e.data["rank"], e.data["ticket"])
                for e in draw.log if e.event == "winner.revealed"]
    assert revealed == [(r.stratum, r.rank, r.ticket) for r in expected.results if r.outcome == engine.WINNER]
    assert log_events(draw)[3:5] == ["sources.entered", "seed.computed"]
    assert first_broken([entry.as_chain_entry() for entry in draw.log]) is None
    assert "draw.run" in audit_events()


def test_a_draw_runs_only_once(manager):
    draw = drawn_draw(manager)
    results, log_length = draw.results, len(draw.log)
    with pytest.raises(DrawRefused, match="already been run"):
        lifecycle.run(draw, manager)
    db.session.rollback()
    assert draw.results == results and len(draw.log) == log_length


def test_a_quota_larger_than_its_stratum_gives_everyone_a_grant_and_shows_the_rest_unawarded(manager):
    competition = closed_competition(strata=(("ALA", 2, ()), ("MAN", 5, ())))
    add_applications(competition, "ALA", 4)
    add_applications(competition, "MAN", 3)
    draw = drawn_draw(manager, competition=competition)

    man = next(s for s in reading.outcomes(draw) if s.code == "MAN")
    assert len(man.winners) == 3 and man.reserve == [] and man.unawarded == 2
    drawn = {e.data["stratum"]: e.data["unawarded"] for e in draw.log if e.event == "stratum.drawn"}
    assert drawn == {"ALA": 0, "MAN": 2}
    assert [s.unawarded for s in reading.strata_summary(draw)] == [0, 2]


def test_run_leaves_an_application_that_left_the_list_after_commit_as_it_is(manager):
    draw = committed_draw(manager)
    # What a withdrawal that skipped assert_eligible_set_open would do.
    db.session.execute(sa.update(Application).where(Application.number == "ZP25-0001")
                       .values(status=ApplicationStatus.WITHDRAWN))
    db.session.commit()
    lifecycle.enter_sources(draw, SOURCES[SHA256_RANK], manager)
    lifecycle.run(draw, manager)
    db.session.commit()
    assert statuses(draw.competition)["ZP25-0001"] is ApplicationStatus.WITHDRAWN
    assert len(draw.results) == 8


# --- publish --------------------------------------------------------------------------------

def test_publish_notifies_every_applicant_in_their_language(manager):
    competition = closed_competition(strata=(("ALA", 1, ()), ("MAN", 1, ())))
    add_applications(competition, "ALA", 2, locale="kk")
    add_applications(competition, "MAN", 2, locale="ru")
    draw = published_draw(manager, competition=competition)

    assert draw.state is DrawState.PUBLISHED and draw.published_at is not None
    assert log_events(draw)[-1] == "results.published"
    messages = {m.to_address: m for m in db.session.execute(sa.select(OutboxMessage)).scalars()}
    assert len(messages) == 4
    for result in draw.results:
        number = int(result["ticket"][-4:])
        message = messages[f"applicant{number}.zp25@example.kz"]
        assert message.locale == ("kk" if result["stratum"] == "ALA" else "ru")
        assert result["ticket"] in message.subject
        assert f"/draws/{draw.id}" in message.body_text
        if result["outcome"] == engine.RESERVE:
            assert message.body_text.count(result["ticket"]) >= 1


def test_publish_only_after_the_run(manager):
    draw = committed_draw(manager)
    with pytest.raises(DrawRefused, match="cannot become"):
        lifecycle.publish(draw, manager)
    db.session.rollback()
    assert draw.state is DrawState.COMMITTED and draw.published_at is None


# --- replacement ----------------------------------------------------------------------------

def stratum(draw, code):
    return next(s for s in reading.outcomes(draw) if s.code == code)


def test_a_winner_is_replaced_by_the_next_on_the_same_stratum_reserve_list(manager):
    draw = published_draw(manager, ala=6, man=3)
    ala = stratum(draw, "ALA")
    leaving = ala.winners[1]["ticket"]
    first_reserve, second_reserve = ala.reserve[0]["ticket"], ala.reserve[1]["ticket"]

    promoted = replacement.replace_winner(draw, leaving, "withdrew", manager, "called the office")
    db.session.commit()
    assert promoted.number == first_reserve
    found = statuses(draw.competition)
    assert found[leaving] is ApplicationStatus.WITHDRAWN and found[first_reserve] is ApplicationStatus.WINNER
    assert [(e.event, e.data) for e in draw.log[-2:]] == [
        ("winner.removed", {"ticket": leaving, "stratum": "ALA", "reason": "withdrew"}),
        ("reserve.promoted", {"ticket": first_reserve, "stratum": "ALA", "rank": 4, "replaces": leaving,
                              "passed_over": []}),
    ]
    ala = stratum(draw, "ALA")
    assert leaving not in ala.current_winners and first_reserve in ala.current_winners
    assert ala.unawarded == 0

    # The promoted winner misses the deadline in turn: the next one comes up.
    assert replacement.replace_winner(draw, first_reserve, "missed_deadline", manager).number == second_reserve
    db.session.commit()
    assert first_broken([entry.as_chain_entry() for entry in draw.log]) is None
    mail = db.session.execute(sa.select(OutboxMessage).where(
        OutboxMessage.subject.contains(second_reserve))).scalars().all()
    assert any("now receives a grant" in m.subject for m in mail)
    assert audit_events().count("draw.winner_replaced") == 2


def test_a_reserve_who_left_the_list_is_passed_over(manager):
    draw = published_draw(manager, ala=6, man=3)
    ala = stratum(draw, "ALA")
    first, second = ala.reserve[0]["ticket"], ala.reserve[1]["ticket"]
    db.session.execute(sa.update(Application).where(Application.number == first)
                       .values(status=ApplicationStatus.WITHDRAWN))
    promoted = replacement.replace_winner(draw, ala.winners[0]["ticket"], "disqualified", manager)
    assert promoted.number == second
    assert draw.log[-1].data["passed_over"] == [first]
    # The next replacement goes on from there: whoever was passed over is not passed over again.
    third = ala.reserve[2]["ticket"]
    assert replacement.replace_winner(draw, ala.winners[1]["ticket"], "withdrew", manager).number == third
    assert draw.log[-1].data["passed_over"] == []


def test_when_the_reserve_list_is_exhausted_the_grant_stays_unawarded(manager):
    draw = published_draw(manager, ala=3, man=2)  # nobody on the reserve lists
    man = stratum(draw, "MAN")
    assert replacement.replace_winner(draw, man.winners[0]["ticket"], "withdrew", manager) is None
    assert draw.log[-1].event == "reserve.exhausted"
    assert stratum(draw, "MAN").unawarded == 1


def test_only_a_current_winner_can_be_replaced_and_only_after_publication(manager):
    draw = drawn_draw(manager)
    winner = stratum(draw, "ALA").winners[0]["ticket"]
    with pytest.raises(DrawRefused, match="only after the results are published"):
        replacement.replace_winner(draw, winner, "withdrew", manager)
    lifecycle.publish(draw, manager)
    db.session.commit()

    reserve = stratum(draw, "ALA").reserve[0]["ticket"]
    with pytest.raises(DrawRefused, match="does not hold a grant"):
        replacement.replace_winner(draw, reserve, "withdrew", manager)
    with pytest.raises(DrawRefused, match="does not hold a grant"):
        replacement.replace_winner(draw, "ZP25-9999", "withdrew", manager)
    with pytest.raises(DrawRefused, match="Choose the reason"):
        replacement.replace_winner(draw, winner, "bored", manager)
    replacement.replace_winner(draw, winner, "withdrew", manager)
    with pytest.raises(DrawRefused, match="does not hold a grant"):
        replacement.replace_winner(draw, winner, "withdrew", manager)


# --- the whole cycle ------------------------------------------------------------------------

def test_every_step_can_run_in_one_transaction(manager):
    """What a demo stage does: all the steps, one commit."""
    competition = closed_competition()
    add_applications(competition, "ALA", 4)
    add_applications(competition, "MAN", 2)
    draw = lifecycle.prepare(competition, None, SHA256_RANK, RULE)
    lifecycle.commit(draw, None)
    lifecycle.register_observer(draw, "Observer", "NGO", None)
    lifecycle.enter_sources(draw, ["1 2 3"], None)
    lifecycle.run(draw, None)
    lifecycle.publish(draw, None)
    db.session.commit()
    assert draw.state is DrawState.PUBLISHED
    assert log_events(draw)[:6] == ["draw.prepared", "list.frozen", "rule.announced", "observer.registered",
                                    "sources.entered", "seed.computed"]
    record = reading.record(draw)
    assert record["log"] == [entry.as_chain_entry() for entry in draw.log]
    assert record["results"] == draw.results


@pytest.mark.parametrize("age, bucket", [(12, None), (13, "13-16"), (16, "13-16"), (17, "17-22"), (27, "23-27"),
                                         (32, "28-32"), (45, "33-45"), (58, "46-58"), (59, "59+"), (90, "59+")])
def test_age_buckets_are_those_of_the_operator_report(age, bucket):
    found = bucket_of(age)
    assert (found.short if found else None) == bucket


def test_the_balance_table_counts_winners_and_the_rest_per_stratum(manager):
    draw = drawn_draw(manager, ala=6, man=3)
    tables = {table.code: table for table in balance.balance(draw)}
    ala = tables["ALA"]
    assert (ala.winners, ala.others) == (3, 3)
    for rows in (ala.sex, ala.age, ala.districts):
        assert sum(row.winners for row in rows) == 3 and sum(row.others for row in rows) == 3
    assert {row.label for row in ala.districts} <= {f"ALA-{name}" for name in (
        "ALATAU", "ALMALY", "AUEZOV", "BOSTANDYK", "ZHETYSU", "MEDEU", "NAURYZBAY", "TURKSIB")}
