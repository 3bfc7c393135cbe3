"""The report to the Operator as an editable Word document (python-docx): A4, Times New Roman as
the Operator's forms are written, the wide tables on pages turned sideways, merged cells where the
form merges them, the header rows of a table repeated on every page."""
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from app.reporting.annex8 import LEFT, UP, Heading, Para, PageTurn, Table, printable

FONT = "Times New Roman"
MARGIN = Cm(2)
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}


def annex8_docx(report):
    """The DOCX bytes of `report` (app.reporting.annex8.Annex8)."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(4)
    document.core_properties.title = report.title
    document.core_properties.language = report.language
    _page(document.sections[0], landscape=False)
    for block in report.blocks:
        if isinstance(block, Heading):
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.space_before = Pt(10)
            run = paragraph.add_run(printable(block.text))
            run.bold, run.font.size = True, Pt(12)
        elif isinstance(block, Para):
            _paragraph(document, block)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, PageTurn):
            _page(document.add_section(WD_SECTION.NEW_PAGE), block.landscape)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(section, landscape):
    section.page_width, section.page_height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN


def _paragraph(document, block):
    paragraph = document.add_paragraph()
    paragraph.alignment = ALIGN[block.align]
    if block.label:
        paragraph.add_run(printable(block.label) + (" " if block.text else "")).bold = True
    if block.text:
        paragraph.add_run(printable(block.text)).italic = block.italic


def _table(document, block):
    columns = len(block.rows[0])
    table = document.add_table(rows=len(block.rows), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    section = document.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    total = sum(block.widths)
    widths = [int(usable * weight / total) for weight in block.widths]
    size = Pt(8 if block.small else 10)
    for row_index, (row, values) in enumerate(zip(table.rows, block.rows)):
        header = row_index < block.header_rows
        if header:
            _repeat_as_header(row)
        for cell, width, value in zip(row.cells, widths, values):
            cell.width = width
            if value in (UP, LEFT):
                continue
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(printable(value))
            run.font.size, run.bold = size, header
    _merge(table, block.rows)


def _repeat_as_header(row):
    """Word repeats the row at the top of every page the table runs onto."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _merge(table, rows):
    """Merges every run of UP cells into the cell above it, every LEFT into the one to its left."""
    for column in range(len(rows[0])):
        row = 0
        while row < len(rows):
            end = row
            while end + 1 < len(rows) and rows[end + 1][column] == UP:
                end += 1
            if end > row:
                table.cell(row, column).merge(table.cell(end, column))
            row = end + 1
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            if value == LEFT and (column + 1 == len(values) or values[column + 1] != LEFT):
                start = column
                while values[start] == LEFT:
                    start -= 1
                table.cell(row, start).merge(table.cell(row, column))
