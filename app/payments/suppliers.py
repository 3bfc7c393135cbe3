"""Suppliers: checked once (BIN or IIN with its check digit, a Kazakh IBAN), then reused by every
grant; one supplier per BIN."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit.services import record
from app.errors import FieldErrors, InvalidChange
from app.extensions import db
from app.kz.bin import parse_bin
from app.kz.iban import normalize_iban
from app.kz.iin import parse_iin
from app.payments.models import Supplier

NAME_MAX = 300
BANK_MAX = 200
ADDRESS_MAX = 1000
FIELDS = ("name", "bin_iin", "iban", "bank", "address")


def all_suppliers():
    return db.session.execute(sa.select(Supplier).order_by(Supplier.name, Supplier.id)).scalars().all()


def supplier_with(bin_iin):
    return db.session.execute(sa.select(Supplier).where(Supplier.bin_iin == bin_iin)).scalar_one_or_none()


UNKNOWN_TO_GRANTEE = _l("No supplier with this BIN/IIN is registered yet: send the invoice's details to the "
                        "project office so that they add it.")
UNKNOWN_TO_STAFF = _l("No supplier with this BIN/IIN is registered yet: add it (the link opens a new tab), then "
                      "send this form again.")


def named_on_invoice(supplier_id, bin_iin_text, unknown=UNKNOWN_TO_GRANTEE):
    """The supplier registered with the BIN/IIN typed from the invoice, else the one picked from the
    list; None when neither was given (the request's own check says so). A typed number that is
    invalid, not registered (`unknown` says what to do) or not the listed supplier's is InvalidChange
    on `supplier_bin`: a request names exactly one supplier."""
    listed = db.session.get(Supplier, supplier_id) if supplier_id else None
    if not (bin_iin_text or "").strip():
        return listed
    try:
        supplier = supplier_with(check_bin_iin(bin_iin_text))
    except ValueError as error:
        raise InvalidChange({"supplier_bin": [error.args[0]]}) from None
    if supplier is None:
        raise InvalidChange({"supplier_bin": [unknown]})
    if listed is not None and listed is not supplier:
        raise InvalidChange({"supplier_bin": [_l("This BIN/IIN is the supplier “%(name)s”, not the one chosen in the "
                                                 "list: keep one of them.", name=supplier.name)]})
    return supplier


def check_bin_iin(text):
    """The number without spaces when it is a valid BIN or IIN; ValueError (with the reason) if not.
    A BIN's 5th digit is 4, 5 or 6; an IIN's is the first digit of a day of birth (0-3)."""
    number = "".join(text.split())
    if len(number) == 12 and number.isascii() and number.isdigit() and number[4] not in "456":
        parse_iin(number)
    else:
        parse_bin(number)
    return number


def _clean(values, supplier=None):
    """The values fit to store, or InvalidChange naming every field that is wrong."""
    errors = FieldErrors()
    clean = {name: (values.get(name) or "").strip() for name in FIELDS}
    for name, limit, message in (
            ("name", NAME_MAX, _l("Enter the supplier's name.")),
            ("bank", BANK_MAX, _l("Enter the bank's name.")),
            ("address", ADDRESS_MAX, _l("Enter the supplier's address."))):
        if not clean[name]:
            errors.add(name, message)
        elif len(clean[name]) > limit:
            errors.add(name, _l("At most %(max)s characters.", max=limit))
        errors.check_storable(name, clean[name], paragraphs=name == "address")
    try:
        clean["bin_iin"] = check_bin_iin(clean["bin_iin"])
    except ValueError as error:
        errors.add("bin_iin", error.args[0])
    else:
        holder = supplier_with(clean["bin_iin"])
        if holder is not None and holder is not supplier:
            errors.add("bin_iin", _l("This BIN/IIN is already registered for the supplier “%(name)s”: "
                                     "choose that supplier instead.", name=holder.name))
    try:
        clean["iban"] = normalize_iban(clean["iban"])
    except ValueError as error:
        errors.add("iban", error.args[0])
    errors.raise_if_any()
    return clean


def add_supplier(values, actor):
    clean = _clean(values)
    supplier = Supplier(**clean)
    db.session.add(supplier)
    _flush_unique()
    record(actor, "supplier.added", {"supplier": supplier.id, **clean})
    return supplier


def update_supplier(supplier, values, actor):
    clean = _clean(values, supplier)
    changes = {name: [getattr(supplier, name), value] for name, value in clean.items()
               if getattr(supplier, name) != value}
    if not changes:
        return supplier
    for name, (_old, value) in changes.items():
        setattr(supplier, name, value)
    _flush_unique()
    record(actor, "supplier.updated", {"supplier": supplier.id, "changes": changes})
    return supplier


def _flush_unique():
    """Flushes; the unique BIN caught here is one another worker registered a moment ago."""
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        raise InvalidChange({"bin_iin": [_l("This BIN/IIN is already registered for another supplier.")]}) from None
