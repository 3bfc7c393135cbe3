import phonenumbers
import pytest
from phonenumbers import PhoneNumberType

from app.kz.phone import format_phone, normalize_phone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+7 701 123 45 67", "+77011234567"),
        ("+77011234567", "+77011234567"),
        ("87011234567", "+77011234567"),
        ("8 (701) 123-45-67", "+77011234567"),
        ("7011234567", "+77011234567"),
        (" 8 701 123 45 67 ", "+77011234567"),
        ("+7 700 555 00 11", "+77005550011"),
        ("+7 708 555 00 11", "+77085550011"),
        ("+7 747 555 00 11", "+77475550011"),
        ("+7 771 555 00 11", "+77715550011"),
        ("+7 775 555 00 11", "+77755550011"),
        ("+7 778 555 00 11", "+77785550011"),
    ],
)
def test_normalize_valid_phone(text, expected):
    assert normalize_phone(text) == expected


INVALID = "This is not a valid phone number: please check it."
NOT_KAZAKH = "Only Kazakh phone numbers are accepted."
LANDLINE = "Please give a mobile phone number, not a landline."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", INVALID),
        ("", INVALID),
        ("123", INVALID),
        ("+7 701 123 45 6", INVALID),  # one digit short
        ("+7 701 123 45 678", INVALID),  # one digit too many
        ("+7 709 123 45 67", INVALID),  # unassigned prefix
        ("87011234567abc", INVALID),
        ("+7 701 123 45 67 ext 5", INVALID),
        ("+7 916 123 45 67", NOT_KAZAKH),  # Russian mobile
        ("8 916 123 45 67", NOT_KAZAKH),
        ("+44 7911 123456", NOT_KAZAKH),
        ("+7 727 258 12 34", LANDLINE),  # Almaty landline
        ("8 7172 55 12 34", LANDLINE),  # Astana landline
    ],
)
def test_normalize_invalid_phone(text, message):
    with pytest.raises(ValueError) as excinfo:
        normalize_phone(text)
    assert str(excinfo.value) == message


def test_kz_metadata_never_says_fixed_line_or_mobile():
    """normalize_phone relies on phonenumbers telling KZ mobiles from landlines."""
    for prefix in range(700, 800):
        number = phonenumbers.parse(f"+7{prefix}1234567")
        assert phonenumbers.number_type(number) != PhoneNumberType.FIXED_LINE_OR_MOBILE


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+77011234567", "+7 701 123 45 67"),
        ("+77780001020", "+7 778 000 10 20"),
    ],
)
def test_format_phone(e164, shown):
    assert format_phone(e164) == shown


def test_format_phone_refuses_non_kazakh():
    with pytest.raises(ValueError):
        format_phone("+79161234567")


@pytest.mark.parametrize(("text", "e164"), [("+7 727 258 12 34", "+77272581234"), ("8 7172 55 12 34", "+77172551234")])
def test_a_landline_is_accepted_where_mobile_only_is_off(text, e164):
    assert normalize_phone(text, mobile_only=False) == e164
