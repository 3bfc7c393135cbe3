"""Drafting an application: the steps of the form, starting a draft (or continuing one), saving
each step with every wrong value refused in words, and whether the applicant may still change it
(a correction asked by screening reopens only some steps, until its deadline).

Functions take objects and the acting user, check the rules, change the session and leave the
commit to the caller. Documents (step 6) are app.applications.documents; what is still missing,
app.applications.completeness; submission, app.applications.submission."""
import re
import unicodedata

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.applications import eligibility
from app.applications.models import Application, ApplicationStatus, BudgetLine, SocialCategory
from app.applications.signals import correction_of
from app.competitions.services import CallState, call_state
from app.dbtypes import utcnow
from app.errors import FieldErrors, Refused
from app.extensions import db
from app.i18n import current_language
from app.kz.iin import parse_iin
from app.kz.money import format_money
from app.kz.phone import normalize_phone
from app.kz.regions import get_region

STEPS = {
    1: _l("About you"),
    2: _l("Registration address"),
    3: _l("NEET status"),
    4: _l("Your project"),
    5: _l("Budget"),
    6: _l("Documents"),
    7: _l("Review and submit"),
}
FORM_STEPS = (1, 2, 3, 4, 5, 6)
# A correction requested by screening reopens the steps it names until its deadline.
EDITABLE_STATUSES = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.CORRECTION_REQUESTED})

NAME_MAX = 100
ADDRESS_MAX = 255
SITUATION_MAX = 3000
PROJECT_TITLE_MAX = 200
PROJECT_TEXT_MAX = 4000
BENEFICIARIES_MAX = 1_000_000
BUDGET_LINES_MAX = 50
BUDGET_TEXT_MAX = 255
QUANTITY_MAX = 100_000
UNIT_PRICE_MAX = 1_000_000_000
BUDGET_TOTAL_MAX = BUDGET_LINES_MAX * QUANTITY_MAX * UNIT_PRICE_MAX  # the largest total a budget can add up to
PROJECT_TEXT_FIELDS = ("problem", "goal", "target_group", "activities")

# Letters of any alphabet, spaces, hyphens and apostrophes: "Әл-Фараби", "O'Brien".
_NAME_PUNCTUATION = frozenset(" -'’ʼ")


# --- starting and editing ---------------------------------------------------------------------

def call_closed_message(competition):
    closes = format_datetime(competition.closes_at, "d MMMM y, HH:mm")
    if call_state(competition) is CallState.UPCOMING:
        opens = format_datetime(competition.opens_at, "d MMMM y, HH:mm")
        return _("Applications to this competition open on %(opens)s (Almaty time).", opens=opens)
    return _("This competition closed on %(closes)s (Almaty time). Applications can no longer be "
             "started or changed.", closes=closes)


def applications_of(competition, applicant):
    """The applicant's applications to `competition`, the newest first."""
    return db.session.execute(
        sa.select(Application)
        .where(Application.competition_id == competition.id, Application.applicant_id == applicant.id)
        .order_by(Application.id.desc())
    ).scalars().all()


def current_application(competition, applicant):
    """The application the start page continues: an editable one, else one still in the
    competition (submitted or later), else None."""
    found = applications_of(competition, applicant)
    return (next((a for a in found if editable(a)), None)
            or next((a for a in found if a.status is not ApplicationStatus.WITHDRAWN), None))


def start_application(competition, applicant):
    """The applicant's editable application to `competition`, a new draft if there is none.

    Refused while the call is not open, and when the applicant already has a submitted one."""
    if call_state(competition) is not CallState.OPEN:
        raise Refused(call_closed_message(competition))
    existing = current_application(competition, applicant)
    if existing is not None and editable(existing):
        return existing
    if existing is not None:
        raise Refused(_("You have already submitted an application to this competition."))
    application = Application(competition=competition, applicant=applicant, status=ApplicationStatus.DRAFT,
                              phone=applicant.phone, social_categories=[])
    db.session.add(application)
    db.session.flush()
    return application


def editable(application):
    """Whether the application's status lets the applicant change it."""
    return application.status in EDITABLE_STATUSES


def edit_refusal(application, step=None):
    """Why the applicant cannot change the application (or its form step `step`) now, or None
    when they can."""
    if not editable(application):
        return _("This application has been submitted and can no longer be changed.")
    if application.status is ApplicationStatus.CORRECTION_REQUESTED:
        return _correction_refusal(application, step)
    if call_state(application.competition) is not CallState.OPEN:
        return call_closed_message(application.competition)
    return None


def _correction_refusal(application, step):
    """A correction may change only the steps the screener named, and only until the deadline
    (not the call's window: corrections come after it closes)."""
    request = correction_of(application)
    if request is None:
        return _("This application has been submitted and can no longer be changed.")
    if utcnow() >= request.correction_deadline:
        return _("The deadline for the correction was %(date)s (Almaty time). The application can no "
                 "longer be changed.", date=format_datetime(request.correction_deadline, "d MMMM y, HH:mm"))
    if step is not None and step not in request.correction_steps:
        return _("The project office asked you to correct only: %(steps)s. This part of the application "
                 "cannot be changed.", steps="; ".join(str(STEPS[s]) for s in sorted(request.correction_steps)))
    return None


