"""A demo pool of applicants for the demo call: realistic people of Almaty city and Mangystau
region, enough to screen and to draw from.

Most applications are complete and go through the real `submit()`, so their numbers, snapshots
and receipt mails are real. The pool also holds what screening has to catch: ages just under and
over the limits, registrations outside the strata, budgets over the cap, the same person or the
same phone twice, documents that are not what they claim to be, and drafts never finished.
Everything comes from random.Random(2023), so the pool is the same on every machine; ages are
counted back from the call's reference date, so they stay around the limits whatever today is.
The names, addresses, projects and texts it draws from are in app/demo/data/."""
import contextlib
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app, has_request_context

from app import storage
from app.applications.models import Application, ApplicationDocument, ApplicationStatus, BudgetLine
from app.applications.submission import SubmissionRefused, submit, withdraw
from app.auth.models import Role, User, UserRole
from app.auth.services import hash_password
from app.competitions.models import DocumentType
from app.competitions.services import reference_date
from app.dbtypes import utcnow
from app.demo.data import (
    ADDRESSES, FIRST_NAMES, KAZAKH_FATHERS, MOBILE_PREFIXES, OTHER_FATHERS, OUTSIDE_STRATA, PROJECTS,
    REGISTERED_ELSEWHERE, SITUATIONS_KK, SITUATIONS_RU, SOCIAL_CATEGORIES, SUBMITTED_DOCUMENTS, SURNAMES,
    WITHDRAWAL_REASON, WRONG_NEET_EVIDENCE, ProjectIdea,
)
from app.demo.documents import stand_in
from app.extensions import db
from app.kz.checksum import control_digit
from app.kz.iin import Sex, age_on
from app.kz.phone import normalize_phone

SEED = 2023
# Links in the receipt mails when the demo is loaded from the command line (`make run` serves here).
CLI_BASE_URL = "http://127.0.0.1:5000"
EMAIL = "applicant{:02d}@{}"
GRANT_CAP = 1_000_000  # the demo call's; the budgets are made to fit it (but for two)


@dataclass
class Profile:
    """One person of the pool and what they do with their application."""

    index: int
    sex: Sex
    last_name: str
    first_name: str
    patronymic: str | None
    birth_date: date
    iin: str
    phone: str
    locale: str
    region_code: str
    district_code: str | None
    address: str
    situation: str
    social_categories: list
    project: ProjectIdea
    beneficiaries: int
    budget: list  # (item, quantity, unit price, supplier)
    documents: list = field(default_factory=lambda: list(SUBMITTED_DOCUMENTS))
    wrong_neet_evidence: bool = False
    registered_elsewhere: str | None = None  # what the address proof really says
    action: str = "submit"  # submit; draft; first_steps (a draft of steps 1-2 only); withdraw
    note: str = ""  # what screening should notice

    @property
    def full_name(self):
        return " ".join(filter(None, (self.last_name, self.first_name, self.patronymic)))


# --- building the pool ----------------------------------------------------------------------

# People at and beyond the age limits (18-35 in the demo call): born `years` before the reference
# date, moved by `days` (+1: the birthday is the day after, so one year younger).
EDGE_BIRTHS = ((18, 1), (18, 1), (18, 0), (36, 1), (36, 0), (36, -100), (40, -100))
POOL = {"ALA": 30, "MAN": 22}  # ordinary applicants per stratum, before the special cases


