"""The figures of a call (app.reporting.facts) agree with the rows: the test recomputes each one
from the objects themselves, in Python, and compares; the number of queries stays the same when
the call grows tenfold."""
from collections import Counter
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa

from app.applications.models import Application, ApplicationStatus
from app.competitions.models import DocumentType
from app.competitions.services import reference_date
from app.contracts.models import Contract, Grant, GrantStatus
from app.extensions import db
from app.final_reports.models import FinalReport, ReportStatus
from app.kz.age_buckets import bucket_of
from app.kz.iin import Sex, age_on
from app.mentoring.models import CandidateStatus, Meeting, MeetingStatus, MentorAssignment, MentorCandidate
from app.monitoring.models import PlannedVisit, Visit
from app.office_log.models import Channel, Consultation, EventKind, InfoEvent
from app.payments.models import PaymentRequest, PaymentStatus
from app.reporting.facts import FACTS, CallFacts, FactValue, Period
from app.screening.models import CheckReview, DecisionOutcome, ScreeningDecision
from app.surveys.models import SurveyInvitation, SurveyStage
from tests import factories
from tests.reporting import make_cycle

S = ApplicationStatus


def rows(model, **where):
    return [row for row in db.session.execute(sa.select(model)).scalars()
            if all(getattr(row, name) == value for name, value in where.items())]


def outcome(application):
    """What screening made of an application, from its status and its decisions' rows."""
    latest = max(rows(ScreeningDecision, application_id=application.id), key=lambda d: d.id, default=None)
    if application.status in (S.ELIGIBLE, S.WINNER, S.RESERVE, S.NOT_SELECTED):
        return "eligible", latest
    if application.status is S.REJECTED:
        return "rejected", latest
    if application.status is S.WITHDRAWN and latest is not None and latest.outcome is not \
            DecisionOutcome.CORRECTION_REQUESTED:
        return latest.outcome.value, latest
    return ("withdrawn" if application.status is S.WITHDRAWN else "pending"), latest


def neet_confirmed(application):
    return (application.not_working and application.not_studying and application.not_in_training
            and any(d.doc_type is DocumentType.NEET_EVIDENCE for d in application.documents)
            and any(r.code == "documents" and r.passes for r in rows(CheckReview, application_id=application.id)))


@pytest.fixture
def call(app_ctx):
    return make_cycle(grants=7)


def test_the_screening_figures_are_those_of_the_applications(call):
    submitted = [a for a in rows(Application, competition_id=call.id) if a.number is not None]
    outcomes = Counter(outcome(a)[0] for a in submitted)
    reasons = Counter(reason for a in submitted if outcome(a)[0] == "rejected" for reason in outcome(a)[1].reasons)
    facts = CallFacts(call)
    assert facts.value("applications.received").value == len(submitted) > 0
    assert facts.screening.eligible == outcomes["eligible"] > 0
    assert facts.screening.rejected == outcomes["rejected"] > 0
    assert facts.screening.withdrawn == outcomes["withdrawn"] > 0
    assert facts.screening.pending == outcomes["pending"] > 0
    assert sum(outcomes.values()) == len(submitted)
    assert {code.value: n for code, n in facts.screening.by_reason.items()} == dict(reasons)


def test_the_regions_and_districts_count_each_application_once(call):
    submitted = [a for a in rows(Application, competition_id=call.id) if a.number is not None]
    facts = CallFacts(call)
    assert [region.region_code for region in facts.regions][:2] == ["ALA", "MAN"]  # the strata first
    assert facts.regions[0].quota == call.strata[0].quota
    for region in facts.regions:
        mine = [a for a in submitted if a.region_code == region.region_code]
        assert region.received == len(mine)
        assert region.eligible == sum(outcome(a)[0] == "eligible" for a in mine)
        assert region.winners == sum(a.status is S.WINNER for a in mine)
        for district in region.districts:
            assert district.received == sum(a.district_code == district.district_code for a in mine)
    assert sum(region.received for region in facts.regions) == len(submitted)
    by_region = facts.value("applications.received_by_region")
    assert by_region.parts == tuple((r.region_code, r.received) for r in facts.regions if r.received)


def test_the_winners_and_their_neet_share(call):
    winners = [a for a in rows(Application, competition_id=call.id) if a.status is S.WINNER]
    confirmed = sum(neet_confirmed(a) for a in winners)
    facts = CallFacts(call)
    assert facts.value("draw.winners").value == len(winners) == 7
    assert facts.value("winners.neet_confirmed").value == confirmed
    assert 0 < confirmed < len(winners)  # some winners' NEET status was not confirmed
    assert facts.value("winners.neet_share").value == pytest.approx(confirmed / len(winners))
    assert dict(facts.winners.by_region) == dict(Counter(a.region_code for a in winners))


