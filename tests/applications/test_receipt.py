"""The receipt PDF: the snapshot in Kazakh or Russian, Kazakh letters as text (not boxes), the
number, the budget in figures and words, every document's SHA-256 and the snapshot's."""
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.applications.receipt import receipt_pdf
from app.applications.submission import submit
from app.extensions import db
from app.pdf import FONT
from tests.applications import applicant, call, complete, en, reload  # noqa: F401

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def submitted(en, complete):
    submit(complete, complete.applicant, consent=True)
    db.session.commit()
    return reload(complete)


def text_of(pdf):
    reader = PdfReader(BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def flat(text):
    """The text with every run of white space (line breaks, no-break spaces) as one space."""
    return " ".join(text.split())


def test_the_kazakh_receipt_has_the_snapshot_in_kazakh_letters(submitted):
    text, reader = text_of(receipt_pdf(submitted, "kk"))
    words = flat(text)
    assert 1 <= len(reader.pages) <= 3
    assert "ZP25-0001" in words
    assert "ZHAS PROJECT: шағын гранттар конкурсы" in words  # the call title in Kazakh
    assert "Алматы қаласы" in words and "Алмалы ауданы" in words
    assert "Нұрланова Айгерим Серікқызы" in words
    assert submitted.iin in words  # the applicant's own document: the full IIN
    assert "510 000" in words
    assert "бес жүз он мың теңге" in words
    assert submitted.snapshot_sha256 in words.replace(" ", "")
    for document in submitted.documents:
        assert document.sha256 in words.replace(" ", "")


def test_the_russian_receipt_has_the_names_in_russian(submitted):
    words = flat(text_of(receipt_pdf(submitted, "ru"))[0])
    assert "ZHAS PROJECT: конкурс малых грантов" in words
    assert "город Алматы" in words and "Алмалинский район" in words
    assert "пятьсот десять тысяч тенге" in words
    assert "Швейная машина Janome" in words


def test_the_receipt_says_it_is_not_a_decision_and_when_it_was_submitted_in_almaty_time(submitted):
    words = flat(text_of(receipt_pdf(submitted, "en"))[0])
    assert "This receipt confirms that the application was received; it is not a decision." in words
    assert "(Almaty time)" in words


def test_the_receipt_is_of_the_snapshot_not_of_the_live_row(submitted):
    submitted.project_title = "Changed after submission"
    submitted.region_code = "MAN"
    db.session.commit()
    words = flat(text_of(receipt_pdf(reload(submitted), "ru"))[0])
    assert "Швейная мастерская для молодых мам" in words
    assert "Changed after submission" not in words
    assert "город Алматы" in words


def test_the_same_snapshot_gives_the_same_bytes(submitted):
    assert receipt_pdf(submitted, "kk") == receipt_pdf(submitted, "kk")


def test_the_kazakh_font_is_embedded(submitted):
    pdf = receipt_pdf(submitted, "kk")
    fonts = {str(font.get("/BaseFont")) for page in PdfReader(BytesIO(pdf)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any(FONT in name for name in fonts), fonts


def test_a_draft_has_no_receipt_and_other_languages_are_refused(en, complete):
    with pytest.raises(ValueError):
        receipt_pdf(complete, "kk")
    submit(complete, complete.applicant, consent=True)
    with pytest.raises(ValueError):
        receipt_pdf(complete, "de")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_page_one_renders_to_an_image_for_a_person_to_look_at(submitted, lang):
    """Leaves test-artifacts/receipt-<lang>-1.png: a person checks that Kazakh letters show."""
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / f"receipt-{lang}.pdf"
    source.write_bytes(receipt_pdf(submitted, lang))
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(source),
                    str(ARTIFACTS / f"receipt-{lang}")], check=True, timeout=60)
    [image] = ARTIFACTS.glob(f"receipt-{lang}-*1.png")
    assert image.stat().st_size > 5_000
