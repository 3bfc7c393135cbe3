"""The report to the Operator as a PDF (reportlab, with the shared PT Sans of app.pdf): A4, the
wide tables on landscape pages, each table's header repeated on every page it runs onto. A cell
the form merges with the one above is drawn as one cell (no line between), so that a long task
still breaks across pages."""
from io import BytesIO
from xml.sax.saxutils import escape

from flask import current_app
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer,
                                Table as PdfTable, TableStyle)

from app.pdf import FONT, GRID, LINES_PER_ROW, MUTED, SHADE, paragraph_styles, register_fonts
from app.reporting.annex8 import LEFT, UP, Heading, Para, PageTurn, Table, printable

MARGIN = 15 * mm
ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}
PAGE_LABEL = {"kk": "Бет {page}", "ru": "Страница {page}"}


def annex8_pdf(report):
    """The PDF bytes of `report` (app.reporting.annex8.Annex8)."""
    register_fonts()
    styles = paragraph_styles(body=(9.5, 12.5), small=(7, 8.5), heading=(10.5, 13.5, 8), th=(7, 8.5))
    footer = f"{report.file_name('pdf')[:-4]} · {current_app.config['OFFICE_NAME']}"
    buffer = BytesIO()
    document = BaseDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                               bottomMargin=MARGIN + 4 * mm, title=report.title, author=current_app.config["OFFICE_NAME"],
                               lang=report.language, invariant=True)
    document.addPageTemplates([_template("portrait", A4, footer, report.language),
                               _template("landscape", landscape(A4), footer, report.language)])
    story, width = [], A4[0] - 2 * MARGIN
    for block in report.blocks:
        if isinstance(block, Heading):
            story.append(Paragraph(_markup(block.text), styles["heading"]))
        elif isinstance(block, Para):
            story.append(_paragraph(block, styles))
        elif isinstance(block, Table):
            story += [_table(block, styles, width), Spacer(1, 3 * mm)]
        elif isinstance(block, PageTurn):
            size = landscape(A4) if block.landscape else A4
            story += [NextPageTemplate("landscape" if block.landscape else "portrait"), PageBreak()]
            width = size[0] - 2 * MARGIN
    document.build(story)
    return buffer.getvalue()


def _template(name, size, footer, language):
    frame = Frame(MARGIN, MARGIN + 4 * mm, size[0] - 2 * MARGIN, size[1] - 2 * MARGIN - 4 * mm, id=name,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def draw_footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN / 2, footer)
        canvas.drawRightString(size[0] - MARGIN, MARGIN / 2, PAGE_LABEL[language].format(page=canvas.getPageNumber()))
        canvas.restoreState()

    return PageTemplate(id=name, frames=[frame], pagesize=size, onPage=draw_footer)


def _markup(text):
    return escape(printable(text)).replace("\n", "<br/>")


def _paragraph(block, styles):
    style = ParagraphStyle(f"para-{block.align}", parent=styles["body"], alignment=ALIGN[block.align],
                           spaceAfter=3)
    text = _markup(block.text)
    if block.italic and text:
        text = f"<i>{text}</i>"
    if block.label:
        text = f"<b>{_markup(block.label)}</b> {text}"
    return Paragraph(text, style)


def _table(block, styles, width):
    body, header = (styles["small"], styles["th"]) if block.small else (styles["body"], styles["th"])
    total = sum(block.widths)
    widths = [width * weight / total for weight in block.widths]
    rows = _split_rows(block.rows, block.header_rows)
    cells = [[Paragraph(_markup(value), header if row < block.header_rows else body) if value not in (UP, LEFT)
              else "" for value in values] for row, (values, _more) in enumerate(rows)]
    commands = [("BOX", (0, 0), (-1, -1), 0.5, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, block.header_rows - 1), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    commands += [("LINEBEFORE", (column, 0), (column, -1), 0.4, GRID) for column in range(1, len(widths))]
    for row, (values, more) in enumerate(rows):
        for column, value in enumerate(values):
            if row < block.header_rows:
                commands += _header_span(block.rows, row, column)
            if row and value != UP and not more:
                commands.append(("LINEABOVE", (column, row), (column, row), 0.4, GRID))
    table = PdfTable(cells, colWidths=widths, repeatRows=block.header_rows, splitInRow=1)
    table.setStyle(TableStyle(commands))
    return table


def _split_rows(rows, header_rows):
    """[(cells, goes on from the row above)]: a body row whose texts run longer than LINES_PER_ROW
    lines goes on in rows of that many lines (a table splits across pages quickly between rows and
    slowly within one, as app.pdf says)."""
    found = [(values, False) for values in rows[:header_rows]]
    for values in rows[header_rows:]:
        parts = [[value] if value in (UP, LEFT) else _parts(value) for value in values]
        for index in range(max(len(part) for part in parts)):
            found.append(([part[index] if index < len(part) else (UP if part[0] == UP else "") for part in parts],
                          index > 0))
    return found


def _parts(text):
    lines = text.split("\n")
    return ["\n".join(lines[start:start + LINES_PER_ROW]) for start in range(0, len(lines), LINES_PER_ROW)] or [""]


def _header_span(rows, row, column):
    """The SPAN of a header cell over the UP cells below it and the LEFT cells to its right."""
    value = rows[row][column]
    if value in (UP, LEFT):
        return []
    bottom = row
    while bottom + 1 < len(rows) and rows[bottom + 1][column] == UP:
        bottom += 1
    right = column
    while right + 1 < len(rows[row]) and rows[row][right + 1] == LEFT:
        right += 1
    return [("SPAN", (column, row), (right, bottom))] if (bottom, right) != (row, column) else []
