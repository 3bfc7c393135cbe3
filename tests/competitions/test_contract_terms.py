"""A call's contract terms, set by the manager on the call's settings page: the days to sign each
contract, the day the projects end, the one due date of the final reports, and the call's own
clauses in Kazakh and Russian. The contract PDF prints them (the clauses after the standard
obligations); a change is in the audit log; bad input gets a message next to its field, never a
500, and nothing changes."""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.almaty import utc_to_almaty
from app.audit.models import AuditEntry
from app.competitions import services
from app.competitions.models import Competition
from app.competitions.services import COMPETITION_FIELDS
from app.contracts import contracts
from app.errors import InvalidChange
from app.extensions import db
from tests.competitions.test_manage_views import FORM, UPCOMING, error_next_to, input_value
from tests.contracts.test_contracts import text_of
from tests.contracts.test_grants import all_grants
from tests.factories import call_data, make_competition
from tests.lottery.test_lifecycle import published_draw

CLAUSE_KK = ("Грант қаражатына сатып алынған жабдықтарды грант алушы тек жоба мақсаттарына пайдаланады "
             "және 12 ай ішінде иеліктен шығармайды.")
CLAUSE_RU = ("Оборудование, приобретённое за счёт гранта, используется только для целей проекта и не "
             "отчуждается в течение 12 месяцев.")
PUBLICITY_RU = "Грантополучатель согласен на публикацию фотографий проекта."

# Posted on the settings page of an UPCOMING call (it closes on 22 October 2035).
TERMS = {
    "contract_signing_days": "21",
    "project_ends_on": "2036-03-31",
    "report_due_date": "2036-04-15",
    "contract_clauses_kk": f"  {CLAUSE_KK}  \r\n\r\n",
    "contract_clauses_ru": f"{CLAUSE_RU}\r\n   \r\n{PUBLICITY_RU}",
}


def updates():
    return [entry.data for entry in db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.event == "competition.updated").order_by(AuditEntry.seq)).scalars()]


def settings(competition, **changes):
    return {**{name: getattr(competition, name) for name in COMPETITION_FIELDS}, **changes}


def squeezed(text):
    return " ".join(text.split())


# --- the settings page --------------------------------------------------------------------------

def test_the_manager_sets_the_contract_terms_and_the_change_is_audited(as_manager):
    competition = make_competition(**UPCOMING)
    response = as_manager.post(f"/manage/competitions/{competition.id}/edit", data={**FORM, **TERMS})
    assert response.status_code == 302
    db.session.expire_all()
    competition = db.session.get(Competition, competition.id)
    assert competition.contract_signing_days == 21
    assert (competition.project_ends_on, competition.report_due_date) == (date(2036, 3, 31), date(2036, 4, 15))
    # One clause a line, trimmed, without empty lines.
    assert competition.contract_clauses_kk == CLAUSE_KK
    assert competition.contract_clauses_ru == f"{CLAUSE_RU}\n{PUBLICITY_RU}"
    assert competition.contract_clauses("ru") == [CLAUSE_RU, PUBLICITY_RU]
    changes = updates()[-1]["changes"]
    assert changes["contract_signing_days"] == [14, 21]
    assert changes["report_due_date"] == [None, "2036-04-15"]
    assert changes["project_ends_on"] == [None, "2036-03-31"]
    assert changes["contract_clauses_ru"] == ["", f"{CLAUSE_RU}\n{PUBLICITY_RU}"]

    page = as_manager.get(f"/manage/competitions/{competition.id}/edit").get_data(as_text=True)
    assert "<legend class=\"h5\">Contract</legend>" in page
    assert input_value(page, "contract_signing_days") == "21"
    assert input_value(page, "report_due_date") == "2036-04-15"
    assert CLAUSE_KK in page and PUBLICITY_RU in page


