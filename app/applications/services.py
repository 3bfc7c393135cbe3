"""What the applicant does with a draft: start it, save each step, attach documents, and learn
what is still missing before submission. Functions take objects and the acting user, check the
rules, change the session and leave the commit to the caller. Submission itself lives in
app.applications.submission."""
import re
import unicodedata

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import storage
from app.applications import eligibility
from app.applications.models import (Application, ApplicationDocument, ApplicationStatus, BudgetLine,
                                     SocialCategory)
from app.competitions.models import DocumentType
from app.competitions.services import CallState, call_state
from app.dbtypes import utcnow
from app.errors import FieldErrors, InvalidChange, Refused
from app.extensions import db
from app.i18n import current_language
from app.kz.iin import parse_iin
from app.kz.money import format_money
from app.kz.phone import normalize_phone
from app.kz.regions import get_region
from app.screening.models import DecisionOutcome, ScreeningDecision

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
DOCUMENTS_STEP = 6
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
DOCUMENTS_MAX = 20
UPLOAD_KINDS = ("pdf", "jpeg", "png")
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


def correction_request(application):
    """The screening decision asking for the correction the applicant is making, or None when
    the application is not waiting for one."""
    if application.status is not ApplicationStatus.CORRECTION_REQUESTED:
        return None
    latest = db.session.execute(
        sa.select(ScreeningDecision).where(ScreeningDecision.application_id == application.id)
        .order_by(ScreeningDecision.id.desc()).limit(1)
    ).scalar_one_or_none()
    return latest if latest is not None and latest.outcome is DecisionOutcome.CORRECTION_REQUESTED else None


def _correction_refusal(application, step):
    """A correction may change only the steps the screener named, and only until the deadline
    (not the call's window: corrections come after it closes)."""
    request = correction_request(application)
    if request is None:
        return _("This application has been submitted and can no longer be changed.")
    if utcnow() >= request.correction_deadline:
        return _("The deadline for the correction was %(date)s (Almaty time). The application can no "
                 "longer be changed.", date=format_datetime(request.correction_deadline, "d MMMM y, HH:mm"))
    if step is not None and step not in request.correction_steps:
        return _("The project office asked you to correct only: %(steps)s. This part of the application "
                 "cannot be changed.", steps="; ".join(str(STEPS[s]) for s in sorted(request.correction_steps)))
    return None


def _check_editable(application, step=None):
    refusal = edit_refusal(application, step)
    if refusal is not None:
        raise Refused(refusal)


def _text(data, name):
    return (data.get(name) or "").strip()


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_length(errors, name, value, limit):
    if len(value) > limit:
        errors.add(name, _("This is too long: at most %(max)s characters, you have %(count)s.",
                           max=limit, count=len(value)))


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


def iin_taken(competition, iin, application=None):
    """Whether another application already submitted in `competition` has this IIN."""
    query = sa.select(Application.id).where(
        Application.competition_id == competition.id, Application.submitted_iin == iin)
    if application is not None and application.id is not None:
        query = query.where(Application.id != application.id)
    return db.session.execute(query.limit(1)).first() is not None


IIN_TAKEN_MESSAGE = _l("An application with this IIN has already been submitted in this competition.")


def save_identity(application, data, actor):
    """Step 1: `iin`, `last_name`, `first_name`, `patronymic`, `phone`. Birth date and sex are
    read from the IIN. Empty values are kept empty (a draft); wrong ones refuse the whole step."""
    _check_editable(application, 1)
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
            if iin_taken(application.competition, iin, application):
                errors.add("iin", IIN_TAKEN_MESSAGE)
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
    _check_editable(application, 2)
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
    _check_length(errors, "address", address, ADDRESS_MAX)
    errors.raise_if_any()
    _set(application, {"region_code": region_code or None, "district_code": district_code or None,
                       "address": address or None})
    return application


# --- step 3: NEET declaration -----------------------------------------------------------------

def save_neet(application, data, actor):
    """Step 3: `not_working`, `not_studying`, `not_in_training` (booleans), `situation`,
    `social_categories` (SocialCategory values)."""
    _check_editable(application, 3)
    errors = FieldErrors()
    situation = _text(data, "situation")
    _check_length(errors, "situation", situation, SITUATION_MAX)
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
    _check_editable(application, 4)
    errors = FieldErrors()
    values = {"project_title": re.sub(r"\s+", " ", _text(data, "project_title"))}
    _check_length(errors, "project_title", values["project_title"], PROJECT_TITLE_MAX)
    for name in PROJECT_TEXT_FIELDS:
        values[name] = _text(data, name)
        _check_length(errors, name, values[name], PROJECT_TEXT_MAX)
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
    _check_editable(application, 5)
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
        _check_length(errors, key + "item", item, BUDGET_TEXT_MAX)
        _check_length(errors, key + "supplier", supplier, BUDGET_TEXT_MAX)
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


