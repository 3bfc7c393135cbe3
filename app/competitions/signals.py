"""What the competitions feature asks the features above it, without importing them. Each signal
says who sends it, with what, and what a receiver may do. A receiver is connected when the module
that owns it is imported; create_app imports every feature's views, and through them those
modules."""
from blinker import Namespace

_signals = Namespace()

draw_list_committed = _signals.signal("draw-list-committed", doc="""
Asked by `locks.stages_reached` (and so by every change of a competition's settings and strata, and
by the edit page) whether the competition's draw list is committed: from then on its quotas cannot
change. Sender: the competition; `for_change`: true when the caller is about to change the
quotas in this transaction. A receiver returns True when the list is committed (the draw does)
and anything else when not; asked `for_change`, it may lock what it needs so that the answer holds
until the caller's transaction ends. It is a question: a receiver must not change or log
anything.""")
