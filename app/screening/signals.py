"""What screening announces, for the features above it (the draw and later ones) to act on
without screening importing them. Each signal says who sends it, with what, and what a receiver
may do. A receiver is connected when the module that owns it is imported; create_app imports
every feature's views, and through them those modules."""
from blinker import Namespace

from app.errors import Refused

_signals = Namespace()


class EligibilityChangeRefused(Refused):
    """A receiver of `eligibility_changing` stops the change; `message` says why. The receiver may
    have put its record of the refusal in the session: whoever catches this commits (nothing else
    has changed yet), so that the refusal stays on record."""

    on_record = True


eligibility_changing = _signals.signal("eligibility-changing", doc="""
Sent by screening before an application becomes eligible or stops being eligible (today: an
appeal upheld, in `appeals.decide_appeal`), before anything has changed. Sender: the
application; `actor`: the staff member deciding; `attempt`: what is tried, as a dict, e.g.
{"application": 17, "ticket": "ZP25-0017", "change": "eligible"}. A receiver may write a record
of the attempt and veto the change by raising an EligibilityChangeRefused (the draw does, once
the competition's draw list is committed); it returns nothing.""")
