"""Public pages: the call, its regulations, the home page, questions and answers, contacts."""
import io
import re
from datetime import datetime, timedelta

import pytest
from werkzeug.datastructures import FileStorage

from app.competitions import services
from app.dbtypes import utcnow
from app.demo.services import load_demo
from app.extensions import db
from app.kz.regions import get_region
from tests.factories import MINIMAL_PDF, make_competition


def open_call(**changes):
    now = utcnow()
    return make_competition(
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=2, hours=3), **changes)


def add_regulations(competition, language, data=MINIMAL_PDF, filename="Положение о конкурсе.pdf"):
    document = services.upload_regulations(competition, language, FileStorage(io.BytesIO(data), filename), None)
    db.session.commit()
    return document


def assert_no_inline_code(html):
    """The Content-Security-Policy forbids inline scripts and styles: the pages must not need them."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


# --- the call page --------------------------------------------------------------------------

def test_the_call_page_shows_the_rules_quotas_and_a_countdown(client, app_ctx):
    call = open_call(strata=(("ALA", 20, ("ALA-MEDEU",)), ("MAN", 8, ())))
    client.get("/lang/en")
    response = client.get(f"/calls/{call.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert call.title_en in html and "In short" in html
    assert "Open for applications" in html and "Applications are open until" in html
    assert "aged 18 to 35" in html
    assert "₸1,000,000" in html
    assert "Identity document" in html and "Supplier quote" not in html
    assert "Almaty city" in html and "20 grants" in html and "Medeu" in html
    assert "Mangystau Region" in html and "8 grants" in html
    remaining = int(re.search(r'data-remaining="(\d+)"', html).group(1))
    assert timedelta(days=2, hours=2) < timedelta(seconds=remaining) <= timedelta(days=2, hours=3)
    assert 'data-unit="days">2<' in html
    assert "/static/js/countdown.js" in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert_no_inline_code(html)


def test_the_call_page_in_russian_formats_money_and_names_in_russian(client, app_ctx):
    call = open_call()
    client.get("/lang/ru")
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "1\u00a0000\u00a0000\u00a0₸" in html
    assert "город Алматы" in html and call.title_ru in html


@pytest.mark.parametrize("shift, text, countdown", [
    (timedelta(days=5), "Applications open on", True),
    (timedelta(days=-30), "Applications closed on", False),
])
def test_the_call_page_tells_an_upcoming_or_closed_call(client, app_ctx, shift, text, countdown):
    now = utcnow()
    call = make_competition(opens_at=now + shift, closes_at=now + shift + timedelta(days=10))
    client.get("/lang/en")
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert text in html
    assert ("data-countdown" in html) is countdown
    assert bool(re.search(r">\s*Apply\s*</a>", html)) is countdown


def test_the_window_is_shown_in_almaty_time(client, app_ctx):
    call = make_competition(opens_at=datetime(2025, 10, 9, 4, 0), closes_at=datetime(2025, 10, 22, 13, 0))
    client.get("/lang/en")
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "22 October 2025, 18:00" in html


def test_an_unknown_call_is_not_found(client, app_ctx):
    assert client.get("/calls/4242").status_code == 404


def test_the_call_page_links_the_regulations(client, app_ctx):
    call = open_call()
    add_regulations(call, "kk")
    add_regulations(call, "ru")
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert f"/calls/{call.id}/regulations/kk.pdf" in html and f"/calls/{call.id}/regulations/ru.pdf" in html
    assert f"/calls/{call.id}/regulations/en.pdf" not in html


# --- regulations download -------------------------------------------------------------------

def test_the_regulations_download_as_a_pdf_attachment(client, app_ctx):
    call = open_call()
    add_regulations(call, "ru")
    response = client.get(f"/calls/{call.id}/regulations/ru.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_data() == MINIMAL_PDF


@pytest.mark.parametrize("path", ["/calls/{id}/regulations/en.pdf", "/calls/{id}/regulations/xx.pdf",
                                  "/calls/999/regulations/ru.pdf"])
def test_missing_regulations_are_not_found(client, app_ctx, path):
    call = open_call()
    add_regulations(call, "ru")
    assert client.get(path.format(id=call.id)).status_code == 404


# --- home page ------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_home_page_shows_the_demo_calls_quotas_in_each_language(client, app_ctx, language):
    demo = load_demo()
    db.session.commit()
    client.get(f"/lang/{language}")
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert getattr(demo.competition, f"title_{language}") in html
    for code in ("ALA", "MAN"):
        assert get_region(code).name(language) in html
    cards = re.findall(r'<div class="card h-100 quota-card">(.*?)</div>\s*</div>\s*</div>', html, re.S)
    assert len(cards) == 2
    assert re.search(r"\b20\b", cards[0]) and re.search(r"\b8\b", cards[1])
    assert 'data-countdown' in html and 'href="/register"' in html
    assert_no_inline_code(html)


def test_the_home_page_offers_the_regulations_in_the_visitors_language(app, client):
    # No app context around the requests: each request gets its own, and with it its language.
    with app.app_context():
        call = open_call()
        add_regulations(call, "kk")
        add_regulations(call, "ru")
        call_id = call.id
        db.session.remove()
    client.get("/lang/kk")
    assert f"/calls/{call_id}/regulations/kk.pdf" in client.get("/").get_data(as_text=True)
    client.get("/lang/en")
    assert f"/calls/{call_id}/regulations/ru.pdf" in client.get("/").get_data(as_text=True)


def test_the_home_page_without_a_call_says_so_kindly(client, app_ctx):
    client.get("/lang/en")
    html = client.get("/").get_data(as_text=True)
    assert "There is no open call at the moment" in html
    assert "How the competition works" in html and "Public lottery" in html
    assert "data-countdown" not in html


# --- questions and answers, contacts --------------------------------------------------------

def test_the_faq_uses_the_calls_numbers(client, app_ctx):
    open_call(appeal_days=7, grant_cap=900_000, age_min=18, age_max=30)
    client.get("/lang/en")
    html = client.get("/faq").get_data(as_text=True)
    assert "What does NEET mean?" in html
    assert "aged 18 to 30" in html
    assert "₸900,000" in html
    assert "within 7 days" in html
    assert "Almaty city, Mangystau Region" in html
    assert html.count("<details") >= 8
    assert_no_inline_code(html)


def test_the_faq_without_a_call_still_answers(client, app_ctx):
    client.get("/lang/en")
    html = client.get("/faq").get_data(as_text=True)
    assert "usually aged 18 to 35" in html and "never paid to you in cash" in html


def test_the_contacts_come_from_the_configuration(app, client, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "OFFICE_PHONE", "+7 701 234 56 78")
    monkeypatch.setitem(app.config, "OFFICE_WHATSAPP", "+7 702 111 22 33")
    monkeypatch.setitem(app.config, "OFFICE_EMAIL", "office@zhasproject.kz")
    monkeypatch.setitem(app.config, "OFFICE_ADDRESS", "Актау, 6 мкр, здание 18")
    html = client.get("/contacts").get_data(as_text=True)
    assert 'href="tel:+77012345678"' in html
    assert 'href="https://wa.me/77021112233"' in html
    assert 'href="mailto:office@zhasproject.kz"' in html
    assert "Актау, 6 мкр, здание 18" in html
