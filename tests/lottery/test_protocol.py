"""The protocol PDF, read back with pypdf: everything the public page shows, in Kazakh or Russian
(Kazakh letters kept), the QR code to the page with the log head, the signature block, no names."""
import io

import pytest
from flask_babel import force_locale, gettext
from pypdf import PdfReader
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.pdfbase import pdfmetrics

from app.extensions import db
from app.lottery import lifecycle, protocol, reading, replacement
from app.lottery.engine import RFC3797
from app.pdf import FONT, FONT_BOLD, register_fonts
from tests.lottery.test_draw_views import assert_no_personal_data
from tests.lottery.test_lifecycle import add_applications, closed_competition, published_draw


@pytest.fixture
def draw(manager):
    competition = closed_competition(strata=(("ALA", 4, ()), ("MAN", 5, ())))
    add_applications(competition, "ALA", 9)
    add_applications(competition, "MAN", 3)
    draw = lifecycle.prepare(competition, manager, "sha256-rank/1", "Үш бақылаушы қаптан бір-бірден сан алады.")
    lifecycle.commit(draw, manager)
    lifecycle.register_observer(draw, "Айгүл Сапарова", "Маңғыстау облысы әкімдігі", manager)
    lifecycle.register_observer(draw, "Шаһизада Өтегенова", "«Ұлағат» жастар орталығы", manager)
    lifecycle.enter_sources(draw, ["17", "42", "8"], manager)
    lifecycle.run(draw, manager)
    lifecycle.publish(draw, manager)
    db.session.commit()
    leaving = reading.outcomes(draw)[0].winners[1]["ticket"]
    replacement.replace_winner(draw, leaving, "withdrew", manager)
    db.session.commit()
    return draw


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def fonts(data):
    """The fonts that draw some text (reportlab declares Helvetica on every page, unused)."""
    found = set()

    def visit(text, matrix, text_matrix, font, size):
        if font is not None and text.strip():
            found.add(str(font["/BaseFont"]))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return found


def squeezed(text):
    """Text without white space: table cells and long hashes wrap."""
    return "".join(text.split())


