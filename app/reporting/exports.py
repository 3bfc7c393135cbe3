"""A call's data as tables to download (app.tables writes them as CSV or XLSX), in the language
chosen: column titles, statuses and region names in that language. One row per application,
decision, draw result, grant, payment request, meeting, visit or consultation, and the evaluation
table of the lottery (`app.reporting.exports_evaluation`).

Only the applications table names people (names, IIN, phone): it is PERSONAL, for those who may
read applications; every download is audited by the view."""
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, lazyload, selectinload

from app.almaty import utc_to_almaty
from app.applications.models import Application, BudgetLine, SocialCategory
from app.contracts.contracts import countersigned_by_grant
from app.contracts.models import Grant
from app.extensions import db
from app.kz.regions import district_name, region_name
from app.lottery import engine, reading
from app.mentoring.models import Meeting, MentorAssignment, MentorCandidate
from app.monitoring.models import CheckItem, Visit
from app.office_log import exports as office_log_exports
from app.office_log import queries as office_log
from app.payments.models import PaymentRequest, PaymentStatus
from app.reporting import exports_evaluation as evaluation
from app.screening.models import ReasonCode, ScreeningDecision

YES, NO = _l("Yes"), _l("No")


@dataclass(frozen=True)
class Dataset:
    key: str  # in the URL and the file's name
    title: str  # lazy
    columns: tuple  # lazy titles
    rows: object  # (competition, language) -> list of tuples, read inside the chosen language
    widths: tuple = ()
    personal: bool = False  # names people: only for those who may read applications (SCREEN)


def _yes_no(value):
    return str(YES if value else NO)


def _day(moment):
    """The Almaty day of a UTC moment, None for None."""
    return utc_to_almaty(moment).date() if moment else None


def _place(region_code, district_code, language):
    return (region_name(region_code, language) if region_code else "",
            district_name(district_code, language) if district_code else "")


def _grant_places(competition):
    """{grant id: (grant number, region code)} of the call's grants."""
    return {grant_id: (number, region) for grant_id, number, region in db.session.execute(
        sa.select(Grant.id, Grant.number, Application.region_code)
        .join(Application, Grant.application_id == Application.id)
        .where(Grant.competition_id == competition.id))}


# --- applications (personal) ----------------------------------------------------------------

def application_rows(competition, language):
    budgets = (sa.select(BudgetLine.application_id, sa.func.sum(BudgetLine.quantity * BudgetLine.unit_price)
                         .label("total")).group_by(BudgetLine.application_id).subquery())
    found = db.session.execute(
        sa.select(Application, budgets.c.total).outerjoin(budgets, budgets.c.application_id == Application.id)
        .where(Application.competition_id == competition.id, Application.number.is_not(None))
        .options(lazyload(Application.budget_lines), lazyload(Application.documents), lazyload(Application.events))
        .order_by(Application.serial, Application.id)).all()
    categories = {category.value: category for category in SocialCategory}
    return [(a.number, _day(a.submitted_at), str(a.status.title), a.last_name, a.first_name, a.patronymic or "",
             a.iin, a.birth_date, str(a.sex.title) if a.sex else "", a.phone,
             *_place(a.region_code, a.district_code, language),
             "; ".join(str(categories[value].title) for value in a.social_categories or () if value in categories),
             a.project_title, int(total or 0), a.beneficiaries_count)
            for a, total in found]


APPLICATIONS = Dataset(
    "applications", _l("Applications, with names and IIN"),
    (_l("Application number"), _l("Submitted on"), _l("Status"), _l("Last name"), _l("First name"), _l("Patronymic"),
     _l("IIN"), _l("Birth date"), _l("Sex"), _l("Phone"), _l("Region"), _l("District"), _l("Social status"),
     _l("Project"), _l("Budget, tenge"), _l("Beneficiaries")),
    application_rows, (14, 12, 16, 18, 16, 18, 14, 12, 8, 14, 22, 22, 30, 40, 12, 10), personal=True)


# --- screening, the draw ----------------------------------------------------------------------

