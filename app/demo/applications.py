"""A demo pool of applicants for the demo call: realistic people of Almaty city and Mangystau
region, enough to screen and to draw from.

Most applications are complete and go through the real `submit()`, so their numbers, snapshots
and receipt mails are real. The pool also holds what screening has to catch: ages just under and
over the limits, registrations outside the strata, budgets over the cap, the same person or the
same phone twice, documents that are not what they claim to be, and drafts never finished.
Everything comes from random.Random(2023), so the pool is the same on every machine; ages are
counted back from the call's reference date, so they stay around the limits whatever today is."""
import contextlib
import functools
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO

from flask import current_app, has_request_context
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen import canvas
from werkzeug.datastructures import FileStorage

from app import storage
from app.applications.models import Application, ApplicationDocument, ApplicationStatus, BudgetLine
from app.applications.submission import SubmissionRefused, submit, withdraw
from app.auth.models import Role, User, UserRole
from app.auth.services import hash_password
from app.competitions.models import DocumentType
from app.competitions.services import reference_date
from app.dbtypes import utcnow
from app.extensions import db
from app.kz.checksum import control_digit
from app.kz.iin import Sex, age_on
from app.kz.phone import normalize_phone
from app.pdf import FONT, FONT_BOLD, register_fonts

SEED = 2023
# Links in the receipt mails when the demo is loaded from the command line (`make run` serves here).
CLI_BASE_URL = "http://127.0.0.1:5000"
EMAIL = "applicant{:02d}@{}"
GRANT_CAP = 1_000_000  # the demo call's; the budgets are made to fit it (but for two)

# --- people ---------------------------------------------------------------------------------

KAZAKH_MALE = ("Нұрлан", "Ерлан", "Дәулет", "Қуаныш", "Бауыржан", "Ғалымжан", "Айдос", "Нұрсұлтан",
               "Әлібек", "Темірлан", "Санжар", "Ерасыл", "Мирас", "Арман", "Жандос", "Асқар", "Дамир",
               "Ержан", "Бекзат", "Ақжол")
KAZAKH_FEMALE = ("Айгерім", "Әсел", "Жұлдыз", "Мөлдір", "Ұлжан", "Гүлнұр", "Айнұр", "Аружан", "Дана",
                 "Әлия", "Балжан", "Салтанат", "Тоғжан", "Жансая", "Назерке", "Динара", "Ақмарал",
                 "Гүлназ", "Меруерт", "Інжу")
KAZAKH_SURNAMES = ("Нұрланов", "Сейітов", "Жақсылықов", "Әбдірахманов", "Қасымов", "Омаров",
                   "Бекмұхамбетов", "Төлеуов", "Ермеков", "Сәрсенбаев", "Мұхамеджанов", "Ахметов",
                   "Жұмабаев", "Оспанов", "Құдайбергенов", "Тұрсынов", "Байжанов", "Әлімжанов",
                   "Қайратов", "Серікбаев", "Исабаев", "Досанов", "Өтепов", "Жаңабергенов", "Тәжібаев",
                   "Күзембаев", "Шәкенов", "Есенғалиев")
# Father's name: Kazakh-style patronymic (son, daughter), Russian-style (son, daughter).
KAZAKH_FATHERS = (
    ("Серікұлы", "Серікқызы", "Серикович", "Сериковна"),
    ("Бақытұлы", "Бақытқызы", "Бахытович", "Бахытовна"),
    ("Қайратұлы", "Қайратқызы", "Кайратович", "Кайратовна"),
    ("Ержанұлы", "Ержанқызы", "Ержанович", "Ержановна"),
    ("Маратұлы", "Маратқызы", "Маратович", "Маратовна"),
    ("Болатұлы", "Болатқызы", "Болатович", "Болатовна"),
    ("Төлегенұлы", "Төлегенқызы", "Тулегенович", "Тулегеновна"),
    ("Мұратұлы", "Мұратқызы", "Муратович", "Муратовна"),
    ("Жеңісұлы", "Жеңісқызы", "Женисович", "Женисовна"),
    ("Ғабитұлы", "Ғабитқызы", "Габитович", "Габитовна"),
)
OTHER_MALE = ("Алексей", "Дмитрий", "Никита", "Артём", "Сергей", "Максим", "Владислав", "Денис",
              "Руслан", "Тимур", "Илья", "Вадим")
OTHER_FEMALE = ("Анастасия", "Екатерина", "Виктория", "Ксения", "Алина", "Дарья", "Юлия", "Анна",
                "Полина", "Ольга", "Диана", "Валерия")
OTHER_SURNAMES = ("Иванов", "Петров", "Ким", "Ли", "Шевченко", "Кузнецов", "Пак", "Попов", "Савченко",
                  "Новиков", "Цой", "Морозов", "Юсупов", "Хасанов", "Бондаренко", "Волков")
