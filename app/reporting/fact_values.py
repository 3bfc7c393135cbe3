"""The figures of a call by stable key (`FACTS`), as a row of the report's plan names them
("applications.received"), and their writing in Kazakh, Russian or English (`FactValue.text`).
Each fact computes its value from app.reporting.facts.CallFacts; read the figures through
`CallFacts.value(key)`. A key, once given, keeps its meaning: plans in the database name it."""
from dataclasses import dataclass
from typing import Callable

from babel.numbers import format_decimal, format_percent
from flask_babel import lazy_gettext as _l

from app.kz.regions import region_name
from app.office_log.models import Channel, EventKind
from app.surveys.models import SurveyStage

LOCALES = {"kk": "kk_KZ", "ru": "ru_KZ", "en": "en"}
# PT Sans has no tenge sign (app.pdf): the documents write the word.
CURRENCY = {"kk": "теңге", "ru": "тенге", "en": "tenge"}


@dataclass(frozen=True)
class FactValue:
    kind: str  # "count", "money" (whole tenge) or "share" (a fraction: 0.8 is 80%)
    value: int | float | None  # None: nothing to count yet (a share of nobody)
    parts: tuple = ()  # (region code, or a titled enum member, number): the breakdown

    def text(self, language):
        """The figure in `language` ("kk", "ru", "en"), with its breakdown (if any) in brackets. Enum
        titles are translated in the current locale: write documents under force_locale."""
        if self.value is None:
            return "—"
        locale = LOCALES[language]
        if self.kind == "share":
            return format_percent(self.value, locale=locale)
        text = format_decimal(self.value, locale=locale)
        if self.kind == "money":
            text = f"{text} {CURRENCY[language]}"
        if self.parts and self.value:
            text += " (" + ", ".join(f"{_label(label, language)} — {format_decimal(number, locale=locale)}"
                                     for label, number in self.parts) + ")"
        return text


def _label(label, language):
    if label is None:
        return "—"
    return region_name(label, language) if isinstance(label, str) else str(label.title)


@dataclass(frozen=True)
class Fact:
    key: str
    title: object  # lazy: the name staff choose it by
    compute: Callable  # CallFacts -> FactValue


def _count(get, parts=None):
    return lambda facts: FactValue("count", get(facts), parts(facts) if parts else ())


def _money(get):
    return lambda facts: FactValue("money", get(facts))


def _share(get):
    return lambda facts: FactValue("share", get(facts))


def _received_by_region(facts):
    return tuple((region.region_code, region.received) for region in facts.regions if region.received)


def _eligible_by_region(facts):
    return tuple((region.region_code, region.eligible) for region in facts.regions if region.eligible)


def _satisfied(stage):
    return lambda facts: next(numbers.satisfied_share for numbers in facts.satisfaction if numbers.stage is stage)


def _all_satisfied(facts):
    answered = sum(numbers.answered for numbers in facts.satisfaction)
    return sum(numbers.satisfied for numbers in facts.satisfaction) / answered if answered else None


