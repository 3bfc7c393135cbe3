"""Individual identification number (IIN): birth date, sex and check digit."""

import datetime

from flask_babel import lazy_gettext as _l

from app.enums import TitledEnum
from app.kz.checksum import control_digit


class Sex(TitledEnum):
    MALE = "male", _l("Male")
    FEMALE = "female", _l("Female")


# 7th digit -> (first year of the century, sex)
_CENTURY_AND_SEX = {
    "1": (1800, Sex.MALE),
    "2": (1800, Sex.FEMALE),
    "3": (1900, Sex.MALE),
    "4": (1900, Sex.FEMALE),
    "5": (2000, Sex.MALE),
    "6": (2000, Sex.FEMALE),
}


def parse_iin(text: str) -> tuple[datetime.date, Sex]:
    """Check an IIN and return the birth date and sex it holds."""
    iin = text.strip()
    if not (iin.isascii() and iin.isdigit()):
        raise ValueError(_l("The IIN must contain only digits."))
    if len(iin) != 12:
        raise ValueError(_l("The IIN must have exactly 12 digits."))
    if iin[6] not in _CENTURY_AND_SEX:
        raise ValueError(_l("The 7th digit of the IIN must be from 1 to 6."))
    century, sex = _CENTURY_AND_SEX[iin[6]]
    try:
        birth_date = datetime.date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        raise ValueError(_l("The birth date in the IIN is not a real date.")) from None
    if control_digit(iin[:11]) != int(iin[11]):
        raise ValueError(_l("The IIN's check digit does not match: please check the number."))
    return birth_date, sex


def age_on(birth_date: datetime.date, on_date: datetime.date) -> int:
    """Full years of age on a given date."""
    if on_date < birth_date:
        raise ValueError(_l("The date is before the birth date."))
    # Comparing (month, day) makes someone born on 29 Feb a year older on 1 Mar in other years.
    birthday_not_yet = (on_date.month, on_date.day) < (birth_date.month, birth_date.day)
    return on_date.year - birth_date.year - birthday_not_yet
