"""Stand-ins for the scanned documents of the demo: a one-page PDF with the document's title,
whose it is and a DEMO mark, handed over as an uploaded file."""
import functools
from io import BytesIO

from reportlab.lib.pagesizes import A5
from reportlab.pdfgen import canvas
from werkzeug.datastructures import FileStorage

from app.demo.data import DOCUMENT_FOOTER, DOCUMENT_LINES
from app.pdf import FONT, FONT_BOLD, register_fonts


def stand_in(document, full_name, iin, birth_date=None, address=None):
    """`document` (a data.StandIn) of the person, as an upload: the title, the name, the IIN and,
    when given, the birth date and the address."""
    lines = [full_name, DOCUMENT_LINES["iin"].format(iin=iin)]
    if birth_date is not None:
        lines.append(DOCUMENT_LINES["birth_date"].format(birth_date=birth_date))
    if address is not None:
        lines.append(DOCUMENT_LINES["address"].format(address=address))
    return FileStorage(BytesIO(_pdf(document.title, tuple(lines))), filename=document.file_name,
                       content_type="application/pdf")


@functools.cache
def _pdf(title, lines):
    """The PDF (kept per process: reloading the demo in the tests makes the same files again)."""
    register_fonts()
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5, invariant=True)
    width, height = A5
    pdf.setFont(FONT_BOLD, 11)
    y = height - 60
    for part in title.split(" / "):
        pdf.drawString(40, y, part)
        y -= 16
    pdf.setFont(FONT, 10)
    y -= 10
    for line in lines:
        pdf.drawString(40, y, line)
        y -= 15
    pdf.setFont(FONT, 8)
    pdf.drawString(40, 40, DOCUMENT_FOOTER)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
