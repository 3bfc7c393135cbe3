"""The demo pool of applicants: realistic, valid, enough to screen, the same on every machine."""
import time
from collections import Counter
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from app.applications.models import Application, ApplicationStatus, SocialCategory
from app.audit.chain import canonical_json, sha256_hex
from app.auth.models import Role, User
from app.competitions.services import reference_date
from app.demo import applications as pool
from app.demo import data
from app.demo import services as demo
from app.extensions import db
from app.kz.iin import age_on, parse_iin
from app.kz.phone import normalize_phone
from app.kz.regions import get_region
from app.mail.models import OutboxMessage
from tests.conftest import login

S = ApplicationStatus


@pytest.fixture
def loaded(app_ctx):
    started = time.perf_counter()
    result = demo.load_demo()
    db.session.commit()
    return result, time.perf_counter() - started


def all_applications():
    return db.session.execute(sa.select(Application).order_by(Application.id)).scalars().all()


def test_demo_load_prints_the_pool_counts(runner, app_ctx):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "Demo applicants: 76 accounts, 70 submitted (ALA 39, ALM 1, AST 1, ATY 1, MAN 28), " \
           "5 drafts (1 refused at submission), 1 withdrawn." in result.output
    assert "applicant01@demo.zhasproject.kz" in result.output


def test_the_pool_is_large_enough_to_screen_and_loads_quickly(loaded):
    summary = loaded[0].applicants
    assert 60 <= summary.accounts <= 80
    assert loaded[1] < 10
    applications = all_applications()
    assert len(applications) == summary.accounts
    submitted = [a for a in applications if a.status is S.SUBMITTED]
    assert len(submitted) == 70
    assert {a.region_code for a in submitted} >= {"ALA", "MAN"}


def test_every_submission_went_through_submit(loaded):
    call = loaded[0].competition
    numbered = [a for a in all_applications() if a.number]
    assert sorted(a.number for a in numbered) == [f"ZP23-{n:04d}" for n in range(1, len(numbered) + 1)]
    assert call.last_application_number == len(numbered)
    for application in numbered:
        assert application.snapshot_sha256 == sha256_hex(canonical_json(application.snapshot))
        assert [e.status for e in application.events][0] is S.SUBMITTED
    mails = db.session.execute(sa.select(OutboxMessage)).scalars().all()
    assert len(mails) == 2 * len(numbered) + 1  # a receipt and a survey invitation each, and the withdrawal
    assert "http://localhost/my/applications/" in mails[0].body_text


def test_applicants_have_confirmed_accounts_with_the_demo_password(loaded):
    users = db.session.execute(sa.select(User).where(User.email.like("applicant%"))).scalars().all()
    assert len(users) == loaded[0].applicants.accounts
    assert all(u.email_confirmed and u.roles == {Role.APPLICANT} for u in users)
    assert check_password_hash(users[0].password_hash, demo.DEMO_PASSWORD)
    assert {u.locale for u in users} == {"kk", "ru"}


def test_a_demo_applicant_can_log_in_and_see_the_application(app, client, runner):
    runner.invoke(args=["demo", "load"])
    login(client, f"applicant01@{demo.DEMO_EMAIL_DOMAIN}", demo.DEMO_PASSWORD)
    html = client.get("/my/applications").get_data(as_text=True)
    assert "ZP23-0001" in html


def test_people_are_valid_and_varied(loaded):
    applications = all_applications()
    on = reference_date(loaded[0].competition)
    for application in applications:
        birth, sex = parse_iin(application.iin)
        assert (birth, sex) == (application.birth_date, application.sex)
        assert normalize_phone(application.phone) == application.phone
    assert {a.sex for a in applications} == {pool.Sex.MALE, pool.Sex.FEMALE}
    assert any(ch in "".join(a.last_name + a.first_name for a in applications) for ch in "әғқңөұүһі")
    assert any(a.last_name in ("Иванова", "Ким", "Ли", "Пак", "Цой", "Шевченко") for a in applications)
    ages = Counter(age_on(a.birth_date, on) for a in applications)
    assert ages[17] >= 2 and ages[36] >= 2 and ages[40] >= 1
    assert ages[18] >= 1 and ages[35] >= 1
    assert sum(n for age, n in ages.items() if 18 <= age <= 35) > 60


