"""What every PDF of the system shares: PT Sans (from the `fontpkg-pt-sans` package), which has
the Kazakh letters (ә ғ қ ң ө ұ ү һ і) in regular and bold, and plain-text paragraphs.

PT Sans has no tenge sign (₸): write amounts as figures under a "tenge" heading."""
import functools
from xml.sax.saxutils import escape

import fontpkg
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

FONT = "PTSans"
FONT_BOLD = "PTSans-Bold"
MONO = "Courier"  # hashes and seeds are ASCII: a built-in font will do


@functools.cache
def register_fonts():
    """Registers PT Sans regular and bold with reportlab (once per process)."""
    pdfmetrics.registerFont(TTFont(FONT, str(fontpkg.path("PT Sans"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fontpkg.path("PT Sans", weight=700))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def plain(text, style):
    """A paragraph of plain text: markup characters escaped, line breaks kept."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)