def decision_rows(competition, language):
    found = db.session.execute(
        sa.select(ScreeningDecision, Application.number, Application.region_code)
        .join(Application, ScreeningDecision.application_id == Application.id)
        .where(Application.competition_id == competition.id)
        .options(joinedload(ScreeningDecision.decided_by))
        .order_by(Application.serial, Application.id, ScreeningDecision.decided_at, ScreeningDecision.id)).all()
    reasons = {code.value: code for code in ReasonCode}
    return [(number, region_name(region, language) if region else "", _day(d.decided_at), str(d.outcome.title),
             "; ".join(str(reasons[value].title) for value in d.reasons or () if value in reasons),
             _yes_no(d.on_appeal), _day(d.correction_deadline), d.decided_by.email)
            for d, number, region in found]


def draw_rows(competition, language):
    """The draw's results as drawn, and whether each still holds a grant (after replacements)."""
    draw = reading.draw_of(competition)
    if draw is None or draw.results is None:
        return []
    holding = {ticket for outcome in reading.outcomes(draw) for ticket in outcome.current_winners}
    drawn_as = {engine.WINNER: _l("Winner"), engine.RESERVE: _l("Reserve list")}
    return [(result["ticket"], region_name(result["stratum"], language), result["rank"],
             str(drawn_as[result["outcome"]]), _yes_no(result["ticket"] in holding), result["score"])
            for result in sorted(draw.results, key=lambda r: (r["stratum"], r["rank"]))]


# --- grants and payments ----------------------------------------------------------------------

def grant_rows(competition, language):
    grants = db.session.execute(
        sa.select(Grant).where(Grant.competition_id == competition.id)
        .options(joinedload(Grant.application).lazyload("*"), lazyload(Grant.events)).order_by(Grant.number)
    ).unique().scalars().all()
    ids = [grant.id for grant in grants]
    signed = countersigned_by_grant(ids)
    mentors = dict(db.session.execute(
        sa.select(MentorAssignment.grant_id, MentorCandidate.full_name)
        .join(MentorCandidate, MentorAssignment.candidate_id == MentorCandidate.id)
        .where(MentorAssignment.grant_id.in_(ids))).all())
    money = defaultdict(dict)
    for grant_id, status, total in db.session.execute(
            sa.select(PaymentRequest.grant_id, PaymentRequest.status, sa.func.sum(PaymentRequest.total))
            .where(PaymentRequest.grant_id.in_(ids)).group_by(PaymentRequest.grant_id, PaymentRequest.status)):
        money[grant_id][status] = int(total)
    return [(g.number, g.application.number, *_place(g.application.region_code, g.application.district_code, language),
             g.application.project_title, g.amount, str(g.status.title), _day(signed.get(g.id)),
             mentors.get(g.id, ""), money[g.id].get(PaymentStatus.APPROVED, 0), money[g.id].get(PaymentStatus.PAID, 0))
            for g in grants]


def payment_rows(competition, language):
    found = db.session.execute(
        sa.select(PaymentRequest).join(Grant, PaymentRequest.grant_id == Grant.id)
        .where(Grant.competition_id == competition.id)
        .options(joinedload(PaymentRequest.supplier), lazyload(PaymentRequest.lines))
        .order_by(Grant.number, PaymentRequest.submitted_at, PaymentRequest.id)).scalars().all()
    grants = _grant_places(competition)
    return [(grants[p.grant_id][0], p.supplier.name, p.supplier.bin_iin, p.invoice_number, p.invoice_date, p.total,
             str(p.status.title), _day(p.submitted_at), _day(p.approved_at), _day(p.paid_at), p.order_number or "",
             p.order_date)
            for p in found]


# --- mentoring and monitoring -----------------------------------------------------------------

def meeting_rows(competition, language):
    found = db.session.execute(
        sa.select(Meeting, MentorCandidate.full_name).join(Grant, Meeting.grant_id == Grant.id)
        .outerjoin(MentorCandidate, sa.and_(MentorCandidate.user_id == Meeting.mentor_id,
                                            MentorCandidate.competition_id == competition.id))
        .where(Grant.competition_id == competition.id).options(joinedload(Meeting.mentor))
        .order_by(Grant.number, Meeting.held_on)).all()
    grants = _grant_places(competition)
    return [(grants[m.grant_id][0], region_name(grants[m.grant_id][1], language), name or m.mentor.email, m.held_on,
             str(m.format.title), str(m.status.title), m.topics)
            for m, name in found]


