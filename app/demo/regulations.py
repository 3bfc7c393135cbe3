"""The demo call's regulations, in Kazakh and Russian: a short A4 PDF written from the call's own
settings (dates, age, grant cap, regions and quotas, documents, appeals, the lottery), set in PT Sans
with the helpers of app/pdf.py, and attached to the call as a manager's upload would be."""
from io import BytesIO

from flask_babel import force_locale, format_datetime, format_decimal
from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from werkzeug.datastructures import FileStorage

from app import pdf
from app.competitions import services as competitions
from app.competitions.models import DocumentType
from app.kz.regions import get_region

LANGUAGES = ("kk", "ru")
MARGIN = 20 * mm

# The wording of each language; {name} fields are the call's settings. Demo text, not the UI's:
# it is the document the project office would publish, so it is not in the catalogues.
TEXT = {
    "ru": {
        "title": "Положение о конкурсе малых грантов",
        "footer": "Положение о конкурсе",
        "sections": [
            ("1. Общие положения", [
                "Конкурс «{call}» (код {code}) проводит проектный офис. Гранты выделяются на социальные "
                "инициативы молодых людей категории NEET: не работающих, не обучающихся и не проходящих "
                "профессиональную подготовку.",
            ]),
            ("2. Сроки", [
                "Приём заявок открывается {opens} и завершается {closes} (время Алматы). Заявки, "
                "поданные позже, не принимаются.",
            ]),
            ("3. Кто может участвовать", [
                "Граждане Республики Казахстан в возрасте от {age_min} до {age_max} лет включительно "
                "на дату окончания приёма заявок, зарегистрированные в одном из регионов конкурса и "
                "относящиеся к категории NEET. Один человек (один ИИН) подаёт одну заявку.",
                "Регионы и число грантов: {strata}.",
            ]),
            ("4. Размер гранта", [
                "Грант составляет не более {cap} тенге на проект. Грант оплачивается поставщикам "
                "товаров, оборудования и услуг по смете проекта; наличные деньги не выдаются.",
            ]),
            ("5. Документы", [
                "К заявке прилагаются обязательные документы: {required}. Дополнительно можно "
                "приложить: {optional}. Принимаются файлы PDF, JPEG и PNG.",
            ]),
            ("6. Технический отбор и апелляция", [
                "Проектный офис проверяет каждую заявку на соответствие этому положению: возраст, "
                "регистрацию, статус NEET, документы и смету. О решении заявитель получает письмо. "
                "Отклонённую заявку можно обжаловать один раз в течение {appeal_days} календарных "
                "дней после решения; апелляцию рассматривает другой сотрудник, его решение окончательное.",
            ]),
            ("7. Определение победителей", [
                "Победители определяются публичной жеребьёвкой (рандомизацией) среди заявок, прошедших "
                "технический отбор, отдельно по каждому региону, в присутствии наблюдателей. Порядок "
                "жеребьёвки и её результаты публикуются на сайте; каждый может проверить их по номеру "
                "заявки. Следующие по порядку заявки составляют резервный список.",
            ]),
            ("8. Сопровождение", [
                "Каждому победителю помогает ментор. Победитель отчитывается о расходовании гранта "
                "в сроки, указанные в договоре.",
            ]),
        ],
    },
    "kk": {
        "title": "Шағын гранттар конкурсы туралы ереже",
        "footer": "Конкурс туралы ереже",
        "sections": [
            ("1. Жалпы ережелер", [
                "«{call}» конкурсын (коды {code}) жоба кеңсесі өткізеді. Гранттар NEET санатындағы — "
                "жұмыс істемейтін, оқымайтын және кәсіптік оқудан өтпейтін — жастардың әлеуметтік "
                "бастамаларына беріледі.",
            ]),
            ("2. Мерзімдер", [
                "Өтінімдер {opens} бастап {closes} дейін қабылданады (Алматы уақыты). Кеш берілген "
                "өтінімдер қабылданбайды.",
            ]),
            ("3. Кім қатыса алады", [
                "Өтінім қабылдау аяқталатын күні {age_min} жастан {age_max} жасқа дейінгі (қоса алғанда), "
                "конкурс өңірлерінің бірінде тіркелген, NEET санатына жататын Қазақстан Республикасының "
                "азаматтары. Бір адам (бір ЖСН) бір өтінім береді.",
                "Өңірлер мен гранттар саны: {strata}.",
            ]),
            ("4. Грант мөлшері", [
                "Грант бір жобаға {cap} теңгеден аспайды. Грант жоба сметасы бойынша тауарлар, "
                "жабдықтар мен қызметтер жеткізушілеріне төленеді; қолма-қол ақша берілмейді.",
            ]),
            ("5. Құжаттар", [
                "Өтінімге міндетті құжаттар қоса беріледі: {required}. Қосымша беруге болады: "
                "{optional}. PDF, JPEG және PNG файлдары қабылданады.",
            ]),
            ("6. Техникалық іріктеу және шағымдану", [
                "Жоба кеңсесі әр өтінімді осы ережеге сәйкестігін тексереді: жасы, тіркелуі, NEET "
                "мәртебесі, құжаттар және смета. Шешім туралы өтініш беруші хат алады. Қабылданбаған "
                "өтінім бойынша шешімнен кейін {appeal_days} күнтізбелік күн ішінде бір рет шағым "
                "беруге болады; шағымды басқа қызметкер қарайды, оның шешімі түпкілікті.",
            ]),
            ("7. Жеңімпаздарды анықтау", [
                "Жеңімпаздар техникалық іріктеуден өткен өтінімдер арасынан әр өңір бойынша бөлек, "
                "бақылаушылардың қатысуымен ашық жеребе (рандомизация) арқылы анықталады. Жеребе тәртібі "
                "мен нәтижелері сайтта жарияланады; әркім оларды өтінім нөмірі бойынша тексере алады. "
                "Кезектегі келесі өтінімдер резервтік тізімді құрайды.",
            ]),
            ("8. Сүйемелдеу", [
                "Әр жеңімпазға тәлімгер көмектеседі. Жеңімпаз грантты жұмсағаны туралы шартта "
                "көрсетілген мерзімде есеп береді.",
            ]),
        ],
    },
}


