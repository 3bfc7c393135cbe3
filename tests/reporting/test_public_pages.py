"""The public transparency pages: their figures are the facts (app.reporting.facts), each stage
shows once the public may see it, the catalogue lists the funded projects only, a project's story
and photos appear only with its grantee's consent in an accepted final report (the photo route
answers 404 otherwise), unknown grant numbers and hostile parameters answer 404 or the page,
never 500, and anonymous visitors' pages may be kept a few minutes."""
import html
import re
from collections import Counter
from datetime import datetime

import pytest
import sqlalchemy as sa

from app.applications.models import Application, ApplicationStatus
from app.auth.models import Role
from app.contracts.models import Grant, GrantStatus
from app.extensions import db
from app.final_reports.models import FinalReport, ReportPhoto, ReportStatus
from app.kz.money import format_money
from app.lottery.models import Draw, DrawState
from app.kz.regions import region_name
from app.payments.models import PaymentRequest, PaymentStatus
from app.reporting import public
from app.reporting.facts import CallFacts
from app.screening.models import Appeal, AppealStatus
from tests import factories, files
from tests.conftest import login
from tests.reporting import make_cycle

REGION_TABLE = re.compile(r'<caption class="visually-hidden">(.*?)</caption>(.*?)</table>', re.S)
REGION_ROW = re.compile(r'<th scope="row" class="fw-normal">(.*?)</th>(.*?)</tr>', re.S)
STAT = re.compile(r'<dt[^>]*>(.*?)</dt>\s*<dd[^>]*data-stat>(.*?)</dd>', re.S)


def stats(page):
    """{label: value} of the figures shown as tiles on `page` (a response)."""
    return {html.unescape(label).strip(): html.unescape(value).strip()
            for label, value in STAT.findall(page.get_data(as_text=True))}


def by_region(text, caption):
    """{region name: [its cells]} of the table captioned `caption` in the page `text`."""
    body = next(body for found, body in REGION_TABLE.findall(text) if found == caption)
    return {region: [html.unescape(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells)]
            for region, cells in REGION_ROW.findall(body)}


def with_photos(call):
    """Two photos on every final report of `call`; {grant number: [photo ids]}."""
    reports = db.session.execute(sa.select(FinalReport).join(Grant).where(Grant.competition_id == call.id)).scalars()
    found = {}
    for report in reports:
        report.photos = [ReportPhoto(stored_name=f"{n:032d}.jpg", original_name="photo.jpg", kind="jpeg",
                                     sha256=f"{n:064d}", size=1, thumbnail=files.picture()) for n in range(2)]
        db.session.flush()
        found[report.grant.number] = [photo.id for photo in report.photos]
    db.session.commit()
    return found


def grant_where(call, status, report_status=None, consent=None):
    """The first grant of `call` in `status` whose report is in `report_status` with `consent`."""
    for grant in db.session.execute(sa.select(Grant).where(Grant.competition_id == call.id)
                                    .order_by(Grant.number)).scalars():
        report = db.session.execute(sa.select(FinalReport).filter_by(grant_id=grant.id)).scalar_one_or_none()
        if grant.status is status and (report_status is None or (
                report is not None and report.status is report_status and report.consent_to_publish == consent)):
            return grant
    raise LookupError((status, report_status, consent))


@pytest.fixture
def call(app_ctx):
    """A call after its whole cycle, its screening closed and its draw published (a stand-in: the
    pages read the draw's state and the applications' statuses, not its results)."""
    call = make_cycle(grants=8)
    call.screening_closed_at = datetime(2025, 10, 28)
    db.session.add(Draw(competition_id=call.id, state=DrawState.PUBLISHED, entries=[], quotas={}, commitment="0" * 64,
                        sources=["1"], seed="0" * 64, results=[]))
    db.session.commit()
    return call


def test_the_call_page_shows_the_facts_at_each_stage(client, call):
    page = client.get(f"/calls/{call.id}/transparency")
    assert page.status_code == 200
    facts = CallFacts(call)
    shown = stats(page)
    assert shown["Applications received"] == str(facts.screening.received)
    assert shown["Eligible"] == str(facts.screening.eligible)
    assert shown["Rejected"] == str(facts.screening.rejected)
    assert shown["Withdrawn before a decision"] == str(facts.screening.withdrawn)
    assert shown["Winners"] == str(facts.winners.count) and shown["Grants to award"] == "8"
    assert shown["On the reserve lists"] == str(sum(facts.reserve_by_region.values()))
    assert shown["Contracts signed"] == str(facts.grants.contracts_signed)
    assert shown["Amount of the grants awarded"] == format_money(facts.grants.amount, "en")
    assert shown["Paid to suppliers"] == format_money(facts.grants.paid, "en")
    assert shown["Projects completed"] == str(facts.grants.completed)
    assert shown["Final reports accepted"] == str(facts.final_reports.accepted)
    assert shown["People the projects reached"] == str(facts.statistics.beneficiaries.total)
    text = html.unescape(page.get_data(as_text=True))
    for code, count in facts.screening.by_reason.items():
        assert re.search(rf">{re.escape(str(code.title))}</th><td class=\"text-end\">{count}</td>", text)
    strata = [region for region in facts.regions if region.quota is not None]
    assert len(strata) == 2 and all(region.received for region in strata)
    for caption, cells in (
            ("Applications received by region", lambda region: [region.received]),
            ("Screening outcomes by region", lambda region: [region.eligible, region.rejected]),
            ("The draw by region", lambda region: [region.quota, region.winners,
                                                   facts.reserve_by_region[region.region_code]]),
            ("Money paid by region", lambda region: [format_money(facts.paid_by_region[region.region_code], "en")])):
        assert by_region(text, caption) == {region_name(region.region_code, "en"): [str(cell) for cell in cells(region)]
                                            for region in strata}, caption
    assert f'href="/calls/{call.id}/projects"' in text
    assert f'href="/calls/{call.id}/screening-results"' in text