_FACTS = (
    Fact("applications.received", _l("Applications received"), _count(lambda f: f.screening.received)),
    Fact("applications.received_by_region", _l("Applications received, by region"),
         _count(lambda f: f.screening.received, _received_by_region)),
    Fact("applications.eligible", _l("Applications accepted on technical screening"),
         _count(lambda f: f.screening.eligible)),
    Fact("applications.eligible_by_region", _l("Applications accepted on technical screening, by region"),
         _count(lambda f: f.screening.eligible, _eligible_by_region)),
    Fact("applications.rejected", _l("Applications rejected on technical screening"),
         _count(lambda f: f.screening.rejected)),
    Fact("applications.rejected_by_reason", _l("Applications rejected, by reason"),
         _count(lambda f: f.screening.rejected, lambda f: tuple(f.screening.by_reason.items()))),
    Fact("draw.winners", _l("Winners of the draw"), _count(lambda f: f.winners.count)),
    Fact("draw.winners_by_region", _l("Winners of the draw, by region"),
         _count(lambda f: f.winners.count, lambda f: f.winners.by_region)),
    Fact("winners.neet_confirmed", _l("Winners whose NEET status is confirmed"),
         _count(lambda f: f.winners.neet_confirmed)),
    Fact("winners.neet_share", _l("Share of winners whose NEET status is confirmed"),
         _share(lambda f: f.winners.neet_share)),
    Fact("grants.awarded", _l("Grants awarded"), _count(lambda f: f.grants.awarded)),
    Fact("contracts.signed", _l("Contracts signed"), _count(lambda f: f.grants.contracts_signed)),
    Fact("grants.completed", _l("Grants completed"), _count(lambda f: f.grants.completed)),
    Fact("grants.amount", _l("Amount of the grants awarded"), _money(lambda f: f.grants.amount)),
    Fact("payments.approved", _l("Payments approved (paid included)"), _money(lambda f: f.grants.approved)),
    Fact("payments.paid", _l("Payments paid to suppliers"), _money(lambda f: f.grants.paid)),
    Fact("mentors.pool", _l("Mentors in the pool"), _count(lambda f: f.mentoring.pool)),
    Fact("mentoring.grants_with_mentor", _l("Grantees with a mentor"),
         _count(lambda f: f.mentoring.grants_with_mentor)),
    Fact("mentoring.meetings", _l("Mentor meetings"), _count(lambda f: f.mentoring.meetings)),
    Fact("monitoring.groups", _l("Monitoring groups"), _count(lambda f: f.monitoring.groups)),
    Fact("monitoring.visits_planned", _l("Monitoring visits planned"), _count(lambda f: f.monitoring.planned)),
    Fact("monitoring.visits_done", _l("Monitoring visits made"), _count(lambda f: f.monitoring.done)),
    Fact("monitoring.grants_visited", _l("Projects visited by monitoring"),
         _count(lambda f: f.monitoring.grants_visited)),
    Fact("final_reports.submitted", _l("Final reports submitted"), _count(lambda f: f.final_reports.submitted)),
    Fact("final_reports.accepted", _l("Final reports accepted"), _count(lambda f: f.final_reports.accepted)),
    Fact("beneficiaries.reached", _l("People reached by the grantees' projects"),
         _count(lambda f: f.statistics.beneficiaries.total)),
    Fact("office.consultations", _l("Consultations of the call centre"),
         _count(lambda f: f.office.consultation_count,
                lambda f: tuple((channel, n) for channel, n in f.office.consultations.items() if n))),
    *(Fact(f"office.consultations.{channel.value}", _l("Consultations: %(channel)s", channel=channel.title),
           _count(lambda f, channel=channel: f.office.consultations[channel])) for channel in Channel),
    Fact("office.events", _l("Information events"),
         _count(lambda f: f.office.event_count,
                lambda f: tuple((kind, n.events) for kind, n in f.office.events.items() if n.events))),
    *(Fact(f"office.events.{kind.value}", _l("Information events: %(kind)s", kind=kind.title),
           _count(lambda f, kind=kind: f.office.events[kind].events)) for kind in EventKind),
    Fact("office.event_participants", _l("Participants of the information events"),
         _count(lambda f: f.office.event_participants)),
    Fact("surveys.held", _l("Surveys held (stages asked)"),
         _count(lambda f: sum(1 for numbers in f.satisfaction if numbers.invited))),
    Fact("surveys.satisfied", _l("Satisfied (4-5), all surveys"), _share(_all_satisfied)),
    *(Fact(f"surveys.{stage.value}.satisfied", _l("Satisfied (4-5): %(stage)s", stage=stage.title),
           _share(_satisfied(stage))) for stage in SurveyStage),
    Fact("report.partners", _l("Partners of the project"), _count(lambda f: f.partner_count)),
)
FACTS = {fact.key: fact for fact in _FACTS}
