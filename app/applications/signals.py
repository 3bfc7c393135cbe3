"""What the applications feature announces, for the features above it (screening, the draw and
later ones) to act on without applications importing them. Each signal says who sends it, with
what, and what a receiver may do. A receiver is connected when the module that owns it is
imported; create_app imports every feature's views, and through them those modules."""
from blinker import Namespace

from app.applications.models import ApplicationStatus

_signals = Namespace()

withdrawal_closed = _signals.signal("withdrawal-closed", doc="""
Asked by `submission.can_withdraw` (and so by `withdraw` and every page that shows the withdraw
button) whether a feature above closes the withdrawal of an application its applicant could
otherwise still withdraw. Sender: the application. A receiver returns True to close it (the draw
does, once the competition's draw list is committed) and anything else to leave it open. It is
a question: a receiver must not change or log anything.""")


application_submitted = _signals.signal("application-submitted", doc="""
Sent by `submission.submit` when an application is submitted for the first time (not when a
correction is sent back), inside the submission's transaction (the caller commits), after the
receipt is queued. Sender: the application; keyword `actor`: its applicant. A receiver may add
rows and queue mail (surveys invite the applicant); it must not commit.""")


correction_asked = _signals.signal("correction-asked", doc="""
Asked by `correction_of` (and so by the edit refusal of drafting and by `submission.resubmit`)
what the applicant of an application waiting for a correction (CORRECTION_REQUESTED) is asked to
correct. Sender: the application. A receiver returns the request, an object with
`correction_steps` (the form steps it reopens) and `correction_deadline` (naive UTC), or None
(screening, which owns the request, answers). It is a question: a receiver must not change or
log anything.""")


def correction_of(application):
    """What the applicant is asked to correct (see `correction_asked`), or None when the
    application is not waiting for a correction."""
    if application.status is not ApplicationStatus.CORRECTION_REQUESTED:
        return None
    return next((answer for _receiver, answer in correction_asked.send(application) if answer is not None), None)
