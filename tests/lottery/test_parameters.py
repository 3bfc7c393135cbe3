"""No statement of closing screening, of its results or of the draw carries a bind parameter per
application: PostgreSQL takes at most 65,535 in a statement, and a call may have more applications
than that. The largest parameter count of every statement sent is the same for a call three times
larger."""
from datetime import timedelta

import sqlalchemy as sa

from app.applications.models import Application, ApplicationStatus
from app.auth.models import Role
from app.dbtypes import utcnow
from app.extensions import db
from app.lottery import lifecycle
from app.lottery.engine import SHA256_RANK
from app.lottery.models import DrawState
from app.mail.models import OutboxMessage
from app.screening.models import Appeal, AppealStatus, DecisionOutcome, ReasonCode, ScreeningDecision
from tests.factories import make_competition, make_user
from tests.lottery.test_lifecycle import RULE, SOURCES, add_applications, drawn_draw

LONG_AGO = timedelta(days=30)  # every appeal period is over


def screened_call(code, size, screener):
    """A call whose window is over, with `size` eligible applications in each of its two strata,
    `size` rejected ones (one of them appealed, the appeal dismissed), each decided long ago; its
    screening not closed yet. The quotas do not grow with `size`."""
    competition = make_competition(strata=(("ALA", 2, ()), ("MAN", 1, ())), code=code)
    eligible = add_applications(competition, "ALA", size) + add_applications(competition, "MAN", size)
    rejected = add_applications(competition, "ALA", size, status=ApplicationStatus.REJECTED)
    at = utcnow() - LONG_AGO
    for application in eligible:
        db.session.add(ScreeningDecision(application_id=application.id, outcome=DecisionOutcome.ELIGIBLE,
                                         decided_by_id=screener.id, decided_at=at))
    for application in rejected:
        db.session.add(ScreeningDecision(application_id=application.id, outcome=DecisionOutcome.REJECTED,
                                         reasons=[ReasonCode.AGE.value], decided_by_id=screener.id, decided_at=at))
    appealed = rejected[0]
    db.session.add(Appeal(application_id=appealed.id, text="Мне 35 лет.", status=AppealStatus.DISMISSED,
                          submitted_at=at, decided_by_id=screener.id, decided_at=at + timedelta(days=1)))
    db.session.add(ScreeningDecision(application_id=appealed.id, outcome=DecisionOutcome.REJECTED, on_appeal=True,
                                     reasons=[ReasonCode.AGE.value], decided_by_id=screener.id,
                                     decided_at=at + timedelta(days=1)))
    db.session.commit()
    return competition


class ParameterCounter:
    """The most bind parameters any statement sent to the database carried, and that statement."""

    def __init__(self):
        self.largest, self.statement = 0, None

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        # One statement run once per row (executemany) counts a row's; a multi-row INSERT made by
        # SQLAlchemy (insertmanyvalues) comes flattened, as the statement carries them.
        many = executemany and parameters and isinstance(parameters[0], (list, tuple, dict))
        count = max((len(row) for row in (parameters if many else [parameters]) if row is not None), default=0)
        if count > self.largest:
            self.largest, self.statement = count, statement


def largest_parameter_count(client, competition, manager):
    """Closes screening, shows its results, runs and publishes the draw; returns the counter."""
    counter = ParameterCounter()
    sa.event.listen(db.engine, "before_cursor_execute", counter)
    try:
        base = f"/manage/screening/calls/{competition.id}"
        assert client.get(f"{base}/results").status_code == 200
        assert client.post(f"{base}/close").status_code == 302
        assert client.get(f"{base}/results").status_code == 200
        assert client.get(f"{base}/appeals").status_code == 200
        assert client.get(f"/calls/{competition.id}/screening-results").status_code == 200
        draw = lifecycle.prepare(competition, manager, SHA256_RANK, RULE)
        lifecycle.commit(draw, manager)
        lifecycle.enter_sources(draw, SOURCES[SHA256_RANK], manager)
        lifecycle.run(draw, manager)
        lifecycle.publish(draw, manager)
        db.session.commit()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", counter)
    assert competition.screening_closed_at is not None and draw.state is DrawState.PUBLISHED
    return counter


def statuses(competition):
    return sorted(db.session.execute(
        sa.select(Application.status, sa.func.count()).where(Application.competition_id == competition.id)
        .group_by(Application.status)).all(), key=lambda row: row[0].value)


def mails_to(code):
    return db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
        OutboxMessage.to_address.like(f"%.{code}@example.kz")))


def test_no_statement_carries_a_parameter_per_application(as_manager, manager):
    screener = make_user("screener@example.kz", roles=(Role.STAFF,))
    small = screened_call("ZP25", 4, screener)
    large = screened_call("ZP26", 12, screener)

    counts = {competition.code: largest_parameter_count(as_manager, competition, manager)
              for competition in (small, large)}

    # Screening and the draw really went through at both sizes, every applicant on the list told.
    assert statuses(large) == [(ApplicationStatus.REJECTED, 12), (ApplicationStatus.RESERVE, 21),
                               (ApplicationStatus.WINNER, 3)]
    assert statuses(small) == [(ApplicationStatus.REJECTED, 4), (ApplicationStatus.RESERVE, 5),
                               (ApplicationStatus.WINNER, 3)]
    assert mails_to("zp25") == 8 and mails_to("zp26") == 24
    assert counts["ZP26"].largest == counts["ZP25"].largest, counts["ZP26"].statement


def test_the_draw_moves_every_application_on_its_timeline_as_one_move_would(manager):
    draw = drawn_draw(manager)
    moved = db.session.execute(sa.select(Application).where(Application.competition_id == draw.competition_id)
                               ).scalars().all()
    assert len(moved) == 8
    for application in moved:
        assert application.status in (ApplicationStatus.WINNER, ApplicationStatus.RESERVE)
        assert application.state_version == 1
        step = application.events[-1]
        assert (step.status, step.actor_id, step.message) == (application.status, manager.id, None)


def test_the_counter_counts_a_parameter_per_item_of_a_list(app_ctx):
    """What the test above relies on: the counter sees a list of ids sent as parameters."""
    counter = ParameterCounter()
    sa.event.listen(db.engine, "before_cursor_execute", counter)
    try:
        db.session.execute(sa.select(Application.id).where(Application.id.in_(range(400))))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", counter)
    assert counter.largest == 400
