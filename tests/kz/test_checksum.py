import pytest

from app.kz.checksum import control_digit


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("90010130012", 6),  # first round
        ("85031540123", 1),
        ("99034000123", 0),
        ("90010130081", 1),  # first round gives 10, second round decides
        ("90010130085", 9),
        ("90010130080", None),  # both rounds give 10: no valid number
        ("90010130161", None),
    ],
)
def test_control_digit(digits, expected):
    assert control_digit(digits) == expected


@pytest.mark.parametrize("digits", ["9001013001", "900101300123", "9001013001a", "９００１０１３００１２"])
def test_control_digit_needs_11_ascii_digits(digits):
    with pytest.raises(ValueError, match="exactly 11 digits"):
        control_digit(digits)