def test_the_pool_holds_what_screening_must_catch(loaded):
    call = loaded[0].competition
    submitted = [a for a in all_applications() if a.status is S.SUBMITTED]
    strata = {s.region_code for s in call.strata}
    assert len([a for a in submitted if a.region_code not in strata]) == 3
    assert len([a for a in submitted if a.budget_total > call.grant_cap]) == 2
    assert {a.district_code for a in submitted if a.region_code == "MAN"} >= {"MAN-AKTAU", "MAN-ZHANAOZEN"}
    assert len({a.district_code for a in submitted if a.region_code == "ALA"}) == 8

    phones = Counter(a.phone for a in submitted)
    assert sum(1 for n in phones.values() if n > 1) >= 2
    people = Counter((a.last_name, a.first_name, a.birth_date) for a in submitted)
    assert any(n > 1 for n in people.values())
    assert len({a.submitted_iin for a in submitted}) == len(submitted)
    wrong = [d for a in submitted for d in a.documents if d.original_name == "spravka.pdf"]
    assert len(wrong) == 2


def test_drafts_include_missing_documents_and_a_refused_second_iin(loaded):
    applications = all_applications()
    drafts = [a for a in applications if a.status is S.DRAFT]
    assert len(drafts) == 5
    assert sum(1 for a in drafts if 0 < len(a.documents) < 3) == 3
    assert any(not a.documents and a.project_title is None for a in drafts)
    submitted_iins = {a.submitted_iin for a in applications if a.submitted_iin}
    assert any(a.iin in submitted_iins for a in drafts)
    [withdrawn] = [a for a in applications if a.status is S.WITHDRAWN]
    assert withdrawn.submitted_iin is None and withdrawn.events[-1].message


def test_the_pool_is_the_same_every_time_and_only_the_birth_dates_follow_the_calendar(app_ctx):
    on = date(2026, 12, 3)
    first = [(p.full_name, p.iin, p.phone, p.address, p.budget) for p in pool.profiles(on)]
    again = [(p.full_name, p.iin, p.phone, p.address, p.budget) for p in pool.profiles(on)]
    assert first == again
    assert len({p.full_name for p in pool.profiles(on)}) > 60
    a_year_earlier = pool.profiles(date(2025, 10, 22))
    assert [p.full_name for p in a_year_earlier] == [name for name, *_rest in first]
    assert [p.iin for p in a_year_earlier] != [iin for _name, iin, *_rest in first]


def test_a_call_closed_now_gets_no_pool(app_ctx):
    loaded = demo.load_demo(now=datetime(2025, 10, 12, 6, 0))
    assert loaded.applicants is None
    assert all_applications() == []


def test_the_demo_data_names_only_real_districts_categories_and_strata():
    """app/demo/data/*.json is edited by hand: what it names must exist in the system."""
    districts = {d.code for code in pool.POOL for d in get_region(code).districts}
    assert set(data.ADDRESSES) == districts
    assert all(get_region(code) for code, _address in data.OUTSIDE_STRATA)
    assert set(data.SOCIAL_CATEGORIES) <= {category.value for category in SocialCategory}
    for language, ideas in data.PROJECTS.items():
        for idea in ideas:
            assert idea.regions and set(idea.regions) <= set(pool.POOL), (language, idea.title)
            assert all(quantity > 0 and price > 0 and supplier for _item, quantity, price, supplier in idea.budget)
    for texts in (*data.SITUATIONS_RU, data.WITHDRAWAL_REASON, *data.OTHER_FATHERS):
        assert set(texts) == {pool.Sex.MALE, pool.Sex.FEMALE}
