"""The public draw pages are made once per change of the draw's log and served as made: a strong
ETag and 304, the kept bytes equal to a page made afresh, a new version after a replacement (the
protocol's old versions kept), nothing of a logged-in user in a page made for everyone, and a
number of queries that does not grow with the applications. Also the home and call pages."""
import hashlib
import re
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from app.extensions import db
from app.lottery import balance, lifecycle, protocol, published, reading, replacement
from app.lottery.engine import SHA256_RANK
from app.lottery.models import DrawProtocol, DrawRendering
from app.page_cache import Memory
from tests.conftest import login
from tests.factories import make_user
from tests.lottery.test_lifecycle import (
    SOURCES, add_applications, closed_competition, committed_draw, drawn_draw, published_draw,
)
from tests.lottery.test_protocol import pdf_text

PUBLISHED_URLS = ("", ".json", "/live.json", "/protocol-ru.pdf", "/protocol-kk.pdf", "/list.json")


@pytest.fixture
def kept_a_minute(app, monkeypatch):
    """Workers keep what they made for a minute, as in production (the tests' default is 0)."""
    monkeypatch.setitem(app.config, "PUBLIC_CACHE_SECONDS", 60)
    monkeypatch.setitem(app.extensions, "page_cache", Memory())


def forget_everything(app):
    """As a worker that has just started, on a database with nothing made yet."""
    app.extensions["page_cache"] = Memory()
    db.session.execute(sa.delete(DrawRendering))
    db.session.commit()


@contextmanager
def counted_queries():
    statements = []

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def queries(client, url):
    with counted_queries() as statements:
        assert client.get(url).status_code == 200, url
    return len(statements)


# --- ETag, 304, the bytes kept ----------------------------------------------------------------------

@pytest.mark.parametrize("suffix", PUBLISHED_URLS)
def test_a_published_draw_is_served_with_a_strong_etag_and_304(client, manager, suffix):
    draw = published_draw(manager)
    url = f"/draws/{draw.id}{suffix}"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and not etag.startswith("W/")
    assert etag.strip('"') == hashlib.sha256(first.data).hexdigest()
    assert first.headers["Cache-Control"] == "public, max-age=600"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_compressed_answers_carry_their_own_etag(client, manager):
    draw = published_draw(manager)
    plain = client.get(f"/draws/{draw.id}")
    encoded = client.get(f"/draws/{draw.id}", headers={"Accept-Encoding": "br, gzip"})
    assert encoded.headers["Content-Encoding"] == "br"
    assert encoded.headers["ETag"] == plain.headers["ETag"][:-1] + ':br"'
    assert "Accept-Encoding" in encoded.headers["Vary"] and "Accept-Language" in encoded.headers["Vary"]
    assert len(encoded.data) < len(plain.data) / 3
    assert client.get(f"/draws/{draw.id}", headers={"Accept-Encoding": "br", "If-None-Match": encoded.headers["ETag"]}
                      ).status_code == 304


