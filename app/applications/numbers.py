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
    exact = _SEPARATORS.sub("", query).upper()
    for number in numbers:
        if _SEPARATORS.sub("", number).upper() == exact:
            return number
    key = _number_key(query, code)
    if key is None:
        return None
    found = [number for number in numbers if _number_key(number, code) == key]
    return found[0] if len(found) == 1 else None
