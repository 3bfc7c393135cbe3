"""The standard plan of a small-grants call, from seed 004 (the ZHAS PROJECT report to the
Operator): its tasks, activities and indicators, and the Operator's social-economic effect table,
in Kazakh and Russian. Plan values that the call fixes (the quotas, the grant cap, the regions, the
months) come from the call; an indicator the data can count names its fact (app.reporting.facts).
The manager changes any of it afterwards."""
from datetime import timedelta

from babel.dates import format_date
from babel.numbers import format_decimal

from app.almaty import utc_to_almaty
from app.kz.regions import region_name
from app.reporting.fact_values import CURRENCY, LOCALES

LANGUAGES = ("kk", "ru")
ONLINE = {"kk": "Онлайн", "ru": "Онлайн"}
AT_LEAST = {"kk": "кемінде {}", "ru": "не менее {}"}
PER_REGION = {"kk": "әр өңірде кемінде 50", "ru": "не менее 50 в каждом регионе"}
UP_TO_CAP = {"kk": "бір жобаға {} дейін", "ru": "до {} на проект"}


def _both(kk, ru):
    return {"kk": kk, "ru": ru}


def _indicator(name, plan=None, fact_key=None):
    """`name`, `plan`: {language: text} (a plan given as a number is the same in both)."""
    if plan is not None and not isinstance(plan, dict):
        plan = _both(str(plan), str(plan))
    values = {f"name_{language}": name[language] for language in LANGUAGES}
    values.update({f"plan_{language}": (plan or {}).get(language, "") for language in LANGUAGES})
    values["fact_key"] = fact_key
    return values


def _at_least(number):
    return {language: AT_LEAST[language].format(number) for language in LANGUAGES}


