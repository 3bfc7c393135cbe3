"""The receipt of a submitted application: a PDF of its snapshot (what was sent, never the live
row) in Kazakh, Russian or English, with the SHA-256 of every document and of the snapshot.
Amounts are figures under a "tenge" heading and in words: the font has no tenge sign."""
import functools
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale, format_date, format_decimal
from flask_babel import gettext as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from app.applications.models import SocialCategory
from app.competitions.models import DocumentType
from app.kz.money import amount_in_words
from app.kz.phone import format_phone
from app.kz.regions import district_name, region_name
from app.pdf import (FONT_BOLD, GRID, SHADE, almaty_time, fields, grid, paragraph_styles, plain,
                     register_fonts, render)

LANGUAGES = ("kk", "ru", "en")
MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN


@functools.cache
def _styles():
    shared = paragraph_styles(body=(9.5, 12.5), small=(8, 10), mono=(6.8, 8.5), title=(16, 20, 6),
                              heading=(11.5, 14, 9), th=(8.5, 10.5))
    notice = ParagraphStyle("notice", parent=shared["body"], fontName=FONT_BOLD, alignment=TA_CENTER, spaceBefore=10)
    return shared | {"notice": notice}


def receipt_pdf(application, lang):
    """The receipt of the submitted `application` in `lang` (kk, ru or en), as PDF bytes.

    The same snapshot always gives the same bytes."""
    if lang not in LANGUAGES:
        raise ValueError(f"no receipt in {lang!r}; languages: {', '.join(LANGUAGES)}")
    if application.snapshot is None:
        raise ValueError(f"{application!r} has not been submitted: there is no receipt")
    register_fonts()
    snapshot = application.snapshot
    with force_locale(lang):
        title = _("Receipt for application %(number)s", number=snapshot["number"])
        return render(_story(snapshot, application.snapshot_sha256, lang, title), margin=MARGIN, title=title,
                      lang=lang, footer=snapshot["number"])


# --- the content ----------------------------------------------------------------------------

def _story(snapshot, snapshot_sha256, lang, title):
    applicant = snapshot["applicant"]
    registration = snapshot["registration"]
    neet = snapshot["neet"]
    project = snapshot["project"]
    call_title = snapshot["call_title"].get(lang) or snapshot["call_title"]["ru"]
    submitted_at = datetime.fromisoformat(snapshot["submitted_at"]).replace(tzinfo=None)

    story = [
        _p(current_app.config["OFFICE_NAME"], "office"),
        _p(call_title),
        _p(title, "title"),
        _fields([
            (_("Application number"), snapshot["number"]),
            (_("Submitted"), almaty_time(submitted_at)),
            (_("Competition"), snapshot["call"]),
        ]),

        _p(_("Applicant"), "heading"),
        _fields([
            (_("Full name"), " ".join(filter(None, (applicant["last_name"], applicant["first_name"],
                                                     applicant["patronymic"])))),
            (_("IIN"), applicant["iin"]),
            (_("Date of birth"), _date(applicant["birth_date"])),
            (_("Phone"), _phone(applicant["phone"])),
            (_("E-mail"), applicant["email"]),
        ]),

        _p(_("Registration address"), "heading"),
        _fields([
            (_("Region"), region_name(registration["region"], lang)),
            (_("District"), district_name(registration["district"], lang)),
            (_("Address"), registration["address"]),
        ]),

        _p(_("NEET declaration"), "heading"),
        _fields([
            (_("I do not work"), _yes_no(neet["not_working"])),
            (_("I do not study"), _yes_no(neet["not_studying"])),
            (_("I am not in vocational training"), _yes_no(neet["not_in_training"])),
            (_("My situation"), neet["situation"]),
            (_("Social status"), "; ".join(str(SocialCategory(value).title)
                                           for value in neet["social_categories"]) or "—"),
        ]),

        _p(_("Project"), "heading"),
        _fields([
            (_("Title"), project["title"]),
            (_("Problem"), project["problem"]),
            (_("Goal"), project["goal"]),
            (_("Target group"), project["target_group"]),
            (_("Activities"), project["activities"]),
            (_("Expected beneficiaries"), project["beneficiaries_count"]),
        ]),
    ]
    story += _budget(snapshot["budget"], lang)
    story += _documents(snapshot["documents"])
    story += [
        Spacer(1, 4 * mm),
        _p(_("SHA-256 of the submitted data:"), "small"),
        _p(snapshot_sha256, "mono"),
        _p(_("This receipt confirms that the application was received; it is not a decision."), "notice"),
    ]
    return story


def _budget(budget, lang):
    rows = [[_p(text, "th") for text in (
        _("No."), _("Purchase"), _("Quantity"), _("Unit price, tenge"), _("Amount, tenge"), _("Supplier"))]]
    for line in budget["lines"]:
        rows.append([
            _p(line["position"]), _p(line["item"]), _p(line["quantity"]), _p(_figures(line["unit_price"])),
            _p(_figures(line["total"])), _p(line["supplier"] or "—"),
        ])
    rows.append([_p(_("Total"), "th"), "", "", "", _p(_figures(budget["total"]), "th"), ""])
    table = grid(rows, [10 * mm, 0, 17 * mm, 25 * mm, 25 * mm, 38 * mm], WIDTH, repeat=True,
                 extra=[("BACKGROUND", (0, -1), (-1, -1), SHADE), ("SPAN", (0, -1), (3, -1))])
    return [
        _p(_("Budget"), "heading"),
        table,
        Spacer(1, 2 * mm),
        _p(_("Total in words: %(words)s", words=amount_in_words(budget["total"], lang))),
    ]


def _documents(documents):
    if not documents:
        return [_p(_("Documents"), "heading"), _p(_("No documents were attached."))]
    rows = []
    for document in documents:
        rows.append([
            _p(str(DocumentType(document["type"]).title)),
            [_p(_("%(name)s, %(size)s bytes", name=document["name"], size=format_decimal(document["size"]))),
             _p("SHA-256: " + document["sha256"], "mono")],
        ])
    table = Table(rows, colWidths=[62 * mm, WIDTH - 62 * mm])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return [_p(_("Documents"), "heading"), table]


def _fields(pairs):
    """A two-column table of labels and values, a dash for an empty value."""
    return fields([(label, value if value not in (None, "") else "—") for label, value in pairs], _styles(),
                  48 * mm, WIDTH)


def _p(text, style="body"):
    return plain(text, _styles()[style])


def _figures(amount):
    return format_decimal(amount)


def _date(iso):
    return format_date(date.fromisoformat(iso), "d MMMM y") if iso else None


def _yes_no(value):
    return _("Yes") if value else _("No")


def _phone(e164):
    try:
        return format_phone(e164)
    except (TypeError, ValueError):
        return e164


