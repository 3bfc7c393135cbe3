"""Bad input in the manager's competition forms never becomes a 500: a number beyond what the
database holds, a date at the edge of the calendar, a NUL character (which PostgreSQL refuses in
text) each get a clear message next to their field, and nothing is saved. Run on SQLite and on
PostgreSQL (TEST_DATABASE_URL)."""
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.almaty import utc_to_almaty
from app.competitions.models import Competition, DeadlineExtension, Stratum
from app.extensions import db
from tests.competitions.test_manage_views import FORM, UPCOMING
from tests.factories import make_competition, make_open_competition

NUL = "ZHAS\x00PROJECT"
TEXT_FIELDS = ["code", "title_kk", "title_ru", "title_en", "summary_kk", "summary_ru", "summary_en"]
BAD = [
    *[({name: NUL}, name, "2 to 8 capital Latin letters" if name == "code" else "invisible control character")
      for name in TEXT_FIELDS],
    ({"grant_cap": "3 000 000 000"}, "grant_cap", "at most 1 000 000 000 tenge"),
    ({"grant_cap": "1" + "0" * 25}, "grant_cap", "at most 1 000 000 000 tenge"),
    ({"age_min": "1" + "0" * 25}, "age_min", "from 14 to 100"),
    ({"appeal_days": "1" + "0" * 12}, "appeal_days", "from 0 to 90"),
    ({"opens_at": "0001-01-01T00:00"}, "opens_at", "Enter a date from 2000 to 2100."),
    ({"closes_at": "0001-01-01T00:00"}, "closes_at", "Enter a date from 2000 to 2100."),
    ({"opens_at": "9999-12-31T23:59"}, "opens_at", "Enter a date from 2000 to 2100."),
    ({"closes_at": "9999-12-31T23:59"}, "closes_at", "Enter a date from 2000 to 2100."),
    ({"closes_at": "+275760-09-13T00:00"}, "closes_at", "Enter a date and time"),
    ({"age_reference_date": "0001-01-01"}, "age_reference_date", "Enter a date from 2000 to 2100."),
    ({"age_reference_date": "9999-12-31"}, "age_reference_date", "Enter a date from 2000 to 2100."),
]


def error_next_to(html, field_id):
    found = re.search(rf'<div id="{re.escape(field_id)}-error"[^>]*>(.*?)</div>', html, re.S)
    return found.group(1).strip() if found else ""


def count(model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


@pytest.mark.parametrize("changes, field, message", BAD)
def test_a_new_competition_with_bad_input_gets_a_message_next_to_the_field(as_manager, changes, field, message):
    response = as_manager.post("/manage/competitions/new", data={**FORM, **changes})
    assert response.status_code == 200
    assert message in error_next_to(response.get_data(as_text=True), field)
    assert count(Competition) == 0


@pytest.mark.parametrize("changes, field, message", BAD)
def test_an_edit_with_bad_input_gets_a_message_next_to_the_field(as_manager, changes, field, message):
    competition = make_competition(**UPCOMING)
    response = as_manager.post(f"/manage/competitions/{competition.id}/edit", data={**FORM, **changes})
    assert response.status_code == 200
    assert message in error_next_to(response.get_data(as_text=True), field)
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).title_ru == "ZHAS PROJECT: конкурс малых грантов"


@pytest.mark.parametrize("data, field, message", [
    ({"quota": str(10 ** 12)}, "quota", "at most 10 000 grants"),
    ({"quota": "1" + "0" * 30}, "quota", "at most 10 000 grants"),
    ({"region_code": "AL\x00A"}, "region_code", "There is no region"),
    ({"districts": ["ALA-MEDEU\x00"]}, "districts", "Choose only districts of the chosen region."),
])
def test_a_stratum_with_bad_input_gets_a_message_next_to_the_field(as_manager, data, field, message):
    competition = make_competition(strata=(("ALA", 20, ()),), **UPCOMING)
    stratum = competition.strata[0]
    values = {"region_code": "AST", "quota": "2", **data}
    response = as_manager.post(f"/manage/competitions/{competition.id}/strata",
                               data={f"stratum-{name}": value for name, value in values.items()})
    assert response.status_code == 200
    assert message in error_next_to(response.get_data(as_text=True), f"stratum-{field}")

    values = {"region_code": "ALA", "quota": "2", **data}
    response = as_manager.post(f"/manage/competitions/{competition.id}/strata/{stratum.id}/edit", data=values)
    assert response.status_code == 200
    assert message in error_next_to(response.get_data(as_text=True), field)
    db.session.expire_all()
    assert [(s.region_code, s.quota) for s in db.session.execute(sa.select(Stratum)).scalars()] == [("ALA", 20)]


@pytest.mark.parametrize("data, field, message", [
    ({"closes_at": "0001-01-01T00:00"}, "closes_at", "Enter a date from 2000 to 2100."),
    ({"closes_at": "9999-12-31T23:59"}, "closes_at", "Enter a date from 2000 to 2100."),
    ({"reason_kk": NUL}, "reason_kk", "invisible control character"),
    ({"reason_ru": NUL}, "reason_ru", "invisible control character"),
    ({"reason_en": NUL}, "reason_en", "invisible control character"),
])
def test_a_deadline_extension_with_bad_input_gets_a_message_next_to_the_field(as_manager, data, field, message):
    competition = make_open_competition()
    later = utc_to_almaty(competition.closes_at) + timedelta(days=2)
    values = {"closes_at": later.strftime("%Y-%m-%dT%H:%M"), "reason_kk": "Себеп", "reason_ru": "Причина",
              "reason_en": "Reason", **data}
    response = as_manager.post(f"/manage/competitions/{competition.id}/deadline",
                               data={f"extension-{name}": value for name, value in values.items()})
    assert response.status_code == 200
    assert message in error_next_to(response.get_data(as_text=True), f"extension-{field}")
    assert count(DeadlineExtension) == 0


def test_the_largest_accepted_values_are_stored(as_manager):
    response = as_manager.post("/manage/competitions/new", data={
        **FORM, "grant_cap": "1 000 000 000", "opens_at": "2000-01-02T00:00", "closes_at": "2100-12-31T18:00"})
    assert response.status_code == 302
    competition = db.session.execute(sa.select(Competition)).scalar_one()
    assert competition.grant_cap == 1_000_000_000
    assert competition.closes_at == datetime(2100, 12, 31, 13, 0)
    assert as_manager.get(f"/manage/competitions/{competition.id}/edit").status_code == 200
    assert as_manager.get(f"/calls/{competition.id}").status_code == 200
