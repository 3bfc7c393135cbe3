"""Demo data: an open call like ZHAS PROJECT 2023 (Almaty city and Mangystau region), one
confirmed account per staff role, and a pool of applicants (app/demo/applications.py), to try the
system with. Everything goes through the features' own services, so the audit log records it
(with no actor: the system did it)."""
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from app.admin.organisation import organisation, update_organisation
from app.almaty import almaty_to_utc, utc_to_almaty
from app.audit.services import record
from app.auth.models import Role
from app.auth.services import create_user, find_user
from app.competitions import services as competitions
from app.competitions.models import Competition, DocumentType
from app.competitions.services import CallState, call_state
from app.dbtypes import clock_at, utcnow
from app.demo import data
from app.demo.applications import PoolSummary, load_applications
from app.demo.completed import STORY_DAYS, CompletedDemo, complete_demo_call
from app.demo.draw import DrawnDemo, draw_demo_call
from app.demo.implementing import ImplementingDemo, implement_demo_call
from app.demo.regulations import attach_regulations
from app.demo.screening import ScreenedDemo, screen_demo_call
from app.extensions import db
from app.kz.regions import get_region

STAGES = ("open", "screened", "drawn", "implementing", "completed")  # each stage goes on from the one before
DEMO_CODE = "ZP23"
DEMO_PASSWORD = "demo-password-2023"
DEMO_EMAIL_DOMAIN = "demo.zhasproject.kz"
DEMO_ROLES = (Role.MANAGER, Role.STAFF, Role.FINANCE, Role.MENTOR, Role.MONITOR, Role.ADMIN)
DEMO_QUOTAS = (("ALA", 20), ("MAN", 8))

CALL = {
    "code": DEMO_CODE,
    "title_kk": "ZHAS PROJECT: NEET жастарына арналған шағын гранттар конкурсы",
    "title_ru": "ZHAS PROJECT: конкурс малых грантов для молодёжи NEET",
    "title_en": "ZHAS PROJECT: small grants competition for NEET youth",
    "summary_kk": (
        "Алматы қаласында немесе Маңғыстау облысында тіркелген, 18 бен 35 жас аралығындағы NEET "
        "санатындағы (жұмыс істемейтін, оқымайтын және кәсіптік оқудан өтпейтін) жастарға арналған "
        "1 000 000 теңгеге дейінгі шағын гранттар конкурсы.\n"
        "Грант сіздің әлеуметтік жобаңызға, соның ішінде әлеуметтік кәсіпкерлік жобаға қажетті "
        "жабдықтар, тауарлар мен қызметтер үшін жеткізушілерге төленеді, қолма-қол ақша берілмейді. "
        "Жеңімпаздар техникалық іріктеуден өткен өтінімдер арасында бақылаушылардың қатысуымен ашық "
        "рандомизация арқылы анықталады; әр жеңімпазға тәлімгер көмектеседі."
    ),
    "summary_ru": (
        "Конкурс малых грантов до 1 000 000 тенге для молодых людей из категории NEET (временно "
        "неустроенная молодёжь: не работают, не учатся и не проходят профессиональную подготовку) "
        "в возрасте от 18 до 35 лет, зарегистрированных в г. Алматы или Мангистауской области.\n"
        "Грант оплачивает поставщикам оборудование, товары и услуги для вашей социальной инициативы, "
        "в том числе социально-предпринимательской; наличные деньги не выдаются. Победителей "
        "определяет открытая рандомизация в присутствии наблюдателей среди заявок, прошедших "
        "технический отбор; каждому победителю помогает ментор."
    ),
    "summary_en": (
        "A competition of small grants of up to 1,000,000 tenge for young people aged 18 to 35 in "
        "the NEET category (not in employment, education or training) registered in Almaty city or "
        "Mangystau region.\n"
        "The grant pays suppliers for the equipment, goods and services of your social initiative, "
        "including a social business; no cash is handed out. Winners are drawn by a public lottery, "
        "in front of observers, among the applications that pass technical screening; every winner "
        "is supported by a mentor."
    ),
    "age_min": 18,
    "age_max": 35,
    "age_reference_date": None,
    "grant_cap": 1_000_000,
    "appeal_days": 5,
    "required_documents": [
        DocumentType.IDENTITY.value, DocumentType.REGISTRATION_PROOF.value, DocumentType.NEET_EVIDENCE.value,
    ],
    # No report date of its own: each final report is due 180 days after its contract, about six
    # months after the draw, as in seed 004.
    "contract_signing_days": 14,
    "contract_clauses_kk": (
        "Грант қаражатына сатып алынған жабдықтар мен тауарларды грант алушы тек жоба мақсаттарына "
        "пайдаланады және шартқа қол қойылған күннен бастап 12 ай ішінде иеліктен шығармайды.\n"
        "Грант алушы грант берушінің жобаның атауын, сипаттамасын және фотосуреттерін ZHAS PROJECT "
        "сайтында және әлеуметтік желілерінде жариялауына келісім береді."
    ),
    "contract_clauses_ru": (
        "Оборудование и товары, приобретённые за счёт гранта, грантополучатель использует только для целей "
        "проекта и не отчуждает в течение 12 месяцев со дня подписания договора.\n"
        "Грантополучатель согласен на публикацию грантодателем названия, описания и фотографий проекта на "
        "сайте и в социальных сетях ZHAS PROJECT."
    ),
}


