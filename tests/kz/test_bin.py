import pytest

from app.kz.bin import BinKind, parse_bin


@pytest.mark.parametrize(
    ("bin_", "kind"),
    [
        ("990340001230", BinKind.LEGAL_ENTITY_RESIDENT),
        ("120540004569", BinKind.LEGAL_ENTITY_RESIDENT),
        ("151050007896", BinKind.LEGAL_ENTITY_NON_RESIDENT),
        ("180960003219", BinKind.INDIVIDUAL_ENTREPRENEUR),
        (" 180960003219 ", BinKind.INDIVIDUAL_ENTREPRENEUR),
    ],
)
def test_parse_valid_bin(bin_, kind):
    assert parse_bin(bin_) is kind


@pytest.mark.parametrize(
    ("bin_", "message"),
    [
        ("18096000321X", "The BIN must contain only digits."),
        ("", "The BIN must contain only digits."),
        ("18096000321", "The BIN must have exactly 12 digits."),
        ("1809600032190", "The BIN must have exactly 12 digits."),
        ("180930003215", "The 5th digit of the BIN must be 4, 5 or 6."),
        ("180970003213", "The 5th digit of the BIN must be 4, 5 or 6."),
        ("900101300126", "The 5th digit of the BIN must be 4, 5 or 6."),  # an IIN
        ("180960003218", "The BIN's check digit does not match: please check the number."),
        ("990340001231", "The BIN's check digit does not match: please check the number."),
    ],
)
def test_parse_invalid_bin(bin_, message):
    with pytest.raises(ValueError) as excinfo:
        parse_bin(bin_)
    assert str(excinfo.value) == message
