"""IETF RFC 3797, "Publicly Verifiable Nominations Committee (NomCom) Random Selection".

Follows the RFC's section 4 and its reference code (section 6 reproduces exactly, see the tests):

- each source is a list of non-negative whole numbers; its canonical form is the numbers in
  ascending order, each in decimal without leading zeros and followed by ".", then a "/"
  ("2 5 12 8 10" -> "2.5.8.10.12./", "09319" -> "9319./");
- the key string is the canonical sources concatenated in the order they were announced, so it
  ends with "/";
- selection step i (from 0) hashes the key with MD5, the step number as 2 bytes big-endian both
  before and after it; the digest as a 128-bit unsigned integer modulo the number of items still
  in the pool, plus 1, is the position of the selected item among those remaining, which then
  leaves the pool. The 2-byte counter limits the pool to 65535 items.
"""
import hashlib
import re

from flask_babel import lazy_gettext as _l

MAX_POOL = 65535

# Numbers separated by spaces; ASCII digits only (str.isdigit would accept other scripts' digits).
_NUMBERS = re.compile(r" *[0-9]+(?: +[0-9]+)* *")


def canonical_source(source):
    """The canonical form of one source: `"2 5 12 8 10"` -> `"2.5.8.10.12./"`."""
    if not isinstance(source, str) or not _NUMBERS.fullmatch(source):
        raise ValueError(_l("An RFC 3797 source must be non-negative whole numbers separated by spaces."))
    return "".join(f"{number}." for number in sorted(int(word) for word in source.split())) + "/"


def key_string(sources):
    """The RFC's key string: the canonical sources in their given order."""
    key = []
    for number, source in enumerate(sources, start=1):
        try:
            key.append(canonical_source(source))
        except ValueError:
            raise ValueError(_l(
                "Random source %(number)s must be non-negative whole numbers separated by spaces "
                "(RFC 3797).", number=number)) from None
    return "".join(key)


def step_digest(key, step):
    """MD5 over the key with the 2-byte big-endian step number prefixed and suffixed."""
    counter = step.to_bytes(2, "big")
    return hashlib.md5(counter + key.encode("ascii") + counter, usedforsecurity=False).digest()


def selection_order(key, pool_size):
    """The pool positions (1-based) in the order the RFC selects them, until the pool is empty.

    The RFC's example prints, for each step, this list's element: the "selected" column."""
    if not 0 < pool_size <= MAX_POOL:
        raise ValueError(_l("RFC 3797 selects from 1 to 65535 items; this pool has %(count)s.",
                            count=pool_size))
    remaining = list(range(1, pool_size + 1))
    order = []
    for step in range(pool_size):
        # list.pop is a memmove: 65535 of them take a fraction of a second (see bench/).
        index = int.from_bytes(step_digest(key, step), "big") % len(remaining)
        order.append(remaining.pop(index))
    return order