class DemoExists(Exception):
    """The demo call is already in the database."""


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    created: bool  # False: the address already had an account, left as it was


@dataclass(frozen=True)
class Demo:
    competition: Competition
    accounts: list
    password: str
    applicants: PoolSummary | None  # None when the call is not open now: nothing could be submitted
    screening: ScreenedDemo | None = None  # the "screened" stage: the call closed and screened
    draw: DrawnDemo | None = None  # the "drawn" stage: then its lottery run and published
    implementing: ImplementingDemo | None = None  # the "implementing" stage: then contracts signed, payments made
    completed: CompletedDemo | None = None  # the "completed" stage: months later, the whole cycle


def demo_email(role):
    return f"{role.value}@{DEMO_EMAIL_DOMAIN}"


def has_competitions():
    return db.session.execute(sa.select(Competition.id).limit(1)).first() is not None


def load_demo(stage="open", now=None):
    """Adds the demo call at `stage` with its regulations in Kazakh and Russian, the staff accounts and, when the call is open at the real
    time now, the pool of applicants, in the current transaction. At the "screened" stage the call
    is then moved into the past and screened (app/demo/screening.py); at "drawn" its lottery is also
    run (app/demo/draw.py); at "implementing" its grants' contracts are also signed and payments
    made (app/demo/implementing.py); at "completed" all that happened months ago, and the grants
    have since been paid, mentored, monitored and reported on (app/demo/completed.py).

    Raises DemoExists when the demo call is already there. The caller commits."""
    if stage not in STAGES:
        raise ValueError(f"unknown demo stage {stage!r}; known: {', '.join(STAGES)}")
    if db.session.execute(sa.select(Competition.id).where(Competition.code == DEMO_CODE)).first():
        raise DemoExists(DEMO_CODE)
    now = now or utcnow()
    if stage != "completed":
        return _load(stage, now)
    with clock_at(now - timedelta(days=STORY_DAYS)):
        demo = _load("implementing", utcnow())
    accounts = {role.value: find_user(demo_email(role)) for role in DEMO_ROLES}
    return replace(demo, completed=complete_demo_call(demo.competition, accounts, DEMO_PASSWORD,
                                                      DEMO_EMAIL_DOMAIN, now))


def _load(stage, now):
    """The demo call taken to `stage` (up to "implementing") at `now`."""
    competition = _open_call(now)
    accounts = [_staff_account(role) for role in DEMO_ROLES]
    if organisation().legal_name_ru == "":  # the office's details, printed on contracts; an admin may change them
        update_organisation(data.ORGANISATION, None)
    applicants = None
    if call_state(competition) is CallState.OPEN:
        applicants = load_applications(competition, DEMO_PASSWORD, DEMO_EMAIL_DOMAIN)
    screening = draw = implementing = None
    if _reaches(stage, "screened"):
        if applicants is None:
            raise ValueError("the screened stage needs the demo call open at the real time now")
        manager, staff = find_user(demo_email(Role.MANAGER)), find_user(demo_email(Role.STAFF))
        screening = screen_demo_call(competition, staff, manager, DEMO_EMAIL_DOMAIN)
        if _reaches(stage, "drawn"):
            draw = draw_demo_call(competition, manager)
        if _reaches(stage, "implementing"):
            implementing = implement_demo_call(competition, staff, manager, find_user(demo_email(Role.FINANCE)))
    return Demo(competition=competition, accounts=accounts, password=DEMO_PASSWORD, applicants=applicants,
                screening=screening, draw=draw, implementing=implementing)


def _reaches(stage, step):
    return STAGES.index(stage) >= STAGES.index(step)


def _open_call(now):
    """Opened three days ago, closes in eleven days at 18:00 Almaty time."""
    today = utc_to_almaty(now).date()
    window = {
        "opens_at": almaty_to_utc(datetime.combine(today - timedelta(days=3), time(9, 0))),
        "closes_at": almaty_to_utc(datetime.combine(today + timedelta(days=11), time(18, 0))),
    }
    competition = competitions.create_competition({**CALL, **window}, None)
    for region_code, quota in DEMO_QUOTAS:
        districts = [district.code for district in get_region(region_code).districts]
        competitions.add_stratum(competition, region_code, quota, districts, None)
    attach_regulations(competition)
    return competition


def _staff_account(role):
    email = demo_email(role)
    if find_user(email) is not None:
        return DemoAccount(email=email, role=role, created=False)
    user = create_user(email, DEMO_PASSWORD, [role], locale="ru", confirmed=True)
    record(None, "user.created", {"user": user.id, "roles": [role.value]})
    return DemoAccount(email=email, role=role, created=True)