OTHER_FATHERS = (
    ("Сергеевич", "Сергеевна"), ("Александрович", "Александровна"), ("Викторович", "Викторовна"),
    ("Игоревич", "Игоревна"), ("Владимирович", "Владимировна"), ("Олегович", "Олеговна"),
    ("Юрьевич", "Юрьевна"), ("Николаевич", "Николаевна"), ("Андреевич", "Андреевна"),
)
MOBILE_PREFIXES = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778")

# --- where they live ------------------------------------------------------------------------

# District -> address patterns in Russian and in Kazakh ({h}: house, {f}: flat, {m}: microdistrict).
ADDRESSES = {
    "ALA-ALATAU": ("мкр. Шанырак-2, ул. Жанкожа батыра, д. {h}", "Шаңырақ-2 ы.а., Жанқожа батыр к-сі, {h} үй"),
    "ALA-ALMALY": ("ул. Толе би, д. {h}, кв. {f}", "Төле би к-сі, {h} үй, {f} пәтер"),
    "ALA-AUEZOV": ("мкр. Аксай-4, д. {h}, кв. {f}", "Ақсай-4 ы.а., {h} үй, {f} пәтер"),
    "ALA-BOSTANDYK": ("мкр. Орбита-3, д. {h}, кв. {f}", "Орбита-3 ы.а., {h} үй, {f} пәтер"),
    "ALA-ZHETYSU": ("мкр. Кулагер, д. {h}, кв. {f}", "Құлагер ы.а., {h} үй, {f} пәтер"),
    "ALA-MEDEU": ("мкр. Самал-2, д. {h}, кв. {f}", "Самал-2 ы.а., {h} үй, {f} пәтер"),
    "ALA-NAURYZBAY": ("мкр. Шугыла, ул. Жунисова, д. {h}", "Шұғыла ы.а., Жүнісов к-сі, {h} үй"),
    "ALA-TURKSIB": ("ул. Сейфуллина, д. {h}, кв. {f}", "Сейфуллин к-сі, {h} үй, {f} пәтер"),
    "MAN-AKTAU": ("г. Актау, {m} мкр., д. {h}, кв. {f}", "Ақтау қ., {m} ы.а., {h} үй, {f} пәтер"),
    "MAN-ZHANAOZEN": ("г. Жанаозен, мкр. Самал, д. {h}, кв. {f}", "Жаңаөзен қ., Самал ы.а., {h} үй, {f} пәтер"),
    "MAN-BEINEU": ("с. Бейнеу, ул. Косай ата, д. {h}", "Бейнеу а., Қосай ата к-сі, {h} үй"),
    "MAN-KARAKIYA": ("с. Курык, ул. Сырыма Датова, д. {h}", "Құрық а., Сырым Датов к-сі, {h} үй"),
    "MAN-MANGYSTAU": ("с. Шетпе, ул. Бейбитшилик, д. {h}", "Шетпе а., Бейбітшілік к-сі, {h} үй"),
    "MAN-MUNAILY": ("с. Мангистау, ул. Актобе, д. {h}", "Маңғыстау а., Ақтөбе к-сі, {h} үй"),
    "MAN-TUPKARAGAN": ("г. Форт-Шевченко, ул. Маяулы, д. {h}", "Форт-Шевченко қ., Маяулы к-сі, {h} үй"),
}
# Registered outside the call's strata: screening rejects these.
OUTSIDE_STRATA = (
    ("AST", "г. Астана, ул. Кенесары, д. 40, кв. 12"),
    ("ALM", "Алматинская обл., Карасайский р-н, г. Каскелен, ул. Абая, д. 7"),
    ("ATY", "г. Атырау, мкр. Нурсая, д. 18, кв. 3"),
)

# --- what they plan -------------------------------------------------------------------------

@dataclass(frozen=True)
class ProjectIdea:
    title: str
    problem: str
    goal: str
    target_group: str
    activities: str
    beneficiaries: tuple  # (low, high)
    budget: tuple  # (item, quantity, unit price, supplier)
    regions: tuple = ("ALA", "MAN")


