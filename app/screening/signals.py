"""What screening announces, for the features above it (the draw and later ones) to act on
without screening importing them. Each signal says who sends it, with what, and what a receiver
may do. A receiver is connected when the module that owns it is imported; create_app imports
every feature's views, and through them those modules."""
from blinker import Namespace

from app.errors import Refused

_signals = Namespace()


class EligibilityChangeRefused(Refused):
    """A receiver of `eligibility_changing` stops the change; `message` says why, and `record`
    writes the receiver's record of the attempt when the refusal is settled
    (`app.errors.settle`)."""


eligibility_changing = _signals.signal("eligibility-changing", doc="""
Sent by screening before an application becomes eligible or stops being eligible (an appeal
upheld, in `appeals.decide_appeal`; an eligible decision reopened, in `decisions.reopen`), before
anything has changed. Sender: the
application; `actor`: the staff member deciding; `attempt`: what is tried, as a dict, e.g.
{"application": 17, "ticket": "ZP25-0017", "change": "eligible"}. A receiver may veto the change
by raising an EligibilityChangeRefused carrying its record of the attempt (the draw does, once
the competition's draw list is committed); it changes nothing itself and returns nothing.""")


outcome_told = _signals.signal("outcome-told", doc="""
Sent by screening when it tells the applicant the outcome of technical screening (eligible or
rejected, in `decisions`; not a correction request), inside the decision's transaction (the
caller commits), just before the applicant's mail is queued. Sender: the application; keyword
`outcome`: the DecisionOutcome. A receiver may add rows and queue mail (surveys invite the
applicant, their mail delayed to come after the decision's); it must not commit.""")
