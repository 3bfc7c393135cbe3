"""Check digit shared by the IIN and the BIN."""

from flask_babel import lazy_gettext as _l

_FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def control_digit(digits: str) -> int | None:
    """Return the check digit for the first 11 digits, or None if no 12th digit can be valid."""
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()):
        raise ValueError(_l("A check digit needs exactly 11 digits."))
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        remainder = sum(w * int(d) for w, d in zip(weights, digits)) % 11
        if remainder != 10:
            return remainder
    return None
