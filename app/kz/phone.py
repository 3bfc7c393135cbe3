"""Kazakh phone numbers (applicants': mobile; an office's may be a landline): checking, E.164
storage and display."""

import phonenumbers
from flask_babel import lazy_gettext as _l
from phonenumbers import NumberParseException, PhoneNumberType


def normalize_phone(text: str, mobile_only: bool = True) -> str:
    """Check a Kazakh number (a mobile one unless `mobile_only` is false) and return it in E.164
    form, e.g. +77011234567."""
    try:
        number = phonenumbers.parse(text, "KZ")
    except NumberParseException:
        raise ValueError(_l("This is not a valid phone number: please check it.")) from None
    if not phonenumbers.is_valid_number(number) or number.extension:
        raise ValueError(_l("This is not a valid phone number: please check it."))
    # Kazakhstan shares +7 with Russia; only the region tells them apart.
    if phonenumbers.region_code_for_number(number) != "KZ":
        raise ValueError(_l("Only Kazakh phone numbers are accepted."))
    # The KZ metadata tells mobile and fixed-line numbers apart (it never answers
    # FIXED_LINE_OR_MOBILE; a test guards this), so MOBILE alone is the right test.
    if mobile_only and phonenumbers.number_type(number) != PhoneNumberType.MOBILE:
        raise ValueError(_l("Please give a mobile phone number, not a landline."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """Show a Kazakh mobile number as +7 701 123 45 67."""
    digits = normalize_phone(e164)[2:]
    return f"+7 {digits[0:3]} {digits[3:6]} {digits[6:8]} {digits[8:10]}"
