import pytest

from app.kz.money import amount_in_words, format_money

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "locale", "expected"),
    [
        (1_000_000, "ru", f"1{NBSP}000{NBSP}000{NBSP}₸"),
        (1_000_000, "kk", f"1{NBSP}000{NBSP}000{NBSP}₸"),
        (1_000_000, "ru_KZ", f"1{NBSP}000{NBSP}000{NBSP}₸"),
        (1_000_000, "kk_KZ", f"1{NBSP}000{NBSP}000{NBSP}₸"),
        (1_000_000, "en", "₸1,000,000"),
        (0, "ru", f"0{NBSP}₸"),
        (0, "en", "₸0"),
        (999, "kk", f"999{NBSP}₸"),
        (254_321, "ru", f"254{NBSP}321{NBSP}₸"),
        (-1_500, "ru", f"-1{NBSP}500{NBSP}₸"),
        (-1_500, "en", "-₸1,500"),
    ],
)
def test_format_money(amount, locale, expected):
    assert format_money(amount, locale) == expected


@pytest.mark.parametrize(
    ("amount", "lang", "expected"),
    [
        (0, "ru", "ноль тенге"),
        (1, "ru", "один тенге"),
        (21, "ru", "двадцать один тенге"),
        (1_000_000, "ru", "один миллион тенге"),
        (254_321, "ru", "двести пятьдесят четыре тысячи триста двадцать один тенге"),
        (0, "kk", "нөл теңге"),
        (1, "kk", "бір теңге"),
        (21, "kk", "жиырма бір теңге"),
        (1_000_000, "kk", "бір миллион теңге"),
        (254_321, "kk", "екі жүз елу төрт мың үш жүз жиырма бір теңге"),
        (1_000_000, "en", "one million tenge"),
    ],
)
def test_amount_in_words(amount, lang, expected):
    assert amount_in_words(amount, lang) == expected


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (-1, "The amount cannot be negative."),
        (1.5, "The amount must be a whole number of tenge."),
        ("100", "The amount must be a whole number of tenge."),
        (True, "The amount must be a whole number of tenge."),
    ],
)
def test_amount_in_words_refuses(amount, message):
    with pytest.raises(ValueError) as excinfo:
        amount_in_words(amount, "ru")
    assert str(excinfo.value) == message


@pytest.mark.parametrize("amount", [1.0, "100"])
def test_format_money_refuses_non_int(amount):
    with pytest.raises(ValueError):
        format_money(amount, "ru")


@pytest.mark.parametrize("call", [format_money, amount_in_words])
def test_unknown_language(call):
    with pytest.raises(ValueError) as excinfo:
        call(100, "de")
    assert str(excinfo.value) == "Amounts can be shown only in Kazakh, Russian or English."
