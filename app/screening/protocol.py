"""The screening protocol as a PDF in Kazakh, Russian or English: the call, its dates, counts by
region and by reason, the lists of eligible and rejected applications (number, masked name such
as `Айгерим Н.`, region, reasons) and a signature block for the commission. Before screening is
closed it is marked as a draft."""
import functools
from io import BytesIO

from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from app.kz.regions import get_region
from app.pdf import FONT, FONT_BOLD, plain, register_fonts
from app.screening.closing import screening_summary

LANGUAGES = ("kk", "ru", "en")
MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN
GRID = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#eef1f4")
COMMISSION = 5  # signature lines: the chair and the members


@functools.cache
def _styles():
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "office": ParagraphStyle("office", parent=base, fontName=FONT_BOLD, fontSize=11, leading=14),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19,
                                spaceBefore=4, spaceAfter=4),
        "draft": ParagraphStyle("draft", parent=base, fontName=FONT_BOLD, fontSize=11, leading=14,
                                textColor=colors.HexColor("#b02a37"), spaceAfter=4),
        "heading": ParagraphStyle("heading", parent=base, fontName=FONT_BOLD, fontSize=11, leading=14,
                                  spaceBefore=8, spaceAfter=3),
        "label": ParagraphStyle("label", parent=base, textColor=colors.HexColor("#4a5560")),
        "th": ParagraphStyle("th", parent=base, fontName=FONT_BOLD, fontSize=8, leading=10),
    }


