import pytest

from app.kz.iban import normalize_iban


def make_iban(bban: str) -> str:
    """Build a KZ IBAN the way banks do: check digits = 98 - (BBAN + "KZ00") mod 97."""
    numeric = "".join(str(int(c, 36)) for c in bban + "KZ00")
    return f"KZ{98 - int(numeric) % 97:02d}{bban}"


def test_make_iban_matches_published_example():
    assert make_iban("125KZT5004100100") == "KZ86125KZT5004100100"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KZ86125KZT5004100100", "KZ86125KZT5004100100"),
        ("kz86 125k zt50 0410 0100", "KZ86125KZT5004100100"),
        ("  KZ86 125K ZT50 0410 0100\n", "KZ86125KZT5004100100"),
        (make_iban("601A871001234567"), make_iban("601A871001234567")),
        (make_iban("722S000001234567"), make_iban("722S000001234567")),
        (make_iban("96503F0001234567"), make_iban("96503F0001234567")),
        (make_iban("0000000000000000"), make_iban("0000000000000000")),
    ],
)
def test_valid_iban(text, expected):
    assert normalize_iban(text) == expected


COUNTRY = "The IBAN must start with KZ: only Kazakh bank accounts are accepted."
LENGTH = "The IBAN must have exactly 20 characters."
CHARACTERS = "The IBAN must be KZ, then 2 digits, then 16 Latin letters or digits."
CHECK = "The IBAN's check digits do not match: please check the number."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("DE89370400440532013000", COUNTRY),
        ("", COUNTRY),
        ("КZ86125KZT5004100100", COUNTRY),  # Cyrillic К
        ("KZ86125KZT500410010", LENGTH),
        ("KZ86125KZT50041001000", LENGTH),
        ("KZ86-125KZT5004100100", LENGTH),
        ("KZ86125KZT50041001-0", CHARACTERS),
        ("KZ86125КZT5004100100", CHARACTERS),  # Cyrillic К inside
        ("KZA6125KZT5004100100", CHARACTERS),
        ("KZ87125KZT5004100100", CHECK),
        ("KZ86125KZT5004100101", CHECK),
        ("KZ86215KZT5004100100", CHECK),  # two characters swapped
    ],
)
def test_invalid_iban(text, message):
    with pytest.raises(ValueError) as excinfo:
        normalize_iban(text)
    assert str(excinfo.value) == message