PROJECTS_RU = (
    ProjectIdea(
        "Швейная мастерская для молодых мам",
        "В микрорайоне нет недорогого ремонта и пошива одежды, а молодые мамы не могут выйти на полный день.",
        "Открыть мастерскую с гибким графиком и научить шитью двух девушек из района.",
        "Жители микрорайона, молодые мамы",
        "Купить швейное оборудование, обустроить помещение, начать приём заказов, провести обучение.",
        (80, 200),
        (("Швейная машина Janome 1522", 2, 165_000, "ТОО «Шебер Тех»"),
         ("Оверлок Brother 1034D", 1, 145_000, "ИП Ахметова"),
         ("Раскройный стол", 1, 85_000, "ИП Ким"),
         ("Ткани и фурнитура (стартовый запас)", 1, 120_000, "ТОО «Текстиль Маркет»")),
    ),
    ProjectIdea(
        "Компьютерные курсы для детей из многодетных семей",
        "У многих детей в районе нет компьютера дома, и они отстают по информатике.",
        "Проводить бесплатные занятия по компьютерной грамотности и основам программирования.",
        "Школьники 10–15 лет из многодетных и малообеспеченных семей",
        "Купить ноутбуки и проектор, набрать две группы, проводить занятия три раза в неделю.",
        (30, 60),
        (("Ноутбук Lenovo IdeaPad 3", 4, 189_000, "ТОО «Технодом Оператор»"),
         ("Проектор Epson EB-E01", 1, 165_000, "ТОО «Алсер»")),
    ),
    ProjectIdea(
        "Мини-пекарня национальной выпечки",
        "Свежие баурсаки и лепёшки в посёлке можно купить только на рынке раз в неделю.",
        "Открыть мини-пекарню и поставлять выпечку в магазины посёлка каждый день.",
        "Жители посёлка, местные магазины и столовые",
        "Купить печь, тестомес и морозильный ларь, оформить ИП, договориться с магазинами.",
        (300, 800),
        (("Печь конвекционная", 1, 420_000, "ТОО «ПроФуд Казахстан»"),
         ("Тестомес", 1, 210_000, "ТОО «ПроФуд Казахстан»"),
         ("Морозильный ларь", 1, 160_000, "ИП Сейткалиев"), ("Противни и инвентарь", 1, 65_000, "ИП Сейткалиев")),
    ),
    ProjectIdea(
        "Ремонт и обслуживание велосипедов и самокатов",
        "Ближайшая веломастерская находится в другом конце города, ремонт занимает неделю.",
        "Открыть пункт ремонта рядом с парком и обучать подростков обслуживанию велосипедов.",
        "Жители района, подростки",
        "Купить инструмент и запчасти, арендовать контейнер у парка, провести бесплатные мастер-классы.",
        (150, 400),
        (("Набор велоинструмента", 2, 95_000, "ТОО «Велотрек»"), ("Стенд для ремонта", 2, 70_000, "ТОО «Велотрек»"),
         ("Запчасти (стартовый запас)", 1, 250_000, "ИП Пак"), ("Компрессор", 1, 80_000, "ИП Пак")),
        ("ALA",),
    ),
    ProjectIdea(
        "Фотостудия для семейных и документальных фото",
        "В посёлке негде сделать фото на документы и семейные снимки.",
        "Открыть небольшую фотостудию и оказывать услуги по доступным ценам.",
        "Жители посёлка и соседних сёл",
        "Купить фотоаппарат, свет и фон, принтер для фото; сделать рекламу в соцсетях.",
        (400, 1000),
        (("Фотоаппарат Canon EOS 250D с объективом", 1, 380_000, "ТОО «Технодом Оператор»"),
         ("Комплект студийного света", 1, 140_000, "ИП Цой"), ("Фотопринтер Epson", 1, 160_000, "ТОО «Алсер»"),
         ("Фоны и стойка", 1, 45_000, "ИП Цой")),
    ),
    ProjectIdea(
        "Теплица: свежая зелень и овощи круглый год",
        "Зелень и овощи зимой привозные и дорогие, а в селе много свободной земли.",
        "Построить теплицу и продавать зелень в сельские магазины.",
        "Жители села, сельские магазины",
        "Купить каркас и поликарбонат, систему капельного полива, семена; обучить двух соседей.",
        (200, 600),
        (("Теплица из поликарбоната 3×8 м", 1, 390_000, "ТОО «Агродом»"),
         ("Система капельного полива", 1, 95_000, "ТОО «Агродом»"),
         ("Обогреватель для теплицы", 2, 75_000, "ИП Жумабаев"), ("Семена и грунт", 1, 60_000, "ИП Жумабаев")),
        ("MAN",),
    ),
    ProjectIdea(
        "Ремонт смартфонов и компьютеров",
        "В районе нет честного сервиса: ремонт телефона занимает недели.",
        "Открыть сервисный пункт с гарантией на ремонт и обучать ремонту подростков.",
        "Жители района, студенты, пенсионеры",
        "Купить паяльную станцию, микроскоп и инструмент, арендовать место в торговом доме.",
        (300, 700),
        (("Паяльная станция", 1, 120_000, "ТОО «Электроника Сервис»"),
         ("Микроскоп для пайки", 1, 180_000, "ТОО «Электроника Сервис»"),
         ("Набор инструмента", 2, 45_000, "ИП Ли"), ("Запчасти (стартовый запас)", 1, 200_000, "ИП Ли")),
    ),
    ProjectIdea(
        "Спортивная секция по настольному теннису для подростков",
        "Подросткам во дворах нечем заняться после школы.",
        "Открыть бесплатную секцию в подвале школы и провести районный турнир.",
        "Подростки 10–17 лет",
        "Купить столы и инвентарь, договориться со школой, набрать три группы.",
        (40, 90),
        (("Теннисный стол всепогодный", 3, 185_000, "ТОО «Спортмастер Казахстан»"),
         ("Ракетки и мячи", 1, 90_000, "ТОО «Спортмастер Казахстан»")),
    ),
    ProjectIdea(
        "Барбершоп в спальном районе",
        "Мужская стрижка в районе есть только в одном салоне с очередями.",
        "Открыть барбершоп на два кресла и взять ученика.",
        "Мужчины и подростки района",
        "Купить кресла, машинки и инструмент, сделать ремонт помещения.",
        (300, 600),
        (("Кресло барберское", 2, 160_000, "ТОО «Бьюти Про»"), ("Машинки и триммеры", 1, 140_000, "ТОО «Бьюти Про»"),
         ("Зеркала и мебель", 1, 180_000, "ИП Хасанов")),
    ),
    ProjectIdea(
        "Сувениры из войлока в национальном стиле",
        "Туристы спрашивают местные сувениры, а в магазинах только привозные.",
        "Делать сувениры из войлока и продавать их туристам и в интернете.",
        "Туристы, жители региона; мастерицы из села",
        "Купить войлок и инструменты, швейную машину, снимать товар и продавать онлайн.",
        (100, 300),
        (("Войлок и шерсть", 1, 150_000, "ИП Есенгалиева"), ("Швейная машина", 1, 170_000, "ТОО «Шебер Тех»"),
         ("Инструменты для валяния", 1, 60_000, "ИП Есенгалиева"),
         ("Смартфон для съёмки товара", 1, 140_000, "ТОО «Мечта Маркет»")),
    ),
    ProjectIdea(
        "Мастерская мебели из дерева на заказ",
        "Мебель на заказ в регионе дорогая и долго везётся из областного центра.",
        "Изготавливать простую мебель на заказ и обучить двух подростков столярному делу.",
        "Семьи района, школы и детские сады",
        "Купить станки и инструмент, обустроить мастерскую в гараже.",
        (50, 150),
        (("Циркулярная пила", 1, 210_000, "ТОО «Инструмент-Центр»"), ("Фрезер", 1, 95_000, "ТОО «Инструмент-Центр»"),
         ("Шуруповёрт", 2, 55_000, "ИП Бондаренко"), ("Пиломатериалы", 1, 300_000, "ИП Бондаренко")),
    ),
    ProjectIdea(
        "Клуб английского языка для школьников",
        "Репетиторы английского в районе дорогие, и многие семьи не могут их оплатить.",
        "Проводить занятия английским в малых группах по низкой цене.",
        "Школьники 8–14 лет",
        "Купить ноутбук, телевизор и учебники, арендовать класс в доме культуры.",
        (40, 80),
        (("Ноутбук", 1, 230_000, "ТОО «Технодом Оператор»"), ("Телевизор 55\"", 1, 210_000, "ТОО «Технодом Оператор»"),
         ("Учебники и рабочие тетради", 20, 6_500, "ТОО «Меломан»")),
    ),
    ProjectIdea(
        "Кондитерская на дому: торты на заказ",
        "Торты на праздники в посёлке заказывают в городе за 60 км.",
        "Готовить торты и десерты на заказ с доставкой по посёлку.",
        "Семьи посёлка, кафе",
        "Купить духовой шкаф, миксер, холодильную витрину и формы.",
        (200, 500),
        (("Духовой шкаф", 1, 260_000, "ТОО «Мечта Маркет»"), ("Планетарный миксер", 1, 150_000, "ТОО «Мечта Маркет»"),
         ("Холодильная витрина", 1, 320_000, "ИП Утепова"), ("Формы и инвентарь", 1, 70_000, "ИП Утепова")),
        ("MAN",),
    ),
    ProjectIdea(
        "Видеостудия: съёмка роликов для малого бизнеса",
        "Малому бизнесу района нужна реклама в соцсетях, но профессиональная съёмка дорогая.",
        "Снимать недорогие рекламные ролики и обучать подростков видеомонтажу.",
        "Предприниматели района, подростки",
        "Купить камеру, свет и ноутбук для монтажа.",
        (30, 120),
        (("Беззеркальная камера Sony ZV-E10", 1, 390_000, "ТОО «Технодом Оператор»"),
         ("Свет и микрофоны", 1, 160_000, "ИП Волков"),
         ("Ноутбук для монтажа", 1, 410_000, "ТОО «Алсер»")),
        ("ALA",),
    ),
)