def test_the_appeals_the_reserve_lists_and_the_money_per_region_are_counted_from_the_rows(client, call):
    rejected = db.session.execute(sa.select(Application).where(
        Application.competition_id == call.id, Application.status == ApplicationStatus.REJECTED)).scalars().all()
    for application, status in zip(rejected, (AppealStatus.DISMISSED, AppealStatus.DISMISSED, AppealStatus.UPHELD)):
        db.session.add(Appeal(application_id=application.id, text="Прошу пересмотреть", status=status))
    db.session.commit()
    facts = CallFacts(call)
    assert facts.appeals == {AppealStatus.PENDING: 0, AppealStatus.UPHELD: 1, AppealStatus.DISMISSED: 2}
    applications = db.session.execute(sa.select(Application).where(Application.competition_id == call.id)).scalars()
    assert facts.reserve_by_region == Counter(application.region_code for application in applications
                                              if application.status is ApplicationStatus.RESERVE)
    paid = Counter()
    for payment in db.session.execute(sa.select(PaymentRequest).join(Grant).where(
            Grant.competition_id == call.id, PaymentRequest.status == PaymentStatus.PAID)).scalars():
        paid[payment.grant.application.region_code] += payment.total
    assert facts.paid_by_region == paid and sum(paid.values()) == facts.grants.paid

    shown = stats(client.get(f"/calls/{call.id}/transparency"))
    assert (shown["Appeals"], shown["Appeals upheld: eligible"], shown["Appeals dismissed"]) == ("3", "1", "2")
    assert shown["On the reserve lists"] == str(sum(facts.reserve_by_region.values()))


def test_before_screening_closes_only_the_applications_received_show(client, call):
    call.screening_closed_at = None
    db.session.commit()
    page = client.get(f"/calls/{call.id}/transparency")
    shown = stats(page)
    assert shown["Applications received"] == str(CallFacts(call).screening.received)
    assert "Eligible" not in shown and "Rejected" not in shown
    assert "published here when screening is closed" in page.get_data(as_text=True)


def test_a_call_before_its_draw_says_so_and_the_call_page_links_here(client, app_ctx):
    call = factories.make_competition(code="PB25")
    page = client.get(f"/calls/{call.id}/transparency")
    assert page.status_code == 200
    assert "The draw takes place after screening" in page.get_data(as_text=True)
    assert f'href="/calls/{call.id}/transparency"' in client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert f'href="/calls/{call.id}/transparency"' in client.get("/results").get_data(as_text=True)


def test_the_catalogue_lists_the_funded_projects_only(client, call):
    page = client.get(f"/calls/{call.id}/projects").get_data(as_text=True)
    grants = db.session.execute(sa.select(Grant).where(Grant.competition_id == call.id)).scalars().all()
    for grant in grants:
        listed = f'href="/projects/{grant.number}"' in page
        assert listed == (grant.status in (GrantStatus.ACTIVE, GrantStatus.REPORTING, GrantStatus.COMPLETED)), grant
        assert grant.application.project_title in page if listed else True


