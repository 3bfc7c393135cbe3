"""The age buckets of the Operator's statistics (the "Annex 8" report, seeds 000-004): 13-16,
17-22, 23-27, 28-32, 33-45, 46-58 and 59 and over. Defined here only: the grantees' final reports
count the people they reached in them, the draw's balance table counts applicants in them, and
the report to the Operator adds those counts up."""
from typing import NamedTuple

from flask_babel import lazy_gettext as _l


class AgeBucket(NamedTuple):
    key: str  # names the bucket in stored data: "13_16", "59_plus"
    low: int  # the youngest age in it, in full years
    high: int | None  # the oldest; None: no upper end

    @property
    def title(self):
        if self.high is None:
            return _l("%(low)s years and over", low=self.low)
        return _l("%(low)s–%(high)s years", low=self.low, high=self.high)

    @property
    def short(self):
        """The label in tables: "23-27", "59+"."""
        return f"{self.low}-{self.high}" if self.high is not None else f"{self.low}+"

    def holds(self, age):
        return self.low <= age and (self.high is None or age <= self.high)


AGE_BUCKETS = (
    AgeBucket("13_16", 13, 16),
    AgeBucket("17_22", 17, 22),
    AgeBucket("23_27", 23, 27),
    AgeBucket("28_32", 28, 32),
    AgeBucket("33_45", 33, 45),
    AgeBucket("46_58", 46, 58),
    AgeBucket("59_plus", 59, None),
)


def bucket_of(age):
    """The bucket of `age` (full years), or None below the youngest (the statistics start at 13)."""
    return next((bucket for bucket in AGE_BUCKETS if bucket.holds(age)), None)
