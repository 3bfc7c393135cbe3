"""What the figures of a call are made of (app.reporting.facts computes them): plain dataclasses
the dashboard, the public pages and the report to the Operator read."""
from collections import Counter
from dataclasses import dataclass, field

from app.applications.models import SocialCategory
from app.kz.age_buckets import AGE_BUCKETS, bucket_of
from app.kz.iin import Sex

YOUTH = (14, 35)  # youth in Kazakhstan's youth policy, in full years
ELDERLY_FROM = 50  # "people of older age (50 and over)" of the Operator's form


@dataclass(frozen=True)
class Screening:
    received: int = 0
    eligible: int = 0
    rejected: int = 0
    withdrawn: int = 0  # withdrawn before any decision
    pending: int = 0  # waiting for a decision, a correction or an appeal
    by_reason: dict = field(default_factory=dict)  # ReasonCode -> rejected applications giving it


@dataclass
class DistrictCounts:
    district_code: str | None
    received: int = 0
    eligible: int = 0
    rejected: int = 0
    winners: int = 0


@dataclass
class RegionCounts(DistrictCounts):
    region_code: str | None = None
    quota: int | None = None  # None: not a stratum of the call
    districts: list = field(default_factory=list)  # DistrictCounts with a district, by code


@dataclass(frozen=True)
class Winners:
    count: int = 0
    by_region: tuple = ()  # (region code, winners), the strata's order
    neet_confirmed: int = 0

    @property
    def neet_share(self):
        return self.neet_confirmed / self.count if self.count else None


@dataclass(frozen=True)
class Grants:
    awarded: int = 0  # every grant not terminated
    contracts_signed: int = 0
    completed: int = 0
    terminated: int = 0
    amount: int = 0  # of the grants awarded
    approved: int = 0  # payments approved or paid
    paid: int = 0


@dataclass(frozen=True)
class Mentoring:
    pool: int = 0
    grants_with_mentor: int = 0
    meetings: int = 0


@dataclass(frozen=True)
class Monitoring:
    to_visit: int = 0  # grants under way or done, which the visit plan covers
    planned: int = 0  # of those, with a planned visit
    grants_visited: int = 0  # of those, visited at least once
    done: int = 0  # visits made
    groups: int = 0  # monitoring groups that made them


@dataclass(frozen=True)
class FinalReports:
    submitted: int = 0
    accepted: int = 0


@dataclass(frozen=True)
class Office:
    consultations: dict  # Channel -> n, every channel
    events: dict  # EventKind -> app.office_log.queries.Participants, every kind

    @property
    def consultation_count(self):
        return sum(self.consultations.values())

    @property
    def event_count(self):
        return sum(numbers.events for numbers in self.events.values())

    @property
    def event_participants(self):
        return sum(numbers.participants for numbers in self.events.values())


@dataclass(frozen=True)
class People:
    """A group of people by gender, age bucket and social status; None where it is not known."""

    total: int = 0
    female: int = 0
    male: int = 0
    ages: dict = field(default_factory=lambda: {bucket.key: 0 for bucket in AGE_BUCKETS})
    categories: dict | None = None  # SocialCategory -> n
    children: int | None = None
    youth: int | None = None
    disability: int | None = None
    elderly: int | None = None
    unemployed: int | None = None


@dataclass(frozen=True)
class Statistics:
    applicants: People
    winners: People
    beneficiaries: People


@dataclass(frozen=True)
class Story:
    project_title: str
    region_code: str | None
    situation: str
    action: str
    result: str
    quote: str
    quote_by: str


def people_of(applicants):
    """The People of applicants (objects with sex, age, categories and not_working)."""
    ages = Counter(bucket_of(applicant.age).key for applicant in applicants
                   if applicant.age is not None and bucket_of(applicant.age))
    categories = Counter(category for applicant in applicants for category in set(applicant.categories))
    known = [applicant.age for applicant in applicants if applicant.age is not None]
    return People(
        total=len(applicants), female=sum(applicant.sex is Sex.FEMALE for applicant in applicants),
        male=sum(applicant.sex is Sex.MALE for applicant in applicants),
        ages={bucket.key: ages[bucket.key] for bucket in AGE_BUCKETS},
        categories={category: categories[category.value] for category in SocialCategory},
        children=sum(age < 18 for age in known), youth=sum(YOUTH[0] <= age <= YOUTH[1] for age in known),
        disability=categories[SocialCategory.DISABILITY.value], elderly=sum(age >= ELDERLY_FROM for age in known),
        unemployed=sum(applicant.not_working for applicant in applicants))
