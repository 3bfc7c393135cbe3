"""The screening queue of a call: filters, search, sort, pages, assignment; and a page whose
number of queries does not grow with the number of rows."""
from datetime import date

import pytest

from app.applications.models import ApplicationStatus
from app.auth.models import Role
from app.audit.services import verify
from app.extensions import db
from app.screening import queue as work_queue
from app.screening.checks import review_check
from app.screening.decisions import reject
from app.screening.queue import QueueFilters
from tests.applications import assert_no_inline_code, en, reload  # noqa: F401
from tests.conftest import login
from tests.factories import make_application, make_user
from tests.screening import (as_screener, audit_events, call, counting_queries, person, screener,  # noqa: F401
                             second_screener)

S = ApplicationStatus


def numbers(page):
    return [row.application.number for row in page.rows]


@pytest.fixture
def pool(en, call, screener):
    """Five applications: Almaty ones, a Mangystau one, one too old, one sharing a phone, one
    rejected and assigned to the screener."""
    almaty = person(call, 1, last_name="Ахметова")
    mangystau = person(call, 2, region_code="MAN", district_code="MAN-AKTAU", last_name="Серікова")
    too_old = person(call, 3, birth=date(1980, 3, 3), last_name="Бекова")
    same_phone = person(call, 4, phone=almaty.phone, last_name="Жанова")
    rejected = person(call, 5, last_name="Оспанова")
    reject(rejected, screener, rejected.state_version, ["age"])
    work_queue.assign(rejected, screener, screener)
    db.session.commit()
    return {"almaty": almaty, "mangystau": mangystau, "too_old": too_old, "same_phone": same_phone,
            "rejected": rejected}


def queue(call, actor, **filters):
    return work_queue.queue(call, QueueFilters(**filters), actor)


# --- filters, search, sort, pages -----------------------------------------------------------------

def test_queue_lists_submitted_applications_by_number_not_drafts(en, call, screener, pool):
    make_application(call, make_user("drafter@example.kz"))
    page = queue(call, screener)
    assert page.total == 5
    assert numbers(page) == sorted(a.number for a in pool.values())


def test_filters_by_region_district_status_and_screener(en, call, screener, pool):
    assert numbers(queue(call, screener, region="MAN")) == [pool["mangystau"].number]
    assert numbers(queue(call, screener, district="MAN-AKTAU")) == [pool["mangystau"].number]
    assert numbers(queue(call, screener, status=S.REJECTED)) == [pool["rejected"].number]
    assert numbers(queue(call, screener, screener="me")) == [pool["rejected"].number]
    assert numbers(queue(call, screener, screener=str(screener.id))) == [pool["rejected"].number]
    assert queue(call, screener, screener="none").total == 4


def test_filters_by_check_result(en, call, screener, pool):
    assert numbers(queue(call, screener, check="age")) == sorted([pool["too_old"].number])
    assert numbers(queue(call, screener, check="duplicates")) == sorted(
        [pool["almaty"].number, pool["same_phone"].number])
    assert numbers(queue(call, screener, check="any")) == sorted(
        [pool["almaty"].number, pool["too_old"].number, pool["same_phone"].number])


@pytest.mark.parametrize("text, who", [
    ("ахметова", "almaty"), ("Ахметова Айгерим", "almaty"), ("ZP25-0002", "mangystau"),
])
def test_search_by_name_and_number(en, call, screener, pool, text, who):
    assert numbers(queue(call, screener, search=text)) == [pool[who].number]


def test_search_by_iin_and_phone(en, call, screener, pool):
    assert numbers(queue(call, screener, search=pool["too_old"].iin)) == [pool["too_old"].number]
    local = "8" + pool["mangystau"].phone[2:]  # as people type it: 8 701 ...
    assert numbers(queue(call, screener, search=local)) == [pool["mangystau"].number]
    assert queue(call, screener, search="100%_").total == 0


def test_sorts_and_pages(en, call, screener, pool):
    by_name = numbers(queue(call, screener, sort="name"))
    assert by_name == [pool[k].number for k in ("almaty", "too_old", "same_phone", "rejected", "mangystau")]
    assert numbers(queue(call, screener, sort="-number")) == sorted(by_name, reverse=True)
    first = work_queue.queue(call, QueueFilters(page=1), screener, per_page=2)
    third = work_queue.queue(call, QueueFilters(page=3), screener, per_page=2)
    assert (first.pages, len(first.rows), len(third.rows)) == (3, 2, 1)
    assert work_queue.queue(call, QueueFilters(check="any", page=2), screener, per_page=2).rows


def test_queue_page_shows_rows_failing_checks_and_filters(as_screener, call, pool):
    response = as_screener.get(f"/manage/screening/{call.id}/?check=any&sort=name&q=")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert pool["too_old"].number in html and pool["mangystau"].number not in html
    assert "Age on the reference date" in html and "Possible duplicates" in html
    assert "3 applications" in html
    assert_no_inline_code(html)


def test_unknown_filter_values_are_ignored(as_screener, call, pool):
    response = as_screener.get(f"/manage/screening/{call.id}/?status=bogus&check=nope&sort=drop&page=x")
    assert response.status_code == 200
    assert "5 applications" in response.get_data(as_text=True)


