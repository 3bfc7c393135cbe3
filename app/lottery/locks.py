"""The draw's answer to what the competitions feature asks before a competition's quotas change
(`competitions.signals.draw_list_committed`); connected when this module is imported (by
app/lottery/views.py)."""
from app.competitions.signals import draw_list_committed
from app.lottery.models import DrawState
from app.lottery.reading import draw_of
from app.lottery.steps import locked


@draw_list_committed.connect
def _draw_list_committed(competition, for_change=False, **_kwargs):
    """Whether the competition's draw list is committed. Before a change the draw row is locked:
    a concurrent commit waits for the change (and then sees the new quotas differ from its list),
    or the change waits for the commit and is refused."""
    draw = draw_of(competition)
    if draw is None:
        return False
    if for_change:
        draw = locked(draw)
    return draw.state is not DrawState.PREPARED
