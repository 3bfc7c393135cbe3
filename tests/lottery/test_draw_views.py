"""The draw's pages: the public ones (page, live JSON, record, frozen list, verifier, guide) show
tickets and never a name or an IIN; the manager's ones run each step and show each refusal."""
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.almaty import utc_to_almaty
from app.applications.models import Application, ApplicationStatus
from app.audit.chain import canonical_json, sha256_hex
from app.auth.models import Role
from app.extensions import db
from app.lottery import lifecycle, reading, replacement
from app.lottery.engine import RFC3797, SHA256_RANK
from app.lottery.models import Draw, DrawState
from tests.conftest import login
from tests.factories import make_competition
from tests.lottery.test_lifecycle import (
    RULE, SOURCES, add_applications, closed_competition, committed_draw, drawn_draw, published_draw,
)

VERIFIER = Path(__file__).resolve().parents[2] / "tools" / "verify_draw.py"


def personal_data(competition):
    """Every applicant's IIN, names, e-mail and phone: none may appear on a public page or file."""
    found = set()
    for application in db.session.execute(
            sa.select(Application).where(Application.competition_id == competition.id)).scalars():
        found |= {application.iin, application.last_name, application.first_name, application.patronymic,
                  application.applicant.email, application.address}
    return found


def assert_no_personal_data(text, competition):
    leaked = sorted(value for value in personal_data(competition) if value and value in text)
    assert not leaked, leaked


# --- public pages ---------------------------------------------------------------------------

def test_the_call_page_links_the_draw_once_it_is_public(client, manager):
    competition = closed_competition()
    add_applications(competition, "ALA", 3)
    add_applications(competition, "MAN", 2)
    draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    db.session.commit()
    assert f'href="/draws/{draw.id}"' not in client.get(f"/calls/{competition.id}").get_data(as_text=True)
    lifecycle.commit(draw, manager)
    db.session.commit()
    assert f'href="/draws/{draw.id}"' in client.get(f"/calls/{competition.id}").get_data(as_text=True)


def test_a_prepared_draw_is_not_public(client, manager):
    competition = closed_competition()
    add_applications(competition, "ALA", 3)
    add_applications(competition, "MAN", 2)
    draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    db.session.commit()
    for url in (f"/draws/{draw.id}", f"/draws/{draw.id}/live.json", f"/draws/{draw.id}/list.json",
                f"/draws/{draw.id}.json", f"/draws/{draw.id}/protocol-kk.pdf", "/draws/999"):
        assert client.get(url).status_code == 404, url
    assert f"/draws/{draw.id}" not in client.get("/draws").get_data(as_text=True)


def test_before_the_run_the_page_shows_the_committed_list_the_rule_and_the_observers(client, manager):
    draw = committed_draw(manager)
    lifecycle.register_observer(draw, "Dana Observer", "Youth NGO", manager)
    db.session.commit()
    page = client.get(f"/draws/{draw.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in (draw.commitment, RULE, "Dana Observer", "Youth NGO", "ZP25-0001", "ZP25-0008", "sha256-rank/1",
                 "this page updates by itself", "/draws/verify_draw.py", "/draws/check"):
        assert text in html, text
    assert f"/draws/{draw.id}.json" not in html  # no record before the run
    assert client.get(f"/draws/{draw.id}.json").status_code == 404
    assert client.get(f"/draws/{draw.id}/protocol-ru.pdf").status_code == 404
    assert_no_personal_data(html, draw.competition)

    frozen = client.get(f"/draws/{draw.id}/list.json").get_json()
    assert frozen["entries"] == draw.entries and frozen["quotas"] == {"ALA": 3, "MAN": 2}
    body = {key: frozen[key] for key in ("algorithm", "entries", "quotas")}
    assert sha256_hex(canonical_json(body)) == frozen["commitment"] == draw.commitment


