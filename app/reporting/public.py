"""What the public pages tell about a call (DESIGN.md section 1, the public observer): the numbers
at each stage, all read from app.reporting.facts; the catalogue of its funded projects, one page
per grant by its grant number; and a project's photos and success story only when its grantee
consented to publication in the accepted final report (`FinalReport.may_be_published`).

Nothing here names a person or reads an IIN: a project is its title, its region and district, the
goal and target group the application gave, and what its grantee chose to publish."""
import re
from dataclasses import dataclass
from math import ceil

import sqlalchemy as sa

from app.applications.models import Application
from app.competitions.models import Competition
from app.contracts.models import Grant
from app.dbtypes import utcnow
from app.extensions import db
from app.final_reports.drafting import report_of
from app.final_reports.listing import REPORTING_GRANTS
from app.final_reports.models import FinalReport, ReportPhoto, ReportStatus
from app.lottery import reading
from app.lottery.protocol import LANGUAGES as PROTOCOL_LANGUAGES
from app.payments.ledger import ledger
from app.reporting.facts import CallFacts
from app.screening import closing
from app.screening.models import AppealStatus

PAGE_SIZE = 24
GRANT_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9-]{0,23}")  # app.contracts: "ZP23-G-0001"
# The consent that opens a project's story and photos to the public, as SQL (see may_be_published).
PUBLISHED = sa.and_(FinalReport.status == ReportStatus.ACCEPTED, FinalReport.consent_to_publish.is_(True))


# --- the calls and their numbers ----------------------------------------------------------------

def calls_with_results(now=None):
    """The calls whose application window has opened, the latest first: each has numbers to show."""
    return db.session.execute(sa.select(Competition).where(Competition.opens_at <= (now or utcnow()))
                              .order_by(Competition.opens_at.desc())).scalars().all()


@dataclass(frozen=True)
class CallResults:
    """A call's story in numbers: `facts` (app.reporting.facts.CallFacts) gives every figure; the
    flags say which stages the public may see yet."""

    competition: Competition
    facts: CallFacts
    screening_closed: bool  # the screening figures are final and published
    draw: object  # the call's public draw (app.lottery.models.Draw), or None
    protocol_languages: tuple

    @property
    def drawn(self):
        return self.draw is not None and self.draw.results is not None

    @property
    def appeals(self):
        return sum(self.facts.appeals.values())

    @property
    def appeals_upheld(self):
        return self.facts.appeals[AppealStatus.UPHELD]

    @property
    def appeals_dismissed(self):
        return self.facts.appeals[AppealStatus.DISMISSED]

    @property
    def has_grants(self):
        return self.facts.grants.awarded + self.facts.grants.terminated > 0

    @property
    def strata(self):
        """The regions of the call's strata, with their counts (app.reporting.figures.RegionCounts)."""
        return [region for region in self.facts.regions if region.quota is not None]


def call_results(competition):
    draw = reading.draw_of(competition)
    return CallResults(competition=competition, facts=CallFacts(competition),
                       screening_closed=closing.is_closed(competition),
                       draw=draw if draw is not None and reading.is_public(draw) else None,
                       protocol_languages=PROTOCOL_LANGUAGES)


# --- the catalogue of funded projects -----------------------------------------------------------

@dataclass(frozen=True)
class ProjectCard:
    number: str  # the grant's number: the project's public name in addresses
    title: str
    region_code: str | None
    district_code: str | None
    goal: str
    photo_id: int | None  # the first photo, only when the grantee consented
    has_story: bool


@dataclass(frozen=True)
class Catalogue:
    cards: list
    page: int
    pages: int
    total: int
    region_code: str | None  # the region chosen, or None: all


def catalogue(competition, region_code=None, page=1):
    """One page of the call's funded projects (contract in force: under way, reporting or done) by
    grant number; `region_code` keeps one stratum's (an unknown one is ignored); a page past the
    last gives the last."""
    if region_code not in {stratum.region_code for stratum in competition.strata}:
        region_code = None
    conditions = [Grant.competition_id == competition.id, Grant.status.in_(REPORTING_GRANTS)]
    if region_code:
        conditions.append(Application.region_code == region_code)
    total = db.session.execute(sa.select(sa.func.count(Grant.id)).where(*conditions)
                               .join(Application, Application.id == Grant.application_id)).scalar_one()
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(1, page), pages)
    first_photo = (sa.select(sa.func.min(ReportPhoto.id)).where(ReportPhoto.report_id == FinalReport.id)
                   .correlate(FinalReport).scalar_subquery())
    has_story = sa.or_(FinalReport.story_situation != "", FinalReport.story_action != "",
                       FinalReport.story_result != "")
    rows = db.session.execute(
        sa.select(Grant.number, Application.project_title, Application.region_code, Application.district_code,
                  Application.goal, sa.case((PUBLISHED, first_photo)), sa.case((PUBLISHED, has_story), else_=False))
        .join(Application, Application.id == Grant.application_id)
        .outerjoin(FinalReport, FinalReport.grant_id == Grant.id)
        .where(*conditions).order_by(Grant.number).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    cards = [ProjectCard(number, title or "", region, district, goal or "", photo_id, bool(story))
             for number, title, region, district, goal, photo_id, story in rows]
    return Catalogue(cards=cards, page=page, pages=pages, total=total, region_code=region_code)


# --- one project ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Project:
    grant: Grant
    application: Application
    report: FinalReport | None  # only when its story and photos may be published
    ledger: object  # app.payments.ledger.Ledger

    @property
    def photos(self):
        return self.report.photos if self.report else []


def funded_grant(number):
    """The funded grant with this number, or None (unknown, not funded yet, terminated, or not a
    grant number at all)."""
    if not isinstance(number, str) or not GRANT_NUMBER.fullmatch(number):
        return None
    return db.session.execute(sa.select(Grant).where(Grant.number == number,
                                                     Grant.status.in_(REPORTING_GRANTS))).scalar_one_or_none()


def project(number):
    grant = funded_grant(number)
    if grant is None:
        return None
    report = report_of(grant)
    return Project(grant=grant, application=grant.application,
                   report=report if report is not None and report.may_be_published else None, ledger=ledger(grant))


def public_photo(number, photo_id):
    """The photo `photo_id` of the funded project `number` when its grantee consented, else None."""
    grant = funded_grant(number)
    if grant is None:
        return None
    return db.session.execute(
        sa.select(ReportPhoto).join(FinalReport, FinalReport.id == ReportPhoto.report_id)
        .where(ReportPhoto.id == photo_id, FinalReport.grant_id == grant.id, PUBLISHED)).scalar_one_or_none()
