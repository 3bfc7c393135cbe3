"""The queue filtered by a failing check pages in the database: it lists exactly the applications
whose automatic checks fail, as `automatic_checks` tells them one by one, with a fixed number of
statements however many applications the call has (bench/staff_pages.py measures it at 10,000)."""
from datetime import date, timedelta

import pytest

from app.applications.models import Application, ApplicationStatus
from app.applications.submission import withdraw
from app.dbtypes import utcnow
from app.extensions import db
from app.screening import decisions
from app.screening import queue as work_queue
from app.screening.checks import CHECK_CODES
from app.screening.models import ReasonCode
from app.screening.queue import QueueFilters
from tests.applications import en  # noqa: F401
from tests.factories import make_application, make_open_competition, make_user
from tests.screening import counting_queries, person, screener  # noqa: F401

FILTERS = ("any", *CHECK_CODES)


@pytest.fixture
def call(app_ctx):
    return make_open_competition(strata=(("ALA", 20, ("ALA-ALMALY", "ALA-AUEZOV")), ("MAN", 8, ())))


def varied(call, screener, first=1):
    """Applications numbered from `first` failing each check (some several), sharing each kind of
    value with another, withdrawn, rejected, waiting for a correction, and passing everything."""
    n = first
    made = []

    def add(**changes):
        nonlocal n
        made.append(person(call, n, **changes))
        n += 1
        return made[-1]

    ordinary = add()
    add(birth=date(1980, 1, 1))  # too old
    add(region_code="AST", district_code=None)  # outside the strata
    add(district_code="ALA-BOSTANDYK", birth=date(1979, 6, 1))  # a district outside the stratum, too old
    add(iin=f"123456{first:06d}")  # not a valid IIN (month 34): its age cannot be told
    over_cap = add()
    over_cap.budget_lines[0].quantity = 10  # changed since it was submitted: the check reads the row
    without_proof = add()
    without_proof.documents.remove(next(d for d in without_proof.documents if d.doc_type.value == "neet_evidence"))
    db.session.commit()
    add(phone=ordinary.phone)
    # The same name in other letters and the same birth date: case-folded, also for Cyrillic on SQLite.
    add(last_name=ordinary.last_name.upper(), first_name=f" {ordinary.first_name.lower()}", birth=ordinary.birth_date)
    left = add(phone="+77079990000")
    withdraw(left, left.applicant)
    add(phone="+77079990000")  # shares it only with the withdrawn one: no duplicate; the withdrawn has one
    make_application(call, make_user(f"drafter{first}@example.kz"), phone=made[1].phone)  # a draft never counts
    again = make_application(call, ordinary.applicant, iin=made[2].iin, phone="+77079990001", birth=date(1990, 1, 1))
    with db.session.no_autoflush:  # a second application of one account, as an import could leave it
        again.status, again.number, again.submitted_at = ApplicationStatus.SUBMITTED, f"ZP25-{900 + first}", utcnow()
    db.session.commit()
    made.append(again)
    rejected = add(birth=date(1981, 1, 1))
    decisions.reject(rejected, screener, rejected.state_version, [ReasonCode.AGE])
    corrected = add()
    decisions.request_correction(corrected, screener, corrected.state_version, "Исправьте ИИН.", [1],
                                 utcnow() + timedelta(days=3))
    corrected.iin = "000000000000"  # the applicant's correction, not sent back yet: the check reads it
    db.session.commit()
    return made


def automatic_failures(call, screener, code):
    """The numbers of the applications that fail `code`, each told by its own checks."""
    rows = work_queue.queue(call, QueueFilters(), screener, per_page=1000).rows
    return [row.application.number for row in rows
            if any(check.failed and code in ("any", check.code) for check in row.checks)]


def paged(call, screener, code, per_page=2):
    """The numbers the queue filtered by `code` lists, page after page, and its total."""
    first = work_queue.queue(call, QueueFilters(check=code), screener, per_page=per_page)
    numbers = [row.application.number for row in first.rows]
    for page in range(2, first.pages + 1):
        numbers += [row.application.number
                    for row in work_queue.queue(call, QueueFilters(check=code, page=page), screener, per_page).rows]
    return numbers, first.total


def test_the_filter_by_a_failing_check_lists_exactly_those_whose_checks_fail(en, call, screener):
    varied(call, screener)
    for code in FILTERS:
        expected = automatic_failures(call, screener, code)
        assert expected, code  # every check fails somewhere in this call
        assert paged(call, screener, code) == (expected, len(expected)), code
    everything = work_queue.queue(call, QueueFilters(), screener, per_page=1000).total
    assert len(automatic_failures(call, screener, "any")) < everything  # some pass every check
    assert work_queue.queue(call, QueueFilters(check="nope"), screener).total == 0


def test_the_failing_checks_follow_the_application_and_its_neighbours(en, call, screener):
    ordinary = person(call, 1)
    assert ordinary.failed_checks == "" and paged(call, screener, "duplicates") == ([], 0)
    twin = person(call, 2, phone=ordinary.phone)
    assert paged(call, screener, "duplicates")[0] == [ordinary.number, twin.number]
    withdraw(twin, twin.applicant)
    db.session.commit()
    assert paged(call, screener, "duplicates")[0] == [twin.number]  # the withdrawn still shares a phone
    ordinary.region_code, ordinary.district_code = "AST", None
    db.session.commit()
    assert ordinary.failed_checks == "region" and paged(call, screener, "region")[0] == [ordinary.number]


def test_the_filtered_queue_sends_as_many_statements_for_a_large_call_as_for_a_small_one(en, call, screener):
    def statements(code):
        db.session.expire_all()
        with counting_queries() as sent:
            page = work_queue.queue(call, QueueFilters(check=code), screener, per_page=2)
        assert page.rows
        return len(sent)

    varied(call, screener)
    few = {code: statements(code) for code in FILTERS}
    for first in (100, 200, 300):
        varied(call, screener, first)
    assert db.session.query(Application).count() == 4 * 15
    assert {code: statements(code) for code in FILTERS} == few