def test_grants_contracts_and_money_come_from_the_grants_and_the_ledger(call):
    grants = rows(Grant, competition_id=call.id)
    awarded = [g for g in grants if g.status is not GrantStatus.TERMINATED]
    requests = [r for r in rows(PaymentRequest) if r.grant_id in {g.id for g in grants}]
    signed = {c.grant_id for c in rows(Contract) if c.countersigned_at and c.superseded_at is None
              and c.grant_id in {g.id for g in grants}}
    facts = CallFacts(call)
    assert facts.value("grants.awarded").value == len(awarded)
    assert facts.value("contracts.signed").value == len(signed) < len(grants)
    assert facts.value("grants.completed").value == sum(g.status is GrantStatus.COMPLETED for g in grants)
    assert facts.value("grants.amount").value == sum(g.amount for g in awarded)
    assert facts.value("payments.paid").value == sum(r.total for r in requests if r.status is PaymentStatus.PAID)
    assert facts.value("payments.approved").value == sum(
        r.total for r in requests if r.status in (PaymentStatus.APPROVED, PaymentStatus.PAID))


def test_mentors_meetings_visits_and_reports(call):
    grant_ids = {g.id for g in rows(Grant, competition_id=call.id)}
    meetings = [m for m in rows(Meeting) if m.grant_id in grant_ids]
    visits = [v for v in rows(Visit) if v.grant_id in grant_ids]
    reports = [r for r in rows(FinalReport) if r.grant_id in grant_ids]
    visited_statuses = (GrantStatus.ACTIVE, GrantStatus.REPORTING, GrantStatus.COMPLETED)
    to_visit = {g.id for g in rows(Grant, competition_id=call.id) if g.status in visited_statuses}
    facts = CallFacts(call)
    assert facts.value("mentors.pool").value == len(
        rows(MentorCandidate, competition_id=call.id, status=CandidateStatus.SELECTED)) == 3
    assert facts.value("mentoring.grants_with_mentor").value == sum(
        a.grant_id in grant_ids for a in rows(MentorAssignment))
    assert facts.value("mentoring.meetings").value == sum(m.status is not MeetingStatus.DISPUTED for m in meetings)
    assert any(m.status is MeetingStatus.DISPUTED for m in meetings)
    assert facts.value("monitoring.visits_done").value == len(visits)
    assert facts.value("monitoring.grants_visited").value == len({v.grant_id for v in visits if v.grant_id in to_visit})
    assert facts.value("monitoring.visits_planned").value == sum(p.grant_id in to_visit for p in rows(PlannedVisit))
    assert facts.value("monitoring.groups").value == len({v.group_id for v in visits})
    assert facts.value("final_reports.submitted").value == sum(r.submitted_at is not None for r in reports)
    accepted = [r for r in reports if r.status is ReportStatus.ACCEPTED]
    assert facts.value("final_reports.accepted").value == len(accepted) > 0
    assert facts.value("beneficiaries.reached").value == sum(r.beneficiaries for r in accepted)


def test_the_office_log_and_the_surveys(call):
    consultations = rows(Consultation, competition_id=call.id)
    events = rows(InfoEvent, competition_id=call.id)
    facts = CallFacts(call)
    assert facts.value("office.consultations").value == len(consultations)
    assert len(rows(Consultation)) > len(consultations)  # those of no call are not the call's
    for channel in Channel:
        assert facts.value(f"office.consultations.{channel.value}").value == sum(
            c.channel is channel for c in consultations)
    assert facts.value("office.events").value == len(events)
    assert facts.value("office.events.open_day").value == sum(e.kind is EventKind.OPEN_DAY for e in events)
    assert facts.value("office.event_participants").value == sum(e.participants for e in events)
    answers = [i for i in rows(SurveyInvitation, competition_id=call.id) if i.score is not None]
    for stage in SurveyStage:
        scores = [i.score for i in answers if i.stage is stage]
        expected = sum(score >= 4 for score in scores) / len(scores) if scores else None
        assert facts.value(f"surveys.{stage.value}.satisfied").value == (
            pytest.approx(expected) if expected is not None else None)
    assert facts.value("surveys.held").value == len({i.stage for i in rows(SurveyInvitation, competition_id=call.id)})


