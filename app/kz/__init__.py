"""Kazakhstan rules: IIN, BIN, IBAN, phones, regions and tenge amounts, as pure functions."""