# --- step 6: documents ------------------------------------------------------------------------

def document_types(competition):
    """Every document type: the call's required ones first, then the optional ones."""
    required = [t for t in DocumentType if t.value in competition.required_documents]
    return required + [t for t in DocumentType if t not in required]


def _store(file_storage):
    try:
        return storage.save_upload(file_storage, allowed=UPLOAD_KINDS)
    except storage.UploadError as error:
        raise InvalidChange({"file": [error.message]}) from None


def _fill(document, stored):
    document.stored_name = stored.stored_name
    document.original_name = stored.original_name
    document.kind = stored.kind
    document.sha256 = stored.sha256
    document.size = stored.size
    document.uploaded_at = utcnow()


def add_document(application, doc_type, file_storage, actor):
    """Stores an uploaded file as a document of `doc_type` (a DocumentType) of the application."""
    _check_editable(application, DOCUMENTS_STEP)
    if len(application.documents) >= DOCUMENTS_MAX:
        raise InvalidChange({"file": [_(
            "An application can have at most %(max)s files. Delete one before adding another.",
            max=DOCUMENTS_MAX)]})
    stored = _store(file_storage)
    document = ApplicationDocument(doc_type=doc_type)
    _fill(document, stored)
    application.documents.append(document)
    application.updated_at = utcnow()
    db.session.flush()
    return document


def replace_document(document, file_storage, actor):
    """Puts a new file in place of the document's file; the old one is deleted on commit."""
    application = document.application
    _check_editable(application, DOCUMENTS_STEP)
    stored = _store(file_storage)
    storage.delete_after_commit(document.stored_name)
    _fill(document, stored)
    application.updated_at = utcnow()
    db.session.flush()
    return document


def delete_document(document, actor):
    """Removes the document; its file is deleted on commit."""
    application = document.application
    _check_editable(application, DOCUMENTS_STEP)
    storage.delete_after_commit(document.stored_name)
    application.documents.remove(document)
    application.updated_at = utcnow()
    db.session.flush()


# --- before submission ------------------------------------------------------------------------

def problems_before_submit(application):
    """What must still be filled in or uploaded, as (step number, message), in step order.

    Failing eligibility checks (age, region, budget over the cap) are not listed: the applicant
    may still submit and screening decides; `warnings` shows them."""
    problems = []

    def need(step, value, message):
        if value in (None, "", []):
            problems.append((step, message))

    a = application
    need(1, a.iin, _("Enter your IIN."))
    need(1, a.last_name, _("Enter your last name."))
    need(1, a.first_name, _("Enter your first name."))
    need(1, a.phone, _("Enter your mobile phone number."))
    need(2, a.region_code, _("Choose the region where you are registered."))
    if a.region_code and district_choices(a.competition, a.region_code):
        need(2, a.district_code, _("Choose your district."))
    need(2, a.address, _("Enter your registration address."))
    if not (a.not_working and a.not_studying and a.not_in_training):
        problems.append((3, _("Confirm that you are not working, not studying and not in training.")))
    need(3, a.situation, _("Describe your situation in your own words."))
    need(4, a.project_title, _("Give your project a title."))
    need(4, a.problem, _("Describe the problem your project solves."))
    need(4, a.goal, _("Describe the goal of your project."))
    need(4, a.target_group, _("Describe who the project is for."))
    need(4, a.activities, _("Describe what you will do."))
    need(4, a.beneficiaries_count, _("Enter how many people will benefit."))
    need(5, a.budget_lines, _("Add at least one purchase to the budget."))
    present = {document.doc_type.value for document in a.documents}
    for doc_type in document_types(a.competition):
        if doc_type.value in a.competition.required_documents and doc_type.value not in present:
            problems.append((6, _("Upload this document: %(document)s.", document=doc_type.title)))
    return problems


def complete_steps(application, problems=None):
    """The form steps (1-6) with nothing missing."""
    if problems is None:
        problems = problems_before_submit(application)
    incomplete = {step for step, _message in problems}
    return {step for step in FORM_STEPS if step not in incomplete}


# Which checks concern the values of each step (missing documents are a problem, not a warning).
STEP_CHECKS = {1: ("iin", "age"), 2: ("region",), 5: ("budget",)}


def eligibility_warnings(application, steps=FORM_STEPS):
    """The eligibility checks of `steps` that definitely fail, as (step number, Check)."""
    by_code = {check.code: check for check in eligibility.checks(application)}
    return [(step, by_code[code]) for step in steps for code in STEP_CHECKS.get(step, ())
            if by_code[code].failed]


def _set(application, values):
    for name, value in values.items():
        setattr(application, name, value)
    application.updated_at = utcnow()
    db.session.flush()