PROJECTS_KK = (
    ProjectIdea(
        "Шұбат өндіретін шағын цех",
        "Ауылда түйе сүті көп, бірақ оны өңдеп, таза ыдысқа құйып сататын жер жоқ.",
        "Шұбат өндіретін шағын цех ашып, аудан дүкендеріне жеткізу.",
        "Ауыл тұрғындары, аудан дүкендері",
        "Сепаратор, тоңазытқыш және ыдыстар сатып алу, санитарлық рұқсат алу, дүкендермен келісу.",
        (300, 900),
        (("Сүт сепараторы", 1, 240_000, "«Агротехника» ЖШС"), ("Өнеркәсіптік тоңазытқыш", 1, 380_000, "Жұмабаев ЖК"),
         ("Ыдыстар мен қақпақтар", 1, 120_000, "«Пласт Маркет» ЖШС")),
        ("MAN",),
    ),
    ProjectIdea(
        "Ұлттық киім тігетін шеберхана",
        "Тойлар мен мерекелерге ұлттық киімді қаладан қымбат бағаға алдыруға тура келеді.",
        "Ұлттық киім тігіп, жалға беретін шеберхана ашу және екі қызды тігінге үйрету.",
        "Аудан тұрғындары, мектептер мен мәдениет үйлері",
        "Тігін машиналарын, маталар мен әшекейлер сатып алу, шеберхана жабдықтау.",
        (100, 300),
        (("Тігін машинасы", 2, 170_000, "«Шебер Тех» ЖШС"), ("Маталар мен әшекейлер", 1, 260_000, "Есенғалиева ЖК"),
         ("Манекендер мен айна", 1, 90_000, "Есенғалиева ЖК")),
    ),
    ProjectIdea(
        "Балаларға арналған робототехника үйірмесі",
        "Ауыл балаларының заманауи техникамен танысуға мүмкіндігі жоқ.",
        "Мектеп жанынан робототехника үйірмесін ашып, облыстық байқауға қатысу.",
        "10–14 жастағы оқушылар",
        "Робототехника жинақтары мен ноутбук сатып алу, екі топ жинап, аптасына үш рет сабақ өткізу.",
        (25, 50),
        (("Робототехника жинағы", 4, 120_000, "«Робокит» ЖШС"), ("Ноутбук", 1, 260_000, "«Технодом Оператор» ЖШС")),
    ),
    ProjectIdea(
        "Балық аулау құралдарын жөндеу шеберханасы",
        "Жағалаудағы балықшылар тор мен қайық моторын жөндеуге Ақтауға барады.",
        "Ауылда балық аулау құралдары мен қайық моторларын жөндейтін шеберхана ашу.",
        "Жергілікті балықшылар",
        "Құрал-саймандар, дәнекерлеу аппараты және қосалқы бөлшектер сатып алу.",
        (60, 150),
        (("Дәнекерлеу аппараты", 1, 180_000, "«Құрал-Орталық» ЖШС"),
         ("Құрал-саймандар жинағы", 1, 150_000, "«Құрал-Орталық» ЖШС"),
         ("Қосалқы бөлшектер", 1, 300_000, "Өтепов ЖК")),
        ("MAN",),
    ),
    ProjectIdea(
        "Жасыл аула: ауладағы балалар алаңын абаттандыру",
        "Аулада балалар ойнайтын қауіпсіз орын жоқ, ескі құрылғылар сынған.",
        "Тұрғындармен бірге балалар алаңын жаңартып, сенбілік ұйымдастыру.",
        "Ауладағы балалар мен олардың ата-аналары",
        "Әткеншек пен орындықтар сатып алу, көшет отырғызу, тұрғындармен сенбілік өткізу.",
        (150, 400),
        (("Балалар әткеншегі", 2, 140_000, "«Ойын Алаңы» ЖШС"), ("Орындықтар", 4, 45_000, "«Ойын Алаңы» ЖШС"),
         ("Көшеттер", 30, 4_500, "Тұрсынов ЖК")),
        ("ALA",),
    ),
)