def profiles(on, rng=None):
    """The whole pool as Profiles, ages counted on the date `on` (the call's reference date)."""
    rng = rng or random.Random(SEED)
    # The IINs' serial digits come from their own stream: how many tries a check digit takes
    # depends on the birth date, and so on today, and must not change everything drawn after.
    serials = random.Random(SEED + 1)
    people = []
    taken_iins = set()

    def person(region_code, district_code=None, **changes):
        profile = _ordinary(rng, serials, len(people) + 1, on, region_code, district_code, taken_iins)
        for name, value in changes.items():
            setattr(profile, name, value)
        people.append(profile)
        return profile

    for region_code, count in POOL.items():
        for _ in range(count):
            person(region_code)

    # At and beyond the age limits, in both strata.
    for n, (years, days) in enumerate(EDGE_BIRTHS):
        birth = _years_before(on, years) + timedelta(days=days)
        profile = person("ALA" if n % 2 == 0 else "MAN", note=f"age {age_on(birth, on)} on the reference date")
        _rebirth(serials, profile, birth, taken_iins)

    # Registered outside the strata.
    for region_code, address in OUTSIDE_STRATA:
        person(region_code, address=address, note="registered outside the strata")
    # Declares Almaty city, but the address proof shows Almaty region.
    person("ALA", "ALA-ALATAU", registered_elsewhere=REGISTERED_ELSEWHERE,
           note="address proof from outside the stratum")

    # Budgets over the grant cap (the cap was 1 000 000 ₸ when they saved them).
    for extra in (40_000, 180_000):
        profile = person("ALA" if extra < 100_000 else "MAN", note="budget over the cap")
        profile.budget = _over_cap(profile.budget, GRANT_CAP + extra)

    # NEET evidence that is a student certificate: the person is studying.
    for region_code in ("ALA", "MAN"):
        person(region_code, wrong_neet_evidence=True, note="NEET evidence is a student certificate")

    # The same person twice: a second account, the same name and birth date, an IIN one digit off.
    first = people[3]
    twin = person(first.region_code, first.district_code,
                  note=f"same name and birth date as applicant {first.index:02d}")
    for name in ("sex", "last_name", "first_name", "patronymic"):
        setattr(twin, name, getattr(first, name))
    _rebirth(serials, twin, first.birth_date, taken_iins)
    # Two applications from one phone: siblings at one address.
    elder = people[10]
    sibling = person(elder.region_code, elder.district_code, phone=elder.phone, address=elder.address,
                     note=f"same phone and address as applicant {elder.index:02d}")
    names = _first_names(elder)
    sibling.sex, sibling.last_name, sibling.patronymic = elder.sex, elder.last_name, elder.patronymic
    sibling.first_name = rng.choice([name for name in names if name != elder.first_name])
    _rebirth(serials, sibling, sibling.birth_date, taken_iins)
    person("MAN", phone=people[40].phone, note=f"same phone as applicant {people[40].index:02d}")

    # A second account with the same IIN: its submission is refused by the database.
    again = people[20]
    clone = person(again.region_code, again.district_code,
                   note=f"same IIN as applicant {again.index:02d}: refused, stays a draft")
    for name in ("sex", "last_name", "first_name", "patronymic", "birth_date", "iin", "address"):
        setattr(clone, name, getattr(again, name))

    # Drafts never finished: a required document missing, or only the first steps filled.
    for missing in (DocumentType.NEET_EVIDENCE, DocumentType.REGISTRATION_PROOF, DocumentType.NEET_EVIDENCE):
        profile = person(rng.choice(("ALA", "MAN")), action="draft", note=f"draft without {missing.value}")
        profile.documents = [t for t in profile.documents if t is not missing]
    person("ALA", action="first_steps", note="draft with the first steps only")
    # Withdrawn after submitting: found a job.
    person("MAN", action="withdraw", note="withdrawn: found a job")
    return people


