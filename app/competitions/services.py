"""What the competitions feature does: set up a call (window, age rule, cap, documents, contract
terms), its strata and regulations, extend its deadline, and tell its state. Functions take
objects and the acting user, check the rules, change the session and write the audit log; the
caller commits. A setting locked at the call's stage (app.competitions.locks) is refused on
record: the caller settles the refusal (app.errors.settle)."""
import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import storage
from app.almaty import utc_to_almaty
from app.audit.services import record
from app.competitions.locks import SETTING_TITLES, locked_settings
from app.competitions.models import Competition, DeadlineExtension, DocumentType, RegulationsDocument, Stratum
from app.competitions.terms import CONTRACT_FIELDS, check_terms, normalized_terms
from app.dbtypes import utcnow
from app.enums import TitledEnum
from app.errors import FieldErrors, InvalidChange, Refused, audited
from app.extensions import db
from app.kz.regions import get_region

LANGUAGES = ("kk", "ru", "en")
CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,8}$")
AGE_LIMITS = (14, 100)
APPEAL_DAYS_MAX = 90
TITLE_MAX = 255
GRANT_CAP_MAX = 1_000_000_000  # tenge; far above any small grant, well inside the database's integer
QUOTA_MAX = 10_000
YEARS = (2000, 2100)  # dates of a call (window, reference date, extension) lie in these years
EXTENSION_REASON_MAX = 1000
TEXT_FIELDS = ("code", "title_kk", "title_ru", "title_en", "summary_kk", "summary_ru", "summary_en")

COMPETITION_FIELDS = (
    "code", "title_kk", "title_ru", "title_en", "summary_kk", "summary_ru", "summary_en",
    "opens_at", "closes_at", "age_min", "age_max", "age_reference_date", "grant_cap",
    "appeal_days", "required_documents", *CONTRACT_FIELDS,
)


class SettingsLocked(Refused):
    """A change of settings locked at the call's stage (`locked`: setting name -> Stage), refused
    on record: `messages` says which and why."""

    def __init__(self, locked, record):
        super().__init__(_l("Nothing was saved: these settings can no longer change."), record=record)
        self.locked = dict(locked)

    @property
    def messages(self):
        return [self.message, *(_l("%(setting)s: %(why)s", setting=SETTING_TITLES[name], why=stage.title)
                                for name, stage in self.locked.items())]


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
    """Changes the competition's settings to `data`; the audit entry lists what changed. A change
    of a setting locked at the call's stage is refused on record (SettingsLocked), nothing saved."""
    values = _normalized(data)
    competition = _locked(competition)
    _competition_errors(values, competition).raise_if_any()
    changes = {name: [_jsonable_value(getattr(competition, name)), _jsonable_value(value)]
               for name, value in values.items() if getattr(competition, name) != value}
    _refuse_locked(competition, changes, actor)
    for name in changes:
        setattr(competition, name, values[name])
    if changes:
        _flush_or_raise("code", _code_taken_message(values["code"]))
        record(actor, "competition.updated", {"competition": competition.id, "changes": changes})
    return competition


def _refuse_locked(competition, changes, actor):
    """SettingsLocked, on record, when `changes` (setting name -> [old, new]) touch a setting
    locked now; the draw's answer is locked until the transaction ends (see locks)."""
    locked = locked_settings(competition, for_change=True)
    refused = {name: stage for name, stage in locked.items() if name in changes}
    if refused:
        raise SettingsLocked(refused, audited(actor, "competition.change_refused", {
            "competition": competition.id, "code": competition.code,
            "changes": {name: changes[name] for name in refused},
            "locked_from": {name: stage.value for name, stage in refused.items()},
        }))