def test_while_the_draw_runs_browsers_revalidate_every_time(client, manager):
    draw = drawn_draw(manager)
    for suffix in ("", "/live.json", "/protocol-ru.pdf"):
        response = client.get(f"/draws/{draw.id}{suffix}")
        assert response.headers["Cache-Control"] == "public, no-cache", suffix
        assert client.get(f"/draws/{draw.id}{suffix}",
                          headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize("suffix", ["", ".json", "/live.json", "/live.json?seq=1"])
def test_the_bytes_kept_are_the_bytes_made_afresh(app, client, manager, kept_a_minute, suffix):
    draw = published_draw(manager)
    url = f"/draws/{draw.id}{suffix}"
    made = client.get(url).data
    assert client.get(url).data == made  # from this worker's memory
    app.extensions["page_cache"] = Memory()
    assert client.get(url).data == made  # another worker: from the database
    forget_everything(app)
    assert client.get(url).data == made  # made again from the draw


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_page_is_made_in_each_language_once(client, manager, lang):
    draw = published_draw(manager)
    client.get(f"/lang/{lang}")
    html = client.get(f"/draws/{draw.id}").get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert db.session.execute(sa.select(DrawRendering.name).where(
        DrawRendering.draw_id == draw.id, DrawRendering.name == f"live-{lang}")).scalar_one()


# --- what changes after publication -----------------------------------------------------------------

def test_a_replacement_makes_new_pages_and_a_new_protocol_keeping_the_old(client, manager):
    draw = published_draw(manager)
    before = {suffix: client.get(f"/draws/{draw.id}{suffix}") for suffix in PUBLISHED_URLS}
    stored = {row.lang: row for row in db.session.execute(sa.select(DrawProtocol)).scalars()}
    assert set(stored) == set(protocol.LANGUAGES)  # built at publication

    stratum = reading.outcomes(draw)[0]
    winner, reserve = stratum.winners[0]["ticket"], stratum.reserve[0]["ticket"]
    replacement.replace_winner(draw, winner, "withdrew", manager, "")
    db.session.commit()

    for suffix, old in before.items():
        new = client.get(f"/draws/{draw.id}{suffix}")
        if suffix == "/list.json":  # the frozen list does not change: only its version does
            assert new.data == old.data
            continue
        assert new.headers["ETag"] != old.headers["ETag"], suffix
        assert client.get(f"/draws/{draw.id}{suffix}", headers={"If-None-Match": old.headers["ETag"]}
                          ).status_code == 200, suffix
    page = client.get(f"/draws/{draw.id}").get_data(as_text=True)
    assert "Promoted" in page and f"in place of {winner}" in page
    assert client.get(f"/draws/{draw.id}.json").get_json()["log"][-1]["data"]["ticket"] == reserve

    versions = db.session.execute(sa.select(DrawProtocol).order_by(DrawProtocol.seq)).scalars().all()
    assert sorted((row.lang, row.seq) for row in versions) == sorted(
        [(lang, stored[lang].seq) for lang in protocol.LANGUAGES] + [(lang, len(draw.log)) for lang in protocol.LANGUAGES])
    latest = client.get(f"/draws/{draw.id}/protocol-ru.pdf")
    row = next(row for row in versions if row.lang == "ru" and row.seq == len(draw.log))
    assert latest.data == row.pdf and row.head == draw.log_head
    assert before["/protocol-ru.pdf"].data == stored["ru"].pdf  # the old version, kept as it was


def test_a_worker_trusts_the_head_it_read_for_the_seconds_set(app, client, manager, kept_a_minute):
    draw = published_draw(manager)
    old = client.get(f"/draws/{draw.id}")
    stratum = reading.outcomes(draw)[0]
    replacement.replace_winner(draw, stratum.winners[0]["ticket"], "withdrew", manager, "")
    db.session.commit()
    assert client.get(f"/draws/{draw.id}").data == old.data  # for PUBLIC_CACHE_SECONDS
    app.extensions["page_cache"].forget(("draw-head", draw.id))  # ... then it reads the head again
    assert client.get(f"/draws/{draw.id}").headers["ETag"] != old.headers["ETag"]


def test_the_stored_protocols_sha256_is_of_its_bytes_and_is_the_etag(client, manager):
    draw = published_draw(manager)
    for row in db.session.execute(sa.select(DrawProtocol)).scalars():
        assert row.sha256 == hashlib.sha256(row.pdf).hexdigest() and row.size == len(row.pdf)
        assert row.seq == len(draw.log) and row.head == draw.log_head
        response = client.get(f"/draws/{draw.id}/protocol-{row.lang}.pdf")
        assert response.data == row.pdf and response.headers["ETag"] == f'"{row.sha256}"'
        assert response.headers["Content-Type"] == "application/pdf"


def test_a_drawn_draws_protocol_is_built_when_first_asked_for_and_kept(client, manager):
    draw = drawn_draw(manager)
    assert db.session.execute(sa.select(DrawProtocol)).first() is None
    first = client.get(f"/draws/{draw.id}/protocol-kk.pdf")
    row = db.session.execute(sa.select(DrawProtocol)).scalar_one()
    assert (row.lang, row.seq, row.sha256) == ("kk", len(draw.log), hashlib.sha256(first.data).hexdigest())
    assert client.get(f"/draws/{draw.id}/protocol-kk.pdf").data == first.data
    assert db.session.execute(sa.select(sa.func.count()).select_from(DrawProtocol)).scalar() == 1


# --- nobody's menu, e-mail or CSRF token for everyone ----------------------------------------------

PUBLIC_PAGES = ("/", "/calls/{call}", "/draws", "/draws/{draw}")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_page_made_for_everyone_carries_nothing_of_a_logged_in_user(app, manager, kept_a_minute, path):
    draw = published_draw(manager)
    url = path.format(call=draw.competition_id, draw=draw.id)
    user = make_user("someone.private@example.kz")
    logged_in = app.test_client()
    login(logged_in, user.email)
    own = logged_in.get(url).get_data(as_text=True)
    assert user.email in own and 'name="csrf_token"' in own  # their menu, their log-out form

    visitor = app.test_client()
    for _ in range(2):  # made for everyone, then as kept
        html = visitor.get(url).get_data(as_text=True)
        assert user.email not in html and "csrf_token" not in html and "Log out" not in html
    assert user.email in logged_in.get(url).get_data(as_text=True)  # never the page made for everyone


def test_a_message_waiting_for_the_visitor_is_shown_not_the_page_for_everyone(app, manager, kept_a_minute):
    draw = published_draw(manager)
    visitor = app.test_client()
    visitor.get(f"/draws/{draw.id}")  # made for everyone and kept
    with visitor.session_transaction() as session:
        session["_flashes"] = [("info", "A message for this visitor only")]
    assert "A message for this visitor only" in visitor.get(f"/draws/{draw.id}").get_data(as_text=True)
    assert "A message for this visitor only" not in app.test_client().get(f"/draws/{draw.id}").get_data(as_text=True)


def test_find_my_number_is_answered_on_the_page_made_around_the_kept_part(client, manager, kept_a_minute):
    draw = published_draw(manager)
    winner = reading.outcomes(draw)[0].winners[0]
    client.get(f"/draws/{draw.id}")
    html = client.get(f"/draws/{draw.id}", query_string={"number": winner["ticket"]}).get_data(as_text=True)
    assert f"{winner['ticket']} is a winner: rank 1" in html
    assert "data-number-answer" not in client.get(f"/draws/{draw.id}").get_data(as_text=True)


# --- the cost does not grow with the applications --------------------------------------------------

def two_calls(manager, small=10, large=200):
    """A published draw with `small` applications and one with `large`, in two calls."""
    draws = []
    for code, count in (("ZP25", small), ("ZP26", large)):
        competition = closed_competition(code=code)
        add_applications(competition, "ALA", count - count // 3)
        add_applications(competition, "MAN", count // 3)
        draws.append(published_draw(manager, competition=competition))
    return draws


def test_each_public_draw_url_costs_the_same_queries_at_10_and_200_applications(app, client, manager):
    small, large = two_calls(manager)
    urls = ["{}", "{}.json", "{}/live.json", "{}/live.json?seq=0", "{}/list.json", "{}/protocol-ru.pdf",
            "{}?number=ZP25-0003"]
    for url in urls:
        made, kept = [], []
        for draw in (small, large):
            forget_everything(app)
            made.append(queries(client, url.format(f"/draws/{draw.id}")))
            kept.append(queries(client, url.format(f"/draws/{draw.id}")))
        assert made[0] == made[1] and kept[0] == kept[1], (url, made, kept)
        if "number" not in url:
            assert kept[0] == 1, (url, kept)  # the head; with PUBLIC_CACHE_SECONDS, not even that


def test_the_public_list_home_and_call_pages_cost_the_same_queries_however_many_draws(app, client, manager):
    small, large = two_calls(manager, small=5, large=30)
    urls = ("/draws", "/", f"/calls/{small.competition_id}")
    two = [queries(client, url) for url in urls]
    third = closed_competition(code="ZP27")
    add_applications(third, "ALA", 3)
    published_draw(manager, competition=third)
    assert [queries(client, url) for url in urls] == two
    assert queries(client, f"/calls/{large.competition_id}") == queries(client, f"/calls/{small.competition_id}")


def test_kept_pages_cost_no_query_at_all(client, manager, kept_a_minute):
    draw = published_draw(manager)
    for url in (f"/draws/{draw.id}", f"/draws/{draw.id}.json", f"/draws/{draw.id}/live.json", "/draws", "/",
                f"/calls/{draw.competition_id}"):
        client.get(url)
        assert queries(client, url) == 0, url


def test_an_answer_sent_again_from_memory_is_the_same_answer_and_skips_the_app(client, manager, kept_a_minute,
                                                                                   monkeypatch):
    draw = published_draw(manager)
    url = f"/draws/{draw.id}"
    first = client.get(url, headers={"Accept-Language": "kk"})
    monkeypatch.setattr(published, "head", lambda *args, **kwargs: pytest.fail("the app made the answer again"))
    again = client.get(url, headers={"Accept-Language": "kk"})
    assert again.data == first.data and again.headers == first.headers
    assert again.headers["Content-Security-Policy"] and '<html lang="kk">' in again.get_data(as_text=True)
    not_modified = client.get(url, headers={"Accept-Language": "kk", "If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.headers["ETag"] == first.headers["ETag"]
    head = client.head(url, headers={"Accept-Language": "kk"})
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"] == first.headers["ETag"]
    with pytest.raises(pytest.fail.Exception):  # another language is another answer
        client.get(url, headers={"Accept-Language": "ru"})


# --- while the draw runs ---------------------------------------------------------------------------

def test_polls_of_a_running_draw_are_answered_from_the_head(client, manager, monkeypatch):
    made = []
    monkeypatch.setattr(balance, "balance", lambda draw, made_by=balance.balance: made.append(1) or made_by(draw))
    draw = committed_draw(manager)
    lifecycle.enter_sources(draw, SOURCES[SHA256_RANK], manager)
    lifecycle.run(draw, manager)
    db.session.commit()
    seq = len(draw.log)
    for _ in range(5):
        with counted_queries() as statements:
            body = client.get(f"/draws/{draw.id}/live.json?seq={seq}").get_json()
        assert body == {"state": "drawn", "seq": seq, "head": draw.log_head}
        assert len(statements) == 1 and "draw_log_entries" in statements[0]
    for _ in range(5):  # pages that missed entries get the live part, made once for the new head
        assert "html" in client.get(f"/draws/{draw.id}/live.json?seq=3").get_json()
    assert made == [1]
    lifecycle.publish(draw, manager)
    db.session.commit()
    grown = client.get(f"/draws/{draw.id}/live.json?seq={seq}").get_json()
    assert grown["state"] == "published" and grown["seq"] == seq + 1 and "html" in grown
    assert len(made) == 1 + len(protocol.LANGUAGES) + 1  # the protocols stored at publication, the live part


# --- a call of 100,000 applications: the page and the protocol show the top of the long lists ------

def test_long_lists_are_cut_on_the_page_and_in_the_protocol(client, manager, monkeypatch):
    monkeypatch.setattr(reading, "SHOWN_ENTRIES", 4)
    monkeypatch.setattr(reading, "SHOWN_RESERVE", 1)
    monkeypatch.setattr(protocol, "PRINTED_ENTRIES", 4)
    monkeypatch.setattr(protocol, "PRINTED_RESERVE", 1)
    draw = published_draw(manager, ala=6, man=3)  # ALA: 3 grants, 3 on its reserve list
    html = client.get(f"/draws/{draw.id}").get_data(as_text=True)
    start = html.index('id="frozen-list"')
    frozen = html[start:html.index("</details>", start)]
    assert len(re.findall(r"ZP25-\d{4}", frozen)) == 4 and "The first 4 are shown here." in frozen
    assert "The first 1 places of 3 are shown here" in html

    text = pdf_text(client.get(f"/draws/{draw.id}/protocol-ru.pdf").data)
    with force_locale("ru"):
        cut = gettext("The first %(printed)s places of %(count)s are printed; the record of the draw has the "
                      "whole reserve list.", printed=1, count=3)
        unprinted = gettext("Too long to print: it is published with the draw (list.json), and the commitment "
                            "above covers it.")
    assert " ".join(cut.split()) in " ".join(text.split())
    assert " ".join(unprinted.split()) in " ".join(text.split())
