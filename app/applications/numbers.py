"""Application numbers as people type them ("zp25 0001", "1"): which number of a call they mean."""
import re

# Separators people type inside an application number: "zp25 0001", "ZP25–0001", "ZP25_0001".
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_./]+")
MAX_QUERY = 40


def _number_key(text, code):
    """What identifies an application number of the call `code`: its serial as an integer, from
    the full number ("ZP25-0001") or the serial alone ("1", "0001"); None for anything else."""
    compact = _SEPARATORS.sub("", text).upper()
    prefix = _SEPARATORS.sub("", code).upper()
    if prefix and compact.startswith(prefix) and compact[len(prefix):].isdigit():
        return int(compact[len(prefix):])
    if compact.isdigit():
        return int(compact)
    return None


def match_number(query, numbers, code):
    """The one number of `numbers` (application numbers of the call `code`) that `query` means,
    typed with spaces, in lower case or without the call's code; None if none or several match."""
    return NumberIndex(numbers, code).match(query)


_SEVERAL = object()  # more numbers than one have this serial


class NumberIndex:
    """Application numbers of the call `code`, indexed once so that each `match` (match_number's
    answer) is a look-up, not a pass over them all."""

    __slots__ = ("code", "_exact", "_by_key")

    def __init__(self, numbers, code):
        self.code = code
        self._exact = {}
        self._by_key = {}
        for number in numbers:
            self._exact.setdefault(_SEPARATORS.sub("", number).upper(), number)
            key = _number_key(number, code)
            self._by_key[key] = _SEVERAL if key in self._by_key else number

    def match(self, query):
        found = self._exact.get(_SEPARATORS.sub("", query).upper())
        if found is not None:
            return found
        key = _number_key(query, self.code)
        found = self._by_key.get(key) if key is not None else None
        return None if found is _SEVERAL else found


def numbers_meant(query, code):
    """The numbers of the call `code`, as the call gives them (ZP25-0001: four digits or more), that
    `query` may mean: what to look up in the database, then match_number among those found."""
    key = _number_key(query, code)
    return [] if key is None else [f"{code}-{key:04d}"]