def _normalized(data):
    values = {name: data.get(name) for name in COMPETITION_FIELDS}
    for name in TEXT_FIELDS:
        values[name] = (values[name] or "").strip()
    values["code"] = values["code"].upper()
    chosen = set(values["required_documents"] or ())
    # Kept in the order of DocumentType, so the same choice always looks the same.
    values["required_documents"] = [t.value for t in DocumentType if t.value in chosen] + sorted(
        chosen - {t.value for t in DocumentType})
    if values["appeal_days"] is None:
        values["appeal_days"] = 5
    return normalized_terms(values)


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
    for name in TEXT_FIELDS[1:]:
        errors.check_storable(name, values[name])

    opens, closes = values["opens_at"], values["closes_at"]
    for name, value in (("opens_at", opens), ("closes_at", closes)):
        if not isinstance(value, datetime):
            errors.add(name, _l("Enter a date and time."))
        elif not in_years(value):
            errors.add(name, years_message())
    if in_years(opens) and in_years(closes) and closes <= opens:
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
    elif reference is not None and not in_years(reference):
        errors.add("age_reference_date", years_message())

    cap = values["grant_cap"]
    if not _is_int(cap) or cap <= 0:
        errors.add("grant_cap", _l("The grant cap must be a whole number of tenge greater than zero."))
    elif cap > GRANT_CAP_MAX:
        errors.add("grant_cap", _l("The grant cap can be at most %(max)s tenge.", max=_grouped(GRANT_CAP_MAX)))

    appeal_days = values["appeal_days"]
    if not _is_int(appeal_days) or not 0 <= appeal_days <= APPEAL_DAYS_MAX:
        errors.add("appeal_days", _l("The appeal period must be a whole number of days from 0 to %(max)s.",
                                     max=APPEAL_DAYS_MAX))

    known = {t.value for t in DocumentType}
    if any(value not in known for value in values["required_documents"]):
        errors.add("required_documents", _l("Choose document types from the list."))
    closing_day = utc_to_almaty(closes).date() if isinstance(closes, datetime) and in_years(closes) else None
    check_terms(values, closing_day, errors)
    return errors


def in_years(value):
    """Whether `value` (a date or datetime) lies in YEARS; False for anything else."""
    return isinstance(value, date) and YEARS[0] <= value.year <= YEARS[1]


def years_message():
    return _l("Enter a date from %(first)s to %(last)s.", first=YEARS[0], last=YEARS[1])


# --- the one amendment: extending the deadline ----------------------------------------------

def extend_deadline(competition, closes_at, reasons, actor, now=None):
    """Moves the deadline of the call later to `closes_at` (naive UTC), before it passes, for
    `reasons` ({"kk": ..., "ru": ..., "en": ...}) shown on the call page. Ages counted on the
    closing date keep counting on the old one: the age rule does not move with the window. After
    the deadline, or to a deadline not later, it is refused on record."""
    competition = _locked(competition)
    now = now or utcnow()
    previous = competition.closes_at
    attempt = {"competition": competition.id, "code": competition.code,
               "closes_at": [_jsonable_value(previous), _jsonable_value(closes_at)]}
    when = format_datetime(previous, "d MMMM y, HH:mm")
    if now >= previous:
        raise Refused(_l("The deadline passed on %(date)s (Almaty time): it can no longer be extended.", date=when),
                      record=audited(actor, "competition.deadline_extension_refused", attempt))
    errors = FieldErrors()
    texts = {}
    for language in LANGUAGES:
        name = f"reason_{language}"
        texts[language] = (reasons.get(language) or "").strip()
        if not texts[language]:
            errors.add(name, _l("Explain the extension in this language: applicants read it on the call page."))
        elif len(texts[language]) > EXTENSION_REASON_MAX:
            errors.add(name, _l("The reason can have at most %(max)s characters.", max=EXTENSION_REASON_MAX))
        errors.check_storable(name, texts[language])
    if not isinstance(closes_at, datetime):
        errors.add("closes_at", _l("Enter the new date and time."))
    elif not in_years(closes_at):
        errors.add("closes_at", years_message())
    errors.raise_if_any()
    if closes_at <= previous:
        raise Refused(_l("An extension moves the deadline later than %(date)s (Almaty time). A deadline cannot be "
                         "brought forward.", date=when), field="closes_at",
                      record=audited(actor, "competition.deadline_extension_refused", attempt))

    pinned = competition.age_reference_date is None
    if pinned:
        competition.age_reference_date = reference_date(competition)
    extension = DeadlineExtension(
        previous_closes_at=previous, closes_at=closes_at, reason_kk=texts["kk"], reason_ru=texts["ru"],
        reason_en=texts["en"], extended_by_id=actor.id if actor is not None else None, extended_at=now)
    competition.deadline_extensions.append(extension)
    competition.closes_at = closes_at
    db.session.flush()
    record(actor, "competition.deadline_extended", {
        **attempt, "extension": extension.id, "reasons": texts,
        "age_reference_date": competition.age_reference_date.isoformat() if pinned else None,
    })
    return extension


