"""A long list in a PDF (app.pdf.grid with repeat): its header on every page, every row once and
in order, a row that does not fit moved whole to the next page, a row taller than a page split
within, and each row measured once however many pages the list runs over."""
import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from app.pdf import grid, paragraph_styles, plain, register_fonts, render

WIDTH = 170 * mm
HEADER = ("No.", "Application", "Applicant", "Region")


@pytest.fixture(autouse=True)
def fonts(app_ctx):
    register_fonts()


def pages_of(story):
    pdf = render(story, margin=16 * mm, title="A list", lang="ru", footer="A list")
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def long_list(count, cell=lambda n: f"Мангистауская область, Жанаозен {n}"):
    header = [plain(text, paragraph_styles()["th"]) for text in HEADER]
    rows = [header] + [[n, f"ZP26-{n:05d}", "Айгерим Н.", cell(n)] for n in range(1, count + 1)]
    return grid(rows, [12 * mm, 28 * mm, 40 * mm, 0], WIDTH, repeat=True)


def test_a_long_list_has_its_header_on_every_page_and_every_row_once_in_order():
    pages = pages_of([long_list(600)])
    assert len(pages) > 5
    assert all(all(word in page for word in HEADER) for page in pages)
    numbers = [int(number) for page in pages for number in re.findall(r"ZP26-(\d{5})", page)]
    assert numbers == list(range(1, 601))


def test_a_row_of_several_lines_is_never_cut_between_pages():
    lines = 6  # a row of six lines, wider text than its column: it goes whole to the next page
    pages = pages_of([long_list(150, cell=lambda n: "\n".join(f"[{n}:{line}]" for line in range(lines)))])
    for n in range(1, 151):
        holding = [index for index, page in enumerate(pages) for line in range(lines) if f"[{n}:{line}]" in page]
        assert len(set(holding)) == 1 and len(holding) == lines, n


@pytest.mark.parametrize("before", [1, 12])
def test_a_row_taller_than_a_page_goes_on_over_the_next_under_one_header_a_page(before):
    tall = "\n".join(f"строка {line}" for line in range(150))
    pages = pages_of([long_list(before + 30, cell=lambda n: tall if n == before + 1 else "Алматы")])
    text = "\n".join(pages)
    assert len(pages) >= 3 and all(f"строка {line}\n" in text + "\n" for line in range(150))
    assert (text.index(f"ZP26-{before:05d}") < text.index("строка 0") < text.index("строка 149")
            < text.index(f"ZP26-{before + 2:05d}"))
    assert [page.count("Application") for page in pages] == [1] * len(pages)


def test_an_empty_cell_and_a_list_with_no_rows_print_nothing_wrong():
    rows = [[plain(text, paragraph_styles()["th"]) for text in HEADER], [1, "ZP26-00001", None, "Алматы"]]
    pages = pages_of([Spacer(1, 700), grid(rows, [12 * mm, 28 * mm, 40 * mm, 0], WIDTH, repeat=True),
                      grid(rows[:1], [12 * mm, 28 * mm, 40 * mm, 0], WIDTH, repeat=True)])
    assert "None" not in "".join(pages) and "ZP26-00001" in pages[-1]


class Counted(Paragraph):
    wraps = 0

    def wrap(self, availWidth, availHeight):
        Counted.wraps += 1
        return super().wrap(availWidth, availHeight)


def test_each_row_is_measured_once_however_many_pages():
    # reportlab's Table measured every row left at each page it split at: 100,000 rows took minutes.
    styles = paragraph_styles()
    for count in (200, 2000):
        Counted.wraps = 0
        pages_of([long_list(count, cell=lambda n: Counted(f"Region {n}", styles["body"]))])
        assert Counted.wraps <= 2 * count  # measured, then drawn


def test_a_grid_whose_style_names_its_last_row_keeps_it_on_that_row_only():
    # The receipt's budget: its total is the last row, shaded, its label spanning four columns.
    styles = paragraph_styles()
    header = [plain(text, styles["th"]) for text in HEADER]
    lines = [[plain(text, styles["body"]) for text in (n, f"Швейная машина {n}", "1", "Алматы")]
             for n in range(1, 121)]
    total = [plain("Итого", styles["body"]), "", "", plain("120", styles["body"])]
    table = grid([header, *lines, total], [12 * mm, 0, 28 * mm, 40 * mm], WIDTH, repeat=True,
                 extra=[("SPAN", (0, -1), (2, -1))])
    pages = pages_of([table])
    text = "\n".join(pages)
    assert len(pages) > 2 and all(f"Швейная машина {n}" in text for n in range(1, 121))
    assert text.count("Итого") == 1 and "Итого" in pages[-1]
    assert all(all(word in page for word in HEADER) for page in pages)
