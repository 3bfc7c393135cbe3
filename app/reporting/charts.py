"""A chart of the dashboard as data: its table (shown beside the chart for those who cannot see it,
and downloaded as CSV) and what `static/js/dashboard.js` gives Chart.js to draw from that table.
The table is the source: the chart draws some of its columns, never other numbers."""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date, format_decimal

from app.tables import table_csv

LINE = "line"  # a cumulative line over days
BAR = "bar"  # vertical bars, one group per row
HBAR = "hbar"  # horizontal bars: long labels (regions, reasons) read on a phone
DOUGHNUT = "doughnut"  # parts of one whole


@dataclass
class Chart:
    key: str  # names the chart in the page and its CSV file: "applications"
    title: str  # lazy
    kind: str
    columns: tuple  # titles; the first names the rows (a day, a region), the others hold numbers
    rows: list = field(default_factory=list)  # tuples, one per label
    series: tuple = ()  # the columns drawn (indexes); empty: every column after the first
    percent: bool = False  # the drawn values are percentages (0-100)
    total: tuple | None = None  # a last row of sums: in the table and the CSV, never drawn
    marker: object = None  # the row (its first value) to mark on the chart, e.g. the deadline's day
    marker_title: str = ""
    note: str = ""  # what the reader should know to read it right

    @property
    def drawn(self):
        return self.series or tuple(range(1, len(self.columns)))

    @property
    def empty(self):
        """Nothing to draw: no row, or no drawn value above zero."""
        return not any(row[i] for row in self.rows for i in self.drawn)

    def lines(self):
        """The rows of the table and the CSV, the total last."""
        return [*self.rows, self.total] if self.total else list(self.rows)

    def config(self):
        """What dashboard.js needs (JSON): labels, one dataset per drawn column, the marker."""
        labels = [label(row[0]) for row in self.rows]
        found = {
            "kind": self.kind, "percent": self.percent, "labels": labels,
            "datasets": [{"label": str(self.columns[i]), "data": [row[i] for row in self.rows]} for i in self.drawn],
        }
        if self.marker is not None and label(self.marker) in labels:
            found["marker"] = {"index": labels.index(label(self.marker)), "label": str(self.marker_title)}
        return found

    def csv(self):
        return table_csv(self.columns, self.lines())

    def is_marked(self, row):
        return self.marker is not None and row[0] == self.marker

    @staticmethod
    def cells(row):
        """A row as the table shows it: the label, then numbers grouped as the language writes
        them, an empty value as a dash."""
        return [label(row[0]), *("—" if value is None else format_decimal(value) for value in row[1:])]


def label(value):
    """A row's first value as the chart and the table show it: a day as `22.10.2025`."""
    if isinstance(value, date):
        return format_date(value, "dd.MM.yyyy")
    return str(value)


def sum_row(title, rows, numbers):
    """The total row of `rows`: `title`, then the sum of each column of `numbers` (indexes), None
    in the others."""
    width = len(rows[0]) if rows else max(numbers) + 1
    return tuple(title if i == 0 else sum(row[i] or 0 for row in rows) if i in numbers else None
                 for i in range(width))
