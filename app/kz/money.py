"""Tenge amounts: display per locale and amounts in words for contracts."""

from babel.numbers import format_decimal
from flask_babel import lazy_gettext as _l
from num2words import num2words

# Our language -> (Babel locale for grouping, num2words language, currency word)
_LANGUAGES = {
    "ru": ("ru_KZ", "ru", "тенге"),
    "kk": ("kk_KZ", "kz", "теңге"),
    "en": ("en", "en", "tenge"),
}


def _language(locale: str) -> tuple[str, str, str]:
    language = locale.replace("-", "_").split("_")[0].lower()
    if language not in _LANGUAGES:
        raise ValueError(_l("Amounts can be shown only in Kazakh, Russian or English."))
    return _LANGUAGES[language]


def _check_int(amount: int) -> None:
    # bool is an int subclass, but True is not an amount of money.
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise ValueError(_l("The amount must be a whole number of tenge."))


def format_money(amount: int, locale: str) -> str:
    """Format whole tenge: 1 000 000 ₸ in ru/kk (no-break spaces), ₸1,000,000 in en."""
    _check_int(amount)
    babel_locale, _, _ = _language(locale)
    if babel_locale == "en":
        sign = "-" if amount < 0 else ""
        return f"{sign}₸{format_decimal(abs(amount), locale='en')}"
    return f"{format_decimal(amount, locale=babel_locale)}\u00a0₸"


def amount_in_words(amount: int, lang: str) -> str:
    """Write whole tenge in words, e.g. "один миллион тенге"."""
    _check_int(amount)
    if amount < 0:
        raise ValueError(_l("The amount cannot be negative."))
    _, words_lang, currency = _language(lang)
    return f"{num2words(amount, lang=words_lang)} {currency}"
