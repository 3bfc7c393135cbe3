"""What contracts asks the features above it (payments) without importing them. Each signal
says who sends it, with what, and what a receiver may do."""
from blinker import Namespace

_signals = Namespace()

amount_committed = _signals.signal("amount-committed", doc="""
Asked by `grants.lower_amount` how much of a grant is already committed, so that its amount is
never lowered below it. Sender: the grant. A receiver returns whole tenge (payments: approved plus
paid) or None. It is a question: a receiver must not change or log anything.""")


def committed_amount(grant):
    """The largest amount the features above say is already committed on `grant` (0: none)."""
    return max((answer for _receiver, answer in amount_committed.send(grant) if answer is not None), default=0)


organisation_asked = _signals.signal("organisation-asked", doc="""
Asked by the contract's PDF for the organisation's details (legal names, BIN, address, director),
which the admin area keeps. Sender: None. A receiver returns an object with those attributes
(`app.admin.models.Organisation`). It is a question: a receiver must not change or log anything.""")


def organisation_details():
    """The organisation's details as the admin area answers, or None when nobody answers."""
    return next((answer for _receiver, answer in organisation_asked.send(None) if answer is not None), None)
