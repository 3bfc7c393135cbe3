"""Business identification number (BIN): kind of organisation and check digit."""

import enum

from flask_babel import lazy_gettext as _l

from app.kz.checksum import control_digit


class BinKind(enum.Enum):
    LEGAL_ENTITY_RESIDENT = "resident"
    LEGAL_ENTITY_NON_RESIDENT = "non_resident"
    INDIVIDUAL_ENTREPRENEUR = "entrepreneur"


_KIND_BY_5TH_DIGIT = {
    "4": BinKind.LEGAL_ENTITY_RESIDENT,
    "5": BinKind.LEGAL_ENTITY_NON_RESIDENT,
    "6": BinKind.INDIVIDUAL_ENTREPRENEUR,
}


def parse_bin(text: str) -> BinKind:
    """Check a BIN and return the kind of organisation it belongs to."""
    bin_ = text.strip()
    if not (bin_.isascii() and bin_.isdigit()):
        raise ValueError(_l("The BIN must contain only digits."))
    if len(bin_) != 12:
        raise ValueError(_l("The BIN must have exactly 12 digits."))
    if bin_[4] not in _KIND_BY_5TH_DIGIT:
        raise ValueError(_l("The 5th digit of the BIN must be 4, 5 or 6."))
    if control_digit(bin_[:11]) != int(bin_[11]):
        raise ValueError(_l("The BIN's check digit does not match: please check the number."))
    return _KIND_BY_5TH_DIGIT[bin_[4]]
