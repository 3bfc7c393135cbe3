"""The demo office log of a call, like seed 004's: the call centre's consultations (233 phone calls
and 124 WhatsApp messages there, a few via Instagram, e-mail and visits), most of them while the
call is open and about its conditions, the application and the documents, then about the results,
the contracts and payments, the mentors and the reports; weekdays 9:00 to 18:00 Almaty time, asked
from both regions of the call. And the information events: the regional briefings in Aktau and
Almaty on the first days, the "ZHAS PROJECT Open Day" meetings in the districts (124 participants,
NEET youth) and two online master sessions for the grantees after the draw. Only what has taken
place by `now` is logged, through the office log's services (the audit log records it)."""
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from app.almaty import almaty_to_utc, utc_to_almaty
from app.office_log import consultations, events, queries
from app.office_log.models import Channel, EventKind, Topic

CHANNELS = {Channel.CALL: 233, Channel.WHATSAPP: 124, Channel.INSTAGRAM: 12, Channel.EMAIL: 5, Channel.VISIT: 4}
# The share of the consultations in each phase of the call, and what they ask about then.
PHASES = (
    (0.70, {Topic.CONDITIONS: 35, Topic.APPLYING: 30, Topic.DOCUMENTS: 25, Topic.OTHER: 10}),  # the call is open
    (0.18, {Topic.RESULTS: 50, Topic.DOCUMENTS: 10, Topic.GRANT: 25, Topic.OTHER: 15}),  # screening, draw, contracts
    (0.12, {Topic.GRANT: 45, Topic.REPORTING: 40, Topic.OTHER: 15}),  # the projects under way
)
AFTER_CLOSING = timedelta(days=30)  # the second phase; the third runs to the projects' end
PROJECT_DAYS = 150  # the projects' end when the call does not say
NOTES = {
    Topic.CONDITIONS: ["Уточнил возраст участников: от 18 до 35 лет.",
                       "Спросила, относится ли она к NEET, если иногда подрабатывает.",
                       "Кімдер қатыса алатынын сұрады: Ақтауда тіркелген.",
                       "Можно ли участвовать с регистрацией в Алматинской области — нет."],
    Topic.APPLYING: ["Не загружался файл: объяснила, что нужен PDF или фото.",
                     "Помогли заполнить бюджет заявки.",
                     "Өтінімді қалай толтыру керектігін түсіндірдім.",
                     "Спросил, можно ли исправить поданную заявку."],
    Topic.DOCUMENTS: ["Какая справка подтверждает статус NEET: из центра занятости.",
                      "Адресная справка с egov.kz подходит как подтверждение регистрации.",
                      "Зейнетақы жарналары туралы анықтаманы қайдан алуға болады."],
    Topic.RESULTS: ["Спрашивал результаты технического отбора.",
                    "Когда рандомизация и где смотреть трансляцию.",
                    "Іріктеу нәтижелерін сұрады.",
                    "Почему заявка отклонена: нет подтверждения регистрации; объяснила, как подать апелляцию."],
    Topic.GRANT: ["Как подписать договор ЭЦП.",
                  "Поставщик выставил счёт от ИП — можно ли.",
                  "Төлем жеткізушіге қашан түседі деп сұрады.",
                  "Можно ли заменить поставщика в заявке на оплату."],
    Topic.REPORTING: ["Когда следующая встреча с ментором.",
                      "Как оформить итоговый отчёт, сколько фотографий нужно.",
                      "Мониторинг сапары қашан болатынын сұрады."],
    Topic.OTHER: ["Колледж предлагает партнёрство.",
                  "Журналист попросил комментарий о проекте.",
                  "Спросили про другие программы для молодёжи."],
}
# Where the questions come from: the call's two regions, a few from elsewhere, some not asked.
REGIONS = {"ALA": 42, "MAN": 46, "ALM": 3, "ATY": 2, None: 7}

# (kind, days after the opening, title, place, region, participants, women, NEET youth), as in seed 004.
BRIEFINGS = [
    (EventKind.BRIEFING, 0, "Брифинг о старте ZHAS PROJECT", "г. Актау, областной акимат", "MAN", 6, 3, None),
    (EventKind.BRIEFING, 1, "Брифинг о старте ZHAS PROJECT", "г. Алматы, Дом молодёжи", "ALA", 4, 2, None),
]
OPEN_DAY = "ZHAS PROJECT Open Day"
OPEN_DAYS = [
    (1, "Каракиянский район, с. Курык, Дом культуры", "MAN", 11, 7),
    (1, "Мунайлинский район, с. Мангистау, молодёжный ресурсный центр", "MAN", 12, 8),
    (2, "г. Жанаозен, молодёжный ресурсный центр", "MAN", 14, 9),
    (3, "г. Алматы, Дом молодёжи", "ALA", 13, 8),
    (3, "Мангистауский район, с. Шетпе, акимат района", "MAN", 9, 5),
    (4, "Тупкараганский район, г. Форт-Шевченко", "MAN", 8, 5),
    (4, "г. Актау, молодёжный ресурсный центр", "MAN", 15, 10),
    (9, "г. Алматы, Ауэзовский район, центр занятости", "ALA", 10, 6),
    (11, "г. Алматы, Алатауский район, молодёжный центр", "ALA", 11, 7),
    (11, "г. Алматы, Наурызбайский район, библиотека", "ALA", 9, 6),
    (12, "г. Алматы, Жетысуский район, центр занятости", "ALA", 12, 8),
]
# Days after the closing: the grants are signed by then.
MASTER_SESSIONS = [
    (47, "Инновационная бизнес-модель (бизнес-тренер Фатима Салкынбай)", 28, 20),
    (68, "Как продвигать социальный проект в Instagram", 25, 18),
]


