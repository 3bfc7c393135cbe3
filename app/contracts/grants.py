"""Grants: created for the draw's winners and for reserves promoted later (through the draw's
signals, connected when this module is imported), their amount lowered by a manager, terminated.
Each change takes the grant and the acting user, writes a line of the grant's timeline and an
audit entry; the caller commits."""
import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from app.applications.models import ApplicationStatus
from app.applications.notices import mail_applicant
from app.audit.services import record as audit
from app.contracts.models import GRANT_TRANSITIONS, Grant, GrantEvent, GrantEventKind, GrantStatus
from app.contracts.signals import committed_amount
from app.errors import FieldErrors, Refused
from app.extensions import db
from app.i18n import current_language
from app.kz.money import format_money
from app.lottery import engine
from app.lottery.steps import applications_by_ticket
from app.lottery.signals import draw_published, winner_promoted

REASON_MAX = 2000


class GrantRefused(Refused):
    """A change of a grant that cannot be made now."""


# --- creation -------------------------------------------------------------------------------

def grant_of(application):
    return db.session.execute(sa.select(Grant).filter_by(application_id=application.id)).scalar_one_or_none()


def award(application, actor):
    """The grant of a winning application: made once (a second call returns the grant made
    before), numbered `<CODE>-G-0001` in the order grants are made, for the call's cap."""
    existing = grant_of(application)
    if existing is not None:
        return existing
    competition = application.competition
    made = db.session.scalar(sa.select(sa.func.count(Grant.id)).filter_by(competition_id=competition.id))
    grant = Grant(application=application, competition=competition, number=f"{competition.code}-G-{made + 1:04d}",
                  amount=competition.grant_cap, status=GrantStatus.CONTRACTING)
    db.session.add(grant)
    timeline_event(grant, GrantEventKind.CREATED, actor, data={"amount": grant.amount, "application": application.number})
    db.session.flush()
    audit(actor, "grant.created", {"grant": grant.id, "number": grant.number, "application": application.id,
                                   "amount": grant.amount})
    return grant


@draw_published.connect
def _award_the_winners(draw, actor=None, **_kwargs):
    applications = applications_by_ticket(draw, statuses=(ApplicationStatus.WINNER,))
    for result in draw.results:
        application = applications.get(result["ticket"])
        if (result["outcome"] == engine.WINNER and application is not None
                and application.status is ApplicationStatus.WINNER):
            award(application, actor)


@winner_promoted.connect
def _award_the_promoted(application, actor=None, **_kwargs):
    award(application, actor)


# --- changes --------------------------------------------------------------------------------

def locked_grant(grant):
    """Locks the grant's row until the transaction ends (SELECT ... FOR UPDATE) and reloads it, so
    that changes of its money on two workers take turns: the second reads what the first committed
    (a lowered amount, an approval of a payment)."""
    return db.session.execute(
        sa.select(Grant).where(Grant.id == grant.id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


def lower_amount(grant, amount, reason, actor):
    """A manager lowers the grant's amount, saying why: never above the call's cap (nor the
    amount it has), never to nothing, never below what payments already committed."""
    grant = locked_grant(grant)
    errors = FieldErrors()
    reason = _checked_reason(errors, reason)
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        errors.add("amount", _l("Enter the amount in whole tenge, more than zero."))
    elif amount > grant.competition.grant_cap:
        errors.add("amount", _l("The amount cannot be above the call's cap of %(cap)s.",
                                cap=money_text(grant.competition.grant_cap)))
    elif amount >= grant.amount:
        errors.add("amount", _l("The new amount must be lower than the grant's amount now (%(amount)s).",
                                amount=money_text(grant.amount)))
    elif amount < committed_amount(grant):
        errors.add("amount", _l("Payments of %(committed)s are already approved on this grant: the amount "
                                "cannot be lower.", committed=money_text(committed_amount(grant))))
    errors.raise_if_any()
    if grant.status in (GrantStatus.COMPLETED, GrantStatus.TERMINATED):
        raise GrantRefused(_l("This grant is closed: its amount cannot change."))
    before = grant.amount
    grant.amount = amount
    timeline_event(grant, GrantEventKind.AMOUNT_LOWERED, actor, reason, {"from": before, "to": amount})
    db.session.flush()
    audit(actor, "grant.amount_lowered", {"grant": grant.id, "from": before, "to": amount, "reason": reason})
    return grant


def terminate(grant, reason, actor):
    """Ends the grant early, saying why (the winner declined, missed the signing deadline, broke
    the contract). A terminated grant stays on record with its timeline; the grantee is told why by
    mail."""
    errors = FieldErrors()
    reason = _checked_reason(errors, reason)
    errors.raise_if_any()
    move(grant, GrantStatus.TERMINATED)
    grant.terminated_reason = reason
    timeline_event(grant, GrantEventKind.TERMINATED, actor, reason, {"status": GrantStatus.TERMINATED.value})
    db.session.flush()
    audit(actor, "grant.terminated", {"grant": grant.id, "reason": reason})
    mail_grantee(grant, "contracts/mail/grant_terminated", reason=reason)
    return grant


def can_move(grant, status):
    return status in GRANT_TRANSITIONS[grant.status]


def move(grant, status):
    """Changes the grant's status along GRANT_TRANSITIONS; anything else is refused."""
    if not can_move(grant, status):
        raise GrantRefused(_l("A grant that is \"%(now)s\" cannot become \"%(next)s\".",
                              now=grant.status.title, next=status.title))
    grant.status = status


def money_text(amount):
    return format_money(amount, current_language())


def _checked_reason(errors, reason):
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", _l("Say why."))
    elif len(reason) > REASON_MAX:
        errors.add("reason", _l("The reason can have at most %(max)s characters.", max=REASON_MAX))
    else:
        errors.check_storable("reason", reason)
    return reason


def mail_grantee(grant, template, **context):
    """Queues mail to the grantee, in their language, in the transaction of the change."""
    mail_applicant(grant.application, template, grant=grant,
                   grant_url=url_for("my_grants.grant", grant_id=grant.id, _external=True), **context)


def timeline_event(grant, kind, actor, reason=None, data=None):
    grant.events.append(GrantEvent(kind=kind, actor_id=actor.id if actor is not None else None, reason=reason,
                                   data=data or {}))
