"""The report to the Operator ("Annex 8" of the grant contract, the form of seeds 000-003) of a call,
in Kazakh or Russian, as a list of blocks (headings, paragraphs, tables, turns of the page) that
`annex8_docx` and `annex8_pdf` write out. The header comes from the organisation's details (the
admin area, asked through app.contracts.signals) and the plan's header; every figure comes from
app.reporting.facts; the plan's typed texts are printed as the manager wrote them."""
import re
from dataclasses import dataclass, field

from babel.numbers import format_decimal
from flask_babel import force_locale

from app.almaty import utc_to_almaty
from app.applications.models import SocialCategory
from app.contracts.signals import organisation_details
from app.dbtypes import utcnow
from app.kz.money import amount_in_words
from app.kz.regions import region_name
from app.reporting import plan
from app.reporting.annex8_text import BLANK, TEXT
from app.reporting.fact_values import FACTS, LOCALES
from app.reporting.facts import CallFacts, Period

LANGUAGES = ("kk", "ru")
FORMATS = ("docx", "pdf")
UP, LEFT = "\x00up", "\x00left"  # a cell merged with the one above / to the left
# Control characters no document can hold (line breaks and tabs are kept); the features refuse
# them on input, and the documents leave out any that got in another way.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(text):
    return _UNPRINTABLE.sub("", text)


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    label: str = ""  # printed in bold before the text
    italic: bool = False
    align: str = "left"  # or "right", "center"


@dataclass(frozen=True)
class Table:
    rows: list  # of rows of cells: text, UP or LEFT
    widths: tuple  # relative widths of the columns
    header_rows: int = 1
    small: bool = False


@dataclass(frozen=True)
class PageTurn:
    """The following blocks go on pages turned sideways (landscape) or upright."""

    landscape: bool


@dataclass
class Annex8:
    competition: object
    language: str
    title: str
    blocks: list = field(default_factory=list)

    def file_name(self, fmt):
        return f"annex8_{self.competition.code}_{self.language}.{fmt}"


def build(competition, language):
    """The report of `competition` in `language` ("kk" or "ru")."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    text = TEXT[language]
    header = plan.header_of(competition)
    facts = CallFacts(competition, Period(header.period_start, header.period_end))
    report = Annex8(competition, language, text["title"])
    with force_locale(language):
        for part in (_header, _section1, _sections2_3, _statistics, _sections5_6):
            report.blocks += part(competition, language, text, header, facts)
    return report


def _number(value, language):
    return format_decimal(value, locale=LOCALES[language]) if value is not None else ""


def _detail(organisation, name, language):
    """The organisation's `name` detail in `language` (else in Russian), or a blank to fill in."""
    if organisation is None:
        return BLANK
    return getattr(organisation, f"{name}_{language}", "") or getattr(organisation, f"{name}_ru", "") or BLANK


