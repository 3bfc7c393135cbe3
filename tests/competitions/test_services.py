"""Competition services: every rule, every bad input, the audit entries, the call's state."""
import io
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from app import storage
from app.audit.models import AuditEntry
from app.competitions import services
from app.competitions.models import Competition, RegulationsDocument, Stratum
from app.extensions import db
from tests.factories import MINIMAL_PDF, call_data, make_competition


def audit_events():
    return [(e.event, e.actor_id, e.data) for e in db.session.execute(
        sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars()]


def competition_count():
    return db.session.execute(sa.select(sa.func.count(Competition.id))).scalar()


# --- creating and updating ------------------------------------------------------------------

def test_create_competition_stores_the_settings_and_writes_the_audit_log(request_ctx, manager):
    competition = services.create_competition(call_data(code=" zp25 "), manager)
    db.session.commit()
    assert competition.code == "ZP25"
    assert competition.opens_at == datetime(2025, 10, 9, 4, 0)
    assert competition.required_documents == ["identity", "registration_proof", "neet_evidence"]
    [(event, actor, data)] = audit_events()
    assert (event, actor) == ("competition.created", manager.id)
    assert data["competition"] == competition.id
    assert data["code"] == "ZP25" and data["closes_at"] == "2025-10-22T13:00:00"


def test_required_documents_are_kept_in_their_usual_order_without_repeats(request_ctx):
    competition = services.create_competition(
        call_data(required_documents=["neet_evidence", "identity", "neet_evidence"]), None)
    assert competition.required_documents == ["identity", "neet_evidence"]


BAD_COMPETITIONS = [
    ({"closes_at": datetime(2025, 10, 1)}, "closes_at", "must close after it opens"),
    ({"closes_at": datetime(2025, 10, 9, 4, 0)}, "closes_at", "must close after it opens"),
    ({"opens_at": None}, "opens_at", "Enter a date and time"),
    ({"closes_at": "2025-10-22"}, "closes_at", "Enter a date and time"),
    ({"age_min": 36, "age_max": 35}, "age_max", "cannot be lower than the minimum"),
    ({"age_min": 13}, "age_min", "from 14 to 100"),
    ({"age_max": 101}, "age_max", "from 14 to 100"),
    ({"age_min": None}, "age_min", "from 14 to 100"),
    ({"age_min": "18"}, "age_min", "from 14 to 100"),
    ({"grant_cap": 0}, "grant_cap", "greater than zero"),
    ({"grant_cap": -1000}, "grant_cap", "greater than zero"),
    ({"grant_cap": "1000000"}, "grant_cap", "whole number of tenge"),
    ({"grant_cap": 1000.5}, "grant_cap", "whole number of tenge"),
    ({"grant_cap": None}, "grant_cap", "whole number of tenge"),
    ({"code": ""}, "code", "2 to 8 capital Latin letters or digits"),
    ({"code": "Z"}, "code", "2 to 8 capital Latin letters or digits"),
    ({"code": "ZP-23"}, "code", "2 to 8 capital Latin letters or digits"),
    ({"code": "ABCDEFGHI"}, "code", "2 to 8 capital Latin letters or digits"),
    ({"code": "ЖП23"}, "code", "2 to 8 capital Latin letters or digits"),
    ({"title_ru": "   "}, "title_ru", "Enter the title"),
    ({"title_kk": None}, "title_kk", "Enter the title"),
    ({"title_en": "x" * 256}, "title_en", "at most 255 characters"),
    ({"appeal_days": -1}, "appeal_days", "from 0 to 90"),
    ({"appeal_days": 91}, "appeal_days", "from 0 to 90"),
    ({"age_reference_date": "2025-10-22"}, "age_reference_date", "Enter a date"),
    ({"required_documents": ["passport"]}, "required_documents", "from the list"),
]


@pytest.mark.parametrize("changes, field, message", BAD_COMPETITIONS)
def test_create_competition_refuses_bad_settings(request_ctx, changes, field, message):
    with pytest.raises(services.InvalidChange) as error:
        services.create_competition(call_data(**changes), None)
    assert message in " ".join(map(str, error.value.errors[field]))
    db.session.rollback()
    assert competition_count() == 0
    assert audit_events() == []


def test_several_broken_rules_are_reported_together(request_ctx):
    with pytest.raises(services.InvalidChange) as error:
        services.create_competition(call_data(code="?", age_min=50, age_max=20, grant_cap=0), None)
    assert set(error.value.errors) == {"code", "age_max", "grant_cap"}


def test_a_code_already_used_is_refused(request_ctx):
    make_competition()
    with pytest.raises(services.InvalidChange) as error:
        services.create_competition(call_data(code="zp25"), None)
    assert "already uses the code ZP25" in str(error.value.errors["code"][0])


def test_ages_at_the_limits_and_equal_ages_are_accepted(request_ctx):
    competition = services.create_competition(call_data(age_min=14, age_max=14), None)
    services.update_competition(competition, call_data(age_min=14, age_max=100), None)
    assert (competition.age_min, competition.age_max) == (14, 100)


def test_update_competition_records_what_changed(request_ctx, manager):
    competition = make_competition()
    services.update_competition(
        competition, call_data(grant_cap=900_000, age_reference_date=date(2025, 10, 1)), manager)
    db.session.commit()
    assert competition.grant_cap == 900_000
    event, actor, data = audit_events()[-1]
    assert (event, actor) == ("competition.updated", manager.id)
    assert data["changes"] == {"grant_cap": [1_000_000, 900_000], "age_reference_date": [None, "2025-10-01"]}


def test_update_without_changes_writes_nothing_to_the_audit_log(request_ctx):
    competition = make_competition()
    before = len(audit_events())
    services.update_competition(competition, call_data(), None)
    assert len(audit_events()) == before


def test_update_keeps_its_own_code_but_refuses_another_competitions(request_ctx):
    first = make_competition()
    second = make_competition(code="ZP26", strata=())
    services.update_competition(first, call_data(code="ZP25", title_en="New"), None)
    with pytest.raises(services.InvalidChange) as error:
        services.update_competition(second, call_data(code="ZP25"), None)
    assert "code" in error.value.errors


@pytest.mark.parametrize("changes, field", [(c, f) for c, f, _ in BAD_COMPETITIONS if f != "code"])
def test_update_competition_refuses_bad_settings_and_changes_nothing(request_ctx, changes, field):
    competition = make_competition()
    with pytest.raises(services.InvalidChange) as error:
        services.update_competition(competition, call_data(**changes), None)
    assert field in error.value.errors
    db.session.rollback()
    assert db.session.get(Competition, competition.id).grant_cap == 1_000_000


# --- strata ---------------------------------------------------------------------------------

def test_add_stratum_keeps_the_districts_in_the_regions_order(request_ctx, manager):
    competition = make_competition(strata=())
    stratum = services.add_stratum(competition, "ala", 20, ["ALA-TURKSIB", "ALA-ALATAU", "ALA-TURKSIB"], manager)
    db.session.commit()
    assert (stratum.region_code, stratum.quota, stratum.districts) == ("ALA", 20, ["ALA-ALATAU", "ALA-TURKSIB"])
    event, actor, data = audit_events()[-1]
    assert (event, actor) == ("stratum.added", manager.id)
    assert data == {"actor": manager.id, "competition": competition.id, "stratum": stratum.id, "region": "ALA",
                    "quota": 20, "districts": ["ALA-ALATAU", "ALA-TURKSIB"]}


def test_a_stratum_without_districts_covers_the_whole_region(request_ctx):
    competition = make_competition(strata=())
    assert services.add_stratum(competition, "AST", 3, [], None).districts == []


BAD_STRATA = [
    ("XXX", 5, [], "region_code", "no region with the code XXX"),
    ("", 5, [], "region_code", "Choose a region"),
    (None, 5, [], "region_code", "Choose a region"),
    ("ALA", 0, [], "quota", "at least 1"),
    ("ALA", -3, [], "quota", "at least 1"),
    ("ALA", None, [], "quota", "at least 1"),
    ("ALA", "5", [], "quota", "at least 1"),
    ("ALA", 5, ["MAN-AKTAU"], "districts", "only districts of the chosen region"),
    ("ALA", 5, ["ALA-MEDEU", "NOWHERE"], "districts", "only districts of the chosen region"),
    ("AST", 5, ["ALA-MEDEU"], "districts", "only districts of the chosen region"),
]


@pytest.mark.parametrize("region, quota, districts, field, message", BAD_STRATA)
def test_add_stratum_refuses_bad_input(request_ctx, region, quota, districts, field, message):
    competition = make_competition(strata=())
    with pytest.raises(services.InvalidChange) as error:
        services.add_stratum(competition, region, quota, districts, None)
    assert message in " ".join(map(str, error.value.errors[field]))
    db.session.rollback()
    assert db.session.execute(sa.select(sa.func.count(Stratum.id))).scalar() == 0


def test_a_region_can_be_a_stratum_only_once_per_competition(request_ctx):
    competition = make_competition()
    with pytest.raises(services.InvalidChange) as error:
        services.add_stratum(competition, "ALA", 5, [], None)
    assert "already has a stratum for this region" in str(error.value.errors["region_code"][0])
    other = make_competition(code="ZP26", strata=())
    assert services.add_stratum(other, "ALA", 5, [], None).region_code == "ALA"


def test_update_stratum_records_the_changes(request_ctx, manager):
    competition = make_competition()
    stratum = competition.strata[0]
    services.update_stratum(stratum, "ALA", 18, ["ALA-MEDEU"], manager)
    db.session.commit()
    assert (stratum.quota, stratum.districts) == (18, ["ALA-MEDEU"])
    event, actor, data = audit_events()[-1]
    assert (event, actor) == ("stratum.updated", manager.id)
    assert data["changes"] == {"quota": [20, 18], "districts": [[], ["ALA-MEDEU"]]}


def test_update_stratum_refuses_a_region_already_used_but_keeps_its_own(request_ctx):
    competition = make_competition()
    almaty, mangystau = competition.strata
    services.update_stratum(almaty, "ALA", 21, [], None)
    with pytest.raises(services.InvalidChange) as error:
        services.update_stratum(mangystau, "ALA", 8, [], None)
    assert "region_code" in error.value.errors


@pytest.mark.parametrize("region, quota, districts, field, message", BAD_STRATA)
def test_update_stratum_refuses_bad_input(request_ctx, region, quota, districts, field, message):
    stratum = make_competition().strata[0]
    with pytest.raises(services.InvalidChange) as error:
        services.update_stratum(stratum, region, quota, districts, None)
    assert field in error.value.errors
    db.session.rollback()
    assert db.session.get(Stratum, stratum.id).quota == 20


def test_remove_stratum_deletes_it_and_writes_the_audit_log(request_ctx, manager):
    competition = make_competition()
    stratum_id = competition.strata[1].id
    services.remove_stratum(competition.strata[1], manager)
    db.session.commit()
    assert db.session.get(Stratum, stratum_id) is None
    assert [s.region_code for s in competition.strata] == ["ALA"]
    event, actor, data = audit_events()[-1]
    assert (event, actor, data["region"], data["quota"]) == ("stratum.removed", manager.id, "MAN", 8)


# --- regulations ----------------------------------------------------------------------------

def pdf_upload(data=MINIMAL_PDF, filename="Положение.pdf"):
    return FileStorage(stream=io.BytesIO(data), filename=filename)


def test_upload_regulations_stores_the_pdf(request_ctx, manager):
    competition = make_competition()
    document = services.upload_regulations(competition, "ru", pdf_upload(), manager)
    db.session.commit()
    assert (document.language, document.original_name, document.size) == ("ru", "Положение.pdf", len(MINIMAL_PDF))
    assert document.uploaded_by_id == manager.id
    with storage.open_stored(document.stored_name) as f:
        assert f.read() == MINIMAL_PDF
    event, actor, data = audit_events()[-1]
    assert (event, actor, data["language"], data["replaced_sha256"]) == ("regulations.uploaded", manager.id, "ru", None)


def test_a_new_upload_replaces_the_regulations_and_deletes_the_old_file_after_commit(request_ctx):
    competition = make_competition()
    old = services.upload_regulations(competition, "kk", pdf_upload(filename="ереже.pdf"), None)
    db.session.commit()
    old_name, old_sha = old.stored_name, old.sha256
    new = services.upload_regulations(competition, "kk", pdf_upload(MINIMAL_PDF + b"% v2\n", "ереже-2.pdf"), None)
    assert storage.path_for(old_name).exists()  # until the commit
    db.session.commit()
    assert not storage.path_for(old_name).exists()
    assert storage.path_for(new.stored_name).exists()
    assert db.session.execute(sa.select(sa.func.count(RegulationsDocument.id))).scalar() == 1
    assert audit_events()[-1][2]["replaced_sha256"] == old_sha


def test_a_replacement_rolled_back_keeps_the_old_file_and_drops_the_new(request_ctx):
    competition = make_competition()
    old_name = services.upload_regulations(competition, "ru", pdf_upload(), None).stored_name
    db.session.commit()
    new_name = services.upload_regulations(competition, "ru", pdf_upload(), None).stored_name
    db.session.rollback()
    assert storage.path_for(old_name).exists()
    assert not storage.path_for(new_name).exists()


@pytest.mark.parametrize("language, data, field, message", [
    ("de", MINIMAL_PDF, "language", "Kazakh, Russian or English"),
    ("ru", b"<html><body>not a pdf</body></html>", "file", "not of an accepted type"),
    ("ru", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "file", "not of an accepted type"),
    ("ru", b"", "file", "empty"),
])
def test_upload_regulations_refuses_bad_files(request_ctx, language, data, field, message):
    competition = make_competition()
    with pytest.raises(services.InvalidChange) as error:
        services.upload_regulations(competition, language, pdf_upload(data, "x.pdf"), None)
    assert message in str(error.value.errors[field][0])
    db.session.rollback()
    assert db.session.execute(sa.select(sa.func.count(RegulationsDocument.id))).scalar() == 0


def test_upload_regulations_refuses_a_file_over_the_cap(app, request_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 50)
    with pytest.raises(services.InvalidChange) as error:
        services.upload_regulations(make_competition(), "ru", pdf_upload(), None)
    assert "too large" in str(error.value.errors["file"][0])


def test_regulations_document_falls_back_to_another_language(request_ctx):
    competition = make_competition()
    assert services.regulations_document(competition, "en") is None
    services.upload_regulations(competition, "kk", pdf_upload(), None)
    assert services.regulations_document(competition, "en").language == "kk"
    services.upload_regulations(competition, "ru", pdf_upload(), None)
    assert services.regulations_document(competition, "en").language == "ru"
    assert services.regulations_document(competition, "kk").language == "kk"


# --- state and dates ------------------------------------------------------------------------

OPENS, CLOSES = datetime(2025, 10, 9, 4, 0), datetime(2025, 10, 22, 13, 0)


@pytest.mark.parametrize("now, state", [
    (OPENS - timedelta(seconds=1), services.CallState.UPCOMING),
    (OPENS, services.CallState.OPEN),
    (CLOSES - timedelta(seconds=1), services.CallState.OPEN),
    (CLOSES, services.CallState.CLOSED),
    (CLOSES + timedelta(days=30), services.CallState.CLOSED),
])
def test_call_state_follows_the_window(now, state):
    assert services.call_state(Competition(opens_at=OPENS, closes_at=CLOSES), now) is state


@pytest.mark.parametrize("closes_at, reference, expected", [
    (datetime(2025, 10, 22, 13, 0), None, date(2025, 10, 22)),
    (datetime(2025, 10, 22, 19, 30), None, date(2025, 10, 23)),  # 00:30 next day in Almaty
    (datetime(2025, 10, 22, 13, 0), date(2025, 10, 1), date(2025, 10, 1)),
])
def test_reference_date_is_the_one_set_or_the_closing_day_in_almaty(closes_at, reference, expected):
    competition = Competition(opens_at=OPENS, closes_at=closes_at, age_reference_date=reference)
    assert services.reference_date(competition) == expected


def test_time_left_is_never_negative():
    assert services.time_left(CLOSES, CLOSES - timedelta(hours=2)) == timedelta(hours=2)
    assert services.time_left(CLOSES, CLOSES + timedelta(hours=2)) == timedelta(0)


def test_current_call_prefers_the_open_call(request_ctx):
    make_competition(code="OLD", opens_at=datetime(2020, 1, 1), closes_at=datetime(2020, 2, 1), strata=())
    make_competition(code="NOW", opens_at=datetime(2025, 10, 1), closes_at=datetime(2025, 11, 1), strata=())
    make_competition(code="NEXT", opens_at=datetime(2026, 1, 1), closes_at=datetime(2026, 2, 1), strata=())
    assert services.current_call(datetime(2025, 10, 15)).code == "NOW"
    assert services.current_call(datetime(2025, 12, 1)).code == "NEXT"
    assert services.current_call(datetime(2027, 1, 1)).code == "NEXT"