def test_the_terms_stay_as_they_are_when_other_settings_are_saved(as_manager):
    competition = make_competition(**UPCOMING, contract_signing_days=30, report_due_date=date(2036, 6, 1))
    response = as_manager.post(f"/manage/competitions/{competition.id}/edit",
                               data={**FORM, "title_en": "A clearer title"})
    assert response.status_code == 302
    db.session.expire_all()
    competition = db.session.get(Competition, competition.id)
    assert (competition.contract_signing_days, competition.report_due_date) == (30, date(2036, 6, 1))
    assert "contract_signing_days" not in updates()[-1]["changes"]


def test_a_new_call_offers_14_days_to_sign_and_takes_empty_terms_as_the_defaults(as_manager):
    page = as_manager.get("/manage/competitions/new").get_data(as_text=True)
    assert input_value(page, "contract_signing_days") == "14"
    empty = {"contract_signing_days": "", "project_ends_on": "", "report_due_date": "",
             "contract_clauses_kk": "", "contract_clauses_ru": " \n "}
    assert as_manager.post("/manage/competitions/new", data={**FORM, **empty}).status_code == 302
    competition = db.session.execute(sa.select(Competition)).scalar_one()
    assert competition.contract_signing_days == 14
    assert competition.project_ends_on is None and competition.report_due_date is None
    assert competition.contract_clauses("kk") == competition.contract_clauses("ru") == []


BAD = [
    ({"contract_signing_days": "0"}, "contract_signing_days", "from 1 to 90"),
    ({"contract_signing_days": "91"}, "contract_signing_days", "from 1 to 90"),
    ({"contract_signing_days": "-3"}, "contract_signing_days", "from 1 to 90"),
    ({"contract_signing_days": "1" + "0" * 25}, "contract_signing_days", "from 1 to 90"),
    ({"contract_signing_days": "two weeks"}, "contract_signing_days", "Enter a whole number of days."),
    ({"contract_signing_days": "1\x004"}, "contract_signing_days", "Enter a whole number of days."),
    ({"report_due_date": "2035-10-22"}, "report_due_date", "after the call closes"),
    ({"report_due_date": "2030-01-01"}, "report_due_date", "after the call closes"),
    ({"report_due_date": "0001-01-01"}, "report_due_date", "after the call closes"),
    ({"project_ends_on": "2035-10-01"}, "project_ends_on", "after the call closes"),
    ({"report_due_date": "9999-12-31"}, "report_due_date", "within three years"),
    ({"project_ends_on": "2040-01-01"}, "project_ends_on", "within three years"),
    ({"report_due_date": "+275760-09-13"}, "report_due_date", "Not a valid date value."),
    ({"report_due_date": "15.04.2036\x00"}, "report_due_date", "Not a valid date value."),
    ({"project_ends_on": "2036-05-01", "report_due_date": "2036-04-15"}, "report_due_date",
     "cannot be due before the projects end"),
    ({"contract_clauses_kk": f"{CLAUSE_KK}\x00"}, "contract_clauses_kk", "invisible control character"),
    ({"contract_clauses_ru": "\x07" + CLAUSE_RU}, "contract_clauses_ru", "invisible control character"),
    ({"contract_clauses_ru": "x" * 4001}, "contract_clauses_ru", "at most 4000 characters"),
    ({"contract_clauses_kk": f"{CLAUSE_KK}\n" * 40}, "contract_clauses_kk", "at most 4000 characters"),
]


@pytest.mark.parametrize("changes, field, message", BAD)
def test_bad_terms_on_the_settings_page_get_a_message_next_to_the_field(as_manager, changes, field, message):
    competition = make_competition(**UPCOMING)
    response = as_manager.post(f"/manage/competitions/{competition.id}/edit", data={**FORM, **TERMS, **changes})
    assert response.status_code == 200
    assert message in error_next_to(response.get_data(as_text=True), field)
    db.session.expire_all()
    competition = db.session.get(Competition, competition.id)
    assert (competition.contract_signing_days, competition.report_due_date, competition.contract_clauses_kk) == (
        14, None, "")
    assert updates() == []


