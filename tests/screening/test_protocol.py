"""The screening protocol PDF in kk, ru and en: the call, its dates, counts by region, both lists
with masked names and reasons, a signature block; Kazakh letters kept; never a full name or IIN."""
import hashlib
import subprocess
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.applications.models import ApplicationStatus
from app.applications.status import move
from app.audit.models import AuditEntry
from app.auth.models import Role
from app.competitions.models import Competition
from app.dbtypes import utcnow
from app.extensions import db
from app.screening import protocol
from app.screening.closing import close_screening
from app.screening.models import ReasonCode, ScreeningProtocol
from app.screening.protocol import LANGUAGES, protocol_pdf
from tests.applications import en, reload  # noqa: F401
from tests.conftest import login
from tests.factories import make_open_competition, make_user
from tests.race import postgresql_only, race
from tests.screening.helpers import close_window, make_eligible, reject, staff_user, submitted

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def screener(app_ctx):
    return staff_user("screener@example.kz")


@pytest.fixture
def screened(en, screener):
    call = make_open_competition()
    past = utcnow() - timedelta(days=10)
    people = [
        make_eligible(submitted(call, "a@example.kz", first_name="Айгерім", last_name="Құдайбергенова"),
                      screener, at=past),
        reject(submitted(call, "b@example.kz", first_name="Ғалымжан", last_name="Әлімжанов", region_code="MAN",
                         district_code="MAN-AKTAU"), screener,
               reasons=(ReasonCode.AGE, ReasonCode.NO_NEET_EVIDENCE), at=past),
        make_eligible(submitted(call, "c@example.kz", first_name="Гүлнұр", last_name="Өтепова", region_code="MAN",
                                district_code="MAN-ZHANAOZEN"), screener, at=past),
    ]
    close_window(call, days_ago=12)
    return call, people


def text_of(pdf):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def flat(text):
    return " ".join(text.split())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_protocol_has_the_call_the_lists_and_the_signature_block(screened, lang, screener):
    call, people = screened
    close_screening(call, screener)
    db.session.commit()
    pdf = protocol_pdf(reload(call), lang)
    assert pdf.startswith(b"%PDF-")
    text = flat(text_of(pdf))
    assert flat(getattr(call, f"title_{lang}")) in text
    for number, masked in (("ZP25-0001", "Айгерім Қ."), ("ZP25-0002", "Ғалымжан Ә."), ("ZP25-0003", "Гүлнұр Ө.")):
        assert number in text and masked in text
    region = {"kk": "Маңғыстау облысы", "ru": "Мангистауская область", "en": "Mangystau"}[lang]
    assert region in text
    assert "DRAFT" not in text
    for person in people:
        assert person.iin not in text
        assert person.last_name not in text


def test_the_english_protocol_reads_as_expected(screened, screener):
    call, _ = screened
    close_screening(call, screener)
    db.session.commit()
    text = flat(text_of(protocol_pdf(reload(call), "en")))
    assert "Protocol of the technical screening" in text
    assert "Eligible applications (2)" in text and "Rejected applications (1)" in text
    assert "Age outside the competition's rule; No documents confirming the NEET status" in text
    assert "Chair" in text and "Member" in text and "Signature" in text and "Date:" in text
    assert "Screening closed" in text and "(Almaty time)" in text


def test_kazakh_letters_survive_in_the_pdf(screened):
    call, _ = screened
    text = text_of(protocol_pdf(call, "kk"))
    for letter in "әғқңөұүі":
        assert letter in text.lower(), letter


def test_before_closing_the_protocol_is_a_draft(screened):
    call, _ = screened
    assert "DRAFT: screening is not closed yet" in flat(text_of(protocol_pdf(call, "en")))


def test_an_unknown_language_is_refused(screened):
    with pytest.raises(ValueError):
        protocol_pdf(screened[0], "de")


def test_page_one_renders_to_an_image(screened, screener):
    call, _ = screened
    close_screening(call, screener)
    db.session.commit()
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in ("kk", "ru"):
        source = ARTIFACTS / f"screening-protocol-{lang}.pdf"
        source.write_bytes(protocol_pdf(reload(call), lang))
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(source),
                        str(ARTIFACTS / f"screening-protocol-{lang}")], check=True)
        assert (ARTIFACTS / f"screening-protocol-{lang}.png").stat().st_size > 1000


# --- the download ---------------------------------------------------------------------------