def test_after_the_run_the_page_shows_winners_reserve_balance_and_the_log(client, manager):
    draw = drawn_draw(manager, ala=6, man=3)
    html = client.get(f"/draws/{draw.id}").get_data(as_text=True)
    for text in (draw.seed, draw.log_head, "17", "Winners", "Reserve list, in order", "Balance table",
                 f"/draws/{draw.id}/protocol-kk.pdf", f"/draws/{draw.id}/protocol-ru.pdf"):
        assert text in html, text
    # The record comes with the publication: the verifier wants the log to end with it.
    assert f"/draws/{draw.id}.json" not in html
    assert client.get(f"/draws/{draw.id}.json").status_code == 404
    for result in draw.results:
        assert result["ticket"] in html
    # Winners are marked for the one-by-one reveal; reserves are not.
    assert html.count("data-reveal") == 5
    assert_no_personal_data(html, draw.competition)


def test_the_page_shows_the_chain_head_with_what_to_do_with_it(client, manager):
    draw = committed_draw(manager)
    html = client.get(f"/draws/{draw.id}").get_data(as_text=True)
    assert f"python3 verify_draw.py draw-{draw.id}.json --commitment {draw.commitment}" in html
    lifecycle.enter_sources(draw, SOURCES[SHA256_RANK], manager)
    lifecycle.run(draw, manager)
    lifecycle.publish(draw, manager)
    db.session.commit()
    html = client.get(f"/draws/{draw.id}").get_data(as_text=True)
    head = html.index('id="head"')
    assert head < html.index('id="rule"') < html.index('id="results"')  # before everything else
    box = html[head:html.index("</section>", head)]
    assert draw.log_head in box and f"after entry {len(draw.log)}" in box
    assert "Write down this head (or photograph it)." in box
    assert f"python3 verify_draw.py draw-{draw.id}.json --head {draw.log_head}" in box
    assert f'href="/draws/{draw.id}.json" download="draw-{draw.id}.json"' in html


def test_a_stratum_without_eligible_applications_is_shown_unawarded(client, manager):
    competition = closed_competition(strata=(("ALA", 2, ()), ("MAN", 3, ())))
    add_applications(competition, "ALA", 3)
    draw = published_draw(manager, competition=competition)
    html = client.get(f"/draws/{draw.id}").get_data(as_text=True)
    assert ("No eligible applications in this stratum: its 3 grants stay unawarded. "
            "The quota is not moved to another stratum.") in html
    assert client.get(f"/draws/{draw.id}.json").get_json()["quotas"] == {"ALA": 2, "MAN": 3}


def test_the_record_is_refused_with_the_reason_when_the_stored_draw_disagrees(client, manager):
    draw = published_draw(manager)
    db.session.execute(sa.update(Draw).where(Draw.id == draw.id).values(entries=draw.entries[1:]))
    db.session.commit()
    response = client.get(f"/draws/{draw.id}.json")
    assert response.status_code == 409
    assert response.get_json()["error"].startswith(
        f"The record of draw {draw.id} cannot be exported, its stored data disagree: The stored commitment")


def test_the_page_lists_unawarded_grants(client, manager):
    competition = closed_competition(strata=(("ALA", 2, ()), ("MAN", 5, ())))
    add_applications(competition, "ALA", 3)
    add_applications(competition, "MAN", 2)
    draw = drawn_draw(manager, competition=competition)
    html = client.get(f"/draws/{draw.id}").get_data(as_text=True)
    assert "3 grants of this stratum stay unawarded." in html


def test_the_public_pages_keep_to_the_content_security_policy(client, manager):
    draw = drawn_draw(manager)
    for url in (f"/draws/{draw.id}", "/draws", "/draws/check"):
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "style=" not in html, url
    assert "js/draw-live.js" in client.get(f"/draws/{draw.id}").get_data(as_text=True)