@pytest.mark.parametrize("changes, field, message", BAD[:4] + BAD[6:8] + BAD[15:18])
def test_a_new_call_with_bad_terms_is_not_created(as_manager, changes, field, message):
    response = as_manager.post("/manage/competitions/new", data={**FORM, **TERMS, **changes})
    assert response.status_code == 200
    assert message in error_next_to(response.get_data(as_text=True), field)
    assert db.session.execute(sa.select(sa.func.count()).select_from(Competition)).scalar() == 0


@pytest.mark.parametrize("changes, field", [
    ({"contract_signing_days": True}, "contract_signing_days"),
    ({"contract_signing_days": "14"}, "contract_signing_days"),
    ({"contract_signing_days": 14.5}, "contract_signing_days"),
    ({"report_due_date": "2026-04-15"}, "report_due_date"),
    ({"project_ends_on": utc_to_almaty(call_data()["closes_at"])}, "project_ends_on"),  # a datetime, not a date
])
def test_the_services_refuse_terms_of_the_wrong_kind(request_ctx, changes, field):
    with pytest.raises(InvalidChange) as refused:
        services.create_competition(call_data(**changes), None)
    assert field in refused.value.errors


# --- the contract ---------------------------------------------------------------------------------

@pytest.fixture
def grant(manager):
    published_draw(manager)
    return all_grants()[0]


def set_terms(grant, manager, **terms):
    services.update_competition(grant.competition, settings(grant.competition, **terms), manager)
    db.session.commit()


def test_the_contract_prints_the_calls_terms_in_kazakh_and_russian(grant, manager):
    set_terms(grant, manager, contract_signing_days=21, project_ends_on=date(2027, 4, 30),
              report_due_date=date(2027, 5, 31), contract_clauses_kk=CLAUSE_KK,
              contract_clauses_ru=f"{CLAUSE_RU}\n{PUBLICITY_RU}")
    contract = contracts.issue(grant, manager)
    db.session.commit()
    assert contract.signing_deadline - contract.issued_at == timedelta(days=21)
    text = text_of(contract.pdf)
    kazakh, russian = text.split("Договор №", 1)
    # The call's clauses come after the five standard obligations, numbered on.
    assert f"6. {squeezed(CLAUSE_KK)}" in kazakh and "қолма-қол" in kazakh
    assert f"6. {squeezed(CLAUSE_RU)}" in russian and f"7. {PUBLICITY_RU}" in russian
    assert CLAUSE_RU not in kazakh and squeezed(CLAUSE_KK) not in russian
    assert "қорытынды есепті 31.05.2027 дейін" in kazakh and "итоговый отчёт до 31.05.2027" in russian
    assert "30.04.2027 дейін (қоса алғанда)" in kazakh and "по 30.04.2027 включительно" in russian
    deadline = utc_to_almaty(contract.signing_deadline).strftime("%d.%m.%Y")
    assert f"{deadline} дейін қол қойылуы" in kazakh and f"подписан до {deadline}" in russian


def test_without_terms_of_its_own_a_contract_gives_14_days_and_the_report_180_days_after_the_issue(grant, manager):
    contract = contracts.issue(grant, manager)
    db.session.commit()
    assert contract.signing_deadline - contract.issued_at == timedelta(days=14)
    due = utc_to_almaty(contract.issued_at + timedelta(days=180)).strftime("%d.%m.%Y")
    text = text_of(contract.pdf)
    assert f"итоговый отчёт до {due}" in text and f"қорытынды есепті {due} дейін" in text
    assert "Срок реализации проекта" not in text and not re.search(r"\s6\. ", text)


def test_an_issued_contract_keeps_its_terms_and_the_next_version_has_the_new_ones(grant, manager):
    first = contracts.issue(grant, manager)
    db.session.commit()
    set_terms(grant, manager, contract_signing_days=30, contract_clauses_ru=PUBLICITY_RU)
    second = contracts.issue(grant, manager)
    db.session.commit()
    assert PUBLICITY_RU not in text_of(first.pdf) and f"6. {PUBLICITY_RU}" in text_of(second.pdf)
    assert first.signing_deadline - first.issued_at == timedelta(days=14)
    assert second.signing_deadline - second.issued_at == timedelta(days=30)