def test_queue_of_an_unknown_call_is_404(as_screener):
    assert as_screener.get("/manage/screening/999/").status_code == 404


# --- the number of queries ----------------------------------------------------------------------

def test_the_number_of_queries_does_not_grow_with_the_rows(en, client, call, screener):
    def load(n_from, n_to):
        for n in range(n_from, n_to):
            changes = {"birth": date(1980, 1, 1)} if n % 4 == 0 else {}
            if n % 5 == 0:
                changes["phone"] = "+77010000001"
            application = person(call, n, **changes)
            if n % 3 == 0:  # each to a screener of their own: the rows show them all
                work_queue.assign(application, make_user(f"screener{n}@example.kz", roles=(Role.STAFF,)), screener)
            if n % 7 == 0:
                review_check(application, screener, application.state_version, "iin", True)
        db.session.commit()

    login(client, screener.email)

    def queries(url):
        with counting_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    urls = [f"/manage/screening/{call.id}/", f"/manage/screening/{call.id}/?check=any",
            f"/manage/screening/{call.id}/?q=Айгерим&sort=name"]
    load(1, 13)  # with no. 12, failing a check and assigned: the filtered page shows a screener too
    few = [queries(url) for url in urls]
    load(13, 41)
    assert work_queue.queue(call, QueueFilters(), screener).total == 40
    many = [queries(url) for url in urls]
    assert few == many


# --- assignment --------------------------------------------------------------------------------

def test_assign_to_me_from_the_queue_is_audited(as_screener, call, screener, pool):
    application = pool["almaty"]
    back = f"/manage/screening/{call.id}/?region=ALA"
    response = as_screener.post(f"/manage/screening/application/{application.id}/assign",
                                data={"screener": "me", "next": back})
    assert response.status_code == 302 and response.headers["Location"].endswith(back)
    assert reload(application).assigned_screener_id == screener.id
    event, data = audit_events()[-1]
    assert event == "screening.assigned"
    assert (data["from"], data["to"], data["actor"]) == (None, screener.id, screener.id)
    assert verify() is None


def test_reassign_to_another_screener_and_to_nobody(as_screener, screener, second_screener, pool):
    application = pool["rejected"]
    url = f"/manage/screening/application/{application.id}/assign"
    as_screener.post(url, data={"screener": str(second_screener.id)})
    assert reload(application).assigned_screener_id == second_screener.id
    as_screener.post(url, data={"screener": ""})
    assert reload(application).assigned_screener_id is None
    moves = [(d["from"], d["to"]) for e, d in audit_events() if e == "screening.assigned"]
    assert moves[-2:] == [(screener.id, second_screener.id), (second_screener.id, None)]


def test_only_screeners_can_be_assigned(en, as_screener, pool):
    applicant = make_user("someone@example.kz")
    application = pool["almaty"]
    response = as_screener.post(f"/manage/screening/application/{application.id}/assign",
                                data={"screener": str(applicant.id)}, follow_redirects=True)
    assert "Choose a member of the project office who screens." in response.get_data(as_text=True)
    assert reload(application).assigned_screener_id is None


def test_open_redirects_are_not_followed(as_screener, pool):
    application = pool["almaty"]
    response = as_screener.post(f"/manage/screening/application/{application.id}/assign",
                                data={"screener": "me", "next": "https://evil.example/"})
    assert response.headers["Location"].endswith(f"/manage/screening/application/{application.id}")


# --- bad input: never a 500 -----------------------------------------------------------------------

@pytest.mark.parametrize("page, shown", [(str(10**21), 3), ("-5", 1), ("0", 1), ("x", 1), ("1e3", 1),
                                         (str(-(10**21)), 1)])
def test_a_page_number_past_the_end_or_below_one_shows_the_last_or_first_page(en, call, screener, pool, page,
                                                                                shown):
    filters = {"page": int(page)} if page.lstrip("-").isdigit() else {}
    for check in ("", "any"):
        found = work_queue.queue(call, QueueFilters(check=check, **filters), screener, per_page=2)
        assert found.page == min(shown, found.pages) and found.rows


@pytest.mark.parametrize("page", [str(10**21), str(-(10**21)), "-5", "x", "9" * 400])
def test_the_queue_page_answers_any_page_number(as_screener, call, pool, page):
    for check in ("", "any"):
        response = as_screener.get(f"/manage/screening/{call.id}/", query_string={"page": page, "check": check})
        assert response.status_code == 200


@pytest.mark.parametrize("text", ["Ахметова\x00", "\x00", "ZP\x0025", "\x01\x02Ахметова", "%\x00_"])
def test_a_search_with_a_nul_byte_or_control_characters_answers(as_screener, call, pool, text):
    response = as_screener.get(f"/manage/screening/{call.id}/", query_string={"q": text})
    assert response.status_code == 200
    if "Ахметова" in text:
        assert pool["almaty"].number in response.get_data(as_text=True)


@pytest.mark.parametrize("name", ["region", "district", "status", "check", "screener", "sort"])
def test_a_nul_byte_in_any_filter_is_ignored(as_screener, call, pool, name):
    response = as_screener.get(f"/manage/screening/{call.id}/", query_string={name: "ALA\x00"})
    assert response.status_code == 200
    assert "5 applications" in response.get_data(as_text=True)
