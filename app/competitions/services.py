"""What the competitions feature does: set up a call (window, age rule, cap, documents), its strata
and regulations, and tell its state. Functions take objects and the acting user, check the rules,
change the session and write the audit log; the caller commits."""
import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import storage
from app.almaty import utc_to_almaty
from app.audit.services import record
from app.competitions.models import Competition, DocumentType, RegulationsDocument, Stratum
from app.dbtypes import utcnow
from app.enums import TitledEnum
from app.errors import FieldErrors, InvalidChange
from app.extensions import db
from app.kz.regions import get_region

LANGUAGES = ("kk", "ru", "en")
CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,8}$")
AGE_LIMITS = (14, 100)
APPEAL_DAYS_MAX = 90
TITLE_MAX = 255

COMPETITION_FIELDS = (
    "code", "title_kk", "title_ru", "title_en", "summary_kk", "summary_ru", "summary_en",
    "opens_at", "closes_at", "age_min", "age_max", "age_reference_date", "grant_cap",
    "appeal_days", "required_documents",
)


class CallState(TitledEnum):
    UPCOMING = "upcoming", _l("Not open yet")
    OPEN = "open", _l("Open for applications")
    CLOSED = "closed", _l("Closed")


# --- the call's state and dates -------------------------------------------------------------

def call_state(competition, now=None):
    """Upcoming before `opens_at`, open until `closes_at` (exclusive), closed after."""
    now = now or utcnow()
    if now < competition.opens_at:
        return CallState.UPCOMING
    if now < competition.closes_at:
        return CallState.OPEN
    return CallState.CLOSED


def reference_date(competition):
    """The date on which ages are counted: the one set, else the closing day in Asia/Almaty."""
    return competition.age_reference_date or utc_to_almaty(competition.closes_at).date()


def time_left(until, now=None):
    """Time from `now` to `until` (naive UTC), never negative."""
    return max(until - (now or utcnow()), timedelta(0))


def current_call(now=None):
    """The call to show on the home page: the open one closing first, else the next to open,
    else the one closed last; None when there is no call at all."""
    now = now or utcnow()
    open_ = sa.and_(Competition.opens_at <= now, Competition.closes_at > now)
    for condition, order in (
        (open_, Competition.closes_at.asc()),
        (Competition.opens_at > now, Competition.opens_at.asc()),
        (Competition.closes_at <= now, Competition.closes_at.desc()),
    ):
        call = db.session.execute(sa.select(Competition).where(condition).order_by(order).limit(1)).scalar()
        if call is not None:
            return call
    return None


def all_competitions():
    """Every competition, the latest window first."""
    return db.session.execute(sa.select(Competition).order_by(Competition.opens_at.desc())).scalars().all()


def regulations_document(competition, language):
    """The regulations in `language`, else in Russian, Kazakh or English; None when none."""
    by_language = {document.language: document for document in competition.regulations}
    for code in (language, "ru", "kk", "en"):
        if code in by_language:
            return by_language[code]
    return None


# --- competitions ---------------------------------------------------------------------------

def create_competition(data, actor):
    """A new competition from `data` (COMPETITION_FIELDS; `opens_at`/`closes_at` naive UTC)."""
    values = _normalized(data)
    _competition_errors(values).raise_if_any()
    competition = Competition(**values)
    db.session.add(competition)
    _flush_or_raise("code", _code_taken_message(values["code"]))
    record(actor, "competition.created", {"competition": competition.id, **_jsonable(values)})
    return competition


def update_competition(competition, data, actor):
    """Changes the competition's settings to `data`; the audit entry lists what changed."""
    values = _normalized(data)
    _competition_errors(values, competition).raise_if_any()
    changes = {}
    for name, value in values.items():
        old = getattr(competition, name)
        if old != value:
            changes[name] = [_jsonable_value(old), _jsonable_value(value)]
            setattr(competition, name, value)
    if changes:
        _flush_or_raise("code", _code_taken_message(values["code"]))
        record(actor, "competition.updated", {"competition": competition.id, "changes": changes})
    return competition