def _ordinary(rng, serials, index, on, region_code, district_code, taken_iins):
    sex = rng.choice((Sex.FEMALE, Sex.MALE))
    kazakh = rng.random() < (0.8 if region_code == "MAN" else 0.6)
    origin = "kazakh" if kazakh else "other"
    first_name = rng.choice(FIRST_NAMES[origin][sex])
    last_name = _surname(rng.choice(SURNAMES[origin]), sex)
    if kazakh:
        father = rng.choice(KAZAKH_FATHERS)
        patronymic = father["kazakh_form" if rng.random() < 0.5 else "russian_form"][sex]
    else:
        patronymic = rng.choice(OTHER_FATHERS)[sex]
    if rng.random() < 0.08:
        patronymic = None
    locale = "kk" if kazakh and rng.random() < 0.6 else "ru"
    in_kazakh = locale == "kk" and rng.random() < 0.6

    if district_code is None and region_code in ("ALA", "MAN"):
        district_code = rng.choice([code for code in ADDRESSES if code.startswith(region_code + "-")])
    address = ""
    if district_code:
        pattern = ADDRESSES[district_code]["kk" if in_kazakh else "ru"]
        address = pattern.format(h=rng.randint(1, 120), f=rng.randint(1, 90), m=rng.randint(1, 32))

    age = rng.randint(18, 35)
    birth = _birth_for_age(rng, on, age)
    iin = _iin(serials, birth, sex, taken_iins)

    year = rng.randint(on.year - 4, on.year - 1)
    if in_kazakh:
        situation = rng.choice(SITUATIONS_KK).format(year=year)
    else:
        situation = rng.choice(SITUATIONS_RU)[sex].format(year=year)
    ideas = [idea for idea in PROJECTS["kk" if in_kazakh else "ru"]
             if region_code in idea.regions or region_code not in POOL]
    idea = rng.choice(ideas)
    budget = [(item, quantity, _vary(rng, price), supplier) for item, quantity, price, supplier in idea.budget]
    while sum(q * p for _, q, p, _ in budget) > GRANT_CAP:
        budget = [(item, quantity, price * 9 // 10, supplier) for item, quantity, price, supplier in budget]

    categories = sorted(rng.sample(SOCIAL_CATEGORIES, rng.choice((0, 1, 1, 2))))
    return Profile(
        index=index, sex=sex, last_name=last_name, first_name=first_name, patronymic=patronymic,
        birth_date=birth, iin=iin, phone=_phone(rng), locale=locale, region_code=region_code,
        district_code=district_code, address=address, situation=situation, social_categories=categories,
        project=idea, beneficiaries=rng.randint(*idea.beneficiaries), budget=budget,
    )


def _surname(male_form, sex):
    if sex is Sex.FEMALE and male_form.endswith(("ов", "ев", "ин", "ын")):
        return male_form + "а"
    return male_form  # Ким, Ли, Шевченко: the same for both


def _first_names(person):
    """The list of first names the person's own name comes from: a sibling's is from the same."""
    for by_sex in FIRST_NAMES.values():
        if person.first_name in by_sex[person.sex]:
            return by_sex[person.sex]
    raise ValueError(person.first_name)


def _vary(rng, price):
    """A price as a shop would quote it: within ±10 %, rounded to 500 tenge."""
    return round(price * rng.uniform(0.9, 1.1) / 500) * 500


def _over_cap(budget, target):
    """The budget with its last line dearer, so that the total reaches `target`."""
    total = sum(q * p for _, q, p, _ in budget)
    item, quantity, price, supplier = budget[-1]
    return budget[:-1] + [(item, quantity, price + -(-(target - total) // quantity), supplier)]


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _birth_for_age(rng, on, age):
    """A birth date that makes the person exactly `age` in full years on `on`."""
    latest = _years_before(on, age)
    earliest = _years_before(on, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randint(0, (latest - earliest).days))


def _rebirth(serials, profile, birth, taken_iins):
    profile.birth_date = birth
    profile.iin = _iin(serials, birth, profile.sex, taken_iins)


def _iin(rng, birth, sex, taken):
    """A valid IIN for `birth` and `sex` that no one in the pool has yet."""
    century = {18: 1, 19: 3, 20: 5}[birth.year // 100] + (sex is Sex.FEMALE)
    while True:
        head = f"{birth:%y%m%d}{century}{rng.randint(0, 9999):04d}"
        digit = control_digit(head)
        if digit is not None and head + str(digit) not in taken:
            taken.add(head + str(digit))
            return head + str(digit)


def _phone(rng):
    while True:
        candidate = f"+7{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 9_999_999):07d}"
        try:
            return normalize_phone(candidate)
        except ValueError:
            continue


# --- loading --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PoolSummary:
    accounts: int
    submitted: Counter  # region code -> submitted applications
    drafts: int
    withdrawn: int
    refused: int

    def line(self):
        by_region = ", ".join(f"{code} {count}" for code, count in sorted(self.submitted.items()))
        return (f"Demo applicants: {self.accounts} accounts, {sum(self.submitted.values())} submitted "
                f"({by_region}), {self.drafts} drafts ({self.refused} refused at submission), "
                f"{self.withdrawn} withdrawn.")


def load_applications(competition, password, email_domain):
    """Adds the pool to `competition` (open now) in the current transaction; the caller commits.

    Every applicant gets a confirmed account applicantNN@`email_domain` with `password`, hashed
    once for them all: hashing it for each would take longer than the rest of the demo."""
    password_hash = hash_password(password)
    pool = profiles(reference_date(competition))
    submitted, drafts, withdrawn, refused = Counter(), 0, 0, 0
    with url_context():
        for profile in pool:
            user = User(email=EMAIL.format(profile.index, email_domain), password_hash=password_hash,
                        phone=profile.phone,
                        locale=profile.locale, email_confirmed_at=utcnow(),
                        role_links=[UserRole(role=Role.APPLICANT)])
            db.session.add(user)
            application = _application(competition, user, profile)
            db.session.flush()
            if profile.action in ("draft", "first_steps"):
                drafts += 1
                continue
            try:
                submit(application, user, consent=True)
            except SubmissionRefused:
                refused += 1
                drafts += 1
                continue
            if profile.action == "withdraw":
                withdraw(application, user, WITHDRAWAL_REASON[profile.sex])
                withdrawn += 1
            else:
                submitted[profile.region_code] += 1
    return PoolSummary(accounts=len(pool), submitted=submitted, drafts=drafts, withdrawn=withdrawn,
                       refused=refused)


def url_context():
    """The links in the receipt mails need a host: the request's, SERVER_NAME, or the local one."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return contextlib.nullcontext()
    return current_app.test_request_context(base_url=CLI_BASE_URL)


def _application(competition, user, profile):
    application = Application(
        competition=competition, applicant=user, status=ApplicationStatus.DRAFT,
        iin=profile.iin, last_name=profile.last_name, first_name=profile.first_name,
        patronymic=profile.patronymic, phone=profile.phone, birth_date=profile.birth_date, sex=profile.sex,
        region_code=profile.region_code, district_code=profile.district_code, address=profile.address,
        social_categories=[],
    )
    db.session.add(application)
    if profile.action == "first_steps":
        return application
    application.not_working = application.not_studying = application.not_in_training = True
    application.situation = profile.situation
    application.social_categories = profile.social_categories
    project = profile.project
    application.project_title = project.title
    application.problem = project.problem
    application.goal = project.goal
    application.target_group = project.target_group
    application.activities = project.activities
    application.beneficiaries_count = profile.beneficiaries
    application.budget_lines = [
        BudgetLine(position=position, item=item, quantity=quantity, unit_price=price, supplier=supplier)
        for position, (item, quantity, price, supplier) in enumerate(profile.budget, 1)
    ]
    for doc_type in profile.documents:
        document = SUBMITTED_DOCUMENTS[doc_type]
        if doc_type is DocumentType.NEET_EVIDENCE and profile.wrong_neet_evidence:
            document = WRONG_NEET_EVIDENCE
        address = None
        if doc_type is DocumentType.REGISTRATION_PROOF:
            address = profile.registered_elsewhere or profile.address
        upload = stand_in(document, profile.full_name, profile.iin, profile.birth_date, address)
        stored = storage.save_upload(upload, allowed=("pdf",))
        application.documents.append(ApplicationDocument(
            doc_type=doc_type, stored_name=stored.stored_name, original_name=stored.original_name,
            kind=stored.kind, sha256=stored.sha256, size=stored.size))
    return application