def tasks(competition):
    """[(task texts, [(activity texts, [indicator values])])] for `competition`."""
    quota = sum(stratum.quota for stratum in competition.strata)
    regions = len(competition.strata) or 1
    months = _months(competition)
    places = {language: ", ".join(region_name(stratum.region_code, language) for stratum in competition.strata)
              for language in LANGUAGES}
    winners_plan = {language: f"{quota}: " + ", ".join(
        f"{region_name(stratum.region_code, language)} — {stratum.quota}" for stratum in competition.strata)
        for language in LANGUAGES}
    cap = {language: UP_TO_CAP[language].format(f"{format_decimal(competition.grant_cap, locale=LOCALES[language])} "
                                                f"{CURRENCY[language]}") for language in LANGUAGES}

    def activity(kk, ru, when, where, result, effect, indicators):
        values = {"activity_kk": kk, "activity_ru": ru}
        for name, texts in (("dates", months[when]), ("place", where), ("results", result), ("effect", effect)):
            values.update({f"{name}_{language}": texts.get(language, "") for language in LANGUAGES})
        return values, indicators

    def task(kk, ru, *activities):
        return {"title_kk": kk, "title_ru": ru}, list(activities)

    return [
        task("Жобалық кеңсенің қызметін қамтамасыз ету", "Обеспечить деятельность проектного офиса",
             activity("Жоба командасын тарта отырып, жобалық кеңсенің жұмысын ұйымдастыру",
                      "Организовать работу проектного офиса с привлечённой командой проекта", "whole", {},
                      _both("Жобалық кеңсе құрылып, мамандармен жасақталды.",
                            "Создан проектный офис, укомплектован штат специалистов."),
                      _both("Кеңсе үміткерлерге көмектесіп, грант алушыларды сүйемелдеді.",
                            "Офис помогал претендентам и сопровождал грантополучателей."),
                      [_indicator(_both("Жобалық кеңсе", "Проектный офис"), 1)]),
             activity("Шағын гранттар конкурсы туралы ережені және іріктеу өлшемшарттарын әзірлеу, Оператормен келісу",
                      "Разработать Положение о конкурсе малых грантов и критерии отбора, согласовать с Оператором",
                      "before", {},
                      _both("Ереже екі тілде әзірленіп, Оператормен келісілді.",
                            "Положение разработано на двух языках и согласовано с Оператором."),
                      _both("Конкурс Ережеге сәйкес өткізілді.", "Конкурс проведён в соответствии с Положением."),
                      [_indicator(_both("Конкурс туралы ереже (қаз., орыс.)", "Положение о конкурсе (каз., рус.)"), 2)]),
             activity("Қатысушылардың NEET мәртебесін бағалау әдістемесін әзірлеу",
                      "Разработать Методику оценки статуса NEET участников", "before", {},
                      _both("Әдістеме техникалық іріктеуде қолданылды.",
                            "Методика применялась на техническом отборе."),
                      _both("Грант иегерлерінің NEET мәртебесі құжатпен расталды.",
                            "Статус NEET обладателей грантов подтверждён документами."),
                      [_indicator(_both("NEET мәртебесін бағалау әдістемесі", "Методика оценки статуса NEET"), 1)])),
        task("Өңірлерде ақпараттық науқан өткізу және NEET санатындағы жастармен жұмыс жүргізу",
             "Провести в регионах информационную кампанию и работу с молодёжью категории NEET",
             activity("«Open Day» ақпараттық кездесулерін өткізу", "Провести информационные встречи «Open Day»",
                      "call", places,
                      _both("Жастарға конкурс шарттары түсіндірілді.", "Молодёжи разъяснены условия конкурса."),
                      _both("Конкурсқа жеткілікті өтінім түсті.", "Получено достаточное количество заявок."),
                      [_indicator(_both("«Open Day» кездесулері", "Встречи «Open Day»"), _at_least(10),
                                  "office.events.open_day"),
                       _indicator(_both("Ақпараттық іс-шаралардың қатысушылары", "Участники информационных встреч"),
                                  None, "office.event_participants")]),
             activity("Жоба туралы өңірлік брифингтер өткізу", "Провести региональные брифинги о проекте", "call",
                      places, _both("Жобаның басталуы туралы брифингтер өтті.", "Проведены брифинги о старте проекта."),
                      _both("Жоба кеңінен жария болды.", "Широкое информационное освещение проекта."),
                      [_indicator(_both("Өңірлік брифингтер", "Региональные брифинги"), regions,
                                  "office.events.briefing")])),
        task("Іріктеу рәсімдерінің барынша ашықтығымен ашық онлайн-конкурс ұйымдастыру",
             "Организовать открытый онлайн-конкурс с обеспечением максимальной прозрачности процедур отбора",
             activity("Конкурс жариялау және өтінімдерді жоба сайты арқылы онлайн қабылдау",
                      "Объявить конкурс и принять заявки онлайн через веб-сайт проекта", "call", ONLINE,
                      _both("Өтінімдер онлайн қабылданды.", "Заявки приняты в онлайн-режиме."),
                      _both("Жастар өз қоғамдастығының мәселелерін шешуге тартылды.",
                            "Молодёжь вовлечена в решение проблем местного сообщества."),
                      [_indicator(_both("Үміткерлерден түскен өтінімдер саны", "Количество заявок от претендентов"),
                                  PER_REGION, "applications.received_by_region"),
                       _indicator(_both("Үміткерлердің конкурс рәсімдеріне қанағаттануы",
                                        "Удовлетворённость претендентов конкурсными процедурами"), _at_least("60%"),
                                  "surveys.application.satisfied")]),
             activity("Үміткерлерді техникалық іріктеуден өткізу", "Провести технический отбор претендентов",
                      "selection", places,
                      _both("Іріктеу хаттамасы жасалып, нәтижелер жарияланды.",
                            "Составлен протокол отбора, результаты опубликованы."),
                      _both("Ережеге сай келетін қатысушылар іріктелді.",
                            "Отобраны участники, соответствующие Положению."),
                      [_indicator(_both("Техникалық іріктеуден өткен өтінімдер",
                                        "Заявки, принятые на техническом отборе"), None, "applications.eligible"),
                       _indicator(_both("Қабылданбаған өтінімдер (себептері бойынша)",
                                        "Отклонённые заявки (по причинам)"), None, "applications.rejected_by_reason"),
                       _indicator(_both("Техникалық іріктеуге қанағаттану", "Удовлетворённость техническим отбором"),
                                  _at_least("60%"), "surveys.screening.satisfied")]),
             activity("Бақылаушылардың қатысуымен тікелей эфирде рандомизация өткізу",
                      "Провести рандомизацию в прямом эфире с участием наблюдателей", "selection", ONLINE,
                      _both("Жеңімпаздар жеребе арқылы анықталды, хаттама жарияланды.",
                            "Победители определены жеребьёвкой, протокол опубликован."),
                      _both("Гранттар әділ бөлінді.", "Справедливое распределение грантов."),
                      [_indicator(_both("Әр өңірдегі жеңімпаздар", "Победители конкурса в каждом регионе"),
                                  winners_plan, "draw.winners_by_region"),
                       _indicator(_both("NEET санатындағы грант иегерлері", "Обладатели грантов из категории NEET"),
                                  "100%", "winners.neet_share")])),
        task("Қатысушыларға тәлімгерлік қолдау көрсету және дағдыларын дамыту",
             "Организовать менторскую поддержку участников и развитие их навыков",
             activity("Тәлімгерлер пулын қалыптастыру", "Сформировать пул менторов", "selection", places,
                      _both("Тәлімгерлер өлшемшарттар бойынша іріктелді.", "Менторы отобраны по критериям."),
                      _both("Кәсіби тәлімгерлер гранттардың табысты іске асуына ықпал етті.",
                            "Профессиональные менторы способствовали успешной реализации грантов."),
                      [_indicator(_both("Тәлімгерлер пулы", "Пул менторов"), _at_least(max(1, round(quota / 4))),
                                  "mentors.pool")]),
             activity("Тәлімгерлердің қатысушылармен ай сайынғы кездесулерін ұйымдастыру",
                      "Организовать ежемесячные встречи менторов с участниками", "implementation", places,
                      _both("Әр грант алушыға тәлімгер бекітілді.", "За каждым грантополучателем закреплён ментор."),
                      _both("Қатысушылар жобаны басқару бойынша кеңес алды.",
                            "Участники получили консультации по управлению проектом."),
                      [_indicator(_both("Тәлімгер бекітілген қатысушылар", "Участники с закреплённым ментором"),
                                  quota, "mentoring.grants_with_mentor"),
                       _indicator(_both("Тәлімгерлердің кездесулері", "Встречи менторов с участниками"),
                                  _at_least(2 * quota), "mentoring.meetings"),
                       _indicator(_both("Тәлімгерлік қолдауға қанағаттану", "Удовлетворённость менторской поддержкой"),
                                  _at_least("80%"), "surveys.mentoring.satisfied")]),
             activity("Қатысушылар үшін шебер-сессиялар өткізу", "Провести мастер-сессии для участников",
                      "implementation", ONLINE,
                      _both("Табысты кәсіпкерлермен кездесулер өтті.", "Проведены встречи с успешными предпринимателями."),
                      _both("Қатысушылар бизнес жүргізу туралы білім алды.",
                            "Участники узнали о запуске и ведении бизнеса."),
                      [_indicator(_both("Шебер-сессиялар", "Мастер-сессии"), _at_least(2),
                                  "office.events.master_session")])),
        task("Шағын гранттардың сапалы әрі уақтылы іске асырылуын қамтамасыз ету",
             "Обеспечить качественную и своевременную реализацию малых грантов",
             activity("Шағын грант беру туралы шарттарға қол қою", "Подписать договоры о предоставлении малых грантов",
                      "selection", ONLINE,
                      _both("Шарттар ЭЦҚ арқылы жасалды.", "Договоры заключены с использованием ЭЦП."),
                      _both("Шарт жасасу мерзімі мен шығыны қысқарды.", "Сокращены сроки и затраты на заключение договоров."),
                      [_indicator(_both("Қол қойылған шарттар", "Подписанные договоры"), quota, "contracts.signed")]),
             activity("Гранттарды жеткізушілерге шот бойынша төлем арқылы қаржыландыру",
                      "Профинансировать малые гранты оплатой поставщикам по счетам", "implementation", places,
                      _both("Қаражат қатысушыларға қолма-қол берілмей, жеткізушілерге төленді.",
                            "Средства оплачены поставщикам, без выдачи наличных участникам."),
                      _both("Қаражаттың мақсатты пайдаланылуы қамтамасыз етілді.",
                            "Обеспечено целевое использование средств."),
                      [_indicator(_both("Қаржыландырылған жобалар", "Профинансированные проекты"), quota,
                                  "grants.awarded"),
                       _indicator(_both("Жеткізушілерге төленді", "Оплачено поставщикам"), cap, "payments.paid")]),
             activity("Гранттарды іске асыру барысында қатысушыларды сүйемелдеу",
                      "Сопровождать участников в ходе реализации малых грантов", "implementation", places,
                      _both("Қатысушыларға талаптар мен есептілік бойынша кеңес берілді.",
                            "Участников консультировали по требованиям и отчётности."),
                      _both("Шағын гранттар табысты аяқталды.", "Успешное завершение малых грантов."),
                      [_indicator(_both("Табысты аяқталған гранттар", "Успешно завершённые гранты"), quota,
                                  "grants.completed"),
                       _indicator(_both("Қатысушылардың жобаға қанағаттануы", "Удовлетворённость участников проектом"),
                                  _at_least("60%"), "surveys.project.satisfied")])),
        task("Шағын гранттардың іске асырылуына мониторинг жүргізу", "Осуществить мониторинг реализации малых грантов",
             activity("Жобаларға көшпелі мониторинг жүргізу", "Провести выездной мониторинг реализации проектов",
                      "implementation", places,
                      _both("Мониторинг топтары жобаларды орнында тексерді.", "Мониторинговые группы проверили проекты на месте."),
                      _both("Жобалардың өтінімге сай іске асқаны расталды.",
                            "Подтверждена реализация проектов в соответствии с заявками."),
                      [_indicator(_both("Мониторинг топтары", "Мониторинговые группы"), regions, "monitoring.groups"),
                       _indicator(_both("Мониторингпен қамтылған жобалар", "Проекты, охваченные мониторингом"), quota,
                                  "monitoring.grants_visited"),
                       _indicator(_both("Мониторингтік сапарлар", "Мониторинговые визиты"), None,
                                  "monitoring.visits_done")]),
             activity("Грант алушылардың қорытынды есептерін қабылдау және тексеру",
                      "Принять и проверить итоговые отчёты грантополучателей", "implementation", ONLINE,
                      _both("Әр қатысушы фотосуреттері бар қорытынды есеп тапсырды.",
                            "Каждый участник сдал итоговый отчёт с фотоматериалами."),
                      _both("Гранттардың іске асырылуы тексерілді.", "Проверена реализация малых грантов."),
                      [_indicator(_both("Қабылданған қорытынды есептер", "Принятые итоговые отчёты"), quota,
                                  "final_reports.accepted"),
                       _indicator(_both("Жобалармен қамтылған адамдар", "Охват целевых групп проектами участников"),
                                  None, "beneficiaries.reached")])),
        task("Кері байланыс тетігін және жобаны ақпараттық сүйемелдеуді іске асыру",
             "Реализовать механизм обратной связи и информационное сопровождение проекта",
             activity("Жобаның колл-орталығының жұмысын ұйымдастыру", "Организовать работу колл-центра проекта", "whole",
                      {}, _both("Қоңыраулар мен хабарламаларға жауап берілді, журнал жүргізілді.",
                                "Даны ответы на звонки и сообщения, вёлся журнал консультаций."),
                      _both("Жобаға деген сенім артты.", "Повысился уровень доверия к проекту."),
                      [_indicator(_both("Колл-орталық кеңестері", "Консультации колл-центра"), _at_least(200),
                                  "office.consultations")]),
             activity("Әр кезеңде қатысушылардың қанағаттануы туралы онлайн-сауалнамалар жүргізу",
                      "Провести онлайн-опросы участников об удовлетворённости на каждом этапе", "whole", ONLINE,
                      _both("Қатысушылардың пікірі жиналды.", "Собраны мнения участников."),
                      _both("Жобаны жетілдіру бойынша ұсынымдар дайындалады.",
                            "Будут подготовлены рекомендации по улучшению проекта."),
                      [_indicator(_both("Онлайн-сауалнамалар", "Онлайн-опросы участников"), _at_least(3),
                                  "surveys.held"),
                       _indicator(_both("Қатысушылардың қанағаттану деңгейі", "Уровень удовлетворённости участников"),
                                  _at_least("80%"), "surveys.satisfied")]),
             activity("Конкурс қорытындыларын жоба сайтында жариялау", "Опубликовать итоги конкурса на сайте проекта",
                      "selection", ONLINE,
                      _both("Іріктеу мен рандомизация хаттамалары жарияланды.",
                            "Опубликованы протоколы отбора и рандомизации."),
                      _both("Конкурстың ашықтығы қамтамасыз етілді.", "Обеспечена прозрачность конкурса."),
                      [_indicator(_both("Жарияланған хаттамалар", "Опубликованные протоколы"), 2)])),
    ]