def _normalized(data):
    values = {name: data.get(name) for name in COMPETITION_FIELDS}
    for name in ("code", "title_kk", "title_ru", "title_en", "summary_kk", "summary_ru", "summary_en"):
        values[name] = (values[name] or "").strip()
    values["code"] = values["code"].upper()
    chosen = set(values["required_documents"] or ())
    # Kept in the order of DocumentType, so the same choice always looks the same.
    values["required_documents"] = [t.value for t in DocumentType if t.value in chosen] + sorted(
        chosen - {t.value for t in DocumentType})
    if values["appeal_days"] is None:
        values["appeal_days"] = 5
    return values


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _code_taken_message(code):
    return _l("Another competition already uses the code %(code)s. Choose a different code.", code=code)


def _competition_errors(values, competition=None):
    errors = FieldErrors()
    code = values["code"]
    if not CODE_PATTERN.match(code):
        errors.add("code", _l("The code must have 2 to 8 capital Latin letters or digits, for example ZP23."))
    else:
        taken = db.session.execute(
            sa.select(Competition.id).where(Competition.code == code,
                                            Competition.id != (competition.id if competition else None))
        ).first()
        if taken:
            errors.add("code", _code_taken_message(code))

    for language in LANGUAGES:
        title = values[f"title_{language}"]
        if not title:
            errors.add(f"title_{language}", _l("Enter the title in this language."))
        elif len(title) > TITLE_MAX:
            errors.add(f"title_{language}", _l("The title can have at most %(max)s characters.", max=TITLE_MAX))

    opens, closes = values["opens_at"], values["closes_at"]
    for name, value in (("opens_at", opens), ("closes_at", closes)):
        if not isinstance(value, datetime):
            errors.add(name, _l("Enter a date and time."))
    if isinstance(opens, datetime) and isinstance(closes, datetime) and closes <= opens:
        errors.add("closes_at", _l("The window must close after it opens."))

    low, high = AGE_LIMITS
    ages_valid = True
    for name in ("age_min", "age_max"):
        value = values[name]
        if not _is_int(value) or not low <= value <= high:
            errors.add(name, _l("The age must be a whole number from %(low)s to %(high)s.", low=low, high=high))
            ages_valid = False
    if ages_valid and values["age_min"] > values["age_max"]:
        errors.add("age_max", _l("The maximum age cannot be lower than the minimum age."))

    reference = values["age_reference_date"]
    if reference is not None and (not isinstance(reference, date) or isinstance(reference, datetime)):
        errors.add("age_reference_date", _l("Enter a date, or leave it empty to count ages on the closing date."))

    cap = values["grant_cap"]
    if not _is_int(cap) or cap <= 0:
        errors.add("grant_cap", _l("The grant cap must be a whole number of tenge greater than zero."))

    appeal_days = values["appeal_days"]
    if not _is_int(appeal_days) or not 0 <= appeal_days <= APPEAL_DAYS_MAX:
        errors.add("appeal_days", _l("The appeal period must be a whole number of days from 0 to %(max)s.",
                                     max=APPEAL_DAYS_MAX))

    known = {t.value for t in DocumentType}
    if any(value not in known for value in values["required_documents"]):
        errors.add("required_documents", _l("Choose document types from the list."))
    return errors


# --- strata ---------------------------------------------------------------------------------

def add_stratum(competition, region_code, quota, districts, actor):
    """A new stratum: applicants registered in `region_code` (in `districts` of it, or anywhere
    in it when none are given) compete for `quota` grants."""
    region_code, districts = _stratum_values(competition, region_code, quota, districts)
    stratum = Stratum(region_code=region_code, quota=quota, districts=districts)
    competition.strata.append(stratum)
    _flush_or_raise("region_code", _DUPLICATE_REGION)
    record(actor, "stratum.added", {
        "competition": competition.id, "stratum": stratum.id, "region": region_code,
        "quota": quota, "districts": districts,
    })
    return stratum


