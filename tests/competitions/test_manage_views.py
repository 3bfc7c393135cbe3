"""The manager's pages: who may open them, what they save, the errors shown next to the fields."""
import io
import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.competitions.models import Competition, RegulationsDocument, Stratum
from app.extensions import db
from tests.factories import MINIMAL_PDF, make_competition
from tests.conftest import login

FORM = {
    "code": "ZP25",
    "title_kk": "ZHAS PROJECT: шағын гранттар",
    "title_ru": "ZHAS PROJECT: малые гранты",
    "title_en": "ZHAS PROJECT: small grants",
    "summary_kk": "", "summary_ru": "", "summary_en": "",
    "opens_at": "2035-10-09T09:00",
    "closes_at": "2035-10-22T18:00",
    "age_min": "18", "age_max": "35",
    "age_reference_date": "",
    "grant_cap": "1 000 000",
    "appeal_days": "5",
    "required_documents": ["identity", "neet_evidence"],
}


# An upcoming call: nothing of it is locked yet (see test_locks.py for what locks when).
UPCOMING = {"opens_at": datetime(2035, 10, 9, 4, 0), "closes_at": datetime(2035, 10, 22, 13, 0)}


@pytest.fixture
def competition(app_ctx):
    return make_competition(**UPCOMING)


def count(model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def events():
    return [(e.event, e.actor_id) for e in db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars()]


def error_next_to(html, field_id):
    """The text of the error block tied to the field, or None."""
    found = re.search(rf'<div id="{re.escape(field_id)}-error"[^>]*>(.*?)</div>', html, re.S)
    return found.group(1).strip() if found else None


def input_value(html, field_id):
    found = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', found.group(0)) if found else None
    return value.group(1) if value else None


def pdf(data=MINIMAL_PDF, name="Положение.pdf"):
    return (io.BytesIO(data), name)


# --- who may come in ------------------------------------------------------------------------

def routes(competition_id, stratum_id):
    return [
        ("get", "/manage/competitions", None),
        ("get", "/manage/competitions/new", None),
        ("post", "/manage/competitions/new", FORM),
        ("get", f"/manage/competitions/{competition_id}/edit", None),
        ("post", f"/manage/competitions/{competition_id}/edit", FORM),
        ("post", f"/manage/competitions/{competition_id}/strata", {"stratum-region_code": "AST", "stratum-quota": "2"}),
        ("get", f"/manage/competitions/{competition_id}/strata/{stratum_id}/edit", None),
        ("post", f"/manage/competitions/{competition_id}/strata/{stratum_id}/edit",
         {"region_code": "ALA", "quota": "3"}),
        ("post", f"/manage/competitions/{competition_id}/strata/{stratum_id}/remove", {}),
        ("post", f"/manage/competitions/{competition_id}/regulations/ru", {}),
    ]


@pytest.mark.parametrize("roles", [(Role.APPLICANT,), (Role.STAFF,), (Role.FINANCE,), (Role.MENTOR,), (Role.MONITOR,)])
def test_users_without_the_manager_role_are_refused(client, make_user, competition, roles):
    user = make_user("someone@example.kz", roles=roles)
    login(client, user.email)
    for method, url, data in routes(competition.id, competition.strata[0].id):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 403, (method, url)
    assert count(Competition) == 1 and count(Stratum) == 2


def test_an_unconfirmed_manager_is_refused(client, make_user, competition):
    user = make_user("new@example.kz", roles=(Role.MANAGER,), confirmed=False)
    login(client, user.email)  # the log-in page may already turn them away
    assert client.get("/manage/competitions").status_code in (302, 403)


def test_anonymous_visitors_are_sent_to_log_in(client, competition):
    for method, url, data in routes(competition.id, competition.strata[0].id):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 302, (method, url)
        assert "/login" in response.headers["Location"]
    assert count(Competition) == 1 and count(Stratum) == 2


@pytest.mark.parametrize("roles", [(Role.MANAGER,), (Role.ADMIN,)])
def test_managers_and_admins_open_every_page(client, make_user, competition, roles):
    user = make_user("boss@example.kz", roles=roles)
    login(client, user.email)
    stratum_id = competition.strata[0].id
    for url in ("/manage/competitions", "/manage/competitions/new", f"/manage/competitions/{competition.id}/edit",
                f"/manage/competitions/{competition.id}/strata/{stratum_id}/edit"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("method, url", [
    ("get", "/manage/competitions/999/edit"),
    ("post", "/manage/competitions/999/edit"),
    ("post", "/manage/competitions/999/strata"),
    ("get", "/manage/competitions/999/strata/1/edit"),
    ("post", "/manage/competitions/999/strata/1/remove"),
    ("post", "/manage/competitions/999/regulations/ru"),
    ("get", "/manage/competitions/{id}/strata/999/edit"),
    ("post", "/manage/competitions/{id}/strata/999/remove"),
    ("post", "/manage/competitions/{id}/regulations/de"),
])
def test_unknown_ids_are_not_found(as_manager, competition, method, url):
    assert getattr(as_manager, method)(url.format(id=competition.id)).status_code == 404


def test_a_stratum_of_another_competition_is_not_found(as_manager, competition):
    other = make_competition(code="ZP26", strata=(("AST", 2, ()),))
    url = f"/manage/competitions/{competition.id}/strata/{other.strata[0].id}"
    assert as_manager.get(url + "/edit").status_code == 404
    assert as_manager.post(url + "/remove").status_code == 404
    assert count(Stratum) == 3


# --- the list -------------------------------------------------------------------------------

def test_the_list_shows_every_competition(as_manager, competition):
    html = as_manager.get("/manage/competitions").get_data(as_text=True)
    assert "ZP25" in html and f"/manage/competitions/{competition.id}/edit" in html
    assert "28" in html  # grants in all strata


def test_the_list_says_when_there_is_no_competition(as_manager):
    assert "There are no competitions yet" in as_manager.get("/manage/competitions").get_data(as_text=True)


# --- creating and editing -------------------------------------------------------------------

def test_a_manager_creates_a_competition_with_the_window_in_almaty_time(as_manager, manager):
    response = as_manager.post("/manage/competitions/new", data=FORM)
    competition = db.session.execute(sa.select(Competition)).scalar_one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/competitions/{competition.id}/edit")
    assert competition.opens_at.isoformat() == "2035-10-09T04:00:00"  # UTC+5
    assert competition.closes_at.isoformat() == "2035-10-22T13:00:00"
    assert competition.grant_cap == 1_000_000
    assert competition.required_documents == ["identity", "neet_evidence"]
    assert events()[-1] == ("competition.created", manager.id)


def test_the_new_form_suggests_the_usual_rules(as_manager):
    html = as_manager.get("/manage/competitions/new").get_data(as_text=True)
    assert input_value(html, "age_min") == "18" and input_value(html, "age_max") == "35"
    assert input_value(html, "grant_cap") == "1000000"


BAD_FORMS = [
    ({"closes_at": "2035-10-01T18:00"}, "closes_at", "The window must close after it opens.", "2035-10-01T18:00"),
    ({"closes_at": "soon"}, "closes_at", "Enter a date and time", "soon"),
    ({"age_min": "40"}, "age_max", "The maximum age cannot be lower than the minimum age.", "35"),
    ({"age_min": "12"}, "age_min", "from 14 to 100", "12"),
    ({"age_max": "120"}, "age_max", "from 14 to 100", "120"),
    ({"age_min": "eighteen"}, "age_min", "whole number of years", "eighteen"),
    ({"grant_cap": "0"}, "grant_cap", "greater than zero", "0"),
    ({"grant_cap": "-5"}, "grant_cap", "greater than zero", "-5"),
    ({"grant_cap": "a million"}, "grant_cap", "whole number of tenge", "a million"),
    ({"grant_cap": ""}, "grant_cap", "Enter the grant cap.", ""),
    ({"code": "ZP-25"}, "code", "2 to 8 capital Latin letters or digits", "ZP-25"),
    ({"code": "TOOLONGCODE"}, "code", "2 to 8 capital Latin letters or digits", "TOOLONGCODE"),
    ({"title_ru": ""}, "title_ru", "Enter the title in Russian.", ""),
    ({"appeal_days": "-1"}, "appeal_days", "from 0 to 90", "-1"),
]


@pytest.mark.parametrize("changes, field, message, kept", BAD_FORMS)
def test_new_competition_errors_appear_next_to_the_field_and_keep_the_input(as_manager, changes, field, message, kept):
    response = as_manager.post("/manage/competitions/new", data={**FORM, **changes})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in error_next_to(html, field)
    assert input_value(html, field) == kept
    assert input_value(html, "title_en") == FORM["title_en"]
    assert count(Competition) == 0 and count(AuditEntry) == 0


def test_a_code_already_used_is_shown_next_to_the_code(as_manager, competition):
    response = as_manager.post("/manage/competitions/new", data={**FORM, "code": "zp25"})
    html = response.get_data(as_text=True)
    assert "already uses the code ZP25" in error_next_to(html, "code")
    assert count(Competition) == 1


def test_the_edit_form_shows_the_window_in_almaty_time(as_manager, competition):
    html = as_manager.get(f"/manage/competitions/{competition.id}/edit").get_data(as_text=True)
    assert input_value(html, "opens_at") == "2035-10-09T09:00"
    assert input_value(html, "closes_at") == "2035-10-22T18:00"
    assert 'value="neet_evidence" checked' in html


def test_a_manager_edits_a_competition(as_manager, manager, competition):
    data = {**FORM, "grant_cap": "800000", "closes_at": "2035-10-25T18:00", "age_reference_date": "2035-10-01"}
    response = as_manager.post(f"/manage/competitions/{competition.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(competition)
    assert competition.grant_cap == 800_000
    assert competition.closes_at.isoformat() == "2035-10-25T13:00:00"
    assert competition.age_reference_date.isoformat() == "2035-10-01"
    entry = db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()
    assert (entry.event, entry.actor_id) == ("competition.updated", manager.id)
    assert entry.data["changes"]["grant_cap"] == [1_000_000, 800_000]


@pytest.mark.parametrize("changes, field, message, kept", BAD_FORMS)
def test_edit_errors_appear_next_to_the_field_and_nothing_changes(
        as_manager, competition, changes, field, message, kept):
    before = count(AuditEntry)
    response = as_manager.post(f"/manage/competitions/{competition.id}/edit", data={**FORM, **changes})
    html = response.get_data(as_text=True)
    assert message in error_next_to(html, field)
    assert input_value(html, field) == kept
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).grant_cap == 1_000_000
    assert count(AuditEntry) == before


# --- strata ---------------------------------------------------------------------------------

def test_the_edit_page_lists_the_strata_with_edit_and_remove_buttons(as_manager, competition):
    html = as_manager.get(f"/manage/competitions/{competition.id}/edit").get_data(as_text=True)
    for stratum in competition.strata:
        assert f"/strata/{stratum.id}/edit" in html
        assert f'action="/manage/competitions/{competition.id}/strata/{stratum.id}/remove"' in html
    assert "Almaty city" in html and "Mangystau Region" in html
    assert '<optgroup label="Almaty city">' in html  # the districts to choose from


def test_a_manager_adds_a_stratum(as_manager, manager):
    competition = make_competition(strata=(), **UPCOMING)
    response = as_manager.post(f"/manage/competitions/{competition.id}/strata", data={
        "stratum-region_code": "MAN", "stratum-quota": "8", "stratum-districts": ["MAN-AKTAU", "MAN-BEINEU"]})
    assert response.status_code == 302 and response.headers["Location"].endswith("#strata")
    stratum = db.session.execute(sa.select(Stratum)).scalar_one()
    assert (stratum.region_code, stratum.quota, stratum.districts) == ("MAN", 8, ["MAN-AKTAU", "MAN-BEINEU"])
    assert events()[-1] == ("stratum.added", manager.id)


@pytest.mark.parametrize("data, field, message", [
    ({"stratum-region_code": "ALA", "stratum-quota": "5"}, "stratum-region_code",
     "already has a stratum for this region"),
    ({"stratum-region_code": "XYZ", "stratum-quota": "5"}, "stratum-region_code", "no region with the code XYZ"),
    ({"stratum-region_code": "", "stratum-quota": "5"}, "stratum-region_code", "Choose a region."),
    ({"stratum-region_code": "AST", "stratum-quota": "0"}, "stratum-quota", "at least 1"),
    ({"stratum-region_code": "AST", "stratum-quota": "many"}, "stratum-quota", "whole number of grants"),
    ({"stratum-region_code": "AST", "stratum-quota": "2", "stratum-districts": ["MAN-AKTAU"]},
     "stratum-districts", "Choose only districts of the chosen region."),
])
def test_stratum_errors_appear_next_to_the_field(as_manager, competition, data, field, message):
    response = as_manager.post(f"/manage/competitions/{competition.id}/strata", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in error_next_to(html, field)
    if field == "stratum-quota":
        assert input_value(html, "stratum-quota") == data["stratum-quota"]
    assert count(Stratum) == 2
    # The settings form above still shows the saved settings, not the stratum's post.
    assert input_value(html, "code") == "ZP25" and input_value(html, "opens_at") == "2035-10-09T09:00"


def test_a_manager_edits_a_stratum(as_manager, manager, competition):
    stratum = competition.strata[0]
    url = f"/manage/competitions/{competition.id}/strata/{stratum.id}/edit"
    html = as_manager.get(url).get_data(as_text=True)
    assert input_value(html, "quota") == "20"
    response = as_manager.post(url, data={"region_code": "ALA", "quota": "22", "districts": ["ALA-MEDEU"]})
    assert response.status_code == 302
    db.session.refresh(stratum)
    assert (stratum.quota, stratum.districts) == (22, ["ALA-MEDEU"])
    assert events()[-1] == ("stratum.updated", manager.id)


def test_stratum_edit_errors_appear_next_to_the_field(as_manager, competition):
    stratum = competition.strata[0]
    url = f"/manage/competitions/{competition.id}/strata/{stratum.id}/edit"
    html = as_manager.post(url, data={"region_code": "MAN", "quota": "0"}).get_data(as_text=True)
    assert "already has a stratum for this region" in error_next_to(html, "region_code")
    html = as_manager.post(url, data={"region_code": "ALA", "quota": "0"}).get_data(as_text=True)
    assert "at least 1" in error_next_to(html, "quota")
    db.session.expire_all()
    assert db.session.get(Stratum, stratum.id).quota == 20


def test_a_manager_removes_a_stratum(as_manager, manager, competition):
    stratum_id = competition.strata[1].id
    response = as_manager.post(f"/manage/competitions/{competition.id}/strata/{stratum_id}/remove")
    assert response.status_code == 302
    assert db.session.get(Stratum, stratum_id) is None
    assert events()[-1] == ("stratum.removed", manager.id)


def test_removing_a_stratum_needs_the_csrf_token(as_manager, competition, csrf_enabled):
    stratum_id = competition.strata[1].id
    assert as_manager.post(f"/manage/competitions/{competition.id}/strata/{stratum_id}/remove").status_code == 400
    assert db.session.get(Stratum, stratum_id) is not None


def test_every_form_of_the_edit_page_carries_a_csrf_token(as_manager, competition, csrf_enabled):
    html = as_manager.get(f"/manage/competitions/{competition.id}/edit").get_data(as_text=True)
    forms = re.findall(r"<form\b.*?</form>", html, re.S)
    assert len(forms) == 8  # log out, settings, two removals, new stratum, three regulations
    for form in forms:
        assert re.search(r'<input[^>]*name="[\w-]*csrf_token"[^>]*value="[^"]+"', form), form[:200]


# --- regulations ----------------------------------------------------------------------------

def test_a_manager_uploads_the_regulations(as_manager, manager, competition):
    response = as_manager.post(f"/manage/competitions/{competition.id}/regulations/ru",
                               data={"regulations-ru-file": pdf()}, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith("#regulations")
    document = db.session.execute(sa.select(RegulationsDocument)).scalar_one()
    assert (document.language, document.original_name, document.uploaded_by_id) == ("ru", "Положение.pdf", manager.id)
    assert events()[-1] == ("regulations.uploaded", manager.id)
    html = as_manager.get(f"/manage/competitions/{competition.id}/edit").get_data(as_text=True)
    assert "Положение.pdf" in html


@pytest.mark.parametrize("file, message", [
    (pdf(b"<!doctype html><html></html>", "x.pdf"), "not of an accepted type"),
    (pdf(b'<svg xmlns="http://www.w3.org/2000/svg"/>', "x.pdf"), "not of an accepted type"),
    (pdf(b"", "x.pdf"), "The file is empty."),
    (None, "Choose a PDF file"),
])
def test_regulations_errors_appear_next_to_the_languages_field(as_manager, competition, file, message):
    data = {"regulations-kk-file": file} if file else {}
    response = as_manager.post(f"/manage/competitions/{competition.id}/regulations/kk",
                               data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert message in error_next_to(html, "regulations-kk-file")
    assert error_next_to(html, "regulations-ru-file") is None
    assert count(RegulationsDocument) == 0


def test_regulations_over_the_size_cap_are_refused(app, as_manager, competition, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 64)
    response = as_manager.post(f"/manage/competitions/{competition.id}/regulations/en",
                               data={"regulations-en-file": pdf()}, content_type="multipart/form-data")
    assert "too large" in error_next_to(response.get_data(as_text=True), "regulations-en-file")
    assert count(RegulationsDocument) == 0