SITUATIONS_RU = (
    ("Окончил колледж в {year} году, по специальности работу не нашёл.",
     "Окончила колледж в {year} году, по специальности работу не нашла."),
    ("С {year} года состою на учёте в центре занятости как безработный.",
     "С {year} года состою на учёте в центре занятости как безработная."),
    ("После школы не смог поступить в вуз по финансовым причинам, помогаю родителям.",
     "После школы не смогла поступить в вуз по финансовым причинам, помогаю родителям."),
    ("Был сокращён в {year} году, с тех пор ищу работу.", "Была сокращена в {year} году, с тех пор ищу работу."),
    ("Вернулся в родное село после армии, постоянной работы здесь нет.",
     "Сижу дома с ребёнком, официально не работаю и не учусь."),
)
SITUATIONS_KK = (
    "Колледжді {year} жылы бітірдім, мамандығым бойынша жұмыс таппадым.",
    "{year} жылдан бері жұмыспен қамту орталығында жұмыссыз ретінде тіркелгенмін.",
    "Мектептен кейін қаржылық жағдайға байланысты оқуға түспедім, ата-анама көмектесемін.",
    "Бала күтімімен үйдемін, ресми жұмыс істемеймін және оқымаймын.",
)
WITHDRAWAL_REASON = {Sex.MALE: "Нашёл работу по специальности, участвовать больше не могу.",
                     Sex.FEMALE: "Нашла работу по специальности, участвовать больше не могу."}
SOCIAL_CATEGORIES = ("unemployed_registered", "large_family", "low_income", "rural", "young_parent",
                     "disability", "orphan")

# --- documents ------------------------------------------------------------------------------

