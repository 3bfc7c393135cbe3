"""The draw protocol as a PDF in Kazakh or Russian: what the public page shows (the call, the rule,
the commitment, the observers, the sources, the seed, winners and reserve lists per stratum,
unawarded grants, replacements, the balance table, the frozen list and the log), a QR code to the
public page with the log's head hash (also framed at the top, with the verifier's command an observer
runs against it later), and a signature block for the commission and observers.
Ticket numbers only: no names, no IINs."""
import functools

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table, TableStyle

from app.audit import services as audit
from app.kz.regions import district_name, region_name
from app.lottery import balance, reading
from app.lottery.models import ReplacementReason
from app.pdf import (FONT_BOLD, GRID, MONO, SHADE, almaty_time, fields, grid, paragraph_styles, plain,
                     register_fonts, render)

LANGUAGES = ("kk", "ru")
MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN
LIST_COLUMNS = 4  # the frozen list: this many (ticket, stratum) pairs per row
# A call of 100,000 applications would print a protocol of thousands of pages, minutes to build.
# Above these the protocol prints the top of each reserve list and no list: the commitment and the
# log head it prints fix them, and the record and list.json publish them whole.
PRINTED_ENTRIES = 5000
PRINTED_RESERVE = 200  # places per stratum
SCORE_COLUMNS = [13 * mm, 26 * mm, 0, 95 * mm]  # place, ticket, note, score


@functools.cache
def _styles():
    shared = paragraph_styles()
    return shared | {
        # A 64-digit hash on one line of a table column 95 mm wide.
        "hash": ParagraphStyle("hash", parent=shared["body"], fontName=MONO, fontSize=6.5, leading=8),
        "head": ParagraphStyle("head", parent=shared["body"], fontName=MONO, fontSize=10, leading=13),
        "subheading": ParagraphStyle("subheading", parent=shared["body"], fontName=FONT_BOLD, spaceBefore=4,
                                     spaceAfter=2),
    }


def protocol_pdf(draw, lang, url):
    """The protocol of a drawn `draw` in `lang` (kk or ru) as PDF bytes; `url` is the public page."""
    if lang not in LANGUAGES:
        raise ValueError(f"no protocol in {lang!r}; languages: {', '.join(LANGUAGES)}")
    register_fonts()
    with force_locale(lang):
        title = _("Protocol of draw No. %(id)s", id=draw.id)
        return render(_story(draw, lang, url, title), margin=MARGIN, title=title, lang=lang, footer=title)


def _story(draw, lang, url, title):
    competition = draw.competition
    outcomes = reading.outcomes(draw)
    story = [
        _p(current_app.config["OFFICE_NAME"], "office"),
        _p(getattr(competition, f"title_{lang}") or competition.title_ru),
        _p(title, "title"),
        fields([
            (_("Competition"), competition.code),
            (_("Algorithm"), draw.algorithm),
            (_("List committed"), almaty_time(draw.committed_at)),
            (_("Draw run"), almaty_time(draw.drawn_at)),
            (_("Results published"), almaty_time(draw.published_at) if draw.published_at else _("not yet")),
            (_("Public page"), url),
        ], _styles(), 42 * mm, WIDTH),
        Spacer(1, 3 * mm),
        _head_box(draw),
        _p(_("Rule for the random sources"), "heading"),
        _p(draw.source_rule),
        _p(_("Commitment"), "heading"),
        _p(_("SHA-256 of the canonical JSON of the algorithm, the list and the quotas, published before "
             "the sources were known:"), "small"),
        _p(draw.commitment, "mono"),
        _p(_("Strata"), "heading"),
        _strata_table(draw, outcomes, lang),
        _p(_("Observers"), "heading"),
    ]
    if draw.observers:
        story += [_p(f"{n}. {o.name}, {o.organisation}") for n, o in enumerate(draw.observers, start=1)]
    else:
        story.append(_p(_("No observers were registered.")))
    story += [
        _p(_("Random sources"), "heading"),
        *[_p(f"{n}. {source}") for n, source in enumerate(draw.sources, start=1)],
        _p(_("Seed"), "heading"),
        _p(draw.seed, "mono"),
    ]
    for stratum in outcomes:
        story += _stratum_results(draw, stratum, lang)
    story += _replacements(draw)
    story += _balance(balance.balance(draw), lang)
    story += _frozen_list(draw)
    story += _log(draw)
    story.append(_p(audit.head_line(), "small"))
    story += _signatures(draw, url)
    return story


