"""The age buckets of the Operator's statistics, defined once (app.kz.age_buckets)."""
import pytest

from app.kz.age_buckets import AGE_BUCKETS, bucket_of


def test_the_buckets_are_the_operators():
    assert [(b.low, b.high) for b in AGE_BUCKETS] == [
        (13, 16), (17, 22), (23, 27), (28, 32), (33, 45), (46, 58), (59, None)]


@pytest.mark.parametrize("age, key", [
    (12, None), (13, "13_16"), (16, "13_16"), (17, "17_22"), (22, "17_22"), (23, "23_27"), (32, "28_32"),
    (33, "33_45"), (45, "33_45"), (46, "46_58"), (58, "46_58"), (59, "59_plus"), (101, "59_plus"),
])
def test_every_age_from_13_falls_in_one_bucket(age, key):
    assert (bucket_of(age).key if bucket_of(age) else None) == key
    assert sum(bucket.holds(age) for bucket in AGE_BUCKETS) == (0 if key is None else 1)


def test_the_titles_say_the_years(request_ctx):
    assert [str(b.title) for b in AGE_BUCKETS[:1] + AGE_BUCKETS[-1:]] == ["13–16 years", "59 years and over"]
