"""What the surveys say, per call and stage: how many were invited and answered, the average,
the share satisfied (a score of 4 or 5) and the spread of scores; and the comments, without
who wrote them. `satisfaction` is what reports reuse (the dashboard, Annex 8's indicators)."""
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.extensions import db
from app.surveys.models import SATISFIED, SCORES, SurveyInvitation, SurveyStage

PER_PAGE = 50
_PAGE_LIMIT = 10**9


@dataclass
class Satisfaction:
    """The numbers of one stage's survey in one call. The shares are fractions (0.6 is 60%),
    None while nobody has answered (or nobody was invited)."""

    stage: SurveyStage
    invited: int = 0
    distribution: dict = field(default_factory=lambda: dict.fromkeys(SCORES, 0))  # score -> answers

    @property
    def answered(self):
        return sum(self.distribution.values())

    @property
    def satisfied(self):
        """How many answered 4 or 5."""
        return sum(self.distribution[score] for score in SATISFIED)

    @property
    def response_rate(self):
        return self.answered / self.invited if self.invited else None

    @property
    def average(self):
        if not self.answered:
            return None
        return sum(score * count for score, count in self.distribution.items()) / self.answered

    @property
    def satisfied_share(self):
        """The "% satisfied (4-5)" of the reports, as a fraction of those who answered."""
        return self.satisfied / self.answered if self.answered else None


def _counts(competition_ids):
    """{(competition id, stage): Satisfaction} of the calls, in one grouped query."""
    rows = db.session.execute(
        sa.select(SurveyInvitation.competition_id, SurveyInvitation.stage, SurveyInvitation.score,
                  sa.func.count(SurveyInvitation.id))
        .where(SurveyInvitation.competition_id.in_(competition_ids))
        .group_by(SurveyInvitation.competition_id, SurveyInvitation.stage, SurveyInvitation.score)
    ).all()
    found = defaultdict(dict)
    for competition_id, stage, score, count in rows:
        numbers = found[competition_id].setdefault(stage, Satisfaction(stage))
        numbers.invited += count
        if score is not None:
            numbers.distribution[score] += count
    return found


def satisfaction(competition, stage):
    """The Satisfaction of `stage`'s survey in `competition` (zeros when nobody was invited)."""
    return _counts([competition.id])[competition.id].get(stage) or Satisfaction(stage)


def by_stage(competition):
    """The Satisfaction of every stage of `competition`, in the order of the cycle."""
    found = _counts([competition.id])[competition.id]
    return [found.get(stage) or Satisfaction(stage) for stage in SurveyStage]


def by_call(competitions):
    """{competition id: [Satisfaction of every stage]} of `competitions`, in one query."""
    found = _counts([competition.id for competition in competitions])
    return {competition.id: [found[competition.id].get(stage) or Satisfaction(stage) for stage in SurveyStage]
            for competition in competitions}


def comments(competition, stage, page=1, per_page=PER_PAGE):
    """One page (a Flask-SQLAlchemy Pagination) of the comments left on `stage`'s survey in
    `competition`, the newest first, as invitations: pages show their score, day and comment,
    never whom they came from. A page past the end shows the last one."""
    query = (sa.select(SurveyInvitation)
             .where(SurveyInvitation.competition_id == competition.id, SurveyInvitation.stage == stage,
                    SurveyInvitation.comment.is_not(None))
             .order_by(SurveyInvitation.answered_at.desc(), SurveyInvitation.id.desc()))
    found = db.paginate(query, page=min(max(1, page), _PAGE_LIMIT), per_page=per_page, error_out=False)
    if found.page > found.pages > 0:
        found = db.paginate(query, page=found.pages, per_page=per_page, error_out=False)
    return found