EFFECTS = (
    (_both("Тікелей бенефициарлар саны", "Количество прямых бенефициаров"), _both("адам", "человек"), "grants.awarded"),
    (_both("Жанама бенефициарлар саны (БАҚ-та жариялау есебінен)",
           "Количество косвенных бенефициаров (за счёт освещения в СМИ)"), _both("адам", "человек"), None),
    (_both("Штаттық қызметкерлердің саны", "Количество штатных работников"), _both("адам", "человек"), None),
    (_both("Тартылған мамандар саны (тәлімгерлер)", "Количество привлечённых специалистов (менторы)"),
     _both("адам", "человек"), "mentors.pool"),
    (_both("Қамтылған ҮЕҰ саны", "Количество охваченных НПО"), _both("ұйым", "организация"), None),
    (_both("Гранттың жалпы сомасынан еңбекақы төлеу қоры", "Фонд оплаты труда от общей суммы гранта"),
     _both("теңге", "тенге"), None),
    (_both("Салықтар (ӘС, ӘА, МӘМС (штаттық қызметкерлердің ғана))",
           "Налоги (СН, СО, ОСМС только штатных сотрудников)"), _both("теңге", "тенге"), None),
    (_both("Экономикаға қосқан үлес (тауарлар мен қызметтерді сатып алу)",
           "Вклад в экономику (покупка товаров и услуг)"), _both("теңге", "тенге"), "payments.paid"),
    (_both("Әлеуметтік жоба серіктестерінің саны (заңды және / немесе жеке тұлғалар)",
           "Количество партнёров социального проекта (юридические и/или физические лица)"),
     _both("ұйым/адам", "организация/человек"), "report.partners"),
)


