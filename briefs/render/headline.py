"""The row of headline figures: every amount on one line, whatever the amount or the count.

How many figures fit side by side depends on the width of the column the row lands in and on
the widest amount ("US$ 1852.0M" is wider than "US$ 9.9M"), so the row is laid out when it is
wrapped: as many figures a row as fit at the layout's type size, in more rows when needed,
and the type stepped down only when not even two fit side by side or the figures would
take more than three rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from briefs.render.paragraphs import Para

SCALES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5)
MAX_ROWS = 3  # twelve channels: smaller figures in three rows rather than seven big ones


@dataclass(frozen=True)
class Figure:
    """One headline figure: the amount as printed (plain text and markup) and its label."""

    text: str
    markup: str
    label: str  # markup
    element: Any = None  # the structure element both paragraphs are tagged as, if any


class HeadlineRow(Flowable):
    """Figures in a grid of equal cells, each amount on one line.

    `styles(scale)` gives the value and label paragraph styles at a type scale;
    `commands(rows, columns)` the table's style commands (fill, rule, padding).
    """

    def __init__(self, figures: Sequence[Figure], styles: Callable[[float], tuple[Any, Any]],
                 commands: Callable[[int], list[tuple]], padding: float):
        super().__init__()
        self.figures = list(figures)
        self.styles = styles
        self.commands = commands
        self.padding = padding  # left and right padding of a cell, together
        self._table: Table | None = None
        self._for: float = -1.0

    def _layout(self, width: float) -> Table:
        if self._table is not None and abs(self._for - width) < 0.01:
            return self._table
        count = len(self.figures)
        for scale in SCALES:
            value, label = self.styles(scale)
            widest = max(stringWidth(f.text, value.fontName, value.fontSize)
                         for f in self.figures)
            per_row = min(count, int(width // (widest + self.padding + 1)))
            if per_row >= min(2, count) and -(-count // max(per_row, 1)) <= MAX_ROWS:
                break
        per_row = max(1, per_row)
        # even rows: 5 figures as 3 + 2 rather than 4 + 1
        rows = -(-count // per_row)
        per_row = -(-count // rows)
        cells = [[self._tagged(Para(f.markup, value), f),
                  self._tagged(Para(f.label, label), f)] for f in self.figures]
        grid = [cells[i:i + per_row] for i in range(0, count, per_row)]
        grid[-1] += [""] * (per_row - len(grid[-1]))
        table = Table(grid, colWidths=[width / per_row] * per_row, hAlign="LEFT")
        table.setStyle(TableStyle(self.commands(len(grid))))
        self._table, self._for = table, width
        return table

    @staticmethod
    def _tagged(paragraph: Paragraph, figure: Figure) -> Flowable:
        from briefs.render.tagging import Tagged

        return paragraph if figure.element is None else Tagged(paragraph, figure.element)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        table = self._layout(availWidth)
        self.width, self.height = table.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return self._layout(availWidth).split(availWidth, availHeight)

    def draw(self) -> None:
        assert self._table is not None
        self._table.drawOn(self.canv, 0, 0)
