"""Application numbers past 9999 get a fifth digit (ZP25-10000), so their text no longer sorts in
the order of submission: the serial kept with each number does, and the lists by number use it."""
from datetime import date, timedelta

from app.applications.submission import submit
from app.extensions import db
from app.screening import queue as work_queue
from app.screening.queue import QueueFilters
from tests.applications import en  # noqa: F401
from tests.factories import make_application, make_open_competition, make_user
from tests.screening import screener  # noqa: F401


def submitted(call, n):
    applicant = make_user(f"applicant{n}@example.kz", phone=f"+7701{n:07d}")
    application = make_application(call, applicant, phone=applicant.phone, birth=date(1995, 1, 1) + timedelta(days=n))
    submit(application, applicant, consent=True)
    db.session.commit()
    return application


def test_numbers_past_9999_are_listed_in_the_order_of_submission(en, screener):
    call = make_open_competition()
    first = submitted(call, 1)
    call.last_application_number = 9998  # as if 9,997 more had come in since
    db.session.commit()
    later = [submitted(call, n) for n in range(2, 5)]
    given = [first, *later]
    assert [(a.number, a.serial) for a in given] == [
        ("ZP25-0001", 1), ("ZP25-9999", 9999), ("ZP25-10000", 10000), ("ZP25-10001", 10001)]
    assert sorted(a.number for a in given) != [a.number for a in given]  # as text, 10000 comes before 9999

    def listed(sort):
        return [row.application.number for row in work_queue.queue(call, QueueFilters(sort=sort), screener).rows]

    assert listed("number") == [a.number for a in given]
    assert listed("-number") == [a.number for a in reversed(given)]