def test_the_catalogue_pages_and_filters_by_region(client, call, monkeypatch):
    monkeypatch.setattr(public, "PAGE_SIZE", 2)
    funded = public.catalogue(call).total
    first = client.get(f"/calls/{call.id}/projects").get_data(as_text=True)
    assert first.count('class="stretched-link"') == 2 and f"?page={-(-funded // 2)}" in first
    last = client.get(f"/calls/{call.id}/projects?page={10**25}").get_data(as_text=True)
    assert 'aria-current="page">%d<' % -(-funded // 2) in last
    in_man = public.catalogue(call, "MAN")
    assert in_man.region_code == "MAN" and all(card.region_code == "MAN" for card in in_man.cards)
    assert public.catalogue(call, "XXX").region_code is None


def test_a_consented_story_and_its_photos_are_public(client, call):
    photos = with_photos(call)
    grant = grant_where(call, GrantStatus.COMPLETED, ReportStatus.ACCEPTED, True)
    report = db.session.execute(sa.select(FinalReport).filter_by(grant_id=grant.id)).scalar_one()
    page = client.get(f"/projects/{grant.number}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and report.story_situation in text and report.story_quote in text
    assert report.story_quote_by not in text  # no names, not even the person quoted
    for photo_id in photos[grant.number]:
        url = f"/projects/{grant.number}/photos/{photo_id}.jpg"
        assert f'src="{url}"' in text
        answer = client.get(url)
        assert answer.status_code == 200 and answer.mimetype == "image/jpeg"
        assert answer.data == files.picture() and "public" in answer.headers["Cache-Control"]
    catalogue = client.get(f"/calls/{call.id}/projects").get_data(as_text=True)
    assert f'src="/projects/{grant.number}/photos/{photos[grant.number][0]}.jpg"' in catalogue


@pytest.mark.parametrize("status, report_status, consent", [
    (GrantStatus.COMPLETED, ReportStatus.ACCEPTED, False),  # accepted, no consent
    (GrantStatus.REPORTING, ReportStatus.SUBMITTED, True),  # consent, not accepted yet
    (GrantStatus.REPORTING, ReportStatus.RETURNED, False),
])
def test_without_consent_in_an_accepted_report_no_story_and_no_photo(client, call, status, report_status, consent):
    photos = with_photos(call)
    grant = grant_where(call, status, report_status, consent)
    report = db.session.execute(sa.select(FinalReport).filter_by(grant_id=grant.id)).scalar_one()
    page = client.get(f"/projects/{grant.number}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and grant.application.project_title in text
    assert report.story_situation not in text and report.story_result not in text and "<img" not in text
    for photo_id in photos[grant.number]:
        assert client.get(f"/projects/{grant.number}/photos/{photo_id}.jpg").status_code == 404
    catalogue = client.get(f"/calls/{call.id}/projects").get_data(as_text=True)
    assert f"/projects/{grant.number}/photos/" not in catalogue


def test_a_photo_is_found_only_under_its_own_project(client, call):
    photos = with_photos(call)
    published = grant_where(call, GrantStatus.COMPLETED, ReportStatus.ACCEPTED, True)
    other = next(number for number in photos if number != published.number)
    assert client.get(f"/projects/{other}/photos/{photos[published.number][0]}.jpg").status_code == 404


@pytest.mark.parametrize("status", [GrantStatus.CONTRACTING, GrantStatus.TERMINATED])
def test_a_grant_not_funded_has_no_public_page(client, call, status):
    grant = grant_where(call, status)
    assert client.get(f"/projects/{grant.number}").status_code == 404


@pytest.mark.parametrize("url", [
    "/projects/ZP99-G-9999", "/projects/rp25-g-0001", "/projects/" + "A" * 300, "/projects/%00",
    "/projects/RP25-G-0001%00", "/projects/..%2f..%2fetc", "/projects/RP25-G-0001/photos/1.jpg",
    f"/projects/RP25-G-0001/photos/{10**25}.jpg", f"/calls/{10**25}/transparency", f"/calls/{10**25}/projects",
    "/calls/999999/transparency",
])
def test_unknown_grants_and_hostile_addresses_answer_404(client, call, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("query", [
    "page=-5", "page=abc", f"page={10**25}", "page=%00", "region=%00", "region=<script>", "region=" + "x" * 5000,
    "region=MAN&page=2", "page=1.5",
])
def test_hostile_catalogue_parameters_still_give_the_page(client, call, query):
    page = client.get(f"/calls/{call.id}/projects?{query}")
    assert page.status_code == 200 and "<script>" not in page.get_data(as_text=True)


def test_anonymous_pages_may_be_kept_a_few_minutes_and_revalidated(client, call):
    page = client.get(f"/calls/{call.id}/transparency")
    assert page.headers["Cache-Control"] == "public, max-age=300"
    assert {"Accept-Language", "Cookie"} <= set(page.vary) and page.headers["ETag"]
    again = client.get(f"/calls/{call.id}/transparency", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304


def test_a_logged_in_visitors_page_is_not_kept(client, call):
    user = factories.make_user("reader@example.kz", roles=(Role.APPLICANT,))
    login(client, user.email)
    page = client.get(f"/calls/{call.id}/transparency")
    assert page.status_code == 200 and "public" not in page.headers["Cache-Control"]


@pytest.mark.parametrize("language, word", [("kk", 'lang="kk"'), ("ru", 'lang="ru"')])
def test_the_pages_speak_kazakh_and_russian(client, call, language, word):
    grant = grant_where(call, GrantStatus.COMPLETED)
    client.get(f"/lang/{language}")
    for url in ("/results", f"/calls/{call.id}/transparency", f"/calls/{call.id}/projects",
                f"/projects/{grant.number}"):
        page = client.get(url)
        assert page.status_code == 200 and word in page.get_data(as_text=True)
