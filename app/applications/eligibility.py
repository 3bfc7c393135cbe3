"""Eligibility of an application against its call's rules, as far as the form can tell.

The same checks give the applicant feedback while typing and on the review page, and give
screening its automatic checks. Each answers yes, no, or "cannot tell yet" (ok=None: the value is
not filled in), with a message in plain words and the evidence it looked at. A failing check never
stops a draft from being saved or submitted: screening decides. Duplicates are screening's business.
"""
from dataclasses import dataclass, field

from flask_babel import format_date
from flask_babel import gettext as _

from app.competitions.models import DocumentType
from app.competitions.services import reference_date
from app.i18n import current_language
from app.kz.iin import age_on, parse_iin
from app.kz.money import format_money
from app.kz.regions import district_name, region_name

CODES = ("iin", "age", "region", "documents", "budget")


@dataclass(frozen=True)
class Check:
    code: str
    ok: bool | None  # None: cannot tell yet
    message: str
    evidence: dict = field(default_factory=dict)

    @property
    def failed(self):
        return self.ok is False


def checks(application):
    """Every check of `application` against its call, in the order of CODES."""
    competition = application.competition
    present = sorted({document.doc_type.value for document in application.documents})
    lines = application.budget_lines
    return [
        iin_check(application.iin),
        age_check(competition, application.iin),
        region_check(competition, application.region_code, application.district_code),
        documents_check(competition, present),
        budget_check(competition, application.budget_total if lines else None),
    ]


def failing_codes(application):
    """The codes of the checks `application` fails, in the order of CODES and separated by spaces
    ("" when none fails): what Application.failed_checks keeps for screening's filter."""
    return " ".join(check.code for check in checks(application) if check.failed)


def check_values(competition, iin=None, region_code=None, district_code=None, budget_total=None):
    """The checks of values typed but not saved yet: only those that concern the values given."""
    found = []
    if iin is not None:
        found += [iin_check(iin), age_check(competition, iin)]
    if region_code is not None:
        found.append(region_check(competition, region_code, district_code))
    if budget_total is not None:
        found.append(budget_check(competition, budget_total))
    return found


def normalize_iin(text):
    """The IIN as stored: digits only, the spaces people type between groups removed."""
    return "".join((text or "").split())


def iin_check(iin):
    iin = normalize_iin(iin)
    if not iin:
        return Check("iin", None, _("Enter your IIN: the 12 digits on your identity card."))
    try:
        birth_date, sex = parse_iin(iin)
    except ValueError as error:
        return Check("iin", False, str(error.args[0]), {"iin": iin})
    return Check("iin", True, _("The IIN is correct."),
                 {"iin": iin, "birth_date": birth_date.isoformat(), "sex": sex.value})


def age_check(competition, iin):
    on = reference_date(competition)
    evidence = {"reference_date": on.isoformat(), "age_min": competition.age_min, "age_max": competition.age_max}
    try:
        birth_date, _sex = parse_iin(normalize_iin(iin))
    except ValueError:
        return Check("age", None, _("Your age will be checked once the IIN is correct."), evidence)
    evidence["birth_date"] = birth_date.isoformat()
    values = {"date": format_date(on, "d MMMM y"), "min": competition.age_min, "max": competition.age_max}
    if birth_date > on:
        return Check("age", False, _(
            "By the birth date in your IIN you are not yet born on %(date)s. "
            "This competition is for people aged %(min)s to %(max)s.", **values), evidence)
    age = age_on(birth_date, on)
    evidence["age"] = age
    if competition.age_min <= age <= competition.age_max:
        return Check("age", True, _(
            "On %(date)s you will be %(age)s: within the age rule of %(min)s to %(max)s.", age=age, **values),
            evidence)
    return Check("age", False, _(
        "On %(date)s you will be %(age)s, but this competition is for people aged %(min)s to %(max)s. "
        "You can still submit, but the application will probably be rejected.", age=age, **values),
        evidence)


def stratum_for(competition, region_code):
    return next((s for s in competition.strata if s.region_code == region_code), None)


def region_check(competition, region_code, district_code=None):
    allowed = [s.region_code for s in competition.strata]
    evidence = {"region": region_code or None, "district": district_code or None, "strata": allowed}
    if not region_code:
        return Check("region", None, _("Choose the region where you are registered."), evidence)
    stratum = stratum_for(competition, region_code)
    if stratum is None:
        return Check("region", False, _(
            "This competition is only for people registered in: %(regions)s. "
            "%(region)s is not one of them.",
            regions=", ".join(region_name(code, current_language()) for code in allowed), region=region_name(region_code, current_language())),
            evidence)
    if stratum.districts:
        evidence["districts"] = list(stratum.districts)
        if not district_code:
            return Check("region", None, _("Choose your district."), evidence)
        if district_code not in stratum.districts:
            return Check("region", False, _(
                "In %(region)s this competition is only for people registered in: %(districts)s.",
                region=region_name(region_code, current_language()),
                districts=", ".join(district_name(code, current_language()) for code in stratum.districts)), evidence)
    place = district_name(district_code, current_language()) if district_code else region_name(region_code, current_language())
    return Check("region", True, _("%(region)s takes part in this competition.", region=place), evidence)


def documents_check(competition, present_types):
    """`present_types`: the DocumentType values of the documents uploaded."""
    required = [t for t in DocumentType if t.value in competition.required_documents]
    missing = [t for t in required if t.value not in present_types]
    evidence = {"required": [t.value for t in required], "present": sorted(present_types),
                "missing": [t.value for t in missing]}
    if missing:
        return Check("documents", False, _(
            "These documents are still missing: %(documents)s.",
            documents="; ".join(str(t.title) for t in missing)), evidence)
    return Check("documents", True, _("Every required document is uploaded."), evidence)


def budget_check(competition, total):
    """`total`: the budget in tenge, or None when there are no purchase lines yet."""
    cap = competition.grant_cap
    evidence = {"total": total, "cap": cap}
    language = current_language()
    if total is None:
        return Check("budget", None, _("Add the things you plan to buy."), evidence)
    values = {"total": format_money(total, language), "cap": format_money(cap, language)}
    if total <= 0:
        return Check("budget", False, _("The budget total is %(total)s. It must be more than zero.", **values),
                     evidence)
    if total > cap:
        return Check("budget", False, _(
            "The budget total is %(total)s, more than the grant cap of %(cap)s. "
            "Lower the quantities or prices.", **values), evidence)
    return Check("budget", True, _("The budget total is %(total)s, within the grant cap of %(cap)s.", **values),
                 evidence)