def visit_rows(competition, language):
    found = db.session.execute(
        sa.select(Visit).join(Grant, Visit.grant_id == Grant.id).where(Grant.competition_id == competition.id)
        .options(joinedload(Visit.group), selectinload(Visit.checks), lazyload(Visit.photos),
                 lazyload(Visit.members_present))
        .order_by(Grant.number, Visit.visited_on, Visit.id)).scalars().all()
    grants = _grant_places(competition)
    follow_up = {(False, False): "", (True, False): _l("Still open"), (True, True): _l("Resolved")}
    rows = []
    for v in found:
        answers = {check.item: str(check.answer.title) for check in v.checks}
        rows.append((grants[v.grant_id][0], region_name(grants[v.grant_id][1], language), v.group.name,
                     v.visited_on, str(v.rating.title), *(answers.get(item, "") for item in CheckItem),
                     str(follow_up[v.needs_follow_up, v.resolved_at is not None]), v.findings))
    return rows


def consultation_rows(competition, language):
    return list(office_log_exports.consultation_rows(office_log.consultations(competition), language))


# The tables without names, for everyone who sees the dashboard (APPLICATIONS has its own route).
DATASETS = {dataset.key: dataset for dataset in (
    Dataset("decisions", _l("Screening decisions"),
            (_l("Application number"), _l("Region"), _l("Decided on"), _l("Outcome"), _l("Reasons"),
             _l("On appeal"), _l("Correct by"), _l("Decided by")),
            decision_rows, (14, 22, 12, 20, 50, 10, 12, 28)),
    Dataset("draw", _l("Draw results"),
            (_l("Application number"), _l("Stratum"), _l("Rank"), _l("Drawn as"), _l("Holds a grant now"),
             _l("Score")),
            draw_rows, (14, 22, 8, 14, 14, 66)),
    Dataset("grants", _l("Grants"),
            (_l("Grant number"), _l("Application number"), _l("Region"), _l("District"), _l("Project"),
             _l("Amount, tenge"), _l("Status"), _l("Contract in force since"), _l("Mentor"),
             _l("Approved, awaiting payment, tenge"), _l("Paid, tenge")),
            grant_rows, (14, 14, 22, 22, 40, 12, 18, 14, 28, 16, 14)),
    Dataset("payments", _l("Payment requests"),
            (_l("Grant number"), _l("Supplier"), _l("BIN/IIN"), _l("Invoice number"), _l("Invoice date"),
             _l("Amount, tenge"), _l("Status"), _l("Submitted on"), _l("Approved on"), _l("Paid on"),
             _l("Payment order number"), _l("Payment order date")),
            payment_rows, (14, 36, 14, 16, 12, 14, 22, 12, 12, 12, 18, 14)),
    Dataset("meetings", _l("Mentor meetings"),
            (_l("Grant number"), _l("Region"), _l("Mentor"), _l("Date"), _l("Format"), _l("Status"), _l("Topics")),
            meeting_rows, (14, 22, 28, 12, 12, 22, 60)),
    Dataset("visits", _l("Monitoring visits"),
            (_l("Grant number"), _l("Region"), _l("Monitoring group"), _l("Date"), _l("Rating"),
             *(item.title for item in CheckItem), _l("Follow-up"), _l("Findings")),
            visit_rows, (14, 22, 24, 12, 16, 14, 14, 14, 14, 14, 12, 60)),
    Dataset("consultations", _l("Consultations"), office_log_exports.CONSULTATION_COLUMNS, consultation_rows,
            office_log_exports.CONSULTATION_WIDTHS),
    Dataset("evaluation", _l("Evaluation of the lottery (no names)"), evaluation.COLUMNS, evaluation.rows,
            evaluation.WIDTHS),
)}
