"""Rules that cannot shift: which settings of a call lock at which stage, because changing them
from then on would change outcomes. The table is LOCKED_FROM; the services refuse (on record) a
change of a locked setting, and the edit page shows it read-only with the reason. The one change
real regulations allow later, extending the deadline before it passes, is an amendment
(services.extend_deadline), never an edit."""
from flask_babel import lazy_gettext as _l

from app.competitions.signals import draw_list_committed
from app.dbtypes import utcnow
from app.enums import TitledEnum


class Stage(TitledEnum):
    """A point in the life of a call after which some settings hold; the title says why."""

    OPENED = "opened", _l("Locked since the call opened: applicants rely on the published window. "
                          "The deadline can only be extended, with a reason, before it passes.")
    SUBMITTED = "submitted", _l("Locked since the first application was submitted: changing it would "
                                "change how the applications are judged.")
    DRAW_LIST_COMMITTED = "draw_list_committed", _l("Locked since the draw list was committed: the "
                                                    "draw is bound to it.")


# Setting -> the stage from which it cannot change. "strata" is the set of strata: adding or
# removing one, or changing a stratum's region or districts; "quota" is each stratum's quota.
LOCKED_FROM = {
    "opens_at": Stage.OPENED,
    "closes_at": Stage.OPENED,
    "code": Stage.SUBMITTED,  # the prefix of the application numbers already given
    "age_min": Stage.SUBMITTED,
    "age_max": Stage.SUBMITTED,
    "age_reference_date": Stage.SUBMITTED,
    "grant_cap": Stage.SUBMITTED,
    "appeal_days": Stage.SUBMITTED,
    "required_documents": Stage.SUBMITTED,
    "strata": Stage.SUBMITTED,
    "quota": Stage.DRAW_LIST_COMMITTED,
}

SETTING_TITLES = {
    "opens_at": _l("Applications open"),
    "closes_at": _l("Applications close"),
    "code": _l("Code"),
    "age_min": _l("Minimum age"),
    "age_max": _l("Maximum age"),
    "age_reference_date": _l("Age is counted on"),
    "grant_cap": _l("Grant cap, tenge"),
    "appeal_days": _l("Days to appeal a rejection"),
    "required_documents": _l("Required documents"),
    "strata": _l("Strata"),
    "quota": _l("Quota (number of grants)"),
}


def stages_reached(competition, now=None, for_change=False):
    """The stages the call has passed. `for_change`: the caller is about to change settings in
    this transaction (the draw may then lock its row, so that the answer holds until the end)."""
    now = now or utcnow()
    reached = set()
    if competition.opens_at is not None and now >= competition.opens_at:
        reached.add(Stage.OPENED)
    # Numbers are given at submission and never taken back, withdrawals included.
    if competition.last_application_number:
        reached.add(Stage.SUBMITTED)
    if any(answer is True for _receiver, answer in draw_list_committed.send(competition, for_change=for_change)):
        reached.add(Stage.DRAW_LIST_COMMITTED)
    return reached


def locked_settings(competition, now=None, for_change=False):
    """Setting name -> the Stage that locked it, for every setting of the call locked now."""
    reached = stages_reached(competition, now, for_change)
    return {name: stage for name, stage in LOCKED_FROM.items() if stage in reached}