# --- strata ---------------------------------------------------------------------------------

def add_stratum(competition, region_code, quota, districts, actor):
    """A new stratum: applicants registered in `region_code` (in `districts` of it, or anywhere
    in it when none are given) compete for `quota` grants."""
    region_code, districts = _stratum_values(competition, region_code, quota, districts)
    competition = _locked(competition)
    _refuse_locked(competition, {"strata": [None, _stratum_text(region_code, quota, districts)]}, actor)
    stratum = Stratum(region_code=region_code, quota=quota, districts=districts)
    competition.strata.append(stratum)
    _flush_or_raise("region_code", _DUPLICATE_REGION)
    record(actor, "stratum.added", {
        "competition": competition.id, "stratum": stratum.id, "region": region_code,
        "quota": quota, "districts": districts,
    })
    return stratum


def update_stratum(stratum, region_code, quota, districts, actor):
    """Changes the stratum's region, districts (the set of strata) and quota, each unless locked."""
    region_code, districts = _stratum_values(stratum.competition, region_code, quota, districts, stratum)
    _locked(stratum.competition)
    changes = {name: [getattr(stratum, name), value]
               for name, value in (("region_code", region_code), ("quota", quota), ("districts", districts))
               if getattr(stratum, name) != value}
    attempt = [_stratum_text(stratum.region_code, stratum.quota, stratum.districts),
               _stratum_text(region_code, quota, districts)]
    touched = {"strata": bool({"region_code", "districts"} & changes.keys()), "quota": "quota" in changes}
    _refuse_locked(stratum.competition, {setting: attempt for setting, changed in touched.items() if changed}, actor)
    for name, (_old, value) in changes.items():
        setattr(stratum, name, value)
    if changes:
        _flush_or_raise("region_code", _DUPLICATE_REGION)
        record(actor, "stratum.updated", {
            "competition": stratum.competition_id, "stratum": stratum.id, "changes": changes,
        })
    return stratum


def remove_stratum(stratum, actor):
    competition = _locked(stratum.competition)
    _refuse_locked(competition, {"strata": [_stratum_text(stratum.region_code, stratum.quota, stratum.districts),
                                            None]}, actor)
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
    elif quota > QUOTA_MAX:
        errors.add("quota", _l("The quota can be at most %(max)s grants.", max=_grouped(QUOTA_MAX)))
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

def _locked(competition):
    """The competition row, locked until the transaction ends and read afresh: a change of its
    settings and a submission (which numbers under the same row) run one after the other."""
    return db.session.execute(
        sa.select(Competition).where(Competition.id == competition.id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def _grouped(number):
    """1000000 as 1 000 000, as the forms accept it."""
    return f"{number:,}".replace(",", " ")


def _stratum_text(region_code, quota, districts):
    """A stratum as the audit log of a refused change shows it."""
    return {"region": region_code, "quota": quota, "districts": list(districts)}


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