def test_live_json_sends_the_live_part_only_when_the_log_has_grown(client, manager):
    draw = committed_draw(manager)
    seq = len(draw.log)
    same = client.get(f"/draws/{draw.id}/live.json?seq={seq}")
    assert same.headers["Cache-Control"] == "public, no-cache" and same.headers["ETag"]  # revalidated each poll
    assert same.get_json() == {"state": "committed", "seq": seq, "head": draw.log_head}

    lifecycle.enter_sources(draw, SOURCES[SHA256_RANK], manager)
    lifecycle.run(draw, manager)
    db.session.commit()
    grown = client.get(f"/draws/{draw.id}/live.json?seq={seq}").get_json()
    assert grown["state"] == "drawn" and grown["seq"] == len(draw.log) and grown["head"] == draw.log_head
    assert draw.seed in grown["html"] and "data-reveal" in grown["html"]
    assert_no_personal_data(grown["html"], draw.competition)
    assert "html" in client.get(f"/draws/{draw.id}/live.json").get_json()  # a page without a seq


def test_the_record_is_the_published_draw_record(client, manager):
    draw = published_draw(manager, algorithm=RFC3797)
    response = client.get(f"/draws/{draw.id}.json")
    record = response.get_json()
    assert record == json.loads(json.dumps(reading.record(draw)))
    assert record["format"] == "grants-draw/1" and record["algorithm"] == RFC3797
    assert record["log"][-1]["hash"] == draw.log_head
    text = response.get_data(as_text=True)
    assert_no_personal_data(text, draw.competition)


def test_the_verifier_is_downloadable(client):
    response = client.get("/draws/verify_draw.py")
    assert response.status_code == 200
    assert response.data == VERIFIER.read_bytes()
    assert "attachment" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_guide_opens_in_every_language(client, lang):
    client.get(f"/lang/{lang}")
    response = client.get("/draws/check")
    assert response.status_code == 200
    assert "verify_draw.py" in response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in response.get_data(as_text=True)


def test_the_index_lists_public_draws(client, manager):
    draw = committed_draw(manager)
    html = client.get("/draws").get_data(as_text=True)
    assert f"/draws/{draw.id}" in html and "ZHAS PROJECT: small grants competition" in html


# --- the manager's pages --------------------------------------------------------------------

def manage_routes(draw_id, competition_id):
    return [
        ("get", "/manage/draws", None),
        ("get", f"/manage/draws/prepare/{competition_id}", None),
        ("post", f"/manage/draws/prepare/{competition_id}", {"algorithm": SHA256_RANK, "source_rule": RULE}),
        ("get", f"/manage/draws/{draw_id}", None),
        ("post", f"/manage/draws/{draw_id}/commit", {}),
        ("post", f"/manage/draws/{draw_id}/observers", {"name": "A", "organisation": "B"}),
        ("post", f"/manage/draws/{draw_id}/sources", {"sources": "1\n2"}),
        ("post", f"/manage/draws/{draw_id}/run", {}),
        ("post", f"/manage/draws/{draw_id}/publish", {}),
        ("post", f"/manage/draws/{draw_id}/replace", {"ticket": "ZP25-0001", "reason": "withdrew"}),
    ]


@pytest.mark.parametrize("roles", [(Role.APPLICANT,), (Role.STAFF,), (Role.FINANCE,), None])
def test_the_staff_pages_are_for_managers_only(client, make_user, manager, roles):
    draw = committed_draw(manager)
    if roles:
        login(client, make_user("someone@example.kz", roles=roles).email)
    for method, url, data in manage_routes(draw.id, draw.competition_id):
        response = getattr(client, method)(url, data=data)
        if roles:
            assert response.status_code == 403, (method, url)
        else:
            assert response.status_code == 302 and "/login" in response.headers["Location"], (method, url)
    db.session.refresh(draw)
    assert draw.state is DrawState.COMMITTED and draw.observers == [] and draw.sources is None


