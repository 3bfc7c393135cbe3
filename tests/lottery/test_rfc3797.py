"""RFC 3797 selection: canonical sources, key string, MD5 steps, and the RFC's worked example.

The example figures are those of RFC 3797 section 6 ("Fully Worked Example"): 25 eligible
volunteers, the three sources in the order the RFC announces them ("9319", "2 5 12 8 10",
"9 18 26 34 41 45"), the key string, the MD5 value of each step and the volunteer selected.
They were taken as reproduced by three independent public implementations that test against that
section: the RFC's reference code and its recorded output in richsalz/ietf-rfc3797-code
(`ref.seeds`, `ref.results`: 16 steps), the tests of CPAN's Algorithm::Voting::Sortition (key
string, the same 16 digests, and the 10 names selected) and a Go package's tests ("values taken
from Section 6 of the RFC"). All three agree. Note that the 9th and 10th selected are 19 and 13.
"""
import hashlib

import pytest

from app.lottery import rfc3797

RFC_SOURCES = ["9319", "2 5 12 8 10", "9 18 26 34 41 45"]
RFC_KEY = "9319./2.5.8.10.12./9.18.26.34.41.45./"
RFC_DIGESTS = [
    "990DD0A5692A029A98B5E01AA28F3459", "3691E55CB63FCC37914430B2F70B5EC6",
    "FE814EDF564C190AC1D25753979990FA", "1863CCACEB568C31D7DDBDF1D4E91387",
    "F4AB33DF4889F0AF29C513905BE1D758", "13EAEB529F61ACFB9A29D0BA3A60DE4A",
    "992DB77C382CA2BDB9727001F3CDCCD9", "63AB4258ECA922976811C7F55C383CE7",
    "DFBC5AC97CED01B3A6E348E3CC63F40D", "31CB111C4A4EBE9287CEAE16FE51B909",
    "07FA46C122F164C215BBC72793B189A3", "AC52F8D75CCBE2E61AFEB3387637D501",
    "53306F73E14FC0B2FBF434218D25948E", "B5D1403501A81F9A47318BE7893B347C",
    "85B10B356AA06663EF1B1B407765100A", "3269E6CE559ABD57E2BA6AAB495EB9BD",
]
# The "selected" column: positions in the pool of 25, step by step.
RFC_SELECTED = [17, 7, 2, 16, 25, 23, 8, 24, 19, 13, 22, 5, 18, 9, 1, 4]
RFC_VOLUNTEERS = [
    "John", "Mary", "Bashful", "Dopey", "Sleepy", "Grouchy", "Doc", "Sneazy", "Handsome",
    "Cassandra", "Pollyanna", "Pendragon", "Pandora", "Faith", "Hope", "Charity", "Lee",
    "Longsuffering", "Chastity", "Smith", "Pride", "Sloth", "Envy", "Anger", "Kasczynski",
]
RFC_NOMCOM = ["Lee", "Doc", "Mary", "Charity", "Kasczynski", "Envy", "Sneazy", "Anger", "Chastity", "Pandora"]


def test_rfc_example_key_string():
    assert rfc3797.key_string(RFC_SOURCES) == RFC_KEY


@pytest.mark.parametrize("step, digest", list(enumerate(RFC_DIGESTS)))
def test_rfc_example_digest_of_each_step(step, digest):
    assert rfc3797.step_digest(RFC_KEY, step).hex().upper() == digest


def test_rfc_example_selection_order():
    order = rfc3797.selection_order(RFC_KEY, 25)
    assert order[:16] == RFC_SELECTED
    assert sorted(order) == list(range(1, 26))
    assert [RFC_VOLUNTEERS[position - 1] for position in order[:10]] == RFC_NOMCOM


def test_first_step_is_the_whole_128_bit_digest_modulo_the_pool_plus_one():
    assert int(RFC_DIGESTS[0], 16) % 25 + 1 == RFC_SELECTED[0]


@pytest.mark.parametrize(
    "source, canonical",
    [
        ("2 5 12 8 10", "2.5.8.10.12./"),  # sorted numerically, not as text
        ("9319", "9319./"),  # a single number stays one number, not four digits
        ("09319", "9319./"),  # leading zeros dropped
        ("0", "0./"),
        ("000", "0./"),
        ("5 5 1", "1.5.5./"),  # repeated numbers are kept
        ("  7   3 ", "3.7./"),  # extra spaces do not change the key
        ("123456789012345678901234567890", "123456789012345678901234567890./"),
    ],
)
def test_canonical_source(source, canonical):
    assert rfc3797.canonical_source(source) == canonical


@pytest.mark.parametrize(
    "source",
    ["", "   ", "1,2", "1.5", "-3", "1\t2", "1\n2", "a", "١٢", "１２", None, 12],
)
def test_canonical_source_refuses_what_is_not_whole_numbers_separated_by_spaces(source):
    with pytest.raises(ValueError, match="non-negative whole numbers separated by spaces"):
        rfc3797.canonical_source(source)


def test_key_string_keeps_the_announced_order_of_sources():
    assert rfc3797.key_string(list(reversed(RFC_SOURCES))) == "9.18.26.34.41.45./2.5.8.10.12./9319./"


def test_key_string_names_the_bad_source():
    with pytest.raises(ValueError, match="Random source 2 must be"):
        rfc3797.key_string(["1 2", "3;4"])


@pytest.mark.parametrize("step, counter", [(0, b"\x00\x00"), (255, b"\x00\xff"), (256, b"\x01\x00"),
                                           (258, b"\x01\x02"), (65534, b"\xff\xfe")])
def test_step_number_is_two_bytes_big_endian_before_and_after_the_key(step, counter):
    expected = hashlib.md5(counter + RFC_KEY.encode() + counter).digest()
    assert rfc3797.step_digest(RFC_KEY, step) == expected


def test_selection_runs_to_exhaustion_at_the_65535_limit():
    order = rfc3797.selection_order(RFC_KEY, 65535)
    assert sorted(order) == list(range(1, 65536))
    first = hashlib.md5(b"\x00\x00" + RFC_KEY.encode() + b"\x00\x00").digest()
    assert order[0] == int.from_bytes(first, "big") % 65535 + 1


@pytest.mark.parametrize("size", [0, 65536])
def test_selection_refuses_a_pool_outside_1_to_65535(size):
    with pytest.raises(ValueError, match="from 1 to 65535 items"):
        rfc3797.selection_order(RFC_KEY, size)
