"""The public screening results are made once per version of the results and language, and served
as made to visitors who are not logged in (a strong ETag, 304): the next request reads no summary,
the page is made again when what it shows changes (the draw run, a winner replaced, the call's
title), the search looks one number up, and nothing is kept that the page does not show."""
import hashlib

import pytest
import sqlalchemy as sa

from app.applications.models import Application, ApplicationStatus
from app.assets import PUBLIC_PAGE
from app.extensions import db
from app.lottery import lifecycle, reading, replacement
from app.page_cache import Body, Memory
from app.screening.public_views import PublishedResults
from tests.conftest import login
from tests.lottery.test_draw_caching import counted_queries
from tests.lottery.test_lifecycle import SOURCES, add_applications, closed_competition, committed_draw, statuses
from tests.screening.test_results_page import search


@pytest.fixture
def call(app_ctx):
    """A call whose screening is closed: 5 + 3 eligible applications, 2 rejected."""
    competition = closed_competition()
    add_applications(competition, "ALA", 5)
    add_applications(competition, "MAN", 3)
    add_applications(competition, "ALA", 2, status=ApplicationStatus.REJECTED)
    return competition


@pytest.fixture
def applications(call):
    return db.session.execute(sa.select(Application).where(Application.competition_id == call.id)
                              .order_by(Application.number)).scalars().all()


@pytest.fixture
def kept_a_minute(app, monkeypatch):
    """Workers keep what they made for a minute, as in production (the tests' default is 0)."""
    monkeypatch.setitem(app.config, "PUBLIC_CACHE_SECONDS", 60)
    monkeypatch.setitem(app.extensions, "page_cache", Memory())


def url_of(call):
    return f"/calls/{call.id}/screening-results"


def made_afresh(app, client, url):
    """The page as a worker that has just started makes it."""
    app.extensions["page_cache"] = Memory()
    return client.get(url).data


def test_the_page_has_a_strong_etag_and_a_browser_holding_it_gets_304(client, call):
    first = client.get(url_of(call))
    etag = first.headers["ETag"]
    assert first.status_code == 200 and not etag.startswith("W/")
    assert etag.strip('"') == hashlib.sha256(first.data).hexdigest()
    assert first.headers["Cache-Control"] == PUBLIC_PAGE
    again = client.get(url_of(call), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(url_of(call), headers={"If-None-Match": '"another"'}).data == first.data


def test_the_next_request_reads_only_the_version_of_the_results(client, call):
    url = url_of(call)
    first = client.get(url).data
    with counted_queries() as statements:
        assert client.get(url).data == first
    assert len(statements) == 1, statements  # the version: no application, no decision read
    assert "screening_decisions" not in statements[0] and "first_name" not in statements[0]


def test_kept_for_a_moment_the_page_costs_no_statement(client, call, kept_a_minute):
    url = url_of(call)
    first = client.get(url).data
    with counted_queries() as statements:
        assert client.get(url).data == first
        assert client.get(url, headers={"If-None-Match": f'"{hashlib.sha256(first).hexdigest()}"'}
                          ).status_code == 304
    assert statements == []


def test_each_language_has_its_page(client, call):
    russian = client.get(url_of(call), headers={"Accept-Language": "ru"}).get_data(as_text=True)
    english = client.get(url_of(call), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Eligible applications (8)" in english and "Eligible applications (8)" not in russian


def test_the_kept_page_follows_the_draw_and_a_replacement(app, client, call, manager):
    url = url_of(call)
    before = client.get(url).data
    draw = committed_draw(manager, competition=call)
    assert client.get(url).data == before  # a committed list changes nothing the page shows
    lifecycle.enter_sources(draw, SOURCES[draw.algorithm], manager)
    lifecycle.run(draw, manager)
    db.session.commit()
    drawn = client.get(url).data
    assert f'href="/draws/{draw.id}"'.encode() in drawn and b"Eligible applications (8)" in drawn
    assert drawn == made_afresh(app, client, url)
    lifecycle.publish(draw, manager)
    winner = reading.outcomes(draw)[0].winners[0]["ticket"]
    replacement.replace_winner(draw, winner, "withdrew", manager, "")
    db.session.commit()
    replaced = client.get(url).data
    # Screening found the winner who withdrew eligible: the lists stay as screening made them.
    assert b"Eligible applications (8)" in replaced and winner.encode() in replaced
    assert replaced == made_afresh(app, client, url)


def test_a_new_title_of_the_call_makes_the_page_again(app, client, call):
    client.get(url_of(call))
    call.title_ru = call.title_kk = call.title_en = "Жаңа атауы"
    db.session.commit()
    assert "Жаңа атауы" in client.get(url_of(call)).get_data(as_text=True)


def test_a_search_looks_one_number_up_and_reads_no_summary(client, call):
    url = url_of(call)
    client.get(url)
    numbers = {status: number for number, status in statuses(call).items()}
    eligible, rejected = numbers[ApplicationStatus.ELIGIBLE], numbers[ApplicationStatus.REJECTED]
    with counted_queries() as statements:
        assert search(client, call, eligible.lower()) == ("eligible", f"{eligible} is eligible and takes part "
                                                                      "in the draw.")
        assert search(client, call, rejected.split("-")[1])[0] == "rejected"
        assert search(client, call, "ZP25-0777")[0] == "not_found"
        assert search(client, call, "nothing like a number")[0] == "not_found"
    assert not [s for s in statements if "screening_decisions" in s or "first_name" in s], statements


def test_nothing_personal_is_kept_and_a_logged_in_visitor_gets_their_own_page(app, client, applications,
                                                                               kept_a_minute):
    applicant, call = applications[0], applications[0].competition
    client.get(url_of(call))
    client.get(url_of(call), query_string={"number": applicant.number})
    kept = [value for _made, _version, value in app.extensions["page_cache"]._items.values()]
    texts = [value.data.decode() for value in kept if isinstance(value, Body)]
    texts += [str(value.lists) for value in kept if isinstance(value, PublishedResults)]
    assert texts and any(applicant.number in text for text in texts)
    for application in applications:
        for private in (application.first_name, application.last_name, application.iin,
                        application.applicant.email, f"{application.first_name} {application.last_name[0]}."):
            assert not any(private in text for text in texts), private
    other = app.test_client()
    login(other, applicant.applicant.email)
    own = other.get(url_of(call)).get_data(as_text=True)
    assert "/logout" in own and applicant.number in own
    assert "/logout" not in client.get(url_of(call)).get_data(as_text=True)
