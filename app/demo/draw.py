"""The "drawn" demo stage: the screened demo call's lottery, committed, run live with observers
and published, through the lottery's own services (so the draw log and audit log are real)."""
from dataclasses import dataclass

from app.demo.applications import url_context
from app.lottery import lifecycle as lottery
from app.lottery.engine import SHA256_RANK

SOURCE_RULE = (
    "At the live event three observers each roll two dice in front of the camera; the numbers each "
    "observer reads aloud, in the order the observers were registered, are the sources."
)
OBSERVERS = (
    ("Айгүл Сапарова", "Маңғыстау облысы әкімдігі, жастар саясаты басқармасы"),
    ("Ерлан Жұмабаев", "«Жастар ресурстық орталығы» ҚБ"),
    ("Марина Ким", "Общественный фонд «Молодёжная инициатива»"),
)
SOURCES = ("4 6", "2 2", "5 1")


@dataclass(frozen=True)
class DrawnDemo:
    draw_id: int
    winners: int
    reserve: int

    def line(self):
        return (f"Demo draw {self.draw_id} published: {self.winners} winners, {self.reserve} on the "
                f"reserve lists; its page is /draws/{self.draw_id}.")


def draw_demo_call(competition, manager):
    """Runs and publishes the lottery of the screened `competition` as `manager`. In the current
    transaction; the caller commits."""
    with url_context():
        draw = lottery.prepare(competition, manager, SHA256_RANK, SOURCE_RULE)
        lottery.commit(draw, manager)
        for name, organisation in OBSERVERS:
            lottery.register_observer(draw, name, organisation, manager)
        lottery.enter_sources(draw, list(SOURCES), manager)
        lottery.run(draw, manager)
        lottery.publish(draw, manager)
    outcomes = [result["outcome"] for result in draw.results]
    return DrawnDemo(draw_id=draw.id, winners=outcomes.count("winner"), reserve=outcomes.count("reserve"))
