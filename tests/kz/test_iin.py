import datetime

import pytest

from app.kz.iin import Sex, age_on, parse_iin

D = datetime.date


@pytest.mark.parametrize(
    ("iin", "birth_date", "sex"),
    [
        ("880229100014", D(1888, 2, 29), Sex.MALE),
        ("950615200014", D(1895, 6, 15), Sex.FEMALE),
        ("900101300126", D(1990, 1, 1), Sex.MALE),
        ("850315401231", D(1985, 3, 15), Sex.FEMALE),
        ("991231302347", D(1999, 12, 31), Sex.MALE),
        ("050712500776", D(2005, 7, 12), Sex.MALE),
        ("071231603451", D(2007, 12, 31), Sex.FEMALE),
        ("000229601111", D(2000, 2, 29), Sex.FEMALE),
        ("900101300811", D(1990, 1, 1), Sex.MALE),  # check digit from the second round
        ("  900101300126\n", D(1990, 1, 1), Sex.MALE),
    ],
)
def test_parse_valid_iin(iin, birth_date, sex):
    assert parse_iin(iin) == (birth_date, sex)


ONLY_DIGITS = "The IIN must contain only digits."
TWELVE = "The IIN must have exactly 12 digits."
CENTURY = "The 7th digit of the IIN must be from 1 to 6."
DATE = "The birth date in the IIN is not a real date."
CHECK = "The IIN's check digit does not match: please check the number."


@pytest.mark.parametrize(
    ("iin", "message"),
    [
        ("", ONLY_DIGITS),
        ("90010130012A", ONLY_DIGITS),
        ("9001 0130 0126", ONLY_DIGITS),
        ("900101-300126", ONLY_DIGITS),
        ("９００１０１３００１２６", ONLY_DIGITS),  # full-width digits
        ("90010130012", TWELVE),
        ("9001013001260", TWELVE),
        ("900101000127", CENTURY),
        ("900101700121", CENTURY),
        ("900101800120", CENTURY),
        ("900101900120", CENTURY),
        ("900231300123", DATE),  # 31 February
        ("010229500028", DATE),  # 29 February 2001
        ("901301300120", DATE),  # month 13
        ("900100300120", DATE),  # day 0
        ("900101300127", CHECK),
        ("900101300125", CHECK),
        ("900101300810", CHECK),  # second round gives 1
        ("900101300800", CHECK),  # both rounds give 10: never valid
        ("900101300809", CHECK),
    ],
)
def test_parse_invalid_iin(iin, message):
    with pytest.raises(ValueError) as excinfo:
        parse_iin(iin)
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    ("birth_date", "on_date", "age"),
    [
        (D(2008, 5, 10), D(2008, 5, 10), 0),
        (D(2008, 5, 10), D(2026, 5, 9), 17),  # day before the birthday
        (D(2008, 5, 10), D(2026, 5, 10), 18),  # on the birthday
        (D(2008, 5, 10), D(2026, 12, 31), 18),
        (D(2008, 2, 29), D(2026, 2, 28), 17),  # non-leap year: not yet on 28 Feb
        (D(2008, 2, 29), D(2026, 3, 1), 18),  # ... but on 1 Mar
        (D(2008, 2, 29), D(2028, 2, 28), 19),  # leap year: day before
        (D(2008, 2, 29), D(2028, 2, 29), 20),  # leap year: on the day
    ],
)
def test_age_on(birth_date, on_date, age):
    assert age_on(birth_date, on_date) == age


def test_age_on_before_birth():
    with pytest.raises(ValueError) as excinfo:
        age_on(D(2008, 5, 10), D(2008, 5, 9))
    assert str(excinfo.value) == "The date is before the birth date."
