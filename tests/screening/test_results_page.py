"""The public screening results: published once screening is closed, application numbers only,
never a name, a masked name or an IIN; linked from the call page."""
import re
from datetime import timedelta

import pytest

from app.auth.models import Role
from app.dbtypes import utcnow
from app.extensions import db
from app.lottery import lifecycle
from app.lottery.engine import SHA256_RANK
from app.screening.closing import close_screening
from app.screening.models import ReasonCode
from tests.applications import assert_no_inline_code, en, reload  # noqa: F401
from tests.factories import make_open_competition
from tests.screening.helpers import close_window, make_eligible, reject, staff_user, submitted


@pytest.fixture
def screener(app_ctx):
    return staff_user("screener@example.kz")


@pytest.fixture
def screened(en, screener):
    call = make_open_competition()
    past = utcnow() - timedelta(days=10)
    people = [
        make_eligible(submitted(call, "a@example.kz", first_name="Айгерим", last_name="Нұрланова",
                                patronymic="Серікқызы"), screener, at=past),
        reject(submitted(call, "b@example.kz", first_name="Ерлан", last_name="Сейітов", patronymic="Маратұлы",
                         region_code="MAN", district_code="MAN-AKTAU"), screener,
               reasons=(ReasonCode.AGE, ReasonCode.DUPLICATE), at=past),
        reject(submitted(call, "c@example.kz", first_name="Дана", last_name="Ким", patronymic=None), screener,
               reasons=(ReasonCode.NO_REGISTRATION_PROOF,), at=past),
    ]
    close_window(call, days_ago=12)
    return call, people


def public_page(client, call):
    response = client.get(f"/calls/{call.id}/screening-results")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert_no_inline_code(html)
    return html


def test_before_closing_the_page_says_the_results_are_not_published(client, screened):
    call, people = screened
    html = public_page(client, call)
    assert "The results are not published yet." in html
    for person in people:
        assert person.number not in html
    assert f"/calls/{call.id}/screening-results" not in client.get(f"/calls/{call.id}").get_data(as_text=True)


def test_after_closing_the_page_lists_numbers_counts_and_reasons(client, screened, screener):
    call, people = screened
    close_screening(call, screener)
    db.session.commit()
    html = public_page(client, call)
    assert "Eligible applications (1)" in html and "Rejected applications (2)" in html
    for person in people:
        assert person.number in html
    assert "Age outside the competition" in html and "Repeated application" in html
    assert "No proof of registration in the region" in html
    assert "Almaty city" in html and "Mangystau" in html


def test_the_public_page_shows_no_name_no_masked_name_and_no_iin(client, screened, screener):
    call, people = screened
    close_screening(call, screener)
    db.session.commit()
    html = public_page(client, call)
    for person in people:
        person = reload(person)
        assert person.iin not in html
        for name in (person.first_name, person.last_name, person.patronymic):
            if name:
                assert name not in html, name
        assert f"{person.first_name} {person.last_name[0]}." not in html
        assert person.applicant.email not in html
        assert person.phone not in html


def test_the_call_page_links_the_results_once_published(client, screened, screener):
    call, _ = screened
    close_screening(call, screener)
    db.session.commit()
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert f"/calls/{call.id}/screening-results" in html


def test_the_page_needs_no_login_and_an_unknown_call_is_404(client, app_ctx):
    assert client.get("/calls/999/screening-results").status_code == 404


def search(client, call, number):
    html = client.get(f"/calls/{call.id}/screening-results", query_string={"number": number}).get_data(as_text=True)
    assert_no_inline_code(html)
    found = re.search(r'data-number-answer="(\w+)">\s*(?:<strong>)?([^<]*)', html)
    return found.group(1), " ".join(found.group(2).split())


def test_an_applicant_finds_their_number_before_the_draw(client, screened, screener):
    call, (eligible, rejected, _) = screened
    close_screening(call, screener)
    db.session.commit()
    assert search(client, call, eligible.number.lower().replace("-", " ")) == (
        "eligible", f"{eligible.number} is eligible and takes part in the draw.")
    assert search(client, call, rejected.number.split("-")[1])[0] == "rejected"
    assert search(client, call, "ZP99-1234")[0] == "not_found"


def test_after_the_draw_the_search_answers_with_the_draw_and_links_it(client, screened, screener, make_user):
    call, (eligible, rejected, _) = screened
    close_screening(call, screener)
    manager = make_user("manager@example.kz", roles=(Role.MANAGER,))
    draw = lifecycle.prepare(call, manager, SHA256_RANK, "Three numbers drawn by observers.")
    lifecycle.commit(draw, manager)
    lifecycle.enter_sources(draw, ["1", "2"], manager)
    lifecycle.run(draw, manager)
    db.session.commit()
    outcome, text = search(client, call, eligible.number)
    assert outcome == "winner" and text.startswith(f"{eligible.number} is a winner: rank 1 in ")
    assert search(client, call, rejected.number)[0] == "not_drawn"
    html = client.get(f"/calls/{call.id}/screening-results").get_data(as_text=True)
    assert f'href="/draws/{draw.id}"' in html