def _head_box(draw):
    """The log's chain head, framed at the top, with what an observer does with it."""
    box = Table([[[
        _p(_("Chain head of the log, after entry %(seq)s:", seq=len(draw.log)), "label"),
        _p(draw.log_head, "head"),
        Spacer(1, 1.5 * mm),
        _p(_("Write down this head (or keep this protocol). Later, download the record and the verifier "
             "from the public page and run:"), "small"),
        _p(f"python3 verify_draw.py draw-{draw.id}.json --head {draw.log_head}", "mono"),
        _p(_("The verifier prints MISMATCH if the log was rewritten or cut short after this protocol was "
             "printed."), "small"),
    ]]], colWidths=[WIDTH])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, GRID), ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                             ("TOPPADDING", (0, 0), (-1, -1), 2 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm)]))
    return box


def _strata_table(draw, outcomes, lang):
    rows = [[_p(text, "th") for text in (
        _("Stratum"), _("Quota"), _("Eligible"), _("Winners"), _("Reserve list"), _("Unawarded grants"))]]
    for summary, stratum in zip(reading.strata_summary(draw), outcomes):
        rows.append([_p(region_name(summary.code, lang)), _p(summary.quota), _p(summary.entries),
                     _p(len(stratum.current_winners)), _p(len(stratum.reserve) - len(stratum.promoted)),
                     _p(stratum.unawarded)])
    return grid(rows, [0, 22 * mm, 22 * mm, 22 * mm, 24 * mm, 28 * mm], WIDTH)


def _stratum_results(draw, stratum, lang):
    heading = _p(_("%(stratum)s: winners", stratum=region_name(stratum.code, lang)), "heading")
    if not stratum.winners:
        return [heading, _p(_("No eligible applications in this stratum: its %(count)s grants stay unawarded. "
                              "The quota is not moved to another stratum.", count=stratum.quota))]
    rows = [[_p(text, "th") for text in (_("Rank"), _("Application"), _("Note"), _("Score"))]]
    for result in stratum.winners:
        rows.append([_p(result["rank"]), _p(result["ticket"]), _p(_note(result["ticket"], stratum)),
                     _p(result["score"], "hash")])
    story = [heading, grid(rows, SCORE_COLUMNS, WIDTH, repeat=True)]
    if stratum.unawarded:
        story.append(_p(_("%(count)s grants of this stratum stay unawarded: it has fewer eligible "
                          "applications than grants.", count=stratum.unawarded)))
    story.append(_p(_("%(stratum)s: reserve list, in order", stratum=region_name(stratum.code, lang)), "subheading"))
    if not stratum.reserve:
        return story + [_p(_("Nobody is on the reserve list."))]
    rows = [[_p(text, "th") for text in (_("Place"), _("Application"), _("Note"), _("Score"))]]
    for result in stratum.reserve[:PRINTED_RESERVE]:
        rows.append([_p(reading.reserve_position(draw, result)), _p(result["ticket"]),
                     _p(_note(result["ticket"], stratum)), _p(result["score"], "hash")])
    story.append(grid(rows, SCORE_COLUMNS, WIDTH, repeat=True))
    if len(stratum.reserve) > PRINTED_RESERVE:
        story.append(_p(_("The first %(printed)s places of %(count)s are printed; the record of the draw has the "
                          "whole reserve list.", printed=PRINTED_RESERVE, count=len(stratum.reserve)), "small"))
    return story


def _note(ticket, stratum):
    if ticket in stratum.removed:
        return _("left: %(reason)s", reason=ReplacementReason(stratum.removed[ticket]["reason"]).title)
    if ticket in stratum.promoted:
        return _("promoted in place of %(ticket)s", ticket=stratum.promoted[ticket]["replaces"])
    return ""


def _replacements(draw):
    entries = [e for e in draw.log if e.event in (reading.WINNER_REMOVED, reading.RESERVE_PROMOTED,
                                                    "reserve.exhausted")]
    if not entries:
        return []
    rows = [[_p(text, "th") for text in (_("Log No."), _("Time"), _("What happened"))]]
    for entry in entries:
        data = entry.data
        if entry.event == reading.WINNER_REMOVED:
            text = _("%(ticket)s left the winners: %(reason)s", ticket=data["ticket"],
                     reason=ReplacementReason(data["reason"]).title)
        elif entry.event == reading.RESERVE_PROMOTED:
            text = _("%(ticket)s (reserve rank %(rank)s) promoted in place of %(replaces)s",
                     ticket=data["ticket"], rank=data["rank"], replaces=data["replaces"])
        else:
            text = _("Nobody left on the reserve list of %(stratum)s", stratum=data["stratum"])
        rows.append([_p(entry.seq), _p(entry.at), _p(text)])
    return [_p(_("Replacements from the reserve list"), "heading"), grid(rows, [16 * mm, 48 * mm, 0], WIDTH)]