def check_editable(application, step=None):
    """Refused (with the reason of `edit_refusal`) when the applicant cannot change it now."""
    refusal = edit_refusal(application, step)
    if refusal is not None:
        raise Refused(refusal)


def _text(data, name):
    return (data.get(name) or "").strip()


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_text(errors, name, value, limit, paragraphs=False):
    """Refuses text over `limit` characters or with a control character (line breaks and tabs
    are kept when `paragraphs`)."""
    if len(value) > limit:
        errors.add(name, _("This is too long: at most %(max)s characters, you have %(count)s.",
                           max=limit, count=len(value)))
    errors.check_storable(name, value, paragraphs)


# --- step 1: identity -------------------------------------------------------------------------

def name_problem(name):
    """What is wrong with a person's name as typed, or None."""
    if len(name) > NAME_MAX:
        return _("A name can have at most %(max)s characters.", max=NAME_MAX)
    if any(ch.isdigit() for ch in name) and not any(ch in "<>" for ch in name):
        return _("A name cannot contain digits.")
    if any(not (unicodedata.category(ch).startswith(("L", "M")) or ch in _NAME_PUNCTUATION) for ch in name):
        return _("A name can contain only letters, spaces, hyphens and apostrophes.")
    return None


def _iin_holder(competition, iin, application=None):
    """The applicant id of another application submitted in `competition` with this IIN, or None."""
    query = sa.select(Application.applicant_id).where(
        Application.competition_id == competition.id, Application.submitted_iin == iin)
    if application is not None and application.id is not None:
        query = query.where(Application.id != application.id)
    return db.session.execute(query.limit(1)).scalar()


IIN_TAKEN_MESSAGE = _l("An application with this IIN has already been submitted in this competition.")
# Said to anyone but the account that submitted it: whether an IIN has applied is not theirs to learn.
IIN_REFUSED_MESSAGE = _l("An application cannot be submitted with this IIN. If this is your IIN, contact the "
                         "project office.")


def iin_refusal(application, iin):
    """Why `application` cannot have this IIN because another application submitted in its call
    has it, or None: plainly to the account that submitted that one, neutrally to any other."""
    holder = _iin_holder(application.competition, iin, application)
    if holder is None:
        return None
    return IIN_TAKEN_MESSAGE if holder == application.applicant_id else IIN_REFUSED_MESSAGE


def save_identity(application, data, actor):
    """Step 1: `iin`, `last_name`, `first_name`, `patronymic`, `phone`. Birth date and sex are
    read from the IIN. Empty values are kept empty (a draft); wrong ones refuse the whole step."""
    check_editable(application, 1)
    errors = FieldErrors()
    values = {}

    iin = eligibility.normalize_iin(data.get("iin"))
    values["birth_date"] = values["sex"] = None
    if iin:
        try:
            values["birth_date"], values["sex"] = parse_iin(iin)
        except ValueError as error:
            errors.add("iin", error.args[0])
        else:
            refusal = iin_refusal(application, iin)
            if refusal is not None:
                errors.add("iin", refusal)
    values["iin"] = iin or None

    for name in ("last_name", "first_name", "patronymic"):
        value = re.sub(r"\s+", " ", _text(data, name))
        problem = name_problem(value) if value else None
        if problem:
            errors.add(name, problem)
        values[name] = value or None

    phone = _text(data, "phone")
    values["phone"] = None
    if phone:
        try:
            values["phone"] = normalize_phone(phone)
        except ValueError as error:
            errors.add("phone", error.args[0])

    errors.raise_if_any()
    _set(application, values)
    return application


# --- step 2: registration ---------------------------------------------------------------------

def district_choices(competition, region_code):
    """The district codes an applicant of `region_code` may choose: the stratum's list, else every
    district of the region in the data (empty for a region without districts)."""
    stratum = eligibility.stratum_for(competition, region_code)
    if stratum is None:
        return []
    if stratum.districts:
        return list(stratum.districts)
    try:
        return [district.code for district in get_region(region_code).districts]
    except KeyError:
        return []


def save_registration(application, data, actor):
    """Step 2: `region_code` (one of the call's strata), `district_code`, `address`."""
    check_editable(application, 2)
    errors = FieldErrors()
    competition = application.competition
    region_code = _text(data, "region_code").upper()
    district_code = _text(data, "district_code").upper()
    address = re.sub(r"\s+", " ", _text(data, "address"))

    if region_code and eligibility.stratum_for(competition, region_code) is None:
        errors.add("region_code", eligibility.region_check(competition, region_code).message)
    elif district_code:
        if not region_code:
            errors.add("region_code", _("Choose the region first, then the district."))
        elif district_code not in district_choices(competition, region_code):
            check = eligibility.region_check(competition, region_code, district_code)
            errors.add("district_code", check.message if check.failed
                       else _("Choose a district of the chosen region."))
    _check_text(errors, "address", address, ADDRESS_MAX)
    errors.raise_if_any()
    _set(application, {"region_code": region_code or None, "district_code": district_code or None,
                       "address": address or None})
    return application