def test_a_manager_runs_the_whole_draw_from_the_pages(as_manager, manager):
    competition = closed_competition()
    add_applications(competition, "ALA", 5)
    add_applications(competition, "MAN", 3)
    client = as_manager

    assert f"/manage/draws/prepare/{competition.id}" in client.get("/manage/draws").get_data(as_text=True)
    assert client.get(f"/manage/draws/prepare/{competition.id}").status_code == 200
    response = client.post(f"/manage/draws/prepare/{competition.id}",
                           data={"algorithm": RFC3797, "source_rule": RULE})
    draw = db.session.execute(sa.select(Draw)).scalar_one()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/manage/draws/{draw.id}")
    page = client.get(f"/manage/draws/{draw.id}").get_data(as_text=True)
    assert "Commit the list" in page and "8 eligible applications" in page

    steps = [
        ("commit", {}, DrawState.COMMITTED),
        ("observers", {"name": "Айгүл Сапарова", "organisation": "Маңғыстау облысы әкімдігі"}, DrawState.COMMITTED),
        ("sources", {"sources": "17 42 8\r\n\r\n5\r\n"}, DrawState.COMMITTED),
        ("run", {}, DrawState.DRAWN),
        ("publish", {}, DrawState.PUBLISHED),
    ]
    for step, data, state in steps:
        response = client.post(f"/manage/draws/{draw.id}/{step}", data=data)
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:2000])
        db.session.refresh(draw)
        assert draw.state is state, step
        assert client.get(f"/manage/draws/{draw.id}").status_code == 200, step
        assert client.get(f"/draws/{draw.id}").status_code == 200, step
    assert draw.sources == ["17 42 8", "5"]
    assert [o.name for o in draw.observers] == ["Айгүл Сапарова"]

    page = client.get(f"/manage/draws/{draw.id}").get_data(as_text=True)
    assert "Replace a winner" in page
    winner = reading.outcomes(draw)[0].winners[0]["ticket"]
    response = client.post(f"/manage/draws/{draw.id}/replace",
                           data={"ticket": winner, "reason": "missed_deadline", "comment": "no answer"})
    assert response.status_code == 302
    db.session.refresh(draw)
    assert [e.event for e in draw.log[-2:]] == ["winner.removed", "reserve.promoted"]
    public = client.get(f"/draws/{draw.id}").get_data(as_text=True)
    assert "Promoted" in public and "no answer" not in public


