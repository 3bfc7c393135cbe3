"""Monitoring in the demo, as in ZHAS PROJECT 2023: two monitoring groups of three people (Almaty and
Aktau), a visit plan covering every grant under way, visits recorded on the planned days for all
but the last few, each with two photos drawn here, and two visits whose findings ask the project
office for a follow-up. Everything goes through the monitoring services, so the audit log records
it; the visits are dated on their days, the audit log keeps the real times of loading."""
import io
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from app.almaty import almaty_to_utc, utc_to_almaty
from app.audit.services import record
from app.auth.models import Role
from app.auth.services import create_user, find_user
from app.monitoring import groups, plan, visits
from app.monitoring.models import CheckAnswer, CheckItem, VisitRating

# (name, region, the members' e-mail local parts): the demo's monitor and screener, and new monitors.
GROUPS = (
    ("Мониторинговая группа г. Алматы", "ALA", ("monitor", "staff", "monitor01")),
    ("Мониторинговая группа г. Актау", "MAN", ("monitor02", "monitor03", "monitor04")),
)
VISITS_PER_DAY = 2
NOT_YET_VISITED = 3  # the last planned grants wait for their visit
PHOTO_SIZE = (640, 480)

Y, P, N = CheckAnswer.YES, CheckAnswer.PARTLY, CheckAnswer.NO
# What the groups found, in turn: (rating, {item: (answer, comment)} where not a plain yes, findings).
ROUTINE = (
    (VisitRating.GOOD, {}, "Оборудование закуплено по смете и установлено, используется по назначению. Проект "
                           "работает по графику, услугами пользуются жители района."),
    (VisitRating.GOOD, {}, "Проект реализуется в соответствии с заявкой. Грантополучатель ведёт журнал "
                           "посещений, участники довольны."),
    (VisitRating.SATISFACTORY, {CheckItem.PURCHASES_IN_USE: (P, "Оверлок ещё не подключён.")},
     "Основное оборудование используется, часть ещё не введена в работу. Рекомендовано завершить установку "
     "до конца месяца."),
    (VisitRating.GOOD, {}, "Все закупки на месте и используются. Проведено занятие для группы молодёжи, "
                           "мониторинговая группа присутствовала."),
    (VisitRating.GOOD, {}, "Деятельность ведётся, охват целевой группы соответствует плану. Замечаний нет."),
)
# The visits (by their place in the order of visits) whose findings ask for a follow-up.
FLAGGED = {
    1: (VisitRating.POOR, {CheckItem.ACTIVITY_RUNNING: (N, "Помещение закрыто, занятия не проводятся."),
                           CheckItem.BENEFICIARIES_SERVED: (N, "Участников на месте нет.")},
        "На момент визита проект не работал: помещение закрыто, закупленное оборудование хранится дома у "
        "грантополучателя. Со слов грантополучателя, идёт поиск нового помещения."),
    4: (VisitRating.SATISFACTORY, {CheckItem.PURCHASES_IN_USE: (N, "Принтер не используется: нет расходных "
                                                                   "материалов.")},
        "Проект работает, но принтер, купленный на средства гранта, не используется. Грантополучатель обещал "
        "купить расходные материалы за свой счёт."),
}
OTHERS_PRESENT = ("Грантополучатель", "Грантополучатель и 3 участника проекта", "Грантополучатель, наставник")


@dataclass(frozen=True)
class MonitoredDemo:
    groups: int
    planned: int
    visited: int
    follow_ups: int
    created_accounts: list

    def line(self):
        return (f"Monitoring: {self.groups} groups, {self.planned} grants planned, {self.visited} visited, "
                f"{self.follow_ups} visits waiting for a follow-up.")


def load_monitoring(competition, now, password, email_domain):
    """Groups, the plan and the visits of `competition`'s grants under way, as the demo manager and
    the groups' members; the monitors' accounts that do not exist yet are made with `password`. In
    the current transaction; the caller commits."""
    manager = find_user(f"{Role.MANAGER.value}@{email_domain}")
    created = []
    made = []
    for name, region, locals_ in GROUPS:
        members = [_member(f"{local}@{email_domain}", password, created) for local in locals_]
        made.append(groups.create_group({"name": name, "region_code": region, "member_ids": [m.id for m in members]},
                                        manager))
    grants = plan.visited_grants(competition)
    if not grants:
        return MonitoredDemo(len(made), 0, 0, 0, created)
    first_day = max(plan.contract_days(grant.id for grant in grants).values(), default=utc_to_almaty(now).date())
    entries = sorted(plan.propose(competition, first_day + timedelta(days=1), VISITS_PER_DAY, manager),
                     key=lambda entry: (entry.planned_on, entry.grant.number))
    today = utc_to_almaty(now).date()
    due = [entry for entry in entries if entry.planned_on <= today][:max(0, len(entries) - NOT_YET_VISITED)]
    follow_ups = 0
    for index, entry in enumerate(due):
        visit = _visit(entry, index, now)
        follow_ups += visit.needs_follow_up
    return MonitoredDemo(len(made), len(entries), len(due), follow_ups, created)


def _member(email, password, created):
    user = find_user(email)
    if user is None:
        user = create_user(email, password, [Role.MONITOR], locale="ru", confirmed=True)
        record(None, "user.created", {"user": user.id, "roles": [Role.MONITOR.value]})
        created.append(email)
    return user


def _visit(entry, index, now):
    """The visit of the group to the grant on its planned day, written by one member in turn."""
    members = entry.group.members
    recorder = members[index % len(members)]
    rating, exceptions, findings = FLAGGED.get(index) or ROUTINE[index % len(ROUTINE)]
    checks = {item: exceptions.get(item, (Y, "")) for item in CheckItem}
    visit = visits.record_visit(entry.grant, {
        "visited_on": entry.planned_on, "member_ids": [member.id for member in members[:2 + index % 2]],
        "others_present": OTHERS_PRESENT[index % len(OTHERS_PRESENT)], "checks": checks,
        "findings": findings, "rating": rating}, recorder)
    visits.add_photos(visit, [_photo(entry.grant.number, index, n) for n in (1, 2)], recorder)
    recorded_at = min(almaty_to_utc(datetime.combine(entry.planned_on, time(17, 0))), now)
    visit.recorded_at = recorded_at
    for photo in visit.photos:
        photo.uploaded_at = recorded_at
    return visit


def _photo(number, index, n):
    """A small real JPEG: a room with a table and the things bought, the grant's number on it."""
    hue = (index * 37 + n * 90) % 256
    image = Image.new("RGB", PHOTO_SIZE, (230, 225 - hue // 8, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 330, 640, 480), fill=(150, 110, 80))  # the floor
    draw.rectangle((120, 250, 520, 290), fill=(120, 80, 50))  # a table
    draw.rectangle((200, 160, 320, 250), fill=(hue, 90, 160))  # the equipment
    draw.ellipse((360, 180, 440, 250), fill=(60, 60 + hue // 2, 90))
    draw.text((20, 20), f"{number}  #{n}", fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return FileStorage(stream=io.BytesIO(out.getvalue()), filename=f"{number}-{n}.jpg", content_type="image/jpeg")