def _header(competition, language, text, header, facts):
    organisation = organisation_details()

    def detail(name):
        return _detail(organisation, name, language)

    amount = header.total_amount if header.total_amount is not None else facts.grants.amount
    start = header.period_start or utc_to_almaty(competition.opens_at).date()
    end = header.period_end or competition.project_ends_on or competition.report_due_date or \
        utc_to_almaty(utcnow()).date()
    project = plan.text(header, "project_name", language) or getattr(competition, f"title_{language}")
    phone = (organisation.phone if organisation else "") or BLANK
    lines = [
        (text["organisation"], detail("legal_name")), (text["director"], detail("director_name")),
        (text["address"], f"{detail('address')}, {phone}"), (text["project"], project),
        (text["period"], f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"),
        (text["amount"], text["amount_text"].format(figures=_number(amount, language),
                                                    words=amount_in_words(amount, language))),
    ]
    return [Para(text["annex"], align="right"), Heading(text["title"]),
            *(Para(value, label=f"{number}. {label}:") for number, (label, value) in enumerate(lines, start=1))]


def _section1(competition, language, text, header, facts):
    blocks = [Heading(text["section1"]), Para(text["section1_note"], italic=True),
              Para(plan.text(header, "goal", language), label=text["goal"]), Para("", label=text["achieved"])]
    blocks += [Para(f"– {label}: {facts.value(key).text(language)}") for key, label in text["key_results"].items()]
    blocks += [PageTurn(landscape=True), _activities(language, text, facts, competition), PageTurn(landscape=False),
               Para(text["effects_intro"]), _effects(language, text, facts, competition),
               Para(plan.text(header, "deviations", language), label=text["deviations"])]
    return blocks


def fact_text(row, facts, language, typed_language=None):
    """The fact of a plan row (an indicator or an effect row): its computed figure in `language`,
    or its typed text in `typed_language` (default: `language`, "kk" or "ru")."""
    if row.fact_key:
        return facts.value(row.fact_key).text(language) if row.fact_key in FACTS else "—"
    return plan.text(row, "fact", typed_language or language)


def _activities(language, text, facts, competition):
    columns = text["activities"]
    rows = [[*columns[:8], LEFT, columns[8]], [UP] * 7 + [text["plan"], text["fact"], UP]]
    for task in plan.tasks_of(competition):
        first_of_task = True
        for activity in task.activities or [None]:
            indicators = (activity.indicators if activity else []) or [None]
            for number, indicator in enumerate(indicators):
                cells = [plan.text(task, "title", language) if first_of_task else UP]
                if number == 0:
                    cells += [plan.text(activity, name, language) if activity else ""
                              for name in ("activity", "dates", "place", "participants", "results")]
                else:
                    cells += [UP] * 5
                cells += [plan.text(indicator, "name", language), plan.text(indicator, "plan", language),
                          fact_text(indicator, facts, language)] if indicator else ["", "", ""]
                cells.append((plan.text(activity, "effect", language) if activity else "") if number == 0 else UP)
                rows.append(cells)
                first_of_task = False
    return Table(rows, widths=(13, 15, 8, 9, 8, 15, 13, 8, 12, 13), header_rows=2, small=True)


def _effects(language, text, facts, competition):
    rows = [text["effects"]]
    for number, row in enumerate(plan.effects_of(competition), start=1):
        rows.append([f"{number}.", plan.text(row, "name", language), plan.text(row, "unit", language),
                     plan.text(row, "plan", language), fact_text(row, facts, language)])
    return Table(rows, widths=(5, 43, 18, 17, 17))


def _sections2_3(competition, language, text, header, facts):
    blocks = [Heading(text["section2"]), Para(plan.text(header, "achievement", language)),
              Heading(text["section3"]), Para(text["stories_note"], italic=True)]
    for story in facts.stories:
        place = region_name(story.region_code, language) if story.region_code else ""
        blocks.append(Para("", label=f"«{story.project_title}»" + (f" ({place})" if place else "")))
        blocks += [Para(part, label=f"{label}:") for label, part in zip(
            text["story_parts"], (story.situation, story.action, story.result)) if part]
        if story.quote:
            blocks.append(Para(f"«{story.quote}»" + (f" — {story.quote_by}" if story.quote_by else ""), italic=True))
    return blocks


def _statistics(competition, language, text, header, facts):
    statistics = facts.statistics
    groups = list(zip(text["groups"], (statistics.applicants, statistics.winners, statistics.beneficiaries)))

    def row(label, values):
        return [label, *(_number(value, language) for value in values)]

    gender = [[text["group"], *text["gender_columns"]]] + [
        row(label, (people.total, people.male, people.female)) for label, people in groups]
    social = [[text["group"], *text["social_columns"]]] + [
        row(label, (people.total, people.children, people.youth, None, None, people.disability, people.elderly,
                    people.unemployed, None, None, None)) for label, people in groups]
    categories = [[text["group"], *(str(category.title) for category in SocialCategory)]] + [
        row(label, [people.categories[category] for category in SocialCategory])
        for label, people in groups if people.categories is not None]
    ages = [[text["group"], *text["age_columns"]]] + [
        row(label, (people.total, *people.ages.values())) for label, people in groups]
    return [PageTurn(landscape=True), Heading(text["section4"]),
            Para("", label=text["gender"]), Table(gender, widths=(30, 24, 23, 23)),
            Para("", label=text["social"]), Table(social, widths=(16, *[7.6] * 11), small=True),
            Para("", label=text["categories"]), Table(categories, widths=(16, *[10.5] * 8), small=True),
            Para("", label=text["age"]), Table(ages, widths=(20, *[10] * 8), small=True),
            PageTurn(landscape=False)]


def _sections5_6(competition, language, text, header, facts):
    organisation = organisation_details()
    partners = [text["partner_columns"]] + [
        [plan.text(partner, "name", language), plan.text(partner, "role", language), partner.contacts,
         plan.text(partner, "note", language)] for partner in plan.partners_of(competition)]

    def detail(name):
        return _detail(organisation, name, language)

    return [Heading(text["section5"]), Para(plan.text(header, "results", language)),
            Heading(text["section6"]), Para(plan.text(header, "partners_analysis", language)),
            Heading(text["partners"]), Para(text["partners_note"], italic=True),
            Table(partners, widths=(30, 30, 22, 18)),
            Para(text["pages"]), Para(text["grantee"].format(name=detail("legal_name"))),
            Para(text["signature"].format(title=detail("director_title"), name=detail("director_name"))),
            Para(text["filled"]), Para(text["seal"])]
