"""The demo's literal data, kept in the JSON files next to this module and read once, on import:

- people.json: first names, surnames (male forms), fathers' names for patronymics, mobile prefixes,
  address patterns per district ({h}: house, {f}: flat, {m}: microdistrict), registrations
  outside the strata, life situations ({year}), social categories, the reason for withdrawing;
- projects.json: project ideas in Russian and in Kazakh, with their budgets at list prices;
- documents.json: the stand-in documents' titles, file names and lines;
- screening.json: what the screener and the manager write, and what two applicants appeal with;
- organisation.json: the demo office's details, printed on contracts.

Texts given per "male"/"female" come back keyed by Sex, documents by DocumentType, rejection
messages by ReasonCode; lists come back as tuples."""
import json
from dataclasses import dataclass
from pathlib import Path

from app.competitions.models import DocumentType
from app.kz.iin import Sex
from app.screening.models import ReasonCode

HERE = Path(__file__).parent


@dataclass(frozen=True)
class ProjectIdea:
    title: str
    problem: str
    goal: str
    target_group: str
    activities: str
    beneficiaries: tuple  # (low, high)
    budget: tuple  # (item, quantity, unit price, supplier)
    regions: tuple  # the strata whose applicants may have this idea


@dataclass(frozen=True)
class StandIn:
    """A stand-in for a scanned document: its title (per language, joined by " / ") and file name."""

    title: str
    file_name: str


def _read(name):
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def _by_sex(texts):
    return {Sex(sex): text for sex, text in texts.items()}


def _idea(data):
    return ProjectIdea(
        title=data["title"], problem=data["problem"], goal=data["goal"], target_group=data["target_group"],
        activities=data["activities"], beneficiaries=tuple(data["beneficiaries"]),
        budget=tuple((line["item"], line["quantity"], line["unit_price"], line["supplier"])
                     for line in data["budget"]),
        regions=tuple(data["regions"]),
    )


_people = _read("people.json")
# origin ("kazakh", "other") -> Sex -> first names; origin -> surnames in the male form
FIRST_NAMES = {origin: {sex: tuple(names) for sex, names in _by_sex(by_sex).items()}
               for origin, by_sex in _people["first_names"].items()}
SURNAMES = {origin: tuple(names) for origin, names in _people["surnames"].items()}
# A Kazakh father's name gives a Kazakh-style and a Russian-style patronymic: form -> Sex -> patronymic.
KAZAKH_FATHERS = tuple({form: _by_sex(by_sex) for form, by_sex in father.items()}
                       for father in _people["fathers"]["kazakh"])
OTHER_FATHERS = tuple(_by_sex(father) for father in _people["fathers"]["other"])
MOBILE_PREFIXES = tuple(_people["mobile_prefixes"])
ADDRESSES = _people["addresses"]  # district code -> {"ru": pattern, "kk": pattern}
OUTSIDE_STRATA = tuple((place["region"], place["address"]) for place in _people["outside_strata"])
REGISTERED_ELSEWHERE = _people["registered_elsewhere"]  # what one address proof really says
SITUATIONS_RU = tuple(_by_sex(situation) for situation in _people["situations"]["ru"])
SITUATIONS_KK = tuple(_people["situations"]["kk"])
SOCIAL_CATEGORIES = tuple(_people["social_categories"])
WITHDRAWAL_REASON = _by_sex(_people["withdrawal_reason"])

# "ru", "kk" -> the project ideas written in that language
PROJECTS = {language: tuple(_idea(idea) for idea in ideas)
            for language, ideas in _read("projects.json").items()}

_documents = _read("documents.json")
DOCUMENT_LINES = _documents["lines"]  # format strings for the lines under the title
DOCUMENT_FOOTER = _documents["footer"]
SUBMITTED_DOCUMENTS = {DocumentType(doc_type): StandIn(**document)
                       for doc_type, document in _documents["submitted"].items()}
# What a screener finds when the NEET evidence is not what it claims to be.
WRONG_NEET_EVIDENCE = StandIn(**_documents["wrong_neet_evidence"])
FULL_ADDRESS_PROOF = StandIn(**_documents["full_address_proof"])  # the answer to a correction request
APPEAL_EVIDENCE = tuple(StandIn(**document) for document in _documents["appeal_evidence"])

_screening = _read("screening.json")
REJECTION_MESSAGES = {ReasonCode(code): text for code, text in _screening["rejection_messages"].items()}
CORRECTION_REQUESTS = _screening["correction_requests"]  # "answered", "unanswered" -> request
# duplicate kind -> why the screener passes a duplicates check that the story explains
DUPLICATE_OVERRIDES = _screening["duplicate_overrides"]
APPEALS = _screening["appeals"]  # "upheld", "dismissed" -> {"text": the appeal, "decision": the answer}

# The demo office's details (organisation.json), as an administrator would type them.
ORGANISATION = _read("organisation.json")
