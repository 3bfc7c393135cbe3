"""Answering a survey through its link: once, before the link expires, a score from 1 to 5 and
an optional comment. Anyone holding the link may answer (it is the person's, sent to their
mail); no log-in is asked and nothing about the person is shown."""
import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _

from app.dbtypes import utcnow
from app.errors import FieldErrors, Refused
from app.extensions import db
from app.surveys.models import SCORES, SurveyInvitation

COMMENT_MAX = 2000


def answer_refusal(invitation, now=None):
    """Why the invitation cannot be answered now, or None."""
    if invitation.answered_at is not None:
        return _("This survey has already been answered: one answer is counted per person. Thank you!")
    if (now or utcnow()) >= invitation.expires_at:
        return _("This survey closed on %(date)s (Almaty time). Thank you all the same.",
                 date=format_datetime(invitation.expires_at, "d MMMM y, HH:mm"))
    return None


def _score(value, errors):
    """The score as a whole number from 1 to 5 (the form sends text), or None with a message."""
    text = value.strip() if isinstance(value, str) else value
    if text in (None, ""):
        errors.add("score", _("Choose a score from 1 to 5."))
        return None
    score = next((score for score in SCORES if text in (score, str(score))), None)
    if score is None:
        errors.add("score", _("The score must be a whole number from 1 to 5."))
    return score


def answer(invitation, score, comment="", now=None):
    """Records the answer to `invitation`: `score` (1-5, as a number or text) and `comment`
    (optional). Refused when it is answered already or expired; the conditional update makes two
    concurrent answers count once. The caller commits."""
    now = now or utcnow()
    refusal = answer_refusal(invitation, now)
    if refusal is not None:
        raise Refused(refusal)
    errors = FieldErrors()
    score = _score(score, errors)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors.add("comment", _("The comment is too long: at most %(max)s characters, you have %(count)s.",
                                max=COMMENT_MAX, count=len(comment)))
    errors.check_storable("comment", comment)
    errors.raise_if_any()
    answered = db.session.execute(
        sa.update(SurveyInvitation)
        .where(SurveyInvitation.id == invitation.id, SurveyInvitation.answered_at.is_(None))
        .values(answered_at=now, score=score, comment=comment or None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(invitation)
    if not answered:
        raise Refused(answer_refusal(invitation, now))
    return invitation