DOCUMENT_TEXT = {
    DocumentType.IDENTITY: ("Жеке куәлік / Удостоверение личности", "identity_card.pdf"),
    DocumentType.REGISTRATION_PROOF: ("Мекенжай анықтамасы / Адресная справка", "adresnaya_spravka.pdf"),
    DocumentType.NEET_EVIDENCE: ("Жұмыссыз ретінде тіркелгені туралы анықтама / Справка о регистрации "
                                 "в качестве безработного", "spravka_czn.pdf"),
}
# What a screener finds when the NEET evidence is not what it claims to be.
WRONG_NEET_EVIDENCE = ("Оқу орнынан анықтама / Справка с места учёбы: студент 2 курса очного отделения",
                       "spravka.pdf")


@dataclass
class Profile:
    """One person of the pool and what they do with their application."""

    index: int
    sex: Sex
    last_name: str
    first_name: str
    patronymic: str | None
    birth_date: date
    iin: str
    phone: str
    locale: str
    region_code: str
    district_code: str | None
    address: str
    situation: str
    social_categories: list
    project: ProjectIdea
    beneficiaries: int
    budget: list  # (item, quantity, unit price, supplier)
    documents: list = field(default_factory=lambda: list(DOCUMENT_TEXT))
    wrong_neet_evidence: bool = False
    registered_elsewhere: str | None = None  # what the address proof really says
    action: str = "submit"  # submit; draft; first_steps (a draft of steps 1-2 only); withdraw
    note: str = ""  # what screening should notice

    @property
    def full_name(self):
        return " ".join(filter(None, (self.last_name, self.first_name, self.patronymic)))


# --- building the pool ----------------------------------------------------------------------

# People at and beyond the age limits (18-35 in the demo call): born `years` before the reference
# date, moved by `days` (+1: the birthday is the day after, so one year younger).
EDGE_BIRTHS = ((18, 1), (18, 1), (18, 0), (36, 1), (36, 0), (36, -100), (40, -100))
POOL = {"ALA": 30, "MAN": 22}  # ordinary applicants per stratum, before the special cases


def profiles(on, rng=None):
    """The whole pool as Profiles, ages counted on the date `on` (the call's reference date)."""
    rng = rng or random.Random(SEED)
    # The IINs' serial digits come from their own stream: how many tries a check digit takes
    # depends on the birth date, and so on today, and must not change everything drawn after.
    serials = random.Random(SEED + 1)
    people = []
    taken_iins = set()

    def person(region_code, district_code=None, **changes):
        profile = _ordinary(rng, serials, len(people) + 1, on, region_code, district_code, taken_iins)
        for name, value in changes.items():
            setattr(profile, name, value)
        people.append(profile)
        return profile

    for region_code, count in POOL.items():
        for _ in range(count):
            person(region_code)

    # At and beyond the age limits, in both strata.
    for n, (years, days) in enumerate(EDGE_BIRTHS):
        birth = _years_before(on, years) + timedelta(days=days)
        profile = person("ALA" if n % 2 == 0 else "MAN", note=f"age {age_on(birth, on)} on the reference date")
        _rebirth(serials, profile, birth, taken_iins)

    # Registered outside the strata.
    for region_code, address in OUTSIDE_STRATA:
        person(region_code, address=address, note="registered outside the strata")
    # Declares Almaty city, but the address proof shows Almaty region.
    person("ALA", "ALA-ALATAU", registered_elsewhere="Алматинская обл., Талгарский р-н, г. Талгар, ул. Гагарина, д. 14",
           note="address proof from outside the stratum")

    # Budgets over the grant cap (the cap was 1 000 000 ₸ when they saved them).
    for extra in (40_000, 180_000):
        profile = person("ALA" if extra < 100_000 else "MAN", note="budget over the cap")
        profile.budget = _over_cap(profile.budget, GRANT_CAP + extra)

    # NEET evidence that is a student certificate: the person is studying.
    for region_code in ("ALA", "MAN"):
        person(region_code, wrong_neet_evidence=True, note="NEET evidence is a student certificate")

    # The same person twice: a second account, the same name and birth date, an IIN one digit off.
    first = people[3]
    twin = person(first.region_code, first.district_code,
                  note=f"same name and birth date as applicant {first.index:02d}")
    for name in ("sex", "last_name", "first_name", "patronymic"):
        setattr(twin, name, getattr(first, name))
    _rebirth(serials, twin, first.birth_date, taken_iins)
    # Two applications from one phone: siblings at one address.
    elder = people[10]
    sibling = person(elder.region_code, elder.district_code, phone=elder.phone, address=elder.address,
                     note=f"same phone and address as applicant {elder.index:02d}")
    names = _first_names(elder)
    sibling.sex, sibling.last_name, sibling.patronymic = elder.sex, elder.last_name, elder.patronymic
    sibling.first_name = rng.choice([name for name in names if name != elder.first_name])
    _rebirth(serials, sibling, sibling.birth_date, taken_iins)
    person("MAN", phone=people[40].phone, note=f"same phone as applicant {people[40].index:02d}")

    # A second account with the same IIN: its submission is refused by the database.
    again = people[20]
    clone = person(again.region_code, again.district_code,
                   note=f"same IIN as applicant {again.index:02d}: refused, stays a draft")
    for name in ("sex", "last_name", "first_name", "patronymic", "birth_date", "iin", "address"):
        setattr(clone, name, getattr(again, name))

    # Drafts never finished: a required document missing, or only the first steps filled.
    for missing in (DocumentType.NEET_EVIDENCE, DocumentType.REGISTRATION_PROOF, DocumentType.NEET_EVIDENCE):
        profile = person(rng.choice(("ALA", "MAN")), action="draft", note=f"draft without {missing.value}")
        profile.documents = [t for t in profile.documents if t is not missing]
    person("ALA", action="first_steps", note="draft with the first steps only")
    # Withdrawn after submitting: found a job.
    person("MAN", action="withdraw", note="withdrawn: found a job")
    return people