def _balance(tables, lang):
    story = [
        _p(_("Balance table"), "heading"),
        _p(_("Winners and not selected applicants by sex, age and district, as drawn. Shown to check the "
             "randomisation; never used to select."), "small"),
    ]
    for table in tables:
        rows = [[_p(region_name(table.code, lang), "th"), _p(_("Winners"), "th"), _p(_("Not selected"), "th")],
                [_p(_("All")), _p(table.winners), _p(table.others)]]
        groups = ((_("Sex"), [(str(row.label), row) for row in table.sex]),
                  (_("Age"), [(row.label, row) for row in table.age]),
                  (_("District"), [(district_name(row.label, lang), row) for row in table.districts]))
        shaded = []
        for group, group_rows in groups:
            if not group_rows:
                continue
            shaded.append(len(rows))
            rows.append([_p(group, "th"), "", ""])
            rows += [[_p(label), _p(row.winners), _p(row.others)] for label, row in group_rows]
        story.append(grid(rows, [0, 30 * mm, 30 * mm], WIDTH,
                          extra=[("BACKGROUND", (0, n), (-1, n), SHADE) for n in shaded]))
        story.append(Spacer(1, 3 * mm))
    return story


def _frozen_list(draw):
    if len(draw.entries) > PRINTED_ENTRIES:
        return [_p(_("The frozen list (%(count)s applications)", count=len(draw.entries)), "heading"),
                _p(_("Too long to print: it is published with the draw (list.json), and the commitment above "
                     "covers it."), "small")]
    cells = [[_p(entry["ticket"], "small"), _p(entry["stratum"], "small")] for entry in draw.entries]
    rows = []
    for start in range(0, len(cells), LIST_COLUMNS):
        row = [cell for pair in cells[start:start + LIST_COLUMNS] for cell in pair]
        rows.append(row + [""] * (2 * LIST_COLUMNS - len(row)))
    return [
        CondPageBreak(30 * mm),
        _p(_("The frozen list (%(count)s applications)", count=len(draw.entries)), "heading"),
        _p(_("Application numbers and strata, sorted by number, as committed."), "small"),
        grid(rows, [WIDTH / LIST_COLUMNS * share for _pair in range(LIST_COLUMNS) for share in (0.62, 0.38)],
             WIDTH),
    ]


def _log(draw):
    rows = [[_p(text, "th") for text in (_("No."), _("Time (UTC)"), _("Event"), _("Hash"))]]
    for entry in draw.log:
        rows.append([_p(entry.seq, "small"), _p(entry.at, "hash"), _p(entry.event, "small"),
                     _p(entry.hash, "hash")])
    return [
        _p(_("The log"), "heading"),
        _p(_("Each entry's hash is SHA-256 of the previous hash and the entry; the last hash fixes the "
             "whole log."), "small"),
        grid(rows, [9 * mm, 0, 31 * mm, 95 * mm], WIDTH, repeat=True),
    ]


def _signatures(draw, url):
    qr = QrCodeWidget(url)
    left, bottom, right, top = qr.getBounds()
    size = 32 * mm
    code = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    code.add(qr)
    head = Table([[code, [_p(_("Log head hash:"), "label"), _p(draw.log_head, "mono"), Spacer(1, 2 * mm),
                          _p(_("Public page, the record and the verifier:"), "label"), _p(url, "small")]]],
                 colWidths=[36 * mm, WIDTH - 36 * mm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))

    line = "_" * 28
    rows = [[_p(_("Commission"), "th"), "", ""]]
    for role in (_("Chair"), _("Secretary"), _("Member"), _("Member"), _("Member")):
        rows.append([_p(role), _p(_("Name:") + " " + "_" * 24), _p(line)])
    rows.append([_p(_("Observers"), "th"), "", ""])
    for observer in draw.observers:
        rows.append([_p(observer.organisation), _p(observer.name), _p(line)])
    for _blank in range(2):
        rows.append([_p(_("Organisation:") + " " + "_" * 14), _p(_("Name:") + " " + "_" * 24), _p(line)])
    signatures = Table(rows, colWidths=[60 * mm, WIDTH - 60 * mm - 55 * mm, 55 * mm])
    signatures.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("TOPPADDING", (0, 1), (-1, -1), 7),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]))
    return [KeepTogether([_p(_("Verification"), "heading"), head]),
            KeepTogether([_p(_("Signatures"), "heading"), signatures])]


# --- helpers --------------------------------------------------------------------------------

def _p(text, style="body"):
    return plain(text, _styles()[style])