# --- step 3: NEET declaration -----------------------------------------------------------------

def save_neet(application, data, actor):
    """Step 3: `not_working`, `not_studying`, `not_in_training` (booleans), `situation`,
    `social_categories` (SocialCategory values)."""
    check_editable(application, 3)
    errors = FieldErrors()
    situation = _text(data, "situation")
    _check_text(errors, "situation", situation, SITUATION_MAX, paragraphs=True)
    chosen = list(dict.fromkeys(data.get("social_categories") or ()))
    known = [category.value for category in SocialCategory]
    if any(value not in known for value in chosen):
        errors.add("social_categories", _("Choose categories from the list."))
    errors.raise_if_any()
    _set(application, {
        "not_working": bool(data.get("not_working")),
        "not_studying": bool(data.get("not_studying")),
        "not_in_training": bool(data.get("not_in_training")),
        "situation": situation or None,
        "social_categories": [value for value in known if value in chosen],
    })
    return application


# --- step 4: the project ----------------------------------------------------------------------

def save_project(application, data, actor):
    """Step 4: `project_title`, `problem`, `goal`, `target_group`, `activities`,
    `beneficiaries_count` (a whole number, at least 1, or None)."""
    check_editable(application, 4)
    errors = FieldErrors()
    values = {"project_title": re.sub(r"\s+", " ", _text(data, "project_title"))}
    _check_text(errors, "project_title", values["project_title"], PROJECT_TITLE_MAX)
    for name in PROJECT_TEXT_FIELDS:
        values[name] = _text(data, name)
        _check_text(errors, name, values[name], PROJECT_TEXT_MAX, paragraphs=True)
    count = data.get("beneficiaries_count")
    if count is not None and (not _is_int(count) or not 1 <= count <= BENEFICIARIES_MAX):
        errors.add("beneficiaries_count", _("Enter the number of people as a whole number, at least 1."))
    errors.raise_if_any()
    _set(application, {name: value or None for name, value in values.items()}
         | {"beneficiaries_count": count})
    return application


# --- step 5: budget ---------------------------------------------------------------------------

def _blank_line(line):
    return not any(line.get(name) not in (None, "") for name in ("item", "quantity", "unit_price", "supplier"))


def save_budget(application, lines, actor):
    """Step 5: replaces the purchase lines with `lines` (dicts of `item`, `quantity`,
    `unit_price`, `supplier`; blank ones are skipped). Refused when a line is wrong or the total
    is over the call's grant cap; the error keys are `lines-<index>-<field>` and `total`."""
    check_editable(application, 5)
    errors = FieldErrors()
    kept = []
    for index, line in enumerate(lines):
        if _blank_line(line):
            continue
        key = f"lines-{index}-"
        item = re.sub(r"\s+", " ", (line.get("item") or "").strip())
        supplier = re.sub(r"\s+", " ", (line.get("supplier") or "").strip())
        quantity, unit_price = line.get("quantity"), line.get("unit_price")
        if not item:
            errors.add(key + "item", _("Write what you will buy."))
        _check_text(errors, key + "item", item, BUDGET_TEXT_MAX)
        _check_text(errors, key + "supplier", supplier, BUDGET_TEXT_MAX)
        if not _is_int(quantity) or not 1 <= quantity <= QUANTITY_MAX:
            errors.add(key + "quantity", _("The quantity must be a whole number, at least 1."))
        if not _is_int(unit_price) or not 0 <= unit_price <= UNIT_PRICE_MAX:
            errors.add(key + "unit_price", _("The price must be a whole number of tenge, 0 or more."))
        kept.append({"item": item, "quantity": quantity, "unit_price": unit_price, "supplier": supplier})
    if len(kept) > BUDGET_LINES_MAX:
        errors.add("total", _("The budget can have at most %(max)s lines.", max=BUDGET_LINES_MAX))
    errors.raise_if_any()

    total = sum(line["quantity"] * line["unit_price"] for line in kept)
    cap = application.competition.grant_cap
    if total > cap:
        language = current_language()
        errors.add("total", _(
            "The budget total is %(total)s, more than the grant cap of %(cap)s. Lower the quantities "
            "or prices, or remove a line. Nothing was saved yet.",
            total=format_money(total, language), cap=format_money(cap, language)))
    errors.raise_if_any()

    application.budget_lines = [BudgetLine(position=position, **line) for position, line in enumerate(kept, 1)]
    application.updated_at = utcnow()
    db.session.flush()
    return application



def _set(application, values):
    for name, value in values.items():
        setattr(application, name, value)
    application.updated_at = utcnow()
    db.session.flush()
