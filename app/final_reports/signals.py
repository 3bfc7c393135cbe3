"""What final reports announce to the features above them (surveys, reporting) without importing
them. Each signal says who sends it, with what, and what a receiver may do."""
from blinker import Namespace

_signals = Namespace()

report_accepted = _signals.signal("report-accepted", doc="""
Sent by `final_reports` when staff accept a grantee's final report, inside the transaction of the
acceptance (the caller commits). Sender: the accepted report; keywords `grant` and `actor`. A
receiver may add rows (e.g. survey invitations) and queue mail; it must not commit.""")