def protocol_pdf(competition, lang):
    """The screening protocol of `competition` in `lang` (kk, ru or en) as PDF bytes."""
    if lang not in LANGUAGES:
        raise ValueError(f"no protocol in {lang!r}; languages: {', '.join(LANGUAGES)}")
    register_fonts()
    buffer = BytesIO()
    with force_locale(lang):
        title = _("Protocol of the technical screening")
        document = SimpleDocTemplate(
            buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
            bottomMargin=MARGIN + 4 * mm, title=f"{title} · {competition.code}",
            author=current_app.config["OFFICE_NAME"], lang=lang, invariant=True,
        )
        footer = functools.partial(_footer, text=f"{title} · {competition.code} · {current_app.config['OFFICE_NAME']}")
        document.build(_story(competition, lang, title), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _story(competition, lang, title):
    summary = screening_summary(competition)
    story = [
        _p(current_app.config["OFFICE_NAME"], "office"),
        _p(getattr(competition, f"title_{lang}") or competition.title_ru),
        _p(title, "title"),
    ]
    if competition.screening_closed_at is None:
        story.append(_p(_("DRAFT: screening is not closed yet, the lists can still change."), "draft"))
    story += [
        _fields([
            (_("Competition"), competition.code),
            (_("Application window"), _("%(opens)s – %(closes)s (Almaty time)",
                                        opens=_when(competition.opens_at), closes=_when(competition.closes_at))),
            (_("Screening closed"), _("%(date)s (Almaty time)", date=_when(competition.screening_closed_at))
             if competition.screening_closed_at else _("not yet")),
            (_("Applications screened"), summary.screened),
            (_("Eligible"), len(summary.eligible)),
            (_("Rejected"), len(summary.rejected)),
        ]),
        _p(_("Applications by region"), "heading"),
        _regions(summary, lang),
        _p(_("Rejections by reason"), "heading"),
    ]
    if summary.reasons:
        rows = [[_p(_("Reason"), "th"), _p(_("Applications"), "th")]]
        rows += [[_p(code.title), _p(count)] for code, count in summary.reasons]
        story.append(_table(rows, [0, 30 * mm]))
        story.append(_p(_("An application rejected for several reasons counts under each of them."), "small"))
    else:
        story.append(_p(_("No application was rejected.")))

    story.append(_p(_("Eligible applications (%(count)s)", count=len(summary.eligible)), "heading"))
    if summary.eligible:
        rows = [[_p(text, "th") for text in (_("No."), _("Application"), _("Applicant"), _("Region"), _("Note"))]]
        rows += [[_p(n), _p(row.number), _p(row.masked_name), _p(_region(row.region_code, lang)),
                  _p(_("upheld on appeal") if row.on_appeal else "")]
                 for n, row in enumerate(summary.eligible, start=1)]
        story.append(_table(rows, [10 * mm, 26 * mm, 40 * mm, 0, 34 * mm], repeat=True))
    else:
        story.append(_p(_("No application is eligible.")))

    story.append(_p(_("Rejected applications (%(count)s)", count=len(summary.rejected)), "heading"))
    if summary.rejected:
        rows = [[_p(text, "th") for text in (_("No."), _("Application"), _("Applicant"), _("Region"), _("Reasons"))]]
        for n, row in enumerate(summary.rejected, start=1):
            reasons = "; ".join(str(code.title) for code in row.reasons) or "—"
            if row.on_appeal:
                reasons += "\n" + _("appeal dismissed")
            rows.append([_p(n), _p(row.number), _p(row.masked_name), _p(_region(row.region_code, lang)),
                         _p(reasons)])
        story.append(_table(rows, [10 * mm, 26 * mm, 34 * mm, 36 * mm, 0], repeat=True))
    else:
        story.append(_p(_("No application was rejected.")))
    story += _signatures()
    return story


def _regions(summary, lang):
    rows = [[_p(text, "th") for text in (_("Region"), _("Screened"), _("Eligible"), _("Rejected"))]]
    for region in summary.regions:
        rows.append([_p(_region(region.region_code, lang)), _p(region.screened), _p(region.eligible),
                     _p(region.rejected)])
    rows.append([_p(_("Total"), "th"), _p(summary.screened, "th"), _p(len(summary.eligible), "th"),
                 _p(len(summary.rejected), "th")])
    return _table(rows, [0, 26 * mm, 26 * mm, 26 * mm], extra=[("BACKGROUND", (0, -1), (-1, -1), SHADE)])


def _signatures():
    line = "_" * 26
    rows = [[_p(_("Commission"), "th"), _p(_("Name"), "th"), _p(_("Signature"), "th")]]
    for n in range(COMMISSION):
        rows.append([_p(_("Chair") if n == 0 else _("Member")), _p(line), _p(line)])
    table = Table(rows, colWidths=[45 * mm, WIDTH - 45 * mm - 55 * mm, 55 * mm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("TOPPADDING", (0, 1), (-1, -1), 9),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]))
    return [KeepTogether([
        _p(_("Signatures"), "heading"),
        table,
        Spacer(1, 6 * mm),
        _p(_("Date:") + " " + "_" * 20),
    ])]


# --- helpers --------------------------------------------------------------------------------

def _p(text, style="body"):
    return plain(text, _styles()[style])


def _fields(pairs):
    table = Table([[_p(label, "label"), _p(value)] for label, value in pairs], colWidths=[48 * mm, WIDTH - 48 * mm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, SHADE),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]))
    return table


def _table(rows, widths, repeat=False, extra=()):
    """A grid with a shaded header; a width of 0 takes what the others leave."""
    widths = list(widths)
    if 0 in widths:
        widths[widths.index(0)] = WIDTH - sum(widths)
    table = Table(rows, colWidths=widths, repeatRows=1 if repeat else 0)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *extra,
    ]))
    return table


def _when(moment):
    return format_datetime(moment, "d MMMM y, HH:mm")


def _region(code, lang):
    try:
        return get_region(code).name(lang)
    except KeyError:
        return code


def _footer(canvas, document, text):
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.setFillColor(colors.HexColor("#4a5560"))
    canvas.drawString(MARGIN, MARGIN / 2, text)
    canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, _("Page %(page)s", page=canvas.getPageNumber()))
    canvas.restoreState()