def test_refusals_are_shown_on_the_manager_pages(as_manager, manager):
    client = as_manager
    open_call = closed_competition(code="ZP26")
    open_call.screening_closed_at = None
    db.session.commit()
    response = client.post(f"/manage/draws/prepare/{open_call.id}",
                           data={"algorithm": SHA256_RANK, "source_rule": RULE})
    assert response.status_code == 200
    assert "Screening of this competition is not closed yet" in response.get_data(as_text=True)

    competition = closed_competition(strata=(("ALA", 3, ()), ("AST", 2, ())))
    add_applications(competition, "ALA", 4)  # AST is empty: drawn, its grants unawarded
    outsider = add_applications(competition, "MAN", 1)[0]  # not a stratum of this call
    client.post(f"/manage/draws/prepare/{competition.id}", data={"algorithm": RFC3797, "source_rule": RULE})
    draw = reading.draw_of(competition)
    page = client.get(f"/manage/draws/{draw.id}").get_data(as_text=True)
    assert "1 eligible applications are registered in MAN, which is not a stratum" in page
    assert "Some strata have fewer eligible applications than grants, or none: the draw runs" in page
    response = client.post(f"/manage/draws/{draw.id}/commit")
    assert response.status_code == 200 and "registered in MAN" in response.get_data(as_text=True)
    db.session.refresh(draw)
    assert draw.state is DrawState.PREPARED

    outsider.status = ApplicationStatus.REJECTED
    db.session.commit()
    seen = {"algorithm": RFC3797, "source_rule": RULE, "version": str(draw.version)}
    assert client.post(f"/manage/draws/prepare/{competition.id}", data=seen).status_code == 302
    response = client.post(f"/manage/draws/prepare/{competition.id}", data=seen)  # the same form, sent again
    assert response.status_code == 200
    assert "Someone else prepared this draw at the same moment." in response.get_data(as_text=True)
    db.session.refresh(draw)
    assert [e.event for e in draw.log].count("draw.prepared") == 2
    assert client.post(f"/manage/draws/{draw.id}/commit").status_code == 302
    response = client.post(f"/manage/draws/{draw.id}/run")
    assert "Enter the random sources before running the draw." in response.get_data(as_text=True)
    response = client.post(f"/manage/draws/{draw.id}/sources", data={"sources": "12 seven"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="sources-error"[^>]*>\s*Random source 1 must be non-negative whole numbers', html)
    response = client.post(f"/manage/draws/{draw.id}/sources", data={"sources": " \n "})
    assert "Enter at least one random source." in response.get_data(as_text=True)

    assert client.post(f"/manage/draws/{draw.id}/sources", data={"sources": "12 7"}).status_code == 302
    assert client.post(f"/manage/draws/{draw.id}/run").status_code == 302
    response = client.post(f"/manage/draws/{draw.id}/run")
    assert "This draw has already been run. A draw runs only once." in response.get_data(as_text=True)
    response = client.post(f"/manage/draws/{draw.id}/replace", data={"ticket": "ZP25-0001", "reason": "withdrew"})
    assert "Winners are replaced only after the results are published." in response.get_data(as_text=True)


# --- find my number, the top of the page, the log's times (issue 10) ---------------------------

def answer_of(client, draw, number):
    html = client.get(f"/draws/{draw.id}", query_string={"number": number}).get_data(as_text=True)
    found = re.search(r'data-number-answer="(\w+)">\s*(?:<strong>)?([^<]*)', html)
    return found.group(1), " ".join(found.group(2).split())


def test_an_observer_finds_their_number_on_the_draw_page(client, manager):
    competition = closed_competition()
    add_applications(competition, "ALA", 5)
    add_applications(competition, "MAN", 3)
    rejected = add_applications(competition, "ALA", 1, status=ApplicationStatus.REJECTED)[0]
    draw = committed_draw(manager, competition=competition)
    ticket = draw.entries[0]["ticket"]
    assert answer_of(client, draw, ticket)[0] == "listed"
    lifecycle.enter_sources(draw, SOURCES[SHA256_RANK], manager)
    lifecycle.run(draw, manager)
    lifecycle.publish(draw, manager)
    db.session.commit()
    winner = reading.outcomes(draw)[0].winners[1]
    reserve = reading.outcomes(draw)[0].reserve[0]
    serial = int(winner["ticket"].split("-")[1])
    for typed in (winner["ticket"], winner["ticket"].lower(), f" zp25 {serial:04d} ", str(serial), f"ZP25{serial:04d}"):
        assert answer_of(client, draw, typed) == (
            "winner", f"{winner['ticket']} is a winner: rank 2 in Almaty city."), typed
    assert answer_of(client, draw, reserve["ticket"]) == (
        "reserve", f"{reserve['ticket']} is on the reserve list of Almaty city, position 1.")
    assert answer_of(client, draw, rejected.number)[0] == "not_drawn"
    assert answer_of(client, draw, "ZP25-0777") == (
        "not_found", "No application with the number “ZP25-0777” in this call. Check the number on your receipt.")
    assert answer_of(client, draw, "ZP26-0001")[0] == "not_found"
    html = client.get(f"/draws/{draw.id}?number={winner['ticket']}").get_data(as_text=True)
    assert 'method="get"' in html and 'name="number"' in html
    assert_no_personal_data(html, draw.competition)


def test_a_replaced_winner_and_the_promoted_reserve_are_answered_as_they_stand(client, manager):
    draw = published_draw(manager)
    stratum = reading.outcomes(draw)[0]
    winner, reserve = stratum.winners[0]["ticket"], stratum.reserve[0]["ticket"]
    replacement.replace_winner(draw, winner, "withdrew", manager, "")
    db.session.commit()
    assert answer_of(client, draw, winner)[0] == "removed"
    assert answer_of(client, draw, reserve)[0] == "promoted"


def test_the_newest_winners_come_first_on_the_page_and_the_long_parts_fold(client, manager):
    draw = drawn_draw(manager, ala=6, man=3)
    html = client.get(f"/draws/{draw.id}").get_data(as_text=True)
    now = html.index('id="now"')
    assert html.index('id="find"') < now < html.index('id="head"') < html.index('id="results"')
    card = html[now:html.index("</section>", now)]
    revealed = [e.data for e in draw.log if e.event == "winner.revealed"]
    assert "Mangystau" in card  # the stratum drawn last
    assert [m for m in re.findall(r"ZP25-\d{4}", card)] == [w["ticket"] for w in revealed[::-1][:5]]
    for fold in ("results-ALA", "results-MAN", "balance-tables", "log-entries", "frozen-list"):
        assert f'<details id="{fold}"' in html, fold


def test_log_times_are_shown_in_almaty_time_and_stay_utc_in_the_json(client, manager):
    draw = published_draw(manager)
    entry = draw.log[0]
    html = client.get(f"/draws/{draw.id}").get_data(as_text=True)
    assert f'<time datetime="{entry.at}">' in html
    utc = datetime.fromisoformat(entry.at).astimezone(timezone.utc).replace(tzinfo=None)
    assert utc_to_almaty(utc).strftime("%H:%M:%S") in html
    assert entry.at not in html.replace(f'datetime="{entry.at}"', "")
    assert "Times are shown in Almaty time; the record keeps them in UTC." in html
    assert client.get(f"/draws/{draw.id}.json").get_json()["log"][0]["at"] == entry.at


def test_the_home_page_and_a_winners_page_link_to_the_draw(client, manager):
    draw = published_draw(manager)
    home = client.get("/").get_data(as_text=True)
    assert f"/calls/{draw.competition_id}/screening-results" in home and f'href="/draws/{draw.id}"' in home
    winner = db.session.execute(sa.select(Application).where(
        Application.number == reading.outcomes(draw)[0].winners[0]["ticket"])).scalar_one()
    login(client, winner.applicant.email)
    page = client.get(f"/my/applications/{winner.id}").get_data(as_text=True)
    assert f"/draws/{draw.id}?number={winner.number}#find" in page


def test_the_prepare_page_shows_the_list_by_stratum_without_names(as_manager):
    competition = closed_competition(strata=(("ALA", 2, ()), ("MAN", 1, ())))
    ala = add_applications(competition, "ALA", 3)
    man = add_applications(competition, "MAN", 1)
    add_applications(competition, "MAN", 1, status=ApplicationStatus.REJECTED)
    html = as_manager.get(f"/manage/draws/prepare/{competition.id}").get_data(as_text=True)
    assert "4 eligible applications, by stratum." in html
    assert "applications: 3, grants: 2" in html and "applications: 1, grants: 1" in html
    for application in ala + man:
        assert application.number in html
    assert_no_personal_data(html, competition)


def test_the_prepared_draw_shows_the_list_to_check(as_manager, manager):
    competition = closed_competition()
    tickets = [a.number for a in add_applications(competition, "ALA", 2) + add_applications(competition, "MAN", 2)]
    draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
    db.session.commit()
    html = as_manager.get(f"/manage/draws/{draw.id}").get_data(as_text=True)
    assert 'id="entry-list"' in html and all(ticket in html for ticket in tickets)


def test_the_draws_list_shows_whether_screening_is_closed_and_when(as_manager):
    closed = closed_competition(code="ZP24")
    make_competition(code="ZP25")
    html = as_manager.get("/manage/draws").get_data(as_text=True)
    rows = {code: next(row for row in html.split("<tr>") if f">{code}<" in row) for code in ("ZP24", "ZP25")}
    assert "Screening closed" in rows["ZP24"] and str(closed.screening_closed_at.year) in rows["ZP24"]
    assert "Screening open" in rows["ZP25"]