def update_stratum(stratum, region_code, quota, districts, actor):
    region_code, districts = _stratum_values(stratum.competition, region_code, quota, districts, stratum)
    changes = {}
    for name, value in (("region_code", region_code), ("quota", quota), ("districts", districts)):
        old = getattr(stratum, name)
        if old != value:
            changes[name] = [old, value]
            setattr(stratum, name, value)
    if changes:
        _flush_or_raise("region_code", _DUPLICATE_REGION)
        record(actor, "stratum.updated", {
            "competition": stratum.competition_id, "stratum": stratum.id, "changes": changes,
        })
    return stratum


def remove_stratum(stratum, actor):
    competition = stratum.competition
    record(actor, "stratum.removed", {
        "competition": competition.id, "stratum": stratum.id, "region": stratum.region_code,
        "quota": stratum.quota, "districts": list(stratum.districts),
    })
    competition.strata.remove(stratum)
    db.session.flush()


_DUPLICATE_REGION = _l("This competition already has a stratum for this region.")


def _stratum_values(competition, region_code, quota, districts, stratum=None):
    """The region code and the districts in the region's order; InvalidChange when a rule breaks."""
    errors = FieldErrors()
    region_code = (region_code or "").strip().upper()
    region = None
    if not region_code:
        errors.add("region_code", _l("Choose a region."))
    else:
        try:
            region = get_region(region_code)
        except KeyError:
            errors.add("region_code", _l("There is no region with the code %(code)s.", code=region_code))
    if region is not None and any(
        other.region_code == region_code and other is not stratum for other in competition.strata
    ):
        errors.add("region_code", _DUPLICATE_REGION)
    if not _is_int(quota) or quota < 1:
        errors.add("quota", _l("The quota must be a whole number of grants, at least 1."))
    chosen = list(dict.fromkeys(districts or ()))
    ordered = []
    if region is not None:
        in_region = [district.code for district in region.districts]
        if any(code not in in_region for code in chosen):
            errors.add("districts", _l("Choose only districts of the chosen region."))
        ordered = [code for code in in_region if code in chosen]
    errors.raise_if_any()
    return region_code, ordered


# --- regulations ----------------------------------------------------------------------------

def upload_regulations(competition, language, file_storage, actor):
    """Stores the regulations PDF in `language`, replacing an earlier one (whose file is deleted
    when the transaction commits)."""
    if language not in LANGUAGES:
        raise InvalidChange({"language": [_l("Regulations can be in Kazakh, Russian or English only.")]})
    try:
        stored = storage.save_upload(file_storage, allowed=("pdf",))
    except storage.UploadError as error:
        raise InvalidChange({"file": [error.message]}) from None
    document = next((d for d in competition.regulations if d.language == language), None)
    replaced = None
    if document is None:
        document = RegulationsDocument(language=language)
        competition.regulations.append(document)
    else:
        replaced = document.sha256
        storage.delete_after_commit(document.stored_name)
    document.stored_name = stored.stored_name
    document.original_name = stored.original_name
    document.sha256 = stored.sha256
    document.size = stored.size
    document.uploaded_at = utcnow()
    document.uploaded_by_id = actor.id if actor is not None else None
    db.session.flush()
    record(actor, "regulations.uploaded", {
        "competition": competition.id, "language": language, "file": stored.original_name,
        "sha256": stored.sha256, "size": stored.size, "replaced_sha256": replaced,
    })
    return document


# --- helpers --------------------------------------------------------------------------------

def _flush_or_raise(field, message):
    """Flushes; a unique constraint hit by a concurrent request becomes an InvalidChange."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise InvalidChange({field: [message]}) from None


def _jsonable_value(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


def _jsonable(values):
    return {name: _jsonable_value(value) for name, value in values.items()}
