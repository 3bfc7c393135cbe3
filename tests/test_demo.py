"""`flask demo load`: an open call like ZHAS PROJECT 2023 and the staff accounts."""
import io
from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from werkzeug.security import check_password_hash

from app.admin.organisation import missing_fields, organisation
from app.almaty import utc_to_almaty
from app.audit.models import AuditEntry
from app.auth.models import Role, User
from app.competitions import services as competitions
from app.competitions.models import Competition
from app.dbtypes import utcnow
from app.demo import services as demo
from app.extensions import db


def competitions_in_db():
    return db.session.execute(sa.select(Competition)).scalars().all()


def test_demo_load_creates_the_open_call(runner, app_ctx):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    [call] = competitions_in_db()
    assert call.code == "ZP23"
    assert call.title_ru == "ZHAS PROJECT: конкурс малых грантов для молодёжи NEET"
    assert call.title_kk and call.title_en and call.summary_kk and call.summary_ru and call.summary_en
    assert competitions.call_state(call) is competitions.CallState.OPEN
    assert (call.age_min, call.age_max, call.grant_cap, call.appeal_days) == (18, 35, 1_000_000, 5)
    assert call.required_documents == ["identity", "registration_proof", "neet_evidence"]
    assert [(s.region_code, s.quota, len(s.districts)) for s in call.strata] == [("ALA", 20, 8), ("MAN", 8, 7)]


def test_the_demo_window_opened_three_days_ago_and_closes_in_eleven_at_six_pm_in_almaty(app_ctx):
    now = datetime(2025, 10, 12, 6, 0)  # 11:00 in Almaty
    call = demo.load_demo(now=now).competition
    assert utc_to_almaty(call.opens_at).date() == datetime(2025, 10, 9).date()
    closes = utc_to_almaty(call.closes_at)
    assert (closes.date(), closes.time()) == (datetime(2025, 10, 23).date(), time(18, 0))
    assert competitions.call_state(call, now) is competitions.CallState.OPEN


def test_demo_load_creates_confirmed_staff_accounts_and_prints_them(runner, app_ctx):
    result = runner.invoke(args=["demo", "load"])
    users = {u.email: u for u in db.session.execute(sa.select(User)).scalars()}
    for role in (Role.MANAGER, Role.STAFF, Role.FINANCE, Role.MENTOR, Role.MONITOR, Role.ADMIN):
        user = users[f"{role.value}@demo.zhasproject.kz"]
        assert user.roles == {role}
        assert user.email_confirmed
        assert check_password_hash(user.password_hash, demo.DEMO_PASSWORD)
        assert user.email in result.output
    assert demo.DEMO_PASSWORD in result.output


def test_demo_data_is_in_the_audit_log_without_an_actor(runner, app_ctx):
    runner.invoke(args=["demo", "load"])
    entries = db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
    assert [e.event for e in entries] == (
        ["competition.created", "stratum.added", "stratum.added", "regulations.uploaded", "regulations.uploaded"]
        + ["user.created"] * 6 + ["organisation.updated"])
    assert all(e.actor_id is None for e in entries)


def test_demo_load_twice_says_the_data_exists(runner, app_ctx):
    runner.invoke(args=["demo", "load"])
    users_after_first = db.session.execute(sa.select(sa.func.count(User.id))).scalar()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "already exists" in result.output
    assert len(competitions_in_db()) == 1
    assert db.session.execute(sa.select(sa.func.count(User.id))).scalar() == users_after_first


def test_if_empty_does_nothing_when_a_competition_exists(runner, app_ctx):
    competitions.create_competition({
        "code": "OWN", "title_kk": "Өз", "title_ru": "Свой", "title_en": "Own",
        "opens_at": datetime(2025, 1, 1), "closes_at": datetime(2025, 2, 1),
        "age_min": 18, "age_max": 35, "grant_cap": 500_000, "appeal_days": 5, "required_documents": [],
    }, None)
    db.session.commit()
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert "already has a competition" in result.output
    assert [c.code for c in competitions_in_db()] == ["OWN"]
    assert db.session.execute(sa.select(sa.func.count(User.id))).scalar() == 0


def test_if_empty_loads_into_an_empty_database(runner, app_ctx):
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert [c.code for c in competitions_in_db()] == ["ZP23"]


def test_an_existing_account_is_left_as_it_was(runner, app_ctx, make_user):
    make_user("manager@demo.zhasproject.kz", roles=(Role.MANAGER,), password="my own password")
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    user = db.session.execute(sa.select(User).where(User.email == "manager@demo.zhasproject.kz")).scalar_one()
    assert check_password_hash(user.password_hash, "my own password")
    assert "already existed" in result.output


def test_an_unknown_stage_is_refused(app_ctx):
    with pytest.raises(ValueError):
        demo.load_demo(stage="draw")
    assert competitions_in_db() == []


def test_the_demo_manager_can_edit_the_call(app, client, runner):
    runner.invoke(args=["demo", "load"])
    client.post("/login", data={"email": "manager@demo.zhasproject.kz", "password": demo.DEMO_PASSWORD})
    assert client.get("/manage/competitions").status_code == 200
    assert client.get("/manage/competitions/1/edit").status_code == 200


def test_the_demo_screener_cannot(app, client, runner):
    runner.invoke(args=["demo", "load"])
    client.post("/login", data={"email": "staff@demo.zhasproject.kz", "password": demo.DEMO_PASSWORD})
    assert client.get("/manage/competitions").status_code == 403


def test_time_of_the_demo_window_moves_with_today(app_ctx):
    call = demo.load_demo().competition
    assert call.opens_at < utcnow() < call.closes_at
    assert call.closes_at - call.opens_at > timedelta(days=13)


@pytest.mark.parametrize("lang, words", [
    ("ru", ["Положение о конкурсе малых грантов", "от 18 до 35 лет", "1 000 000 тенге", "жеребьёвкой",
            "Алматы", "PDF, JPEG и PNG"]),
    ("kk", ["Шағын гранттар конкурсы туралы ереже", "18 жастан 35 жасқа дейінгі", "1 000 000 теңгеден",
            "жеребе", "ЖСН"]),
])
def test_the_demo_call_ships_readable_regulations_in_kazakh_and_russian(runner, app_ctx, client, lang, words):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    [call] = competitions_in_db()
    assert sorted(document.language for document in call.regulations) == ["kk", "ru"]
    response = client.get(f"/calls/{call.id}/regulations/{lang}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.replace("\u00a0", " ").split())
    for word in words:
        assert word in text
    closes = utc_to_almaty(call.closes_at)
    assert f"{closes:%H:%M}" in text and str(closes.year) in text


def test_the_open_demo_call_page_offers_its_regulations(runner, app_ctx, client):
    runner.invoke(args=["demo", "load"])
    [call] = competitions_in_db()
    html = client.get(f"/calls/{call.id}", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert f"/calls/{call.id}/regulations/" in html


def test_the_demo_office_has_the_details_a_contract_prints(runner, app_ctx):
    runner.invoke(args=["demo", "load"])
    office = organisation()
    assert office.bin == "940740000595" and office.legal_name_ru.startswith("Общественный фонд")
    assert missing_fields(office) == []
