"""What every PDF of the system shares: PT Sans (from the `fontpkg-pt-sans` package), which has
the Kazakh letters (ә ғ қ ң ө ұ ү һ і) in regular and bold, plain-text paragraphs, the paragraph
styles, the label/value and grid tables, the time in Almaty and the A4 page with its footer.

PT Sans has no tenge sign (₸): write amounts as figures under a "tenge" heading."""
import functools
from io import BytesIO
from xml.sax.saxutils import escape

import fontpkg
from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "PTSans"
FONT_BOLD = "PTSans-Bold"
MONO = "Courier"  # hashes and seeds are ASCII: a built-in font will do
GRID = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#eef1f4")
MUTED = colors.HexColor("#4a5560")


@functools.cache
def register_fonts():
    """Registers PT Sans regular and bold with reportlab (once per process)."""
    pdfmetrics.registerFont(TTFont(FONT, str(fontpkg.path("PT Sans"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fontpkg.path("PT Sans", weight=700))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def plain(text, style, kind=Paragraph):
    """A paragraph (a `kind` of Paragraph) of plain text: markup characters escaped, line breaks kept."""
    return kind(escape(str(text)).replace("\n", "<br/>"), style)


def paragraph_styles(body=(9, 11.5), small=(7.5, 9.5), mono=(7, 8.5), title=(15, 19, 4), heading=(11, 14, 8),
                     th=(8, 10)):
    """The shared paragraph styles by name; each size is (font size, leading[, space before])."""
    base = ParagraphStyle("body", fontName=FONT, fontSize=body[0], leading=body[1])
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=small[0], leading=small[1]),
        "mono": ParagraphStyle("mono", parent=base, fontName=MONO, fontSize=mono[0], leading=mono[1]),
        "office": ParagraphStyle("office", parent=base, fontName=FONT_BOLD, fontSize=11, leading=14),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=title[0], leading=title[1],
                                spaceBefore=title[2], spaceAfter=4),
        "heading": ParagraphStyle("heading", parent=base, fontName=FONT_BOLD, fontSize=heading[0],
                                  leading=heading[1], spaceBefore=heading[2], spaceAfter=3),
        "label": ParagraphStyle("label", parent=base, textColor=MUTED),
        "th": ParagraphStyle("th", parent=base, fontName=FONT_BOLD, fontSize=th[0], leading=th[1]),
    }


# A value of many lines goes on in rows of this many lines: a table splits across pages quickly
# between rows and slowly within one (a row of 2,000 lines took seconds per page).
LINES_PER_ROW = 20


def fields(pairs, styles, label_width, width):
    """A two-column table of labels and values, the values wrapped (a word longer than the column
    broken), a faint line under each value; a value longer than a page goes on over the next."""
    rows, style = [], [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, -1), 0)]
    for label, value in pairs:
        lines = str(value).split("\n")
        for start in range(0, len(lines), LINES_PER_ROW):
            if start:
                style.append(("TOPPADDING", (0, len(rows)), (-1, len(rows)), 0))
            rows.append([plain(label if not start else "", styles["label"]),
                         plain("\n".join(lines[start:start + LINES_PER_ROW]), styles["body"])])
        style.append(("LINEBELOW", (0, len(rows) - 1), (-1, len(rows) - 1), 0.25, SHADE))
    table = Table(rows, colWidths=[label_width, width - label_width], splitInRow=1)
    table.setStyle(TableStyle(style))
    return table


def grid(rows, widths, width, repeat=False, extra=()):
    """A grid with a shaded header row; a column width of 0 takes what the others leave of `width`."""
    widths = list(widths)
    if 0 in widths:
        widths[widths.index(0)] = width - sum(widths)
    table = Table(rows, colWidths=widths, repeatRows=1 if repeat else 0, splitInRow=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *extra,
    ]))
    return table


def almaty_time(moment):
    """`moment` to the second, marked as Almaty time, in the current language; a dash for none."""
    return _("%(date)s (Almaty time)", date=format_datetime(moment, "d MMMM y, HH:mm:ss")) if moment else "—"


def render(story, margin, title, lang, footer):
    """The PDF bytes of `story` on A4 pages, by the office, with `footer · office` and the page number."""
    office = current_app.config["OFFICE_NAME"]
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin + 4 * mm, title=title, author=office, lang=lang, invariant=True,
    )
    draw_footer = functools.partial(_footer, text=f"{footer} · {office}", margin=margin)
    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()


def _footer(canvas, document, text, margin):
    """Draws `text` at the bottom left of the page and its number at the bottom right."""
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.setFillColor(MUTED)
    canvas.drawString(margin, margin / 2, text)
    canvas.drawRightString(A4[0] - margin, margin / 2, _("Page %(page)s", page=canvas.getPageNumber()))
    canvas.restoreState()
