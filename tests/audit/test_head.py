"""The audit log's head, anchored outside the system: `flask audit verify --head` finds a log cut
short or rewritten since the head was noted; the admin pages show the head with the instruction to
note it; every exported protocol prints it with its number and date."""
import io
import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from app.almaty import ALMATY
from app.audit import services
from app.audit.chain import GENESIS
from app.audit.models import AuditEntry
from app.auth.models import Role
from app.extensions import db
from app.pdf import paragraph_styles, plain, register_fonts
from tests.conftest import login
from tests.factories import make_open_competition
from tests.lottery.test_lifecycle import published_draw
from tests.screening.helpers import staff_user

PRINTED_HEAD = re.compile(r"Audit log head: entry No\. (\d+), (\d\d\.\d\d\.\d{4} \d\d:\d\d) \(Almaty\), ([0-9a-f]{64})")


def logged(count):
    """Appends `count` entries; the head after them as (seq, at, hash), as someone would note it."""
    for n in range(count):
        services.record(None, "test.event", {"n": n})
    db.session.commit()
    head = services.head()
    return head.seq, head.at, head.hash


def verify(runner, *args):
    result = runner.invoke(args=["audit", "verify", *args])
    return result.exit_code, result.output


def rechain():
    """What someone with write access to the database would do to hide a change: recompute every
    hash from the first entry on."""
    prev = GENESIS
    for entry in db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        entry.prev = prev
        entry.hash = entry.computed_hash()
        prev = entry.hash
    db.session.commit()


# --- flask audit verify --head ----------------------------------------------------------------

def test_a_noted_head_that_the_log_still_holds_verifies_with_later_entries(runner, app_ctx):
    seq, at, noted = logged(3)
    logged(2)
    code, output = verify(runner, "--head", noted)
    assert code == 0
    assert output.startswith("OK: 5 entries")
    assert f"The noted head is entry {seq} of {at}, hash {noted}: nothing up to it was changed" in output


def test_the_noted_head_may_be_typed_in_capitals(runner, app_ctx):
    noted = logged(2)[2]
    assert verify(runner, "--head", f" {noted.upper()} ")[0] == 0


def test_deleted_last_entries_pass_a_plain_verify_but_not_the_noted_head(runner, app_ctx):
    noted = logged(5)[2]
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.seq >= 4))
    db.session.commit()
    assert verify(runner)[0] == 0  # what remains still chains: only the noted head shows the cut
    code, output = verify(runner, "--head", noted)
    assert code == 1
    assert f"HEAD NOT FOUND: no entry has the hash {noted}" in output
    assert "cut short or rewritten" in output


def test_a_rewritten_and_rechained_log_passes_a_plain_verify_but_not_the_noted_head(runner, app_ctx):
    noted = logged(4)[2]
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 2).values(data={"actor": None, "n": 99}))
    db.session.commit()
    assert verify(runner)[0] == 1
    rechain()
    assert verify(runner)[0] == 0
    code, output = verify(runner, "--head", noted)
    assert code == 1 and "HEAD NOT FOUND" in output


def test_a_wrong_head_is_reported(runner, app_ctx):
    logged(3)
    code, output = verify(runner, "--head", "ab" * 32)
    assert code == 1
    assert "HEAD NOT FOUND: no entry has the hash " + "ab" * 32 in output


@pytest.mark.parametrize("head", ["", "abc", "g" * 64, "a" * 63, "a" * 65])
def test_a_head_that_is_not_a_hash_is_refused(runner, app_ctx, head):
    logged(1)
    code, output = verify(runner, "--head", head)
    assert code == 2
    assert "a head is a hash of 64 hexadecimal digits" in output


def test_a_broken_chain_is_named_before_the_noted_head(runner, app_ctx):
    noted = logged(3)[2]
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 2).values(event="changed"))
    db.session.commit()
    code, output = verify(runner, "--head", noted)
    assert code == 1 and "BROKEN at entry 2" in output


def test_a_head_noted_on_an_empty_log_cannot_exist(runner, app_ctx):
    assert verify(runner) == (0, "OK: 0 entries\n")
    assert verify(runner, "--head", "0" * 64)[0] == 1


# --- the head as people see it ----------------------------------------------------------------

def test_the_head_line_names_number_almaty_date_and_hash(request_ctx):
    with force_locale("en"):
        assert services.head_line() == "Audit log: no entries yet."
    head = logged(2)[2]
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 2).values(at="2026-11-29T20:05:03.000000Z"))
    db.session.commit()
    with force_locale("en"):
        # 20:05 UTC is 01:05 the next day in Almaty (UTC+5)
        assert services.head_line() == f"Audit log head: entry No. 2, 30.11.2026 01:05 (Almaty), {head}"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_head_line_fits_one_line_of_a_protocol(request_ctx, lang):
    logged(1)
    widest = "0" * 64  # digits are PT Sans's widest hexadecimal characters
    db.session.execute(sa.update(AuditEntry).values(seq=9_999_999, hash=widest))
    db.session.commit()
    register_fonts()
    with force_locale(lang):
        text = services.head_line()
    line = plain(text, paragraph_styles()["small"])
    line.wrap(A4[0] - 2 * 16 * mm, 1000)
    assert len(line.blPara.lines) == 1
    assert "9999999" in text and widest in text


@pytest.mark.parametrize("path", ["/admin/", "/admin/audit"])
def test_admins_see_the_head_with_the_instruction_to_note_it(client, make_user, path):
    admin = make_user("admin@example.kz", roles=(Role.ADMIN,))
    logged(2)
    login(client, admin.email)
    head = services.head()
    body = client.get(path).get_data(as_text=True)
    assert f"Entry No. {head.seq} of " in body
    assert head.hash in body
    assert "Note this head outside the system, with its number and date" in body
    assert f"flask audit verify --head {head.hash}" in body


# --- the protocols ----------------------------------------------------------------------------

def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def printed_head(pdf):
    found = PRINTED_HEAD.findall(" ".join(pdf_text(pdf).split()))
    assert len(found) == 1, "the protocol prints the audit log head once"
    return found[0]


def line_with(pdf, text):
    """The one line of the PDF that holds `text`."""
    lines = [line for line in pdf_text(pdf).splitlines() if text in line]
    assert len(lines) == 1
    return lines[0]


def test_the_screening_protocol_prints_the_head_that_anchors_the_log(client, runner, app_ctx):
    screener = staff_user("screener@example.kz")
    call = make_open_competition()
    logged(3)
    login(client, screener.email)
    head = services.head()  # read after the log-in, which may write entries of its own
    response = client.get(f"/manage/screening/calls/{call.id}/protocol-en.pdf")
    assert response.status_code == 200
    seq, date, printed = printed_head(response.data)
    assert (int(seq), printed) == (head.seq, head.hash)  # the download's own entry comes after it
    assert date == head.at_utc.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M")
    assert f"No. {seq}, {date}" in line_with(response.data, printed)
    assert verify(runner, "--head", printed)[0] == 0


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_draw_protocol_prints_the_head_that_anchors_the_log(client, runner, make_user, lang):
    manager = make_user("manager@example.kz", roles=(Role.MANAGER,))
    draw = published_draw(manager)
    head = services.head()
    response = client.get(f"/draws/{draw.id}/protocol-{lang}.pdf")
    assert response.status_code == 200
    line = line_with(response.data, head.hash)  # in any language: number, date and hash on one line
    assert f"{head.seq}," in line and head.at_utc.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M") in line
    assert verify(runner, "--head", head.hash)[0] == 0
