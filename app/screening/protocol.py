"""The screening protocol as a PDF in Kazakh, Russian or English: the call, its dates, counts by
region and by reason, the lists of eligible and rejected applications (number, masked name such
as `Айгерим Н.`, region, reasons) and a signature block for the commission. Before screening is
closed it is marked as a draft and made for each download; once closed it is made once per
language and version of what it says, and stored (ScreeningProtocol): at 100,000 applications it
has some 4,000 pages."""
import functools
import hashlib

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from app.audit import services as audit
from app.dbtypes import stored_once
from app.extensions import db
from app.kz.regions import region_name
from app.pdf import FONT_BOLD, SHADE, fields, grid, paragraph_styles, plain, register_fonts, render
from app.screening.closing import is_closed, screening_summary
from app.screening.models import ScreeningProtocol

LANGUAGES = ("kk", "ru", "en")
MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN
COMMISSION = 5  # signature lines: the chair and the members
NUMBER = 14 * mm  # the lists' "No." column: six digits on one line


@functools.cache
def _styles():
    shared = paragraph_styles()
    draft = ParagraphStyle("draft", parent=shared["body"], fontName=FONT_BOLD, fontSize=11, leading=14,
                           textColor=colors.HexColor("#b02a37"), spaceAfter=4)
    return shared | {"draft": draft}


def protocol_pdf(competition, lang, summary=None):
    """The screening protocol of `competition` in `lang` (kk, ru or en) as PDF bytes; `summary` is
    its screening_summary, read now when not given."""
    if lang not in LANGUAGES:
        raise ValueError(f"no protocol in {lang!r}; languages: {', '.join(LANGUAGES)}")
    register_fonts()
    with force_locale(lang):
        title = _("Protocol of the technical screening")
        name = f"{title} · {competition.code}"
        story = _story(competition, lang, title, screening_summary(competition) if summary is None else summary)
        return render(story, margin=MARGIN, title=name, lang=lang, footer=name)


def protocol_file(competition, lang):
    """(PDF bytes, their SHA-256): once screening is closed the protocol as stored, before that a
    draft made now (its lists can still change)."""
    if is_closed(competition):
        stored = stored_protocol(competition, lang)
        return stored.pdf, stored.sha256
    pdf = protocol_pdf(competition, lang)
    return pdf, hashlib.sha256(pdf).hexdigest()


def stored_protocol(competition, lang):
    """The stored protocol (a ScreeningProtocol) of `competition`, whose screening is closed, in
    `lang` for what it says now: made and stored now if there is none yet (the caller commits).
    What changes no line of it (the draw's statuses, a replacement) makes no new version: the file,
    and its SHA-256 that the commission may have noted, stay the same."""
    summary = screening_summary(competition)
    version = _version(competition, lang, summary)
    query = sa.select(ScreeningProtocol).where(
        ScreeningProtocol.competition_id == competition.id, ScreeningProtocol.lang == lang,
        ScreeningProtocol.version == version,
    ).options(sa.orm.undefer(ScreeningProtocol.pdf))
    found = db.session.execute(query).scalar_one_or_none()
    if found is not None:
        return found
    pdf = protocol_pdf(competition, lang, summary)
    return stored_once(ScreeningProtocol(competition_id=competition.id, lang=lang, version=version,
                                         sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), pdf=pdf), query)


def _version(competition, lang, summary):
    """SHA-256 of what the protocol in `lang` says, in the words of the release that made it (all
    but the audit log's head, printed as it was then): the office, the call, its dates, the counts
    and the lists."""
    said = (current_app.config["OFFICE_NAME"], competition.code, getattr(competition, f"title_{lang}"),
            competition.title_ru, competition.opens_at, competition.closes_at, competition.screening_closed_at,
            summary)
    return hashlib.sha256(repr(said).encode()).hexdigest()


def _story(competition, lang, title, summary):
    story = [
        _p(current_app.config["OFFICE_NAME"], "office"),
        _p(getattr(competition, f"title_{lang}") or competition.title_ru),
        _p(title, "title"),
    ]
    if competition.screening_closed_at is None:
        story.append(_p(_("DRAFT: screening is not closed yet, the lists can still change."), "draft"))
    story += [
        fields([
            (_("Competition"), competition.code),
            (_("Application window"), _("%(opens)s – %(closes)s (Almaty time)",
                                        opens=_when(competition.opens_at), closes=_when(competition.closes_at))),
            (_("Screening closed"), _("%(date)s (Almaty time)", date=_when(competition.screening_closed_at))
             if competition.screening_closed_at else _("not yet")),
            (_("Applications screened"), summary.screened),
            (_("Eligible"), len(summary.eligible)),
            (_("Rejected"), len(summary.rejected)),
        ], _styles(), 48 * mm, WIDTH),
        _p(_("Applications by region"), "heading"),
        _regions(summary, lang),
        _p(_("Rejections by reason"), "heading"),
    ]
    if summary.reasons:
        rows = [[_p(_("Reason"), "th"), _p(_("Applications"), "th")]]
        rows += [[_p(code.title), _p(count)] for code, count in summary.reasons]
        story.append(grid(rows, [0, 30 * mm], WIDTH))
        story.append(_p(_("An application rejected for several reasons counts under each of them."), "small"))
    else:
        story.append(_p(_("No application was rejected.")))

    story.append(_p(_("Eligible applications (%(count)s)", count=len(summary.eligible)), "heading"))
    if summary.eligible:
        rows = [[_p(text, "th") for text in (_("No."), _("Application"), _("Applicant"), _("Region"), _("Note"))]]
        rows += [[n, row.number, row.masked_name, region_name(row.region_code, lang),
                  _("upheld on appeal") if row.on_appeal else ""]
                 for n, row in enumerate(summary.eligible, start=1)]
        story.append(grid(rows, [NUMBER, 26 * mm, 36 * mm, 0, 34 * mm], WIDTH, repeat=True))
    else:
        story.append(_p(_("No application is eligible.")))

    story.append(_p(_("Rejected applications (%(count)s)", count=len(summary.rejected)), "heading"))
    if summary.rejected:
        rows = [[_p(text, "th") for text in (_("No."), _("Application"), _("Applicant"), _("Region"), _("Reasons"))]]
        for n, row in enumerate(summary.rejected, start=1):
            reasons = "; ".join(str(code.title) for code in row.reasons) or "—"
            if row.on_appeal:
                reasons += "\n" + _("appeal dismissed")
            rows.append([n, row.number, row.masked_name, region_name(row.region_code, lang), reasons])
        story.append(grid(rows, [NUMBER, 26 * mm, 32 * mm, 36 * mm, 0], WIDTH, repeat=True))
    else:
        story.append(_p(_("No application was rejected.")))
    story.append(_p(audit.head_line(), "small"))
    story += _signatures()
    return story


def _regions(summary, lang):
    rows = [[_p(text, "th") for text in (_("Region"), _("Screened"), _("Eligible"), _("Rejected"))]]
    for region in summary.regions:
        rows.append([_p(region_name(region.region_code, lang)), _p(region.screened), _p(region.eligible),
                     _p(region.rejected)])
    rows.append([_p(_("Total"), "th"), _p(summary.screened, "th"), _p(len(summary.eligible), "th"),
                 _p(len(summary.rejected), "th")])
    return grid(rows, [0, 26 * mm, 26 * mm, 26 * mm], WIDTH, extra=[("BACKGROUND", (0, -1), (-1, -1), SHADE)])


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


def _when(moment):
    return format_datetime(moment, "d MMMM y, HH:mm")


