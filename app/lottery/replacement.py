"""Replacing a winner who leaves after the results are published by the next on the same
stratum's reserve list. The replacement is written to the draw's public log only: the record
re-runs to the same results, and `reading.outcomes` reads the replacements back."""
from flask_babel import lazy_gettext as _l

from app.applications.models import ApplicationStatus
from app.applications.status import move
from app.audit.services import record as audit
from app.dbtypes import utcnow
from app.lottery import published
from app.lottery.models import DrawState, ReplacementReason
from app.lottery.engine import RESERVE_EXHAUSTED, RESERVE_PROMOTED, WINNER_REMOVED
from app.lottery.reading import outcomes
from app.lottery.signals import winner_promoted
from app.lottery.steps import DrawRefused, applications_by_ticket, locked, log
from app.mail.services import queue_mail


def replace_winner(draw, ticket, reason, actor, comment=""):
    """A winner leaves (withdrew, disqualified, missed the contract deadline): the next on the
    same stratum's reserve list takes the grant. Only that person can be promoted; reserves whose
    application is no longer on the list (withdrawn) are passed over, once, and the log says so:
    each replacement takes the reserve list in order from where the one before stopped.

    Returns the promoted application, or None when the reserve list is exhausted."""
    draw = locked(draw)
    if draw.state is not DrawState.PUBLISHED:
        raise DrawRefused(_l("Winners are replaced only after the results are published."))
    try:
        reason = ReplacementReason(reason)
    except ValueError:
        raise DrawRefused(_l("Choose the reason from the list."), field="reason") from None
    stratum = next((s for s in outcomes(draw) if ticket in s.current_winners), None)
    if stratum is None:
        raise DrawRefused(_l("%(ticket)s does not hold a grant in this draw.", ticket=ticket), field="ticket")
    applications = applications_by_ticket(draw, statuses=(ApplicationStatus.WINNER, ApplicationStatus.RESERVE))
    leaving = applications.get(ticket)
    if leaving is not None and leaving.status is ApplicationStatus.WINNER:
        leaving.withdrawn_at = utcnow()
        move(leaving, ApplicationStatus.WITHDRAWN, actor, (comment or "").strip() or None)
    log(draw, WINNER_REMOVED, {"ticket": ticket, "stratum": stratum.code, "reason": reason.value})

    passed_over, promoted = [], None
    for result in stratum.reserve:
        if result["ticket"] in stratum.promoted or result["ticket"] in stratum.passed_over:
            continue
        candidate = applications.get(result["ticket"])
        if candidate is not None and candidate.status is ApplicationStatus.RESERVE:
            promoted = (result, candidate)
            break
        passed_over.append(result["ticket"])
    if promoted is None:
        log(draw, RESERVE_EXHAUSTED, {"stratum": stratum.code, "passed_over": passed_over})
    else:
        result, candidate = promoted
        move(candidate, ApplicationStatus.WINNER, actor)
        winner_promoted.send(candidate, actor=actor, draw=draw)
        log(draw, RESERVE_PROMOTED, {"ticket": result["ticket"], "stratum": stratum.code, "rank": result["rank"],
                                     "replaces": ticket, "passed_over": passed_over})
        applicant = candidate.applicant
        queue_mail(applicant.email, "lottery/mail/draw_promoted", applicant.locale, call=draw.competition,
                   number=result["ticket"], url=published.public_url(draw))
    published.store_protocols(draw)  # what the protocol says has changed: a new version, the old one kept
    audit(actor, "draw.winner_replaced", {
        "draw": draw.id, "ticket": ticket, "reason": reason.value, "comment": comment,
        "promoted": promoted[0]["ticket"] if promoted else None, "passed_over": passed_over,
    })
    return promoted[1] if promoted else None
