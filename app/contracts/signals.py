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


grant_page_asked = _signals.signal("grant-page-asked", doc="""
Asked by a grant's page for the sections the features above show on it (the mentor and meetings,
the monitoring visits, the final report...). Sender: the grant; keyword `audience`: "staff" (the
project office's page) or "grantee" (the grantee's own page). A receiver returns a `GrantSection`
or None. It is a question: a receiver must not change or log anything.""")


class GrantSection:
    """A section of a grant's page: `template` is included with `grant` and `section` (whose
    attributes are the keywords given here); `order` places it (lower first)."""

    def __init__(self, template, order=100, **context):
        self.template, self.order = template, order
        self.__dict__.update(context)


def grant_sections(grant, audience):
    """The sections the features above show on the grant's page for `audience`, in order."""
    answers = (answer for _receiver, answer in grant_page_asked.send(grant, audience=audience))
    return sorted((answer for answer in answers if answer is not None), key=lambda section: section.order)
