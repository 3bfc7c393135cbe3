"""What the draw announces, for the features above it (contracts and later ones) to act on
without the draw importing them. Each signal says who sends it, with what, and what a receiver
may do. A receiver is connected when the module that owns it is imported; create_app imports
every feature's views, and through them those modules."""
from blinker import Namespace

_signals = Namespace()

draw_published = _signals.signal("draw-published", doc="""
Sent by `lifecycle.publish` once the results are official, in the same transaction, after the
applications hold their final status. Sender: the draw; `actor`: the manager publishing. A
receiver may add its own rows for the winners (contracts creates their grants) and log them; it
must be idempotent (a retry sends again) and returns nothing.""")

winner_promoted = _signals.signal("winner-promoted", doc="""
Sent by `replacement.replace_winner` when a reserve takes the grant of a winner who left, after
the application became a winner, in the same transaction. Sender: the promoted application;
`actor`: the manager; `draw`: the draw. Same rules as `draw_published`.""")
