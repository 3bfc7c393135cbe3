"""The grant contract as a PDF: the Kazakh text, then the Russian one, each with the parties
(the organisation's details from the admin area, the grantee's from the application), the amount
in figures and in words, the project period, the obligations (the standard ones, then the call's
own clauses), the dates and the places to sign. The dates and the clauses are the call's contract
terms (app.competitions.terms). Details not given yet print as blanks to fill in by hand. The
contract's wording is part of the document, in both languages whatever the reader's language, so
it is written here rather than translated."""
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from app.almaty import utc_to_almaty
from app.contracts.signals import organisation_details
from app.kz.money import amount_in_words, format_money
from app.pdf import fields, paragraph_styles, plain, register_fonts, render

BLANK = "________________"
MARGIN = 18 * mm

# The contract's wording per language; {placeholders} are filled from the grant.
TEXT = {
    "kk": {
        "title": "Шағын грант беру туралы № {number} шарт",
        "version": "Нұсқа {version}, {date}",
        "parties": "Тараптар",
        "organisation": "Грант беруші",
        "grantee": "Грант алушы",
        "legal_name": "Атауы", "bin": "БСН", "address": "Мекенжайы", "director": "Басшы",
        "full_name": "Аты-жөні", "iin": "ЖСН",
        "subject": "Шарттың мәні",
        "subject_text": "Грант беруші грант алушыға «{project}» жобасын іске асыруға шағын грант береді.",
        "period": "Жобаны іске асыру мерзімі: шарт күшіне енген күннен бастап {end} дейін (қоса алғанда).",
        "amount": "Грант сомасы",
        "amount_text": "{figures} теңге ({words}).",
        "obligations": "Тараптардың міндеттемелері",
        "duties": [
            "Грант қаражаты қолма-қол ақшамен берілмейді.",
            "Төлемдер грант алушы ұсынған шот-фактуралар бойынша тек жеткізушілерге аударылады.",
            "Грант алушы тәлімгермен ай сайын кездесуге қатысады.",
            "Грант алушы мониторингтік сапарларға жағдай жасайды.",
            "Грант алушы қорытынды есепті {due} дейін тапсырады.",
        ],
        "dates": "Шарт қол қойылған күннен бастап күшіне енеді. Шартқа {deadline} дейін қол қойылуы тиіс.",
        "signatures": "Тараптардың қолдары",
        "signature": "Қолы",
    },
    "ru": {
        "title": "Договор № {number} о предоставлении малого гранта",
        "version": "Версия {version}, {date}",
        "parties": "Стороны",
        "organisation": "Грантодатель",
        "grantee": "Грантополучатель",
        "legal_name": "Наименование", "bin": "БИН", "address": "Адрес", "director": "Руководитель",
        "full_name": "ФИО", "iin": "ИИН",
        "subject": "Предмет договора",
        "subject_text": "Грантодатель предоставляет грантополучателю малый грант на реализацию проекта «{project}».",
        "period": "Срок реализации проекта: со дня вступления договора в силу по {end} включительно.",
        "amount": "Сумма гранта",
        "amount_text": "{figures} тенге ({words}).",
        "obligations": "Обязательства сторон",
        "duties": [
            "Средства гранта не выдаются наличными.",
            "Платежи перечисляются только поставщикам по счетам, представленным грантополучателем.",
            "Грантополучатель ежемесячно встречается с наставником.",
            "Грантополучатель обеспечивает проведение мониторинговых визитов.",
            "Грантополучатель сдаёт итоговый отчёт до {due}.",
        ],
        "dates": "Договор вступает в силу со дня подписания. Договор должен быть подписан до {deadline}.",
        "signatures": "Подписи сторон",
        "signature": "Подпись",
    },
}


def contract_pdf(contract):
    """The PDF bytes of `contract` (its grant, version, issue date and signing deadline) under
    its call's contract terms."""
    register_fonts()
    styles = paragraph_styles()
    width = 210 * mm - 2 * MARGIN
    story = []
    for index, lang in enumerate(("kk", "ru")):
        if index:
            story.append(PageBreak())
        story += _part(contract, lang, styles, width)
    return render(story, MARGIN, TEXT["ru"]["title"].format(number=contract.grant.number), "kk-KZ",
                  f"{contract.grant.number} v{contract.version}")


def _part(contract, lang, styles, width):
    text = TEXT[lang]
    grant, application, call = contract.grant, contract.grant.application, contract.grant.competition
    org = organisation_details()

    def raw(name):
        return (getattr(org, name, "") or "").strip() if org is not None else ""

    def org_field(name):
        return _or_blank(raw(f"{name}_{lang}"))

    director = _or_blank(" ".join(filter(None, (raw(f"director_title_{lang}"), raw(f"director_name_{lang}")))))
    full_name = _or_blank(" ".join(filter(None, (application.last_name, application.first_name,
                                                 application.patronymic))))
    story = [
        plain(text["title"].format(number=grant.number), styles["title"]),
        plain(text["version"].format(version=contract.version, date=_date(utc_to_almaty(contract.issued_at))),
              styles["body"]),
        plain(text["parties"], styles["heading"]),
        plain(text["organisation"], styles["office"]),
        fields([(text["legal_name"], org_field("legal_name")), (text["bin"], _or_blank(raw("bin"))),
                (text["address"], org_field("address")), (text["director"], director)], styles, 40 * mm, width),
        plain(text["grantee"], styles["office"]),
        fields([(text["full_name"], full_name), (text["iin"], _or_blank(application.iin)),
                (text["address"], _or_blank(application.address))], styles, 40 * mm, width),
        plain(text["subject"], styles["heading"]),
        plain(text["subject_text"].format(project=application.project_title or BLANK), styles["body"]),
        *([plain(text["period"].format(end=_date(call.project_ends_on)), styles["body"])]
          if call.project_ends_on else []),
        plain(text["amount"], styles["heading"]),
        plain(text["amount_text"].format(figures=format_money(grant.amount, lang).replace("\u00a0₸", ""),
                                         words=amount_in_words(grant.amount, lang)), styles["body"]),
        plain(text["obligations"], styles["heading"]),
    ]
    due = _date(call.report_due_on(contract.issued_at))
    obligations = [duty.format(due=due) for duty in text["duties"]] + call.contract_clauses(lang)
    story += [plain(f"{n}. {obligation}", styles["body"]) for n, obligation in enumerate(obligations, start=1)]
    story += [
        Spacer(0, 3 * mm),
        plain(text["dates"].format(deadline=_date(utc_to_almaty(contract.signing_deadline))), styles["body"]),
        plain(text["signatures"], styles["heading"]),
    ]
    signatures = Table([
        [plain(text["organisation"], styles["office"]), plain(text["grantee"], styles["office"])],
        [plain(director, styles["body"]), plain(full_name, styles["body"])],
        [plain(f"{text['signature']}: {BLANK}", styles["body"]), plain(f"{text['signature']}: {BLANK}", styles["body"])],
    ], colWidths=[width / 2, width / 2])
    signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 2), (-1, 2), 8 * mm)]))
    story.append(signatures)
    return story


def _or_blank(value):
    return (value or "").strip() or BLANK


def _date(moment):
    return moment.strftime("%d.%m.%Y")