def effects(competition):
    """The rows of the Operator's effect table; the beneficiaries and purchases planned from the call."""
    quota = sum(stratum.quota for stratum in competition.strata)
    plans = {"grants.awarded": str(quota), "payments.paid": format_decimal(quota * competition.grant_cap, locale="ru")}
    rows = []
    for name, unit, fact_key in EFFECTS:
        plan = plans.get(fact_key, "")
        rows.append({**{f"name_{language}": name[language] for language in LANGUAGES},
                     **{f"unit_{language}": unit[language] for language in LANGUAGES},
                     "plan_kk": plan, "plan_ru": plan, "fact_key": fact_key})
    return rows


def _months(competition):
    """The months of each phase of the call, as the report writes them, per language."""
    opens = utc_to_almaty(competition.opens_at).date()
    closes = utc_to_almaty(competition.closes_at).date()
    screened = utc_to_almaty(competition.screening_closed_at).date() if competition.screening_closed_at else closes
    ends = competition.project_ends_on or competition.report_due_date or closes + timedelta(days=90)
    phases = {"before": (opens - timedelta(days=30), opens), "call": (opens, closes), "selection": (closes, screened),
              "implementation": (screened, ends), "whole": (opens - timedelta(days=30), ends)}
    return {phase: {language: months_text(start, end, language) for language in LANGUAGES}
            for phase, (start, end) in phases.items()}


def months_text(start, end, language):
    """"октябрь–декабрь 2025 г." / "2025 ж. қазан–желтоқсан"; across years both years."""
    def month(day):
        return format_date(day, "LLLL", locale=language).lower()
    if (start.year, start.month) == (end.year, end.month):
        span = month(start)
    elif start.year == end.year:
        span = f"{month(start)}–{month(end)}"
    else:
        return {"kk": f"{start.year} ж. {month(start)} – {end.year} ж. {month(end)}",
                "ru": f"{month(start)} {start.year} г. – {month(end)} {end.year} г."}[language]
    return {"kk": f"{start.year} ж. {span}", "ru": f"{span} {start.year} г."}[language]