def test_the_statistics_of_applicants_winners_and_beneficiaries(call):
    submitted = [a for a in rows(Application, competition_id=call.id) if a.number is not None]
    winners = [a for a in submitted if a.status is S.WINNER]
    on = reference_date(call)
    statistics = CallFacts(call).statistics
    for people, group in ((statistics.applicants, submitted), (statistics.winners, winners)):
        assert people.total == len(group)
        assert (people.female, people.male) == (sum(a.sex is Sex.FEMALE for a in group),
                                                sum(a.sex is Sex.MALE for a in group))
        ages = Counter(bucket_of(age_on(a.birth_date, on)).key for a in group)
        assert people.ages == {key: ages[key] for key in people.ages}
        assert sum(people.ages.values()) == len(group)
        for category, count in people.categories.items():
            assert count == sum(category.value in a.social_categories for a in group)
        assert people.unemployed == sum(a.not_working for a in group)
        assert people.youth == sum(14 <= age_on(a.birth_date, on) <= 35 for a in group)
    accepted = [r for r in rows(FinalReport) if r.status is ReportStatus.ACCEPTED]
    assert statistics.beneficiaries.total == sum(r.beneficiaries for r in accepted)
    assert statistics.beneficiaries.female == sum(r.female for r in accepted)
    assert statistics.beneficiaries.ages["17_22"] == sum(r.age_17_22 for r in accepted)
    assert statistics.beneficiaries.categories is None  # the final reports do not say


def test_the_success_stories_are_those_of_accepted_reports_with_consent(call):
    grant_ids = {g.id: g for g in rows(Grant, competition_id=call.id)}
    published = [r for r in rows(FinalReport) if r.grant_id in grant_ids and r.status is ReportStatus.ACCEPTED
                 and r.consent_to_publish]
    stories = CallFacts(call).stories
    assert sorted(story.situation for story in stories) == sorted(r.story_situation for r in published)
    assert len(published) < len([r for r in rows(FinalReport) if r.status is ReportStatus.ACCEPTED])


def test_the_period_limits_what_happens_on_a_day(call):
    start, end = date(2025, 11, 1), date(2025, 11, 30)
    grant_ids = {g.id for g in rows(Grant, competition_id=call.id)}
    facts = CallFacts(call, Period(start, end))
    assert facts.mentoring.meetings == sum(m.grant_id in grant_ids and start <= m.held_on <= end
                                           and m.status is not MeetingStatus.DISPUTED for m in rows(Meeting))
    assert facts.monitoring.done == sum(v.grant_id in grant_ids and start <= v.visited_on <= end for v in rows(Visit))
    paid = [r for r in rows(PaymentRequest) if r.grant_id in grant_ids and r.status is PaymentStatus.PAID]
    assert facts.grants.paid == sum(r.total for r in paid if start <= r.order_date <= end)
    assert facts.grants.paid < CallFacts(call).grants.paid
    assert facts.value("office.events").value == sum(start <= e.held_on <= end
                                                     for e in rows(InfoEvent, competition_id=call.id))
    assert facts.screening == CallFacts(call).screening  # the call's applications count whole


def test_a_call_with_nothing_yet_counts_zeros_and_no_shares(app_ctx):
    call = factories.make_competition(code="EMPTY")
    facts = CallFacts(call)
    for key in FACTS:
        value = facts.value(key)
        assert value.value in (0, None), key
        assert value.text("ru") in ("0", "0 тенге", "—"), key
    assert facts.value("winners.neet_share").text("kk") == "—"


@pytest.mark.parametrize("value, language, text", [
    (FactValue("count", 112, (("ALA", 50), ("MAN", 62))), "ru",
     "112 (город Алматы — 50, Мангистауская область — 62)"),
    (FactValue("count", 112, (("ALA", 50), ("MAN", 62))), "kk", "112 (Алматы қаласы — 50, Маңғыстау облысы — 62)"),
    (FactValue("money", 28_000_000), "ru", "28\xa0000\xa0000 тенге"),
    (FactValue("money", 28_000_000), "kk", "28\xa0000\xa0000 теңге"),
    (FactValue("share", 1.0), "en", "100%"),
    (FactValue("share", None), "ru", "—"),
])
def test_a_figure_writes_itself_in_each_language(app_ctx, value, language, text):
    assert value.text(language) == text


@contextmanager
def counted_queries():
    statements = []

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def queries_for_every_fact(call):
    db.session.expire_all()
    with counted_queries() as statements:
        facts = CallFacts(call)
        for key in FACTS:
            facts.value(key)
        facts.statistics, facts.stories, facts.regions  # noqa: B018
    return len(statements)


def test_the_number_of_queries_does_not_grow_with_the_rows(app_ctx):
    small = queries_for_every_fact(make_cycle(grants=5, code="SMALL"))
    large = queries_for_every_fact(make_cycle(grants=50, code="LARGE"))
    assert small == large
    assert small < 20
