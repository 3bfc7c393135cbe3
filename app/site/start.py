"""The staff start page: each member of the project office sees their work at a glance, by
permission: the screening queue of every call (submitted, waiting for a correction, not assigned,
assigned to them), the appeals waiting, whether screening is closed, and the draw's next step.
A handful of grouped queries whatever the number of calls and applications."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask import g
from flask_babel import lazy_gettext as _l

from app.applications.models import Application, ApplicationStatus
from app.auth.permissions import Permission, may
from app.competitions.services import all_competitions
from app.extensions import db
from app.lottery.models import Draw, DrawState
from app.screening.closing import UNDECIDED
from app.screening.models import Appeal, AppealStatus


def is_staff_member(user):
    """Whether the permission table gives `user` anything: the start page is theirs."""
    return any(may(user, permission) for permission in Permission)


def shows_own_applications(user):
    """Whether the navbar links to "My applications": every applicant, staff only when they have
    applied themselves. Asked once per request."""
    if not user.is_authenticated:
        return False
    if not user.is_staff:
        return True
    if "has_own_applications" not in g:
        g.has_own_applications = db.session.execute(
            sa.select(sa.exists().where(Application.applicant_id == user.id))).scalar()
    return g.has_own_applications


@dataclass(frozen=True)
class DrawStep:
    """What the draw of a call waits for: `code` names the step, `anchor` the section of the
    manager's draw page where it is taken."""

    code: str
    title: str
    anchor: str = ""


DRAW_STEPS = {
    "screening": DrawStep("screening", _l("Waiting for screening to close")),
    "prepare": DrawStep("prepare", _l("Prepare the list")),
    "commit": DrawStep("commit", _l("Check and commit the list"), "commit"),
    "sources": DrawStep("sources", _l("Register observers and enter the random sources"), "sources"),
    "run": DrawStep("run", _l("Run the draw"), "run"),
    "publish": DrawStep("publish", _l("Publish the results"), "publish"),
    "done": DrawStep("done", _l("Results published")),
}


def next_draw_step(competition, draw):
    if draw is None:
        return DRAW_STEPS["prepare" if competition.screening_closed_at is not None else "screening"]
    if draw.state is DrawState.PREPARED:
        return DRAW_STEPS["commit"]
    if draw.state is DrawState.COMMITTED:
        return DRAW_STEPS["sources" if draw.sources is None else "run"]
    return DRAW_STEPS["publish" if draw.state is DrawState.DRAWN else "done"]


@dataclass
class CallWork:
    """One call as a member of staff sees it on the start page."""

    competition: object
    submitted: int = 0
    correction_requested: int = 0
    appealed: int = 0
    unassigned: int = 0  # waiting for a decision and given to nobody
    mine: int = 0  # waiting for a decision and given to the user
    appeals_waiting: int = 0
    draw: object = None  # the draw's id, state and sources, when it is prepared
    draw_step: DrawStep | None = None

    @property
    def undecided(self):
        return self.submitted + self.correction_requested + self.appealed

    @property
    def screening_closed(self):
        return self.competition.screening_closed_at is not None


def _queue_counts(user):
    """{competition id: (submitted, correction requested, appealed, unassigned, mine)}, one query."""
    undecided = Application.status.in_(UNDECIDED)

    def count(condition):
        return sa.func.sum(sa.case((condition, 1), else_=0))

    rows = db.session.execute(
        sa.select(Application.competition_id,
                  count(Application.status == ApplicationStatus.SUBMITTED),
                  count(Application.status == ApplicationStatus.CORRECTION_REQUESTED),
                  count(Application.status == ApplicationStatus.APPEALED),
                  count(sa.and_(undecided, Application.assigned_screener_id.is_(None))),
                  count(sa.and_(undecided, Application.assigned_screener_id == user.id)))
        .where(Application.status != ApplicationStatus.DRAFT)
        .group_by(Application.competition_id)
    ).all()
    return {row[0]: tuple(int(value or 0) for value in row[1:]) for row in rows}


def _appeals_waiting():
    return dict(db.session.execute(
        sa.select(Application.competition_id, sa.func.count(Appeal.id))
        .join(Appeal, Appeal.application_id == Application.id)
        .where(Appeal.status == AppealStatus.PENDING)
        .group_by(Application.competition_id)
    ).all())


def work_of(user):
    """The calls with what `user` may do in each, the latest first; only what their permissions
    show is counted."""
    calls = [CallWork(competition) for competition in all_competitions()]
    if may(user, Permission.SCREEN):
        counts = _queue_counts(user)
        for call in calls:
            (call.submitted, call.correction_requested, call.appealed, call.unassigned,
             call.mine) = counts.get(call.competition.id, (0, 0, 0, 0, 0))
    if may(user, Permission.DECIDE_APPEAL):
        waiting = _appeals_waiting()
        for call in calls:
            call.appeals_waiting = waiting.get(call.competition.id, 0)
    if may(user, Permission.RUN_DRAW):
        # The columns the next step needs, not the draws with their logs.
        draws = {draw.competition_id: draw for draw in db.session.execute(
            sa.select(Draw.competition_id, Draw.id, Draw.state, Draw.sources))}
        for call in calls:
            call.draw = draws.get(call.competition.id)
            call.draw_step = next_draw_step(call.competition, call.draw)
    return calls
