"""Kazakh bank account numbers (IBAN, ISO 13616)."""

from flask_babel import lazy_gettext as _l


def normalize_iban(text: str) -> str:
    """Check a Kazakh IBAN and return it without spaces, in capitals."""
    iban = "".join(text.split()).upper()
    if not iban.startswith("KZ"):
        raise ValueError(_l("The IBAN must start with KZ: only Kazakh bank accounts are accepted."))
    if len(iban) != 20:
        raise ValueError(_l("The IBAN must have exactly 20 characters."))
    if not (iban.isascii() and iban[2:4].isdigit() and iban[4:].isalnum()):
        raise ValueError(_l("The IBAN must be KZ, then 2 digits, then 16 Latin letters or digits."))
    rearranged = iban[4:] + iban[:4]
    # int(c, 36) turns 0-9 into 0-9 and A-Z into 10-35, as ISO 13616 asks.
    if int("".join(str(int(c, 36)) for c in rearranged)) % 97 != 1:
        raise ValueError(_l("The IBAN's check digits do not match: please check the number."))
    return iban
