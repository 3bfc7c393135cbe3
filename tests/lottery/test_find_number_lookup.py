""""Find my number" is a look-up, not a pass over the whole draw: the draw's numbers are indexed
once per version of its log (what the worker keeps), a number off the list is found by the
applications' index; the answers are those of a pass over every number. And the live page's poll
revalidates: live.json answers 304 to the ETag the browser holds, in front of the app and through it."""
import re

import pytest

from app import PROJECT_ROOT
from app.applications.numbers import NumberIndex, match_number, numbers_meant
from app.extensions import db
from app.lottery import replacement
from app.page_cache import Memory
from tests.conftest import login
from tests.lottery.test_draw_caching import counted_queries
from tests.lottery.test_draw_views import answer_of
from tests.lottery.test_lifecycle import drawn_draw, published_draw

NUMBERS = ["ZP25-0001", "ZP25-0002", "ZP25-0010", "ZP25-10000", "ZP25-0100"]


def every_number(query, numbers, code):
    """match_number's answer as it was written: a pass over every number."""
    separators = re.compile(r"[\s\-\u2010-\u2015_./]+")
    exact = separators.sub("", query).upper()
    for number in numbers:
        if separators.sub("", number).upper() == exact:
            return number
    digits = separators.sub("", query).upper().removeprefix("ZP25")
    if not digits.isdigit():
        return None
    found = [number for number in numbers if int(number.split("-")[1]) == int(digits)]
    return found[0] if len(found) == 1 else None


@pytest.mark.parametrize("query", ["ZP25-0001", "zp25 0002", "10", "0010", "ZP2510000", "10000", "100", "0100",
                                   "ZP25-00001", "ZP26-0001", "", "   ", "abc", "ZP25", "25 0001", "ZP25—0002"])
def test_the_index_answers_as_a_pass_over_every_number(query):
    assert NumberIndex(NUMBERS, "ZP25").match(query) == every_number(query, NUMBERS, "ZP25") \
        == match_number(query, NUMBERS, "ZP25")


def test_a_serial_two_numbers_share_is_no_answer():
    assert NumberIndex(["ZP25-0007", "ZP25-007"], "ZP25").match("7") is None
    assert NumberIndex(["ZP25-0007", "ZP25-007"], "ZP25").match("ZP25-007") == "ZP25-007"


def test_the_numbers_a_query_may_mean_are_those_the_call_gives():
    assert numbers_meant("zp25 1", "ZP25") == ["ZP25-0001"]
    assert numbers_meant("12345", "ZP25") == ["ZP25-12345"]
    assert numbers_meant("ZP26-0001", "ZP25") == [] and numbers_meant("abc", "ZP25") == []


def test_a_search_reads_neither_the_draws_lists_nor_every_number(client, manager):
    draw = published_draw(manager)
    url, winner = f"/draws/{draw.id}", draw.results[0]["ticket"]
    client.get(url, query_string={"number": winner})  # the worker indexes the draw's numbers once
    with counted_queries() as statements:
        assert answer_of(client, draw, winner)[0] == "winner"
        assert answer_of(client, draw, "ZP25-0777")[0] == "not_found"
    lists = [s for s in statements if "draws.entries" in s or "draws.results" in s]
    every = [s for s in statements if "applications.number" in s and " IN " not in s]
    assert not lists and not every, statements


def test_the_index_follows_the_log(client, manager):
    draw = published_draw(manager)
    winner = draw.results[0]["ticket"]
    assert answer_of(client, draw, winner)[0] == "winner"
    replacement.replace_winner(draw, winner, "withdrew", manager, "")
    db.session.commit()
    assert answer_of(client, draw, winner)[0] == "removed"


# --- the live page's poll ---------------------------------------------------------------------------

def test_the_page_polls_live_json_with_revalidation():
    script = (PROJECT_ROOT / "app" / "static" / "js" / "draw-live.js").read_text()
    assert 'cache: "no-cache"' in script and "no-store" not in script


@pytest.mark.parametrize("kept_seconds", [0, 60])
def test_a_poll_with_the_etag_it_holds_gets_304_without_a_cookie(app, client, manager, monkeypatch, kept_seconds):
    monkeypatch.setitem(app.config, "PUBLIC_CACHE_SECONDS", kept_seconds)
    monkeypatch.setitem(app.extensions, "page_cache", Memory())
    draw = drawn_draw(manager)
    url = f"/draws/{draw.id}/live.json?seq={draw.log[-1].seq}"
    first = client.get(url)
    assert first.status_code == 200 and not client.get_cookie("session")
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == first.headers["ETag"]


def test_a_poll_with_the_etag_it_holds_gets_304_through_the_app(client, manager):
    draw = drawn_draw(manager)
    login(client, manager.email)
    assert client.get_cookie("session")
    url = f"/draws/{draw.id}/live.json?seq={draw.log[-1].seq}"
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
