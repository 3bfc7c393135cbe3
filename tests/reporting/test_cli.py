"""`flask report annex8`: the report to the Operator from the command line, in each language and
format; a wrong code, language or format is a usage error (exit code 2) that says what is wrong."""
import io

import pytest
from docx import Document
from pypdf import PdfReader

from app.reporting import plan
from tests.reporting import make_cycle


@pytest.fixture
def call(app_ctx):
    call = make_cycle(grants=4, code="ZP23")
    plan.fill_standard_plan(call, None)
    return call


@pytest.mark.parametrize("lang, title", [("kk", "Әлеуметтік жобаны"), ("ru", "Итоговый отчёт")])
def test_the_report_is_written_as_docx_and_pdf(call, runner, tmp_path, lang, title):
    docx_file, pdf_file = tmp_path / "annex8.docx", tmp_path / "annex8.pdf"
    result = runner.invoke(args=["report", "annex8", "--competition", "zp23", "--lang", lang, "--format", "docx",
                                 "-o", str(docx_file)])
    assert result.exit_code == 0, result.output
    assert f"annex8_ZP23_{lang}.docx" in result.output
    document = Document(str(docx_file))
    assert any(p.text.startswith(title) for p in document.paragraphs)
    result = runner.invoke(args=["report", "annex8", "--competition", "ZP23", "--lang", lang, "--format", "pdf",
                                 "-o", str(pdf_file)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO(pdf_file.read_bytes()))
    assert title.split()[0] in reader.pages[0].extract_text()


@pytest.mark.parametrize("args, message", [
    (["--competition", "NOPE"], "no call has the code 'NOPE' (known: ZP23)"),
    (["--competition", "ZP23", "--lang", "en"], "'en' is not one of 'kk', 'ru'"),
    (["--competition", "ZP23", "--format", "odt"], "'odt' is not one of 'docx', 'pdf'"),
    (["--competition", "ZP23", "--lang", "kk", "--format"], "requires an argument"),
])
def test_a_wrong_call_language_or_format_is_a_usage_error(call, runner, tmp_path, args, message):
    output = tmp_path / "annex8.docx"
    result = runner.invoke(args=["report", "annex8", *args, "-o", str(output)] if args[-1] != "--format"
                           else ["report", "annex8", "-o", str(output), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not output.exists()


def test_the_output_file_is_required(call, runner):
    result = runner.invoke(args=["report", "annex8", "--competition", "ZP23"])
    assert result.exit_code == 2
    assert "Missing option '-o' / '--output'" in result.output
