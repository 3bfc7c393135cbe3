"""What every PDF of the system shares: PT Sans (from the `fontpkg-pt-sans` package), which has
the Kazakh letters (ә ғ қ ң ө ұ ү һ і) in regular and bold, plain-text paragraphs, the paragraph
styles, the label/value and grid tables, the time in Almaty and the A4 page with its footer.

PT Sans has no tenge sign (₸): write amounts as figures under a "tenge" heading."""
import bisect
import functools
import itertools
from io import BytesIO
from xml.sax.saxutils import escape

import fontpkg
from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

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
    """A grid with a shaded header row; a column width of 0 takes what the others leave of `width`.
    With `repeat`, a list that may run over many pages, the header again on each (a LongGrid): its
    rows after the header may hold plain text (str or int) as well as flowables. Style commands in
    `extra` name rows of the whole grid (-1: its last): such a grid stays one reportlab Table."""
    widths = list(widths)
    if 0 in widths:
        widths[widths.index(0)] = width - sum(widths)
    if repeat and not extra:
        return LongGrid(_Rows(rows, widths))
    table = Table(rows, colWidths=widths, repeatRows=1 if repeat else 0, splitInRow=1)
    table.setStyle(TableStyle([*_LINES, _SHADED_HEADER, *extra]))
    return table


_LINES = (("GRID", (0, 0), (-1, -1), 0.4, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP"))
_SHADED_HEADER = ("BACKGROUND", (0, 0), (-1, 0), SHADE)


class _Rows:
    """The rows of a LongGrid (the first is the header), their widths and style, and the height
    of every row and of the rows before it, measured once for all its pages."""

    PADDING = 12  # a Table cell's left and right padding, 6 points each
    # Rows a Table measures at a time: it looks for the next row to measure from the first, and
    # adds up the rows before it, for each row.
    MEASURED_AT_ONCE = 100

    def __init__(self, rows, widths):
        body = _body()
        room = [width - self.PADDING for width in widths]
        self.rows = [rows[0], *([_text_cell(value, body, width) for value, width in zip(row, room)]
                                for row in rows[1:])]
        self.widths = widths
        text = ("FONT", (0, 0), (-1, -1), body.fontName, body.fontSize, body.leading)
        self.style = TableStyle([*_LINES, _SHADED_HEADER, text])
        self.style_without_header = TableStyle([*_LINES, text])
        self.heights = self.before = None

    def measure(self):
        if self.heights is None:
            self.heights = []
            for start in range(0, len(self.rows), self.MEASURED_AT_ONCE):
                part = Table(self.rows[start:start + self.MEASURED_AT_ONCE], colWidths=self.widths)
                part.setStyle(self.style)
                part.wrap(sum(self.widths), 0)  # without row spans reportlab measures every row
                self.heights += part._rowHeights
            self.before = list(itertools.accumulate(self.heights, initial=0))

    def height(self, start, end, header=True):
        """The height of rows start to end (not included), under the header unless not `header`."""
        return (self.heights[0] if header else 0) + self.before[end] - self.before[start]

    def table(self, start, end, header=True):
        """A Table of the header (unless not `header`) and rows start to end, their heights as measured."""
        first = [0] if header else []
        table = Table([self.rows[n] for n in (*first, *range(start, end))], colWidths=self.widths,
                      rowHeights=[self.heights[n] for n in (*first, *range(start, end))])
        table.setStyle(self.style if header else self.style_without_header)
        return table

    def splitting(self, row):
        """A Table of the header and one row, which it splits within the cells (the header again
        on the next page)."""
        table = Table([self.rows[0], self.rows[row]], colWidths=self.widths, repeatRows=1, splitInRow=1)
        table.setStyle(self.style)
        return table


@functools.cache
def _body():
    return paragraph_styles()["body"]


def _text_cell(value, style, width):
    """A cell of a long list: text that fits its line is drawn as it is (a Table measures and draws
    it for nothing), longer text is a paragraph, None nothing; flowables stay what they are."""
    if isinstance(value, (Flowable, list, tuple)):  # a list of flowables is a cell too
        return value
    text = "" if value is None else str(value)
    if "\n" not in text and pdfmetrics.stringWidth(text, style.fontName, style.fontSize) <= width:
        return text
    return plain(text, style, WrappedOnce)


class WrappedOnce(Paragraph):
    """A paragraph that keeps its last wrap: a table wraps each cell to measure its row and again
    to draw it, each time at its column's width."""

    _wrapped = None  # (width, its wrap)

    def wrap(self, availWidth, availHeight):
        # A split of the paragraph at a page drops its lines (blPara): wrapped again then.
        if self._wrapped is None or self._wrapped[0] != availWidth or "blPara" not in vars(self):
            self._wrapped = (availWidth, super().wrap(availWidth, availHeight))
        return self._wrapped[1]


class LongGrid(Flowable):
    """A grid of many rows (a list of every application) with its header on each page. reportlab's
    Table measures all the rows it has left each time it splits at a page: minutes for 100,000 rows.
    This measures each row once and gives each page a Table of the rows that fit it. A row that
    does not fit moves whole to the next page; one taller than a page is split within its cells."""

    def __init__(self, rows, start=1, header=True):
        super().__init__()
        self.hAlign = "CENTER"  # as a Table is placed
        self._rows, self._start = rows, start
        self._header = header  # False right under the end of a row split across pages: its header is there
        self._moved = False  # to the next page once: it is at the top of one now

    def wrap(self, availWidth, availHeight):
        self._rows.measure()
        self.width = sum(self._rows.widths)
        self.height = self._rows.height(self._start, len(self._rows.rows), self._header)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        rows, start = self._rows, self._start
        rows.measure()
        header = rows.heights[0] if self._header else 0
        room = availHeight - header + rows.before[start] + rl_config._FUZZ
        end = bisect.bisect_right(rows.before, room) - 1
        if end > start:
            return [rows.table(start, end, self._header), *self._rest(end)]
        if not self._moved or start >= len(rows.rows):
            self._moved, self._header = True, True
            return []  # to the next page, under the header
        within = rows.splitting(start).split(availWidth, availHeight)
        return within and [*within, *self._rest(start + 1, header=False)]

    def _rest(self, start, header=True):
        return [LongGrid(self._rows, start, header)] if start < len(self._rows.rows) else []

    def draw(self):
        table = self._rows.table(self._start, len(self._rows.rows), self._header)
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)


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