@pytest.mark.parametrize("lang, call_title, region", [
    ("kk", "ZHAS PROJECT: шағын гранттар конкурсы", "Маңғыстау облысы"),
    ("ru", "ZHAS PROJECT: конкурс малых грантов", "Мангистауская область"),
])
def test_the_protocol_has_everything_the_page_shows(app, client, draw, lang, call_title, region):
    response = client.get(f"/draws/{draw.id}/protocol-{lang}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    flat = squeezed(text)
    assert call_title in text and region in text
    for value in (draw.commitment, draw.seed, draw.log_head, *(e.hash for e in draw.log)):
        assert value in flat
    with app.test_request_context(), force_locale(lang):
        headings = [gettext(s) for s in ("Signatures", "Commission", "Log head hash:", "Balance table")] + [
            gettext("The frozen list (%(count)s applications)", count=12),
            gettext("%(count)s grants of this stratum stay unawarded: it has fewer eligible "
                    "applications than grants.", count=2)]  # MAN: 5 grants, 3 eligible
    for needed in ("Үш бақылаушы қаптан бір-бірден сан алады.", "Айгүл Сапарова", "Маңғыстау облысы әкімдігі",
                   f"http://localhost/draws/{draw.id}", *headings):
        assert squeezed(needed) in flat, needed
    for result in draw.results:
        assert result["ticket"] in text
    assert any("PTSans" in name for name in fonts(response.data))
    assert_no_personal_data(text, draw.competition)


def test_the_kazakh_letters_are_drawn_with_pt_sans_not_a_fallback(client, draw):
    data = client.get(f"/draws/{draw.id}/protocol-kk.pdf").data
    text = pdf_text(data).lower()
    for letter in "әғқңөұүһі":
        assert letter in text
    assert {name.partition("+")[2] or name for name in fonts(data)} == {"PTSans-Regular", "PTSans-Bold", "/Courier"}


def test_pt_sans_has_every_kazakh_letter():
    register_fonts()
    for name in (FONT, FONT_BOLD):
        glyphs = pdfmetrics.getFont(name).face.charToGlyph
        missing = [letter for letter in "әғқңөұүһіӘҒҚҢӨҰҮҺІ№" if ord(letter) not in glyphs]
        assert not missing, (name, missing)


def test_the_qr_code_points_to_the_public_page(draw, request_ctx):
    url = f"http://localhost/draws/{draw.id}"
    codes = [shape for flowable in protocol._signatures(draw, url) for shape in _walk(flowable)
             if isinstance(shape, QrCodeWidget)]
    assert [code.value for code in codes] == [url]


def _walk(item):
    """Every object inside reportlab flowables, tables and drawings."""
    yield item
    children = (getattr(item, "_content", None) or getattr(item, "contents", None)
                or getattr(item, "_cellvalues", None) or [])
    for child in children:
        if isinstance(child, (list, tuple)):
            for grandchild in child:
                yield from _walk(grandchild)
        else:
            yield from _walk(child)


def test_the_same_draw_gives_the_same_protocol(draw, request_ctx):
    url = f"http://localhost/draws/{draw.id}"
    assert protocol.protocol_pdf(draw, "ru", url) == protocol.protocol_pdf(draw, "ru", url)


def test_the_protocol_is_in_kazakh_and_russian_only_and_after_the_run(client, manager, draw):
    assert client.get(f"/draws/{draw.id}/protocol-en.pdf").status_code == 404
    with pytest.raises(ValueError):
        protocol.protocol_pdf(draw, "en", "http://localhost/")
    competition = closed_competition(code="ZP26")
    add_applications(competition, "ALA", 3)
    add_applications(competition, "MAN", 2)
    committed = lifecycle.prepare(competition, manager, RFC3797, "numbers")
    lifecycle.commit(committed, manager)
    db.session.commit()
    assert client.get(f"/draws/{committed.id}/protocol-kk.pdf").status_code == 404


def test_a_long_draw_fits_its_tables(manager, request_ctx):
    """Seed 004: 72 eligible, 20 grants in Almaty and 8 in Mangystau; every page renders."""
    competition = closed_competition(strata=(("ALA", 20, ()), ("MAN", 8, ())))
    add_applications(competition, "ALA", 52)
    add_applications(competition, "MAN", 20)
    draw = published_draw(manager, competition=competition)
    reader = PdfReader(io.BytesIO(protocol.protocol_pdf(draw, "kk", f"http://localhost/draws/{draw.id}")))
    assert 3 <= len(reader.pages) <= 12


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_first_page_shows_the_chain_head_and_how_to_check_it_later(draw, request_ctx, lang):
    url = f"http://localhost/draws/{draw.id}"
    first_page = squeezed(PdfReader(io.BytesIO(protocol.protocol_pdf(draw, lang, url))).pages[0].extract_text())
    with force_locale(lang):
        instruction = gettext("Write down this head (or keep this protocol). Later, download the record and the "
                              "verifier from the public page and run:")
    assert squeezed(instruction) in first_page
    assert squeezed(f"python3 verify_draw.py draw-{draw.id}.json --head {draw.log_head}") in first_page


def test_a_stratum_without_eligible_applications_is_in_the_protocol_unawarded(manager, request_ctx):
    competition = closed_competition(strata=(("ALA", 2, ()), ("MAN", 3, ())))
    add_applications(competition, "ALA", 3)
    draw = published_draw(manager, competition=competition)
    text = squeezed(pdf_text(protocol.protocol_pdf(draw, "ru", f"http://localhost/draws/{draw.id}")))
    with force_locale("ru"):
        said = gettext("No eligible applications in this stratum: its %(count)s grants stay unawarded. "
                       "The quota is not moved to another stratum.", count=3)
    assert squeezed(said) in text
