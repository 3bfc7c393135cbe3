"""What payments announce to the features above them (final reports) without importing them. Each
signal says who sends it, with what, and what a receiver may do."""
from blinker import Namespace

_signals = Namespace()

request_settled = _signals.signal("request-settled", doc="""
Sent by `payments.decisions` when a payment request reaches its end (paid or rejected), inside the
transaction of that decision (the caller commits). Sender: the request; keyword `actor`. A receiver
may change its own rows and the grant's status (e.g. complete a grant whose final report is
accepted once no request is open any more); it must not commit.""")
