"""The queue filtered by a failing check reads the whole call: a fixed number of statements
however many applications it has (bench/staff_pages.py measures it at 10,000 and more)."""
from datetime import date

from sqlalchemy.orm import strategies

from tests.applications import en  # noqa: F401
from tests.conftest import login
from tests.screening import call, counting_queries, person, screener  # noqa: F401


def test_the_check_filter_reads_documents_and_budgets_in_one_statement_each(en, client, call, screener,
                                                                            monkeypatch):
    # "selectin" loading reads 500 parents per statement: made 2 here, 40 applications are 20 reads
    # of each collection unless the whole call is read otherwise.
    monkeypatch.setattr(strategies._SelectInLoader, "_chunksize", 2)
    login(client, screener.email)
    url = f"/manage/screening/{call.id}/?check=any"

    def statements():
        with counting_queries() as sent:
            assert client.get(url).status_code == 200
        return len(sent)

    for n in range(1, 5):
        person(call, n, **({"birth": date(1980, 1, 1)} if n % 2 else {}))
    few = statements()
    for n in range(5, 41):
        person(call, n, **({"birth": date(1980, 1, 1)} if n % 2 else {}))
    assert statements() == few