@dataclass(frozen=True)
class OfficeLogDemo:
    consultations: int
    events: int
    participants: int

    def line(self):
        return (f"Demo office log: {self.consultations} consultations, {self.events} information events "
                f"({self.participants} participants).")


def load_office_log(competition, staff_users, now):
    """Logs `competition`'s consultations and events that have taken place by `now` (naive UTC),
    `staff_users` answering in turn, in the current transaction; the caller commits."""
    rng = random.Random(f"office-log-{competition.code}")
    logged = [_consult(competition, at, channel, rng, staff_users[n % len(staff_users)])
              for n, (at, channel) in enumerate(_schedule(competition, rng)) if at + timedelta(minutes=3) <= now]
    held = [events.add_event(values, staff_users[n % len(staff_users)], today=utc_to_almaty(now).date())
            for n, values in enumerate(_events(competition)) if values["held_on"] <= utc_to_almaty(now).date()]
    return OfficeLogDemo(consultations=len(logged), events=len(held),
                         participants=queries.event_participants(competition).participants)


def _phases(competition):
    """(first, last) Almaty days of each phase of the call."""
    opens = utc_to_almaty(competition.opens_at).date() - timedelta(days=3)  # the announcement
    closes = utc_to_almaty(competition.closes_at).date()
    ends = competition.project_ends_on or closes + timedelta(days=PROJECT_DAYS)
    later = closes + AFTER_CLOSING
    last = max(ends, later + timedelta(days=1))
    return (opens, closes), (closes + timedelta(days=1), later), (later + timedelta(days=1), last)


def _schedule(competition, rng):
    """(moment in naive UTC, channel) of every consultation over the call, in time order."""
    channels = [channel for channel, count in CHANNELS.items() for _ in range(count)]
    rng.shuffle(channels)
    moments = []
    for n, ((share, _topics), (first, last)) in enumerate(zip(PHASES, _phases(competition))):
        count = round(share * len(channels)) if n < len(PHASES) - 1 else len(channels) - len(moments)
        days = [first + timedelta(days=d) for d in range((last - first).days + 1)]
        working = [day for day in days if day.weekday() < 5] or days
        moments += sorted(almaty_to_utc(datetime.combine(rng.choice(working), time(9)) +
                                        timedelta(minutes=rng.randrange(9 * 60))) for _ in range(count))
    return list(zip(moments, channels))


def _consult(competition, at, channel, rng, operator):
    topics = next(topics for (_share, topics), (first, last) in zip(PHASES, _phases(competition))
                  if utc_to_almaty(at).date() <= last)
    topic = rng.choices(list(topics), weights=list(topics.values()))[0]
    region = rng.choices(list(REGIONS), weights=list(REGIONS.values()))[0]
    note = rng.choice(NOTES[topic]) if topic is Topic.OTHER or rng.random() < 0.6 else ""
    return consultations.log_consultation(
        {"channel": channel, "topic": topic, "region_code": region, "competition": competition, "note": note,
         "occurred_at": at}, operator, now=at + timedelta(minutes=rng.randrange(1, 4)))


def _events(competition):
    opens = utc_to_almaty(competition.opens_at).date()
    closes = utc_to_almaty(competition.closes_at).date()
    found = [{"kind": kind, "held_on": opens + timedelta(days=days), "title": title, "place": place,
              "region_code": region, "participants": people, "women": women, "neet_youth": neet}
             for kind, days, title, place, region, people, women, neet in BRIEFINGS]
    found += [{"kind": EventKind.OPEN_DAY, "held_on": opens + timedelta(days=days), "title": OPEN_DAY, "place": place,
               "region_code": region, "participants": people, "women": women, "neet_youth": people,
               "notes": "На встрече раздавали информационные буклеты."}
              for days, place, region, people, women in OPEN_DAYS]
    found += [{"kind": EventKind.MASTER_SESSION, "held_on": closes + timedelta(days=days), "title": title,
               "place": "Онлайн, ZOOM", "region_code": None, "participants": people, "women": women,
               "neet_youth": people, "notes": "Онлайн-встреча участников с успешными предпринимателями."}
              for days, title, people, women in MASTER_SESSIONS]
    return [{"notes": "", "competition": competition, **values} for values in found]