def _ordinary(rng, serials, index, on, region_code, district_code, taken_iins):
    sex = rng.choice((Sex.FEMALE, Sex.MALE))
    female = sex is Sex.FEMALE
    kazakh = rng.random() < (0.8 if region_code == "MAN" else 0.6)
    if kazakh:
        first_name = rng.choice(KAZAKH_FEMALE if female else KAZAKH_MALE)
        last_name = _surname(rng.choice(KAZAKH_SURNAMES), female)
        father = rng.choice(KAZAKH_FATHERS)
        patronymic = father[1 if female else 0] if rng.random() < 0.5 else father[3 if female else 2]
    else:
        first_name = rng.choice(OTHER_FEMALE if female else OTHER_MALE)
        last_name = _surname(rng.choice(OTHER_SURNAMES), female)
        patronymic = rng.choice(OTHER_FATHERS)[1 if female else 0]
    if rng.random() < 0.08:
        patronymic = None
    locale = "kk" if kazakh and rng.random() < 0.6 else "ru"
    in_kazakh = locale == "kk" and rng.random() < 0.6

    if district_code is None and region_code in ("ALA", "MAN"):
        district_code = rng.choice([code for code in ADDRESSES if code.startswith(region_code + "-")])
    address = ""
    if district_code:
        pattern = ADDRESSES[district_code][1 if in_kazakh else 0]
        address = pattern.format(h=rng.randint(1, 120), f=rng.randint(1, 90), m=rng.randint(1, 32))

    age = rng.randint(18, 35)
    birth = _birth_for_age(rng, on, age)
    iin = _iin(serials, birth, sex, taken_iins)

    year = rng.randint(on.year - 4, on.year - 1)
    if in_kazakh:
        situation = rng.choice(SITUATIONS_KK).format(year=year)
    else:
        situation = rng.choice(SITUATIONS_RU)[1 if female else 0].format(year=year)
    ideas = [idea for idea in (PROJECTS_KK if in_kazakh else PROJECTS_RU)
             if region_code in idea.regions or region_code not in POOL]
    idea = rng.choice(ideas)
    budget = [(item, quantity, _vary(rng, price), supplier) for item, quantity, price, supplier in idea.budget]
    while sum(q * p for _, q, p, _ in budget) > GRANT_CAP:
        budget = [(item, quantity, price * 9 // 10, supplier) for item, quantity, price, supplier in budget]

    categories = sorted(rng.sample(SOCIAL_CATEGORIES, rng.choice((0, 1, 1, 2))))
    return Profile(
        index=index, sex=sex, last_name=last_name, first_name=first_name, patronymic=patronymic,
        birth_date=birth, iin=iin, phone=_phone(rng), locale=locale, region_code=region_code,
        district_code=district_code, address=address, situation=situation, social_categories=categories,
        project=idea, beneficiaries=rng.randint(*idea.beneficiaries), budget=budget,
    )


def _surname(male_form, female):
    if female and male_form.endswith(("ов", "ев", "ин", "ын")):
        return male_form + "а"
    return male_form  # Ким, Ли, Шевченко: the same for both


def _first_names(person):
    """The list of first names the person's own name comes from: a sibling's is from the same."""
    for names in (KAZAKH_MALE, KAZAKH_FEMALE, OTHER_MALE, OTHER_FEMALE):
        if person.first_name in names:
            return names
    raise ValueError(person.first_name)


def _vary(rng, price):
    """A price as a shop would quote it: within ±10 %, rounded to 500 tenge."""
    return round(price * rng.uniform(0.9, 1.1) / 500) * 500


def _over_cap(budget, target):
    """The budget with its last line dearer, so that the total reaches `target`."""
    total = sum(q * p for _, q, p, _ in budget)
    item, quantity, price, supplier = budget[-1]
    return budget[:-1] + [(item, quantity, price + -(-(target - total) // quantity), supplier)]


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _birth_for_age(rng, on, age):
    """A birth date that makes the person exactly `age` in full years on `on`."""
    latest = _years_before(on, age)
    earliest = _years_before(on, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randint(0, (latest - earliest).days))


def _rebirth(serials, profile, birth, taken_iins):
    profile.birth_date = birth
    profile.iin = _iin(serials, birth, profile.sex, taken_iins)


def _iin(rng, birth, sex, taken):
    """A valid IIN for `birth` and `sex` that no one in the pool has yet."""
    century = {18: 1, 19: 3, 20: 5}[birth.year // 100] + (sex is Sex.FEMALE)
    while True:
        head = f"{birth:%y%m%d}{century}{rng.randint(0, 9999):04d}"
        digit = control_digit(head)
        if digit is not None and head + str(digit) not in taken:
            taken.add(head + str(digit))
            return head + str(digit)


def _phone(rng):
    while True:
        candidate = f"+7{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 9_999_999):07d}"
        try:
            return normalize_phone(candidate)
        except ValueError:
            continue


# --- loading --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PoolSummary:
    accounts: int
    submitted: Counter  # region code -> submitted applications
    drafts: int
    withdrawn: int
    refused: int

    def line(self):
        by_region = ", ".join(f"{code} {count}" for code, count in sorted(self.submitted.items()))
        return (f"Demo applicants: {self.accounts} accounts, {sum(self.submitted.values())} submitted "
                f"({by_region}), {self.drafts} drafts ({self.refused} refused at submission), "
                f"{self.withdrawn} withdrawn.")


def load_applications(competition, password, email_domain):
    """Adds the pool to `competition` (open now) in the current transaction; the caller commits.

    Every applicant gets a confirmed account applicantNN@`email_domain` with `password`, hashed
    once for them all: hashing it for each would take longer than the rest of the demo."""
    password_hash = hash_password(password)
    pool = profiles(reference_date(competition))
    submitted, drafts, withdrawn, refused = Counter(), 0, 0, 0
    with url_context():
        for profile in pool:
            user = User(email=EMAIL.format(profile.index, email_domain), password_hash=password_hash,
                        phone=profile.phone,
                        locale=profile.locale, email_confirmed_at=utcnow(),
                        role_links=[UserRole(role=Role.APPLICANT)])
            db.session.add(user)
            application = _application(competition, user, profile)
            db.session.flush()
            if profile.action in ("draft", "first_steps"):
                drafts += 1
                continue
            try:
                submit(application, user, consent=True)
            except SubmissionRefused:
                refused += 1
                drafts += 1
                continue
            if profile.action == "withdraw":
                withdraw(application, user, WITHDRAWAL_REASON[profile.sex])
                withdrawn += 1
            else:
                submitted[profile.region_code] += 1
    return PoolSummary(accounts=len(pool), submitted=submitted, drafts=drafts, withdrawn=withdrawn,
                       refused=refused)


def url_context():
    """The links in the receipt mails need a host: the request's, SERVER_NAME, or the local one."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return contextlib.nullcontext()
    return current_app.test_request_context(base_url=CLI_BASE_URL)


def _application(competition, user, profile):
    application = Application(
        competition=competition, applicant=user, status=ApplicationStatus.DRAFT,
        iin=profile.iin, last_name=profile.last_name, first_name=profile.first_name,
        patronymic=profile.patronymic, phone=profile.phone, birth_date=profile.birth_date, sex=profile.sex,
        region_code=profile.region_code, district_code=profile.district_code, address=profile.address,
        social_categories=[],
    )
    db.session.add(application)
    if profile.action == "first_steps":
        return application
    application.not_working = application.not_studying = application.not_in_training = True
    application.situation = profile.situation
    application.social_categories = profile.social_categories
    project = profile.project
    application.project_title = project.title
    application.problem = project.problem
    application.goal = project.goal
    application.target_group = project.target_group
    application.activities = project.activities
    application.beneficiaries_count = profile.beneficiaries
    application.budget_lines = [
        BudgetLine(position=position, item=item, quantity=quantity, unit_price=price, supplier=supplier)
        for position, (item, quantity, price, supplier) in enumerate(profile.budget, 1)
    ]
    for doc_type in profile.documents:
        title, file_name = DOCUMENT_TEXT[doc_type]
        lines = [profile.full_name, f"ЖСН / ИИН: {profile.iin}",
                 f"Туған күні / Дата рождения: {profile.birth_date:%d.%m.%Y}"]
        if doc_type is DocumentType.NEET_EVIDENCE and profile.wrong_neet_evidence:
            title, file_name = WRONG_NEET_EVIDENCE
        if doc_type is DocumentType.REGISTRATION_PROOF:
            lines.append(f"Адрес: {profile.registered_elsewhere or profile.address}")
        stored = storage.save_upload(
            FileStorage(BytesIO(_document_pdf(title, tuple(lines))), filename=file_name,
                        content_type="application/pdf"),
            allowed=("pdf",))
        application.documents.append(ApplicationDocument(
            doc_type=doc_type, stored_name=stored.stored_name, original_name=stored.original_name,
            kind=stored.kind, sha256=stored.sha256, size=stored.size))
    return application


@functools.cache
def _document_pdf(title, lines):
    """A one-page stand-in for a scanned document (kept per process: reloading the demo in the
    tests makes the same files again)."""
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
    pdf.drawString(40, 40, "ДЕМО / DEMO: бұл нағыз құжат емес · это не настоящий документ")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