def test_staff_download_the_protocol_and_it_is_audited(client, screened, screener):
    call, _ = screened
    login(client, screener.email)
    for lang in LANGUAGES:
        response = client.get(f"/manage/screening/calls/{call.id}/protocol-{lang}.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF-")
        assert f"ZP25-screening-protocol-{lang}.pdf" in response.headers["Content-Disposition"]
    entries = db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.event == "screening.protocol_downloaded").order_by(AuditEntry.seq)
    ).scalars().all()
    assert [e.data["language"] for e in entries] == list(LANGUAGES)
    assert client.get(f"/manage/screening/calls/{call.id}/protocol-de.pdf").status_code == 404


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.FINANCE, Role.MENTOR, Role.MONITOR])
def test_non_screeners_cannot_download_the_protocol(client, screened, role):
    call, _ = screened
    user = make_user(f"{role.value}-x@example.kz", roles=(role,))
    login(client, user.email)
    assert client.get(f"/manage/screening/calls/{call.id}/protocol-ru.pdf").status_code == 403


# --- stored once screening is closed --------------------------------------------------------

def stored_rows(call):
    return db.session.execute(
        sa.select(ScreeningProtocol).where(ScreeningProtocol.competition_id == call.id)
        .order_by(ScreeningProtocol.id)
    ).scalars().all()


def downloaded_sha256s():
    entries = db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.event == "screening.protocol_downloaded").order_by(AuditEntry.seq)
    ).scalars()
    return [entry.data["sha256"] for entry in entries]


@pytest.fixture
def closed(client, screened, screener):
    """The call screened and closed, the screener logged in: (call, its applications)."""
    close_screening(screened[0], screener)
    db.session.commit()
    login(client, screener.email)
    return screened


def test_a_closed_calls_protocol_is_built_once_and_served_as_stored(client, closed):
    call, _ = closed
    url = f"/manage/screening/calls/{call.id}/protocol-ru.pdf"
    first = client.get(url).data
    [row] = stored_rows(call)
    assert (row.lang, row.sha256, row.size) == ("ru", hashlib.sha256(first).hexdigest(), len(first))
    row.pdf = b"%PDF-1.4 the stored file"  # what is served is what was stored, not made again
    db.session.commit()
    assert client.get(url).data == b"%PDF-1.4 the stored file"
    assert len(stored_rows(call)) == 1
    assert downloaded_sha256s() == [row.sha256, row.sha256]


def test_a_change_of_the_results_makes_a_new_version_and_keeps_the_one_before(client, closed):
    call, people = closed
    url = f"/manage/screening/calls/{call.id}/protocol-en.pdf"
    before = client.get(url).data
    reload(people[0]).last_name = "Бекова"  # a change the protocol shows: the masked name
    db.session.commit()
    after = client.get(url).data
    assert "Айгерім Қ." in flat(text_of(before)) and "Айгерім Б." in flat(text_of(after))
    assert [row.sha256 for row in stored_rows(call)] == [hashlib.sha256(pdf).hexdigest() for pdf in (before, after)]


def test_what_the_protocol_does_not_show_keeps_the_stored_file(client, closed, screener):
    call, people = closed
    url = f"/manage/screening/calls/{call.id}/protocol-ru.pdf"
    before = client.get(url).data
    move(reload(people[0]), ApplicationStatus.WINNER, screener)  # the draw's outcome: not in the protocol
    db.session.commit()
    assert client.get(url).data == before and len(stored_rows(call)) == 1


def test_a_draft_is_made_for_each_download_and_never_stored(client, screened, screener):
    call, _ = screened
    login(client, screener.email)
    pdf = client.get(f"/manage/screening/calls/{call.id}/protocol-en.pdf").data
    assert "DRAFT: screening is not closed yet" in flat(text_of(pdf))
    assert stored_rows(call) == []
    assert downloaded_sha256s() == [hashlib.sha256(pdf).hexdigest()]


@postgresql_only
def test_two_workers_storing_the_same_protocol_at_once_keep_one(app, monkeypatch, screened, screener):
    call, _ = screened
    close_screening(call, screener)
    db.session.commit()
    call_id = call.id
    db.session.remove()
    sha256s = []

    def store(_worker):
        sha256s.append(protocol.stored_protocol(db.session.get(Competition, call_id), "ru").sha256)

    # Both look for the stored protocol and make it before either stores it.
    outcomes = race(app, monkeypatch, (protocol, "protocol_pdf"), store, ("one", "two"), "served")
    assert outcomes == ["served", "served"]
    with app.app_context():
        assert len(stored_rows(call)) == 1 and sha256s[0] == sha256s[1] == stored_rows(call)[0].sha256
