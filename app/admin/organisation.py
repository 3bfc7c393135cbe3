"""The organisation's details (legal names, BIN, address, director, bank account, contacts):
`organisation()` for the features that print them, `update_organisation` for the administrator.
Numbers are checked with the Kazakhstan rules in app.kz and stored in their normal form."""
import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from app.admin.models import ADDRESS_MAX, TEXT_MAX, Organisation
from app.audit.services import record
from app.contracts.signals import organisation_asked
from app.dbtypes import utcnow
from app.errors import FieldErrors
from app.extensions import db
from app.kz.bin import parse_bin
from app.kz.iban import normalize_iban
from app.kz.phone import normalize_phone

TEXT_FIELDS = {
    "legal_name_kk": TEXT_MAX, "legal_name_ru": TEXT_MAX, "legal_name_en": TEXT_MAX,
    "address_kk": ADDRESS_MAX, "address_ru": ADDRESS_MAX,
    "director_name_kk": TEXT_MAX, "director_name_ru": TEXT_MAX,
    "director_title_kk": TEXT_MAX, "director_title_ru": TEXT_MAX,
    "bank_name": TEXT_MAX,
}
FIELDS = (*TEXT_FIELDS, "bin", "iban", "bic", "phone", "email")

# SWIFT code of a bank in Kazakhstan: bank (4 letters), KZ, location (2), optional branch (3).
_BIC = re.compile(r"^[A-Z]{4}KZ[A-Z0-9]{2}([A-Z0-9]{3})?$")


def organisation():
    """The organisation's details; before an administrator saves them, an unsaved row whose every
    field is empty (so that callers need not test for None)."""
    return db.session.get(Organisation, Organisation.ID) or Organisation(
        id=Organisation.ID, **{name: "" for name in FIELDS})


@organisation_asked.connect
def _answer_the_contracts(_sender, **_kwargs):
    return organisation()


def missing_fields(row):
    """The names of the details not given yet."""
    return [name for name in FIELDS if not getattr(row, name)]


def update_organisation(data, actor):
    """Saves the details in `data` (a dict of FIELDS; missing or None means empty). Broken rules
    raise InvalidChange with a message per field and change nothing; the audit entry lists each
    changed field with its old and new value."""
    values = _checked(data)
    row = db.session.get(Organisation, Organisation.ID, with_for_update=True)
    if row is None:
        row = Organisation(id=Organisation.ID, **{name: "" for name in FIELDS})
        db.session.add(row)
    changes = {}
    for name, value in values.items():
        old = getattr(row, name) or ""
        if old != value:
            changes[name] = [old, value]
            setattr(row, name, value)
    if changes:
        row.updated_at = utcnow()
        db.session.flush()
        record(actor, "organisation.updated", {"changes": changes})
    return row


def _checked(data):
    values = {name: _clean(data.get(name)) for name in FIELDS}
    errors = FieldErrors()
    for name, value in values.items():
        if any(unicodedata.category(ch) == "Cc" for ch in value):
            errors.add(name, _l("Remove the control characters (such as tabs or line breaks) from this "
                                "text."))
        elif len(value) > TEXT_FIELDS.get(name, TEXT_MAX):
            errors.add(name, _l("At most %(max)s characters.", max=TEXT_FIELDS.get(name, TEXT_MAX)))
    checks = {"bin": _bin, "iban": normalize_iban, "bic": _bic, "phone": lambda text: normalize_phone(text, mobile_only=False), "email": _email}
    for name, check in checks.items():
        if values[name] and name not in errors:
            try:
                values[name] = check(values[name])
            except ValueError as error:
                errors.add(name, error.args[0])
    errors.raise_if_any()
    return values


def _clean(value):
    return (value or "").strip()


def _bin(text):
    bin_ = "".join(text.split())
    parse_bin(bin_)
    return bin_


def _bic(text):
    bic = "".join(text.split()).upper()
    if not _BIC.match(bic):
        raise ValueError(_l("The BIC must have 8 or 11 Latin letters or digits, with KZ in the 5th and "
                            "6th places, for example HSBKKZKX."))
    return bic


def _email(text):
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValueError(_l("Enter a valid e-mail address, like name@example.kz.")) from None