def attach_regulations(competition):
    """Generates the regulations in every language of LANGUAGES and attaches them to
    `competition` through the competitions service (audited, with no actor: the system did it)."""
    for lang in LANGUAGES:
        content = regulations_pdf(competition, lang)
        upload = FileStorage(BytesIO(content), filename=f"{competition.code}-regulations-{lang}.pdf",
                             content_type="application/pdf")
        competitions.upload_regulations(competition, lang, upload, None)


def regulations_pdf(competition, lang):
    """The regulations of `competition` in `lang` ("kk" or "ru") as PDF bytes."""
    text = TEXT[lang]
    pdf.register_fonts()
    with force_locale(lang):
        values = _settings(competition, lang)
        styles = pdf.paragraph_styles(body=(10.5, 14), title=(16, 20, 0))
        story = [pdf.plain(values["call"], styles["office"]), pdf.plain(text["title"], styles["title"]),
                 Spacer(1, 3 * mm)]
        for heading, paragraphs in text["sections"]:
            story.append(pdf.plain(heading, styles["heading"]))
            story += [pdf.plain(paragraph.format(**values), styles["body"]) for paragraph in paragraphs]
        title = f"{text['title']} · {competition.code}"
        return pdf.render(story, margin=MARGIN, title=title, lang=lang, footer=text["footer"])


def _settings(competition, lang):
    required = [DocumentType(value) for value in competition.required_documents]
    optional = [doc_type for doc_type in DocumentType if doc_type not in required]
    return {
        "call": getattr(competition, f"title_{lang}") or competition.title_ru,
        "code": competition.code,
        "opens": format_datetime(competition.opens_at, "d MMMM y, HH:mm"),
        "closes": format_datetime(competition.closes_at, "d MMMM y, HH:mm"),
        "age_min": competition.age_min,
        "age_max": competition.age_max,
        "cap": format_decimal(competition.grant_cap),  # PT Sans has no ₸: the word follows
        "appeal_days": competition.appeal_days,
        "strata": "; ".join(f"{get_region(stratum.region_code).name(lang)} — {stratum.quota}"
                            for stratum in competition.strata),
        "required": "; ".join(str(doc_type.title).lower() for doc_type in required),
        "optional": "; ".join(str(doc_type.title).lower() for doc_type in optional),
    }
